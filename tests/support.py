"""Paths built from this file and a CLI runner shared by every test module."""

from __future__ import annotations

import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

TESTS = Path(__file__).resolve().parent
REPO = TESTS.parent
FIXTURES = TESTS / "fixtures"
#: A frozen copy of the seed model: every test that pins the seed's facts (26 services, the
#: known warnings, stats counts) reads this, so editing the live ``model/`` cannot break them.
MODEL_DIR = FIXTURES / "seed-model"
#: The live content that architects edit; only tests/test_live_model.py (and the model-edit
#: experiment) may look at it, and only to check that it loads and conforms.
LIVE_MODEL_DIR = REPO / "model"
MINI = FIXTURES / "mini"


@dataclass
class CliResult:
    exit_code: int
    stdout: str
    stderr: str


def run_cli(*args: str, cwd: Path | None = None) -> CliResult:
    """Run ``samhandling ARGS`` in a subprocess, exactly as a user or CI would.

    Without ``cwd`` it runs in the test's working directory, an empty folder (see
    ``tests/conftest.py``): a default ``model/`` there does not exist, so a test cannot read
    the live model without naming it."""
    proc = subprocess.run([sys.executable, "-m", "samhandling", *args], capture_output=True,
                          text=True, cwd=cwd, timeout=600)
    return CliResult(proc.returncode, proc.stdout, proc.stderr)
