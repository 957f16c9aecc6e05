"""What a safety assessment is: red-flag and crisis categories, urgency and the safety intents (both servers use it)."""
