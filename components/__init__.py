"""Custom components for the Rasa server's NLU pipeline (see config.yml).

Kept apart from actions/, which the action server imports wholesale.
"""
