"""Opt-in check-ins (issue 18): when each is due, and sending each one once."""
