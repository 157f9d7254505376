"""The synthetic model generator: a model of the real one's shape that builds and validates.

Runs at the small size only (the 100k and 1m sizes are for ``bench/suite.py``).
"""

from __future__ import annotations

import json
from pathlib import Path

import networkx as nx
import pytest
from rdflib import Literal, URIRef

from samhandling.build import load_model
from samhandling.errors import UsageError
from samhandling.namespaces import BASE, DCTERMS, RDF, RDFS, SAM, SKOS
from samhandling.schema import KINDS
from samhandling.synth import DEFECT_KINDS, SIZES, generate_model, size_counts

from .support import run_cli

SERVICES, NEEDS, ACTORS = SIZES["small"]


@pytest.fixture(scope="module")
def small(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("synth") / "small"
    generate_model(out, SERVICES, NEEDS, ACTORS, seed=11)
    return out


@pytest.fixture(scope="module")
def broken(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("synth") / "broken"
    generate_model(out, SERVICES, NEEDS, ACTORS, seed=11, defects=2)
    return out


def test_small_model_builds_with_the_real_shape(small: Path) -> None:
    graph = load_model(small).graph
    services = set(graph.subjects(RDF.type, SAM.InformationService))
    needs = set(graph.subjects(RDF.type, SAM.InformationNeed))
    assert len(services) == SERVICES and len(needs) == NEEDS
    picture = URIRef(BASE + "malbilde/synth")
    assert graph.value(picture, SAM.declaredServiceCount).toPython() == SERVICES
    # 7 main groups, each with a service
    groups = {graph.value(s, SAM.inMainGroup) for s in services}
    assert {graph.value(g, SAM.groupNumber).toPython() for g in groups} == set(range(1, 8))
    # every service handles a need, every need is handled by a service
    assert all(graph.value(s, SAM.handlesNeed) is not None for s in services)
    assert all(graph.value(None, SAM.handlesNeed, n) is not None for n in needs)
    # need codes: two-digit segments, the broader concept's code is a prefix
    for need in needs:
        code = str(graph.value(need, SKOS.notation))
        broader = graph.value(need, SKOS.broader)
        assert code.count(".") >= 1 and broader is not None
        assert code.startswith(str(graph.value(broader, SKOS.notation)) + ".")
    # reuse is a DAG with hubs: the most reused service is reused far more than the median
    reuse = nx.DiGraph(list(graph.subject_objects(SAM.reuses)))
    assert nx.is_directed_acyclic_graph(reuse)
    in_degrees = sorted(d for _, d in reuse.in_degree())
    assert in_degrees[-1] >= 3 * max(1, in_degrees[len(in_degrees) // 2])
    # one actor hierarchy under one root
    actors = set(graph.subjects(RDF.type, SAM.Participant))
    roots = [a for a in actors if graph.value(a, SAM.partOfActorGroup) is None]
    assert len(actors) == ACTORS and roots == [URIRef(BASE + "aktor/aktorer-i-samhandling")]
    # maturity g/y/r and an organisational preferred form on every service
    assert {str(graph.value(s, SAM.maturity2023)).rsplit("/", 1)[1] for s in services} \
        <= {"g", "y", "r"}
    assert all((graph.value(s, SAM.preferredCollaborationForm), RDF.type,
                SAM.OrganisationalCollaborationForm) in graph for s in services)


def test_every_record_has_labels_in_both_languages_and_a_source(small: Path) -> None:
    graph = load_model(small).graph
    checked = 0
    for kind in KINDS:
        for subject in graph.subjects(RDF.type, kind.cls):
            langs = {o.language for o in graph.objects(subject, RDFS.label)
                     if isinstance(o, Literal)}
            assert {"nb", "en"} <= langs, subject
            if kind.needs_source:
                assert graph.value(subject, DCTERMS.source) is not None, subject
            checked += 1
    assert checked > SERVICES + NEEDS + ACTORS


def test_same_seed_same_bytes_other_seed_other_model(tmp_path: Path) -> None:
    paths = [tmp_path / name for name in ("a", "b", "c")]
    for path, seed in zip(paths, (5, 5, 6), strict=True):
        generate_model(path, 30, 90, 40, seed=seed, defects=1)
    files = sorted(p.name for p in paths[0].iterdir())
    assert files == sorted(p.name for p in paths[1].iterdir())
    assert all((paths[0] / f).read_bytes() == (paths[1] / f).read_bytes() for f in files)
    assert (paths[0] / "behov.yaml").read_bytes() != (paths[2] / "behov.yaml").read_bytes()


def test_seeded_defects_still_load_with_the_strict_build(broken: Path) -> None:
    seeded = json.loads((broken / "defects.json").read_text(encoding="utf-8"))
    assert {d["kind"] for d in seeded} == set(DEFECT_KINDS)
    graph = load_model(broken).graph
    for defect in seeded:
        assert (URIRef(defect["focus"]), None, None) in graph, defect
    # two of each kind (one target picture: one wrong count), cycles reported on each service
    per_kind = {k: len({d["defect"] for d in seeded if d["kind"] == k}) for k in DEFECT_KINDS}
    assert per_kind == {k: 1 if k == "wrong-declared-count" else 2 for k in DEFECT_KINDS}


def _results(model_dir: Path) -> set[tuple[str, str, str]]:
    shacl = pytest.importorskip("samhandling.validation.shacl")
    load = pytest.importorskip("samhandling.validation.load")
    report = shacl.validate_model(load.load_for_validation(model_dir))
    return {(r.severity, r.focus, r.shape) for r in report.results}


def test_clean_model_conforms_with_no_result_at_all(small: Path) -> None:
    assert _results(small) == set()


def test_validation_reports_exactly_the_seeded_defects(broken: Path) -> None:
    seeded = json.loads((broken / "defects.json").read_text(encoding="utf-8"))
    shapes_ns = BASE + "shapes#"
    expected = {(d["severity"], d["focus"].removeprefix(BASE), d["shape"].removeprefix(shapes_ns))
                for d in seeded}
    assert len(expected) == len(seeded) > 2 * len(DEFECT_KINDS)
    assert _results(broken) == expected


def test_bad_counts_and_sizes_are_usage_errors(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="--needs must be at least --services"):
        generate_model(tmp_path / "m", services=30, needs=10, actors=20, seed=1)
    with pytest.raises(UsageError, match="valid sizes: small, 100k, 1m"):
        size_counts("huge")
    with pytest.raises(UsageError, match="needs at least"):
        generate_model(tmp_path / "m", services=8, needs=20, actors=20, seed=1, defects=5)
    assert not (tmp_path / "m").exists()


def test_cli_writes_the_model_and_exit_codes(tmp_path: Path) -> None:
    out = tmp_path / "cli"
    result = run_cli("synth", "--services", "20", "--needs", "40", "--actors", "30",
                     "--defects", "1", "-o", str(out))
    assert result.exit_code == 0, result.stderr
    assert "tjenester" in result.stdout and "defects.json" in result.stdout
    assert (out / "defects.json").is_file() and (out / "tjenester.yaml").is_file()
    bad = run_cli("synth", "--size", "1m", "--needs", "5", "-o", str(tmp_path / "x"))
    assert bad.exit_code == 2 and "Traceback" not in bad.stderr
    missing = run_cli("synth", "-o", str(tmp_path / "no" / "such"))
    assert missing.exit_code == 2
    assert missing.stderr.strip().splitlines() == [
        f"error: {tmp_path / 'no' / 'such'}: parent folder {tmp_path / 'no'} does not exist"]


def test_store_graph_and_statements_hold_the_same_triples(small: Path, tmp_path: Path) -> None:
    """The build keeps N-Triples text and makes each view on demand: they must agree, also
    for text that needs escaping."""
    import shutil

    from samhandling.terms import to_oxigraph

    model_dir = tmp_path / "m"
    shutil.copytree(small, model_dir)
    tricky = 'Sitat "x" \\ y'
    (model_dir / "scenarioer.yaml").write_text(
        (small / "scenarioer.yaml").read_text(encoding="utf-8")
        + f"- id: tricky\n  label_nb: {json.dumps(tricky)}\n  label_en: |\n    two\n"
          "    lines\n  source: [synth]\n", encoding="utf-8")
    model = load_model(model_dir)
    graph = model.graph
    assert (URIRef(BASE + "scenario/tricky"), RDFS.label, Literal(tricky, lang="nb")) in graph
    assert (URIRef(BASE + "scenario/tricky"), RDFS.label, Literal("two\nlines", lang="en")) \
        in graph
    assert len(model) == len(graph) == len(model.store) == len(model.statements) > 2000
    store = {(q.subject, q.predicate, q.object) for q in model.store}
    assert store == {tuple(to_oxigraph(term) for term in triple) for triple in graph}
    assert set(model.statements) == set(graph)
    label = (URIRef(BASE + "scenario/tricky"), RDFS.label, Literal(tricky, lang="nb"))
    assert str(model.statements[label]).endswith("scenarioer.yaml:" + str(
        (model_dir / "scenarioer.yaml").read_text(encoding="utf-8").splitlines().index(
            f"  label_nb: {json.dumps(tricky)}") + 1))


def test_a_clean_run_over_a_broken_model_leaves_no_defect_behind(tmp_path: Path) -> None:
    out = tmp_path / "m"
    generate_model(out, 20, 40, 30, seed=2, defects=1)
    assert (out / "defekter.ttl").is_file() and (out / "defects.json").is_file()
    generate_model(out, 20, 40, 30, seed=2, force=True)
    assert not (out / "defekter.ttl").exists() and not (out / "defects.json").exists()
    assert len(set(load_model(out).graph.subjects(RDF.type, SAM.InformationService))) == 20


def test_blank_nodes_stay_one_node_in_the_store(small: Path, tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    """The store is loaded in chunks and pyoxigraph renames blank nodes per document: a blank
    node's triples must not be split over two chunks."""
    import shutil

    from samhandling import built as build

    model_dir = tmp_path / "m"
    shutil.copytree(small, model_dir)
    (model_dir / "extra.ttl").write_text(
        "<https://w3id.org/samhandling/x> <https://w3id.org/samhandling/ontologi#p> [\n"
        "  <https://w3id.org/samhandling/ontologi#a> 1 ;\n"
        "  <https://w3id.org/samhandling/ontologi#b> 2 ] .\n", encoding="utf-8")
    monkeypatch.setattr(build, "STORE_CHUNK", 2)
    model = load_model(model_dir)
    blanks = {term for q in model.store for term in (q.subject, q.object)
              if type(term).__name__ == "BlankNode"}
    assert len(blanks) == 1 and len(model.store) == len(model.graph)
