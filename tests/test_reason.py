"""`samhandling reason`: real HermiT and Pellet runs (Java), no mocks.

Each run starts a JVM (a few seconds), so the tests are few and each checks several things.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from samhandling.errors import ToolMissingError
from samhandling.validation.load import load_input
from samhandling.validation.reason import reason

from .support import FIXTURES, REPO, run_cli

pytestmark = pytest.mark.skipif(shutil.which("java") is None, reason="needs Java")

INCONSISTENT = FIXTURES / "reason" / "inconsistent.ttl"
BASE = "https://w3id.org/samhandling/"


def _cli(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "samhandling", *args], capture_output=True,
                          text=True, cwd=REPO, env=env, timeout=600)


def test_the_seed_model_is_consistent_with_hermit(model_copy: Path):
    result = run_cli("reason", "model", "--lang", "en", cwd=model_copy.parent)
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].startswith("model: consistent (HermiT, ")
    assert lines[-1] == "inferred class memberships not asserted: 0"


def test_an_inconsistent_model_fails_names_what_is_involved_and_leaves_no_temp_file(
        tmp_path: Path):
    env = {**os.environ, "TMPDIR": str(tmp_path)}
    result = _cli("reason", str(INCONSISTENT), "--lang", "en", env=env)
    assert result.returncode == 1, result.stderr
    out = result.stdout
    assert out.splitlines()[0].startswith(f"{INCONSISTENT}: inconsistent (HermiT, ")
    assert "  plan type InformationService" in out
    assert "  plan type InformationNeed" in out
    involved = out.split("involved:\n", 1)[1].splitlines()
    assert involved == [
        f"  Information need <{BASE}ontologi#InformationNeed>",
        f"  Information service <{BASE}ontologi#InformationService>",
        f"  Plan <{BASE}tjeneste/plan>",
    ]
    assert list(tmp_path.iterdir()) == [], "owlready2's temp file was left behind"


def test_pellet_reports_class_memberships_it_infers(tmp_path: Path):
    data = tmp_path / "inferred.ttl"
    data.write_text(f"""
        @prefix sam: <{BASE}ontologi#> .
        @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
        <{BASE}tjeneste/a> sam:reuses <{BASE}tjeneste/b> ;
            rdfs:label "A"@nb , "A"@en .
        <{BASE}tjeneste/b> a sam:InformationService ; rdfs:label "B"@nb , "B"@en .
        """, encoding="utf-8")
    result = reason(load_input(data), "pellet")
    assert result.consistent and result.ok
    assert result.reasoner == "Pellet"
    assert [(m.individual, m.cls) for m in result.inferred] == [
        (f"{BASE}tjeneste/a", f"{BASE}ontologi#InformationService")]
    assert result.label(f"{BASE}ontologi#InformationService", "nb") == "Informasjonstjeneste"


def test_missing_java_is_one_clear_line(tmp_path: Path):
    env = {**os.environ, "PATH": str(tmp_path)}
    result = _cli("reason", str(INCONSISTENT), env=env)
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr.startswith("error: java not found on PATH")
    assert len(result.stderr.splitlines()) == 1


def test_missing_java_in_the_library(monkeypatch, tmp_path: Path):
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(ToolMissingError, match="java not found"):
        reason(load_input(INCONSISTENT))
