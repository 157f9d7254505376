"""Tests that need a tool which may be missing (Graphviz ``dot``) skip with a named reason, or
stop the run when ``SAMHANDLING_REQUIRE_TOOLS`` says every tool must be there (see conftest)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import NO_DOT, REQUIRE_TOOLS
from .support import REPO

#: One test that draws with dot and one that does not, from the same module.
NEEDS_DOT = "tests/test_render.py::test_pdf_is_a_pdf"
NO_TOOL = "tests/test_render.py::test_missing_dot_is_one_clear_error"


def _pytest(tmp_path: Path, path: str | None, **extra: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != REQUIRE_TOOLS and k != "PATH"}
    if path is not None:
        env["PATH"] = path
    env.update(extra)
    return subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
                           "-o", "addopts=-ra", "--basetemp", str(tmp_path / "base"),
                           NEEDS_DOT, NO_TOOL], cwd=REPO, env=env, capture_output=True,
                          text=True, timeout=300)


def test_without_dot_the_graphviz_tests_skip_with_a_named_reason(tmp_path: Path) -> None:
    empty = tmp_path / "empty-bin"
    empty.mkdir()
    proc = _pytest(tmp_path, str(empty))
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert f"SKIPPED [1] {NEEDS_DOT.split('::')[0]}" in proc.stdout
    assert NO_DOT in proc.stdout
    assert "1 passed, 1 skipped" in proc.stdout


def test_without_dot_a_run_that_requires_the_tools_stops(tmp_path: Path) -> None:
    empty = tmp_path / "empty-bin"
    empty.mkdir()
    proc = _pytest(tmp_path, str(empty), **{REQUIRE_TOOLS: "1"})
    assert proc.returncode != 0
    assert "Graphviz 'dot' is not on PATH (1 selected tests need it" in proc.stdout + proc.stderr
    assert "passed" not in proc.stdout


@pytest.mark.needs_dot
def test_with_dot_nothing_is_skipped_even_when_the_tools_are_required(tmp_path: Path) -> None:
    dot_dir = str(Path(shutil.which("dot") or "").parent)
    proc = _pytest(tmp_path, dot_dir, **{REQUIRE_TOOLS: "1"})
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "2 passed" in proc.stdout and "skipped" not in proc.stdout
