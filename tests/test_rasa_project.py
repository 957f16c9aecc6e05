"""Rasa's own checks on the project: data validation and the test stories."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parent.parent
RASA = str(REPO_ROOT / ".venv" / "bin" / "rasa")
MODEL = REPO_ROOT / "models" / "pacewise.tar.gz"
ENV = {**os.environ, "RASA_TELEMETRY_ENABLED": "false", "TF_CPP_MIN_LOG_LEVEL": "2"}


def rasa(*args: str, timeout: int = 900) -> subprocess.CompletedProcess:
    return subprocess.run([RASA, *args], cwd=REPO_ROOT, env=ENV, capture_output=True, text=True, timeout=timeout)


def test_training_data_and_domain_validate_without_warnings():
    result = rasa("data", "validate", "--fail-on-warnings")

    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-4000:]


def test_test_stories_pass(tmp_path):
    if not MODEL.exists():
        pytest.fail(f"{MODEL} is missing: run `make train` first (make test does it).")
    out = tmp_path / "results"
    result = rasa(
        "test", "core", "--model", str(MODEL), "--stories", str(REPO_ROOT / "tests" / "stories"),
        "--fail-on-prediction-errors", "--out", str(out),
    )  # fmt: skip

    failed = out / "failed_test_stories.yml"
    details = failed.read_text() if failed.exists() else ""
    assert result.returncode == 0, details + result.stdout[-3000:] + result.stderr[-3000:]
