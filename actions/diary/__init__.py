"""The pain diary: scores on the 0-10 scale, summaries and charts. Action server only."""
