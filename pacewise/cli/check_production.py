"""`make run`'s first step: refuse to start in production while a setting is unsafe.

    PACEWISE_ENV=production python -m pacewise.cli.check_production

Exits with 1 and names each setting to change (pacewise/production.py says what is checked).
"""

from __future__ import annotations

import os
import sys

from pacewise.production import problems


def main() -> int:
    found = problems(os.environ)
    if not found:
        return 0
    print("Pacewise will not start in production while these are unsafe:", file=sys.stderr)
    for problem in found:
        print(f"  - {problem}", file=sys.stderr)
    return 1


if __name__ == "__main__":
    sys.exit(main())
