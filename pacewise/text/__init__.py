"""Reading patients' text: input checks (empty, too long, not English) and the pain-score and activity-amount parsers."""
