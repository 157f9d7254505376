"""The fast validation engine gives exactly default pySHACL's results, seeded defects included.

The equality check runs on the ``100k`` synthetic model (~100k triples) with 2 defects of every
kind the shapes check. Default pySHACL on rdflib takes about two minutes there, the longest test
of the suite, and worth it: it is the check that the speed does not come from missed results.
``bench/validate_scale.py`` does the same check at 1m.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from rdflib import URIRef

from samhandling.errors import UsageError
from samhandling.synth import SIZES, generate_model
from samhandling.validation.display import compact_shape as _compact_shape
from samhandling.validation.display import show as _show
from samhandling.validation.load import load_for_validation
from samhandling.validation.shacl import ValidationReport, load_shapes, validate_model
from samhandling.validation.store_sparql import once_safe


@pytest.fixture(scope="module")
def seeded(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("fastval") / "m"
    services, needs, actors = SIZES["100k"]
    generate_model(out, services=services, needs=needs, actors=actors, seed=5, defects=2)
    return out


@pytest.fixture(scope="module")
def reports(seeded: Path) -> dict[str, ValidationReport]:
    model = load_for_validation(seeded)
    shapes = load_shapes()
    return {engine: validate_model(model, shapes, engine=engine)
            for engine in ("fast", "reference")}


def _key(report: ValidationReport) -> list[tuple[str, ...]]:
    return sorted((r.focus, r.path, r.shape, r.severity, r.value, r.component)
                  for r in report.results)


def test_fast_engine_matches_default_pyshacl_exactly(reports: dict[str, ValidationReport]) -> None:
    fast, reference = reports["fast"], reports["reference"]
    assert reference.results, "the seeded model must give results to compare"
    assert _key(fast) == _key(reference)
    assert fast.results == reference.results  # messages, labels and source lines too


def test_fast_engine_finds_every_seeded_defect(seeded: Path,
                                               reports: dict[str, ValidationReport]) -> None:
    expected = json.loads((seeded / "defects.json").read_text(encoding="utf-8"))
    found = {(r.focus, r.shape, r.severity) for r in reports["fast"].results}
    missing = [d for d in expected
               if (_show(URIRef(d["focus"])), _compact_shape(URIRef(d["shape"])),
                   d["severity"]) not in found]
    assert len(expected) > 20
    assert missing == []
    kinds = {d["kind"] for d in expected}
    assert {"reuse-cycle", "actor-hierarchy-cycle"} <= kinds


@pytest.mark.parametrize(("text", "safe"), [
    ("SELECT $this ?value WHERE { $this <p> ?value . ?value <p>* $this . }", True),
    ("SELECT $this (COUNT(?x) AS ?n) WHERE { $this <p> ?x } GROUP BY $this", True),
    ("SELECT ?value WHERE { $this <p> ?value }", False),  # $this not projected
    ("SELECT $this (COUNT(?x) AS ?n) WHERE { $this <p> ?x }", False),  # aggregates all
    ("SELECT $this WHERE { { SELECT ?x WHERE { ?x <p> ?y } } $this <q> ?x }", False),
    ("SELECT $this WHERE { $this <p> ?x MINUS { $this <q> ?x } }", False),
])
def test_only_queries_that_mean_the_same_run_once(text: str, safe: bool) -> None:
    assert once_safe(text) is safe


def test_unknown_engine_is_a_usage_error(seeded: Path) -> None:
    with pytest.raises(UsageError, match="unknown validation engine 'jena'"):
        validate_model(load_for_validation(seeded), engine="jena")


def test_cli_engines_give_byte_identical_reports_on_the_seed_model() -> None:
    from .support import MODEL_DIR, run_cli

    fast = run_cli("validate", str(MODEL_DIR), "--engine", "fast", "--format", "json")
    reference = run_cli("validate", str(MODEL_DIR), "--engine", "reference", "--format", "json")
    assert fast.exit_code == reference.exit_code == 0
    assert fast.stdout == reference.stdout and '"Warning"' in fast.stdout


@pytest.mark.parametrize("text", [
    "SELECT $this WHERE { SERVICE <http://127.0.0.1:9/> { $this ?p ?o } }",
    "SELECT $this FROM <http://127.0.0.1:9/g> WHERE { $this ?p ?o }",
    "SELECT $this WHERE { \\u0053ERVICE <http://127.0.0.1:9/> { $this ?p ?o } }",
])
def test_a_constraint_that_may_reach_the_network_is_parsed_and_refused(text: str) -> None:
    from samhandling.validation.offline import refuse_network

    with pytest.raises(Exception) as caught:  # refused, or (the escape) not even parsed
        refuse_network(text)
    assert isinstance(caught.value, UsageError) or "\\u" in text


def test_a_constraint_that_cannot_spell_service_or_from_is_not_parsed(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """The fast path: rdflib's parser (most of a small model's validation time) is skipped
    for texts without the tokens SERVICE or FROM or an escape that could spell them."""
    from samhandling.validation import offline

    def parse(*_: object, **__: object) -> None:
        raise AssertionError("parsed")

    monkeypatch.setattr(offline, "prepareQuery", parse)
    offline.refuse_network("SELECT $this WHERE { $this prov:wasDerivedFrom ?v ; "
                           "sam:declaredServiceCount ?n }")
    with pytest.raises(AssertionError, match="parsed"):
        offline.refuse_network("SELECT $this WHERE { SERVICE <x:y> { $this ?p ?o } }")
