"""Custom components for the Rasa server's NLU pipeline (see config.yml).

Rasa server only (loaded through config.yml). Imports the core (pacewise/), never actions/.
"""
