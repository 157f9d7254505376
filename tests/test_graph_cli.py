"""The analyze, impact and graph commands as a user runs them: outputs, exit codes, errors."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import defusedxml.ElementTree as ET
import pytest
from pptx import Presentation

from .support import FIXTURES, REPO, run_cli

MODEL = str(FIXTURES / "analysis")


def test_analyze_prints_a_json_report() -> None:
    result = run_cli("analyze", "--model", MODEL, "--format", "json", "--lang", "en")
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["counts"]["services"] == 5
    assert [s["label"] for s in data["build_order"]["layers"][0]] == ["Epsilon", "Gamma"]


def test_analyze_markdown_in_norwegian() -> None:
    result = run_cli("analyze", "--model", MODEL, "--format", "md")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith("# Analyse av målbildet\n")
    assert "## Dekning" in result.stdout


def test_impact_lists_what_a_delay_affects() -> None:
    result = run_cli("impact", "gamma", "--model", MODEL, "--lang", "en")
    assert result.exit_code == 0, result.stderr
    assert "Services that reuse it (directly or indirectly) (3)\n  Alpha\n  Beta\n  Delta\n" \
        in result.stdout


def test_impact_of_an_unknown_service_suggests_labels_and_exits_2() -> None:
    result = run_cli("impact", "Gama", "--model", MODEL)
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr == "error: unknown service 'Gama' (did you mean 'Gamma'?)\n"


@pytest.mark.needs_dot
def test_graph_writes_text_formats_to_stdout() -> None:
    result = run_cli("graph", "services", "--model", MODEL, "--format", "svg")
    assert result.exit_code == 0, result.stderr
    root = ET.fromstring(result.stdout.encode())
    assert root.tag == "{http://www.w3.org/2000/svg}svg"


def test_graph_filters_and_language_reach_the_output() -> None:
    result = run_cli("graph", "coverage", "--model", MODEL, "--group", "2", "--format",
                     "mermaid", "--lang", "en")
    assert result.exit_code == 0, result.stderr
    assert "title: Information services and the information needs they cover (main group 2)" \
        in result.stdout
    assert '["10.20 Need two"]' in result.stdout and "Alpha" not in result.stdout


@pytest.mark.needs_dot
def test_graph_takes_the_format_from_the_file_name(tmp_path: Path) -> None:
    out = tmp_path / "slide.pptx"
    result = run_cli("graph", "services", "--model", MODEL, "-o", str(out))
    assert result.exit_code == 0, result.stderr
    slide = Presentation(io.BytesIO(out.read_bytes())).slides[0]
    assert slide.shapes.title.text.startswith("Gjenbruk mellom informasjonstjenestene")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["slide.pptx"]  # no temp file left


@pytest.mark.parametrize(("args", "message"), [
    (["graph", "nope"], "error: unknown view 'nope'; valid views: services, coverage, "
                        "actors, forms, programme\n"),
    (["graph", "services", "--format", "gif"],
     "error: unknown format 'gif'; valid formats: svg, png, pdf, dot, graphml, mermaid, "
     "pptx, json\n"),
    (["graph", "services", "--format", "png"],
     "error: png is a binary format: give a file with -o FILE\n"),
    (["graph", "services", "--focus", "Gama"],
     "error: unknown service 'Gama' (did you mean 'Gamma'?)\n"),
    (["graph", "services", "--format", "svg", "--pptx-picture"],
     "error: --pptx-picture is for pptx, not svg\n"),
])
def test_graph_usage_errors_are_one_line_and_exit_2(args: list[str], message: str) -> None:
    result = run_cli(*args, "--model", MODEL)
    assert (result.exit_code, result.stderr, result.stdout) == (2, message, "")


def test_graph_into_a_missing_folder_writes_nothing(tmp_path: Path) -> None:
    out = tmp_path / "missing" / "services.svg"
    result = run_cli("graph", "services", "--model", MODEL, "-o", str(out))
    assert result.exit_code == 2
    assert result.stderr == f"error: {out}: output folder {out.parent} does not exist\n"
    assert not out.parent.exists()


def test_graph_without_dot_says_so_in_one_line(tmp_path: Path) -> None:
    out = tmp_path / "services.svg"
    env = {**os.environ, "PATH": str(tmp_path)}
    proc = subprocess.run([sys.executable, "-m", "samhandling", "graph", "services", "--model",
                           MODEL, "-o", str(out)], capture_output=True, text=True, cwd=REPO,
                          env=env, timeout=300)
    assert proc.returncode == 2
    assert proc.stderr == ("error: Graphviz 'dot' is not on PATH; install Graphviz "
                           "(apt-get install graphviz) to draw svg, png, pdf or pptx\n")
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("command", ["analyze", "impact", "graph"])
def test_help_ends_with_an_example(command: str) -> None:
    result = run_cli(command, "--help")
    assert result.exit_code == 0
    assert "Example:" in result.stdout
    assert f"samhandling {command}" in result.stdout.split("Example:")[1]
