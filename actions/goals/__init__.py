"""Graded activity goals: baselines, weekly steps, sessions and flares."""
