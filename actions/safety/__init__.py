"""Escalating red-flag and crisis messages: what the screening found and how the bot responds. Action server only."""
