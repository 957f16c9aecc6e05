"""Rasa input channels with Pacewise's guarantees (see credentials.yml).

Kept apart from actions/, which the action server imports wholesale.
"""
