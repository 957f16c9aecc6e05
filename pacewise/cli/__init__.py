"""Command-line tools, run with `python -m pacewise.cli.<tool>` (the Makefile's targets call them); no server imports them."""
