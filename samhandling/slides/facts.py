"""What a deck is made from, read once: the analysis graphs, the analysis report, where each
resource's facts come from, and the services whose impact the deck shows.

Every slide takes its content from here, so the deck says exactly what ``analyze``,
``impact`` and ``graph`` say about the same model.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..analysis.centrality import dependent_counts
from ..analysis.graphs import ModelGraphs, model_graphs
from ..analysis.impact import Impact, impact, resolve_service
from ..analysis.report import Report, analyze
from ..built import BuiltModel
from ..namespaces import DCTERMS

__all__ = ["Facts", "cited_sources", "gather", "source_map"]

_SOURCE = f"<{DCTERMS.source}>"


def source_map(model: BuiltModel) -> dict[str, tuple[str, ...]]:
    """Resource IRI -> the IRIs its ``dcterms:source`` names (source pages or sources),
    sorted; one pass over the model's triples."""
    found: dict[str, set[str]] = {}
    for s, p, o in model.nt_triples():
        if p == _SOURCE and s[0] == "<" and o[0] == "<":
            found.setdefault(s[1:-1], set()).add(o[1:-1])
    return {node: tuple(sorted(cited)) for node, cited in found.items()}


@dataclass(frozen=True)
class Facts:
    """Everything the slides read."""

    graphs: ModelGraphs
    report: Report
    #: resource -> cited source pages and sources (``dcterms:source``)
    sources: dict[str, tuple[str, ...]]
    #: the services whose impact the deck shows, with what a delay of each affects
    impacts: tuple[Impact, ...]
    #: True when no ``--impact`` was given and the most depended-on service was chosen
    impact_chosen: bool


def gather(model: BuiltModel, impact_services: tuple[str, ...] = ()) -> Facts:
    """Read ``model`` for a deck; ``impact_services`` are labels, ids or IRIs.

    Raises
    ------
    UsageError
        An ``impact_services`` entry names no service (the message lists close matches).
    """
    graphs = model_graphs(model)
    index = graphs.index
    chosen = [resolve_service(graphs.reuse, text, index.alt_labels) for text in impact_services]
    picked = not chosen
    if picked:
        counts = dependent_counts(graphs.reuse)
        services = sorted(counts, key=lambda node: (-counts[node], index.label(node, "nb"),
                                                    node))
        chosen = services[:1]
    unique = list(dict.fromkeys(chosen))
    impacts = tuple(impact(graphs.reuse, graphs.actors, graphs.hierarchy, node)
                    for node in unique)
    return Facts(graphs, analyze(graphs), source_map(model), impacts, picked)


def cited_sources(facts: Facts, nodes: list[str] | tuple[str, ...] | set[str],
                  lang: str) -> list[str]:
    """The labels of the sources and source pages ``nodes`` cite, sorted and distinct
    ("SEED side 30", "Sentralt styringsdokument Akson, vedlegg G")."""
    index = facts.graphs.index
    cited = {iri for node in nodes for iri in facts.sources.get(node, ())}
    labels = {index.labels.get(iri, {}).get(lang) or index.labels.get(iri, {}).get("nb")
              or iri.rsplit("/", 1)[-1] for iri in cited}
    return sorted(labels, key=_natural)


def _natural(text: str) -> tuple[object, ...]:
    """Sort key that puts "side 9" before "side 10"."""
    import re

    return tuple(int(part) if part.isdigit() else part.casefold()
                 for part in re.split(r"(\d+)", text))
