"""Export to tables and load again gives the same graph; builds are byte-identical."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib.compare import isomorphic

from samhandling.build import load_model
from samhandling.export.tables import TABLE_FORMATS, export_tables

from .support import MINI, MODEL_DIR, run_cli

MODELS = {"mini": MINI, "seed": MODEL_DIR}


@pytest.mark.parametrize("fmt", TABLE_FORMATS)
@pytest.mark.parametrize("name", sorted(MODELS))
def test_round_trip_through_tables_is_isomorphic(name: str, fmt: str, tmp_path: Path) -> None:
    original = load_model(MODELS[name]).graph
    out = tmp_path / "tables"
    written = export_tables(original, out, fmt)
    assert written, "nothing written"
    reloaded = load_model(out).graph
    assert len(reloaded) == len(original)
    assert isomorphic(reloaded, original)


def test_passthrough_triples_survive_the_round_trip_in_extra_ttl(mini_copy: Path,
                                                                  tmp_path: Path) -> None:
    (mini_copy / "notes.ttl").write_text(
        '@prefix skos: <http://www.w3.org/2004/02/skos/core#> .\n'
        '<https://w3id.org/samhandling/tjeneste/plan> skos:scopeNote [ skos:note "n"@en ] .\n',
        encoding="utf-8")
    original = load_model(mini_copy).graph
    written = export_tables(original, tmp_path / "t", "csv")
    assert (tmp_path / "t" / "extra.ttl") in written
    assert isomorphic(load_model(tmp_path / "t").graph, original)


def test_build_twice_gives_identical_bytes(tmp_path: Path) -> None:
    outputs = []
    for run in ("a", "b"):
        out = tmp_path / run
        result = run_cli("build", str(MODEL_DIR), "-o", str(out))
        assert result.exit_code == 0, result.stderr
        outputs.append({p.name: p.read_bytes() for p in sorted(out.iterdir())})
    assert sorted(outputs[0]) == ["samhandling.jsonld", "samhandling.nt", "samhandling.ttl",
                                  "sourcemap.json"]
    assert outputs[0] == outputs[1]


def test_blank_nodes_do_not_break_determinism(mini_copy: Path, tmp_path: Path) -> None:
    (mini_copy / "notes.ttl").write_text(
        '@prefix skos: <http://www.w3.org/2004/02/skos/core#> .\n'
        '<https://w3id.org/samhandling/tjeneste/plan> skos:scopeNote [ skos:note "n"@en ] ,'
        ' [ skos:note "m"@en ] .\n', encoding="utf-8")
    texts = []
    for run in ("a", "b"):
        assert run_cli("build", str(mini_copy), "-o", str(tmp_path / run)).exit_code == 0
        texts.append((tmp_path / run / "samhandling.ttl").read_bytes())
    assert texts[0] == texts[1]


def test_table_exports_are_byte_stable(tmp_path: Path) -> None:
    graph = load_model(MINI).graph
    for fmt in ("yaml", "csv"):
        first = {p.name: p.read_bytes() for p in export_tables(graph, tmp_path / f"{fmt}1", fmt)}
        second = {p.name: p.read_bytes() for p in export_tables(graph, tmp_path / f"{fmt}2", fmt)}
        assert first == second
