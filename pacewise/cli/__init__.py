"""Command-line tools, run with `python -m pacewise.cli.<tool>` (the Makefile's targets call them).

Loaded by `make` and by hand only: no server imports a tool (tests/test_import_direction.py).
"""
