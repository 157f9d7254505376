"""Assemble README.md from docs/manual/*.md (in name order), so each part has one owner.

Run ``python docs/assemble_readme.py``; ``--check`` exits 1 when README.md is out of date
(the test suite runs the check).
"""

from __future__ import annotations

import sys
from pathlib import Path

DOCS = Path(__file__).resolve().parent
README = DOCS.parent / "README.md"


def assembled() -> str:
    parts = [part.read_text(encoding="utf-8").strip() + "\n"
             for part in sorted((DOCS / "manual").glob("*.md"))]
    return "\n".join(parts)


def main(argv: list[str]) -> int:
    text = assembled()
    if "--check" in argv:
        return 0 if README.read_text(encoding="utf-8") == text else 1
    README.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
