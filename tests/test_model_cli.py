"""build, stats and export-tables from the command line, with their exit codes."""

from __future__ import annotations

from pathlib import Path

from rdflib import Graph
from rdflib.compare import isomorphic

from samhandling.build import load_model

from .support import MODEL_DIR, run_cli


def test_stats_counts_per_class_in_either_language() -> None:
    nb = run_cli("stats", "--model", str(MODEL_DIR), "--lang", "nb")
    en = run_cli("stats", "--model", str(MODEL_DIR), "--lang", "en")
    assert nb.exit_code == en.exit_code == 0
    nb_rows = {line.split()[-1]: line for line in nb.stdout.splitlines()}
    en_rows = {line.split()[-1]: line for line in en.stdout.splitlines()}
    assert nb_rows["sam:InformationService"].split()[-2] == "26"
    assert nb_rows["sam:MainGroup"].split()[-2] == "7"
    assert nb_rows["sam:InformationService"].startswith("Informasjonstjeneste")
    assert en_rows["sam:InformationService"].startswith("Information service")


def test_build_writes_three_formats_that_parse_to_the_same_graph(tmp_path: Path) -> None:
    result = run_cli("build", str(MODEL_DIR), "-o", str(tmp_path / "out"))
    assert result.exit_code == 0, result.stderr
    expected = load_model(MODEL_DIR).graph
    for name, fmt in (("samhandling.ttl", "turtle"), ("samhandling.nt", "nt"),
                      ("samhandling.jsonld", "json-ld")):
        parsed = Graph().parse(tmp_path / "out" / name, format=fmt)
        assert isomorphic(parsed, expected), name


def test_build_into_missing_parent_is_a_usage_error(tmp_path: Path) -> None:
    result = run_cli("build", str(MODEL_DIR), "-o", str(tmp_path / "no" / "such" / "out"))
    assert result.exit_code == 2
    assert result.stderr.count("\n") == 1 and "does not exist" in result.stderr


def test_export_tables_cli_round_trips(tmp_path: Path) -> None:
    result = run_cli("export-tables", "--model", str(MODEL_DIR), "--format", "csv", "-o",
                     str(tmp_path / "tables"))
    assert result.exit_code == 0, result.stderr
    assert (tmp_path / "tables" / "tjenester.csv").exists()
    assert isomorphic(load_model(tmp_path / "tables").graph, load_model(MODEL_DIR).graph)


def test_unknown_command_and_format_exit_2(tmp_path: Path) -> None:
    assert run_cli("no-such-command").exit_code == 2
    result = run_cli("export-tables", "--format", "docx", "-o", str(tmp_path / "t"))
    assert result.exit_code == 2 and "docx" in result.stderr
