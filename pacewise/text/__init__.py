"""Reading patients' text: input checks (empty, too long, not English), the pain-score and activity-amount parsers.

Core: both servers.
"""
