"""Paths built from this file and a CLI runner shared by every test module."""

from __future__ import annotations

import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

TESTS = Path(__file__).resolve().parent
REPO = TESTS.parent
MODEL_DIR = REPO / "model"
FIXTURES = TESTS / "fixtures"
MINI = FIXTURES / "mini"


@dataclass
class CliResult:
    exit_code: int
    stdout: str
    stderr: str


def run_cli(*args: str, cwd: Path | None = None) -> CliResult:
    """Run ``samhandling ARGS`` in a subprocess, exactly as a user or CI would."""
    proc = subprocess.run([sys.executable, "-m", "samhandling", *args], capture_output=True,
                          text=True, cwd=cwd or REPO, timeout=600)
    return CliResult(proc.returncode, proc.stdout, proc.stderr)
