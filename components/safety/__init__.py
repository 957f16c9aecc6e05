"""Deterministic safety screening: red-flag and crisis phrases found with spaCy's Matcher.

The patterns live in patterns.yml; patterns.py compiles them, detector.py
applies them with negation and idiom handling. The Rasa component that
combines this with the intent classifier is components/safety_screen.py.
Rasa server only.
"""
