"""Graded activity goals: baselines, weekly steps, sessions and flares. Action server only."""
