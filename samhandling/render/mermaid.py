"""Mermaid flowcharts, which GitHub renders inside Markdown (```mermaid blocks).

Services sit in one ``subgraph`` per main group, filled with the group's colour; the 2023
maturity is the border (solid, dashed, dotted), as in the Graphviz pictures. Node ids are
``n0``, ``n1``, ... in IRI order, each declared once as ``nK["label"]`` before any edge, and
every edge is one ``nA --> nB`` line, so the text is easy to check and to diff.
"""

from __future__ import annotations

import networkx as nx

from .style import (
    KIND_STYLES,
    MATURITY_STYLES,
    NO_MATURITY,
    OTHER_KIND,
    group_colour,
    legend,
    node_text,
)

__all__ = ["to_mermaid"]

#: Mermaid node shapes per kind of node (services are rounded boxes).
_SHAPES = {
    "box": ('["', '"]'), "note": ('["', '"]'), "ellipse": ('(["', '"])'),
    "hexagon": ('{{"', '"}}'), "component": ('[["', '"]]'), "folder": ('["', '"]'),
    "tab": ('["', '"]'), "cylinder": ('[("', '")]'),
}


def _label(text: str) -> str:
    """Mermaid label text: quotes and angle brackets as entities, line breaks as spaces (a
    line break in the title would add keys to the front matter), so any name is safe."""
    return (" ".join(text.splitlines()).replace("&", "#amp;").replace('"', "#quot;")
            .replace("<", "#lt;").replace(">", "#gt;"))


def to_mermaid(view: nx.DiGraph, lang: str = "nb") -> bytes:
    """The view as a Mermaid ``flowchart TB``.

    Notes
    -----
    O(n log n + m).
    """
    ids = {node: f"n{i}" for i, node in enumerate(sorted(view))}
    title = str(view.graph.get(f"title_{lang}", ""))
    filters = str(view.graph.get(f"filters_{lang}", ""))
    info = legend(view, lang)
    lines = ["---", f"title: {_label(title + (f' ({filters})' if filters else ''))}", "---",
             "flowchart TB"]
    lines += [f"  %% {entry.text}: {MATURITY_STYLES.get(entry.key, NO_MATURITY).border} border"
              for entry in info.maturity]
    lines += [f"  %% {words}" for words in info.edges]
    groups: dict[int, list[str]] = {}
    others: list[str] = []
    for node in sorted(view):
        data = view.nodes[node]
        if data.get("kind") == "service":
            groups.setdefault(int(data.get("group") or 0), []).append(node)
        else:
            others.append(node)
    styles: list[str] = []
    for group in sorted(groups):
        fill, accent, background = group_colour(group)
        sample = view.nodes[groups[group][0]]
        name = f"{group} {sample.get(f'group_label_{lang}') or ''}".strip() if group else (
            "Uten hovedgruppe" if lang == "nb" else "No main group")
        lines.append(f'  subgraph g{group}["{_label(name)}"]')
        for node in groups[group]:
            lines.append(f'    {ids[node]}["{_label(node_text(view, node, lang))}"]')
            maturity = MATURITY_STYLES.get(str(view.nodes[node].get("maturity") or ""),
                                           NO_MATURITY)
            dash = f",stroke-dasharray:{maturity.dasharray}" if maturity.dasharray else ""
            styles.append(f"  style {ids[node]} fill:{fill},stroke:#1a1a1a,"
                          f"stroke-width:2px{dash}")
        lines.append("  end")
        styles.append(f"  style g{group} fill:{background},stroke:{accent}")
    for node in others:
        style = KIND_STYLES.get(str(view.nodes[node].get("kind")), OTHER_KIND)
        left, right = _SHAPES.get(style.shape, ('["', '"]'))
        lines.append(f"  {ids[node]}{left}{_label(node_text(view, node, lang))}{right}")
        styles.append(f"  style {ids[node]} fill:{style.fill},stroke:#555555")
    for source, target in sorted(view.edges(), key=lambda e: (ids[e[0]], ids[e[1]])):
        lines.append(f"  {ids[source]} --> {ids[target]}")
    return ("\n".join(lines + styles) + "\n").encode("utf-8")
