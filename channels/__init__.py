"""Rasa input channels with Pacewise's guarantees (see credentials.yml).

Rasa server only (loaded through credentials.yml). Imports the core (pacewise/), never actions/.
"""
