"""The build's housekeeping: the collector pause, and sorted triples without rdflib."""

from __future__ import annotations

import gc
from pathlib import Path

import pyoxigraph as ox

from samhandling.build import load_model
from samhandling.export.rdf import sorted_triples
from samhandling.gcpause import no_gc_pauses


def test_a_big_pause_freezes_what_it_made_and_a_small_one_does_not() -> None:
    before = gc.get_freeze_count()
    try:
        with no_gc_pauses(freeze_after=1_000):
            assert not gc.isenabled()
            small = [[i] for i in range(10)]
        assert gc.isenabled() and gc.get_freeze_count() == before
        with no_gc_pauses(freeze_after=1_000):
            big = [[i] for i in range(5_000)]
        assert gc.isenabled() and gc.get_freeze_count() >= before + len(big)
        assert len(small) == 10
    finally:
        gc.unfreeze()


def test_a_nested_pause_leaves_the_collector_to_the_outer_one() -> None:
    with no_gc_pauses(freeze_after=0):
        with no_gc_pauses(freeze_after=0):
            pass
        assert not gc.isenabled()
    assert gc.isenabled()
    gc.unfreeze()


def test_sorted_triples_from_the_build_equal_the_exporters_rdflib_order(mini_copy: Path) -> None:
    """Straight from the N-Triples, also for literals rdflib writes differently (a line
    break: triple quotes, so "to\\nlinjer" sorts before "Zed" in N3 and after it in
    N-Triples; quotes and backslashes: escapes), and a blank node (labelled canonically by
    the build, so it takes the fast path too)."""
    services = mini_copy / "tjenester.yaml"
    services.write_text(services.read_text(encoding="utf-8") + (
        "- id: ekstra\n  group: oversikt\n  label_nb: 'Si \"hei\" \\ nå'\n  label_en: X\n"
        "  definition_nb: |\n    to\n    linjer\n  definition_en: Zed\n"
        "  source: [seed]\n"), encoding="utf-8")
    model = load_model(mini_copy)
    fast = model.sorted_oxigraph_triples()
    assert fast is not None and len(fast) == len(model)
    assert fast == sorted_triples(model.graph)
    assert any("\n" in str(t.object.value) for t in fast if isinstance(t.object, ox.Literal))
    (mini_copy / "x.ttl").write_text("<https://w3id.org/samhandling/q> "
                                     "<http://www.w3.org/2000/01/rdf-schema#seeAlso> [] .\n",
                                     encoding="utf-8")
    with_blank = load_model(mini_copy)
    fast = with_blank.sorted_oxigraph_triples()
    assert fast is not None and len(fast) == len(with_blank)
    assert fast == load_model(mini_copy).sorted_oxigraph_triples()  # labels from the graph
