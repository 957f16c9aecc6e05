"""What a safety assessment is: red-flag and crisis categories, urgency and the safety intents. Core: both servers."""
