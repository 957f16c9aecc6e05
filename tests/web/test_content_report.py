"""make content-report: the page a physiotherapist signs the content off from, checked in the real browser."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from pacewise.cli.content_report import main as content_report
from pacewise.content import default_library

REPO_ROOT = Path(__file__).resolve().parents[2]
CHECK = REPO_ROOT / "tests" / "web" / "content_report_check.mjs"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"


@pytest.fixture(scope="module")
def report(tmp_path_factory) -> Path:
    if not (REPO_ROOT / "node_modules" / "playwright-core").is_dir():
        pytest.fail("node_modules is missing: run `make setup` (npm ci from package-lock.json).")
    out = tmp_path_factory.mktemp("report") / "content-report.html"
    assert content_report(["--out", str(out), "--max-examples", "10"]) == 0
    return out


def test_the_report_is_one_self_contained_page(report):
    page = report.read_text(encoding="utf-8")
    assert "<script" not in page and "<link" not in page and "src=" not in page  # opens from the file system, fetches nothing
    assert page.count("<section") == len(default_library().snapshot().topics)


def test_the_report_reads_right_in_the_browser(report):
    env = {**os.environ, "CHROMIUM_PATH": CHROMIUM, "PACEWISE_SCREENSHOTS": str(REPO_ROOT / "tests" / "output" / "screenshots")}
    topics = str(len(default_library().snapshot().topics))
    done = subprocess.run(["node", str(CHECK), report.as_uri(), topics], cwd=REPO_ROOT, env=env, capture_output=True, text=True, timeout=180)
    assert done.returncode == 0 and "PASS content_report" in done.stdout, done.stdout + done.stderr
