"""`make help` lists every target of the Makefile with one line saying what it does."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent


def test_make_help_lists_every_target_with_what_it_does():
    makefile = (REPO_ROOT / "Makefile").read_text()
    phony = re.search(r"^\.PHONY:(.*)$", makefile, re.MULTILINE).group(1).split()
    defined = re.findall(r"^([a-z][a-z-]*):", makefile, re.MULTILINE)

    listed = subprocess.run(["make", "-s", "help"], cwd=REPO_ROOT, capture_output=True, text=True, check=True).stdout.splitlines()

    described = {line.split()[1]: line.split(None, 2)[2] for line in listed if line.strip().startswith("make ")}
    assert sorted(described) == sorted(defined) == sorted(phony)
    assert all(len(text) > 10 for text in described.values())
