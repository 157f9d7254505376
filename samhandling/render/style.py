"""One visual language for every picture: colours per main group, borders per maturity.

Services are filled with the colour of their main group; every other kind of node is drawn in
greys and soft tints so the group colours keep their meaning. The 2023 maturity is the border:
solid for green (little to do), dashed for yellow, dotted for red (a new service). The
Graphviz, Mermaid and PowerPoint renderers all read their colours and words from here, so a
legend on a slide matches the picture beside it.
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass

import networkx as nx

from ..schema import NODE_KINDS

__all__ = ["FONT", "GROUP_COLOURS", "KIND_STYLES", "MATURITY_STYLES", "KindStyle", "Legend",
           "group_colour", "legend", "node_text", "wrap"]

#: Arial-compatible metrics, narrow enough for 26 boxes on a slide; fontconfig substitutes
#: a close font where it is missing (dot measures whatever it uses).
FONT = "Liberation Sans"
#: (fill, border/text accent, cluster background) per main group, from ColorBrewer "Paired":
#: light fills keep black text readable; the dark pair marks the cluster frame.
GROUP_COLOURS: tuple[tuple[str, str, str], ...] = (
    ("#a6cee3", "#1f78b4", "#eaf3f9"),
    ("#b2df8a", "#33a02c", "#eef8e6"),
    ("#fdbf6f", "#e07b00", "#fff3e2"),
    ("#cab2d6", "#6a3d9a", "#f3eef6"),
    ("#fb9a99", "#e31a1c", "#fdeceb"),
    ("#ffef7a", "#b8a000", "#fffbe0"),
    ("#8dd3c7", "#01665e", "#e6f5f2"),
    ("#d9d9d9", "#525252", "#f5f5f5"),
)
#: Colour of a service without a main group.
NO_GROUP = ("#ffffff", "#525252", "#ffffff")


def group_colour(group: int) -> tuple[str, str, str]:
    """(fill, accent, background) of a main group; groups beyond eight reuse the palette."""
    if group <= 0:
        return NO_GROUP
    return GROUP_COLOURS[(group - 1) % len(GROUP_COLOURS)]


@dataclass(frozen=True)
class MaturityStyle:
    notation: str
    #: Graphviz ``style`` word for the border
    border: str
    #: SVG stroke-dasharray for Mermaid
    dasharray: str
    nb: str
    en: str


MATURITY_STYLES: dict[str, MaturityStyle] = {
    "G": MaturityStyle("G", "solid", "", "grønn: lite å utvide", "green: little to extend"),
    "Y": MaturityStyle("Y", "dashed", "8 4", "gul: mye å utvide", "yellow: much to extend"),
    "R": MaturityStyle("R", "dotted", "2 3", "rød: ny, etter 2023", "red: new, after 2023"),
}
#: A service without a rating: thin solid border.
NO_MATURITY = MaturityStyle("", "solid", "", "ikke vurdert", "not rated")


@dataclass(frozen=True)
class KindStyle:
    shape: str
    fill: str
    nb: str
    en: str


#: Non-service nodes: shape, fill and the legend word in both languages, for the kinds
#: :data:`samhandling.schema.NODE_KINDS` gives a look of their own, in its (the legend's) order.
KIND_STYLES: dict[str, KindStyle] = {
    k.name: KindStyle(k.shape, k.fill, k.nb, k.en) for k in NODE_KINDS if k.shape}
OTHER_KIND = KindStyle("box", "#ffffff", "Annet", "Other")

#: Edge words for the legend, per relation.
RELATION_WORDS: dict[str, tuple[str, str]] = {
    "reuses": ("A → B: A gjenbruker B", "A → B: A reuses B"),
    "handlesNeed": ("tjeneste → behov den dekker", "service → need it handles"),
    "involvedIn": ("aktør → scenario → behov → tjeneste", "actor → scenario → need → service"),
    "prefers": ("tjeneste → foretrukket form → teknisk form",
                "service → preferred form → technical form"),
    "touchesService": ("program → steg → pakke → tjeneste/løsning",
                       "programme → step → package → service/solution"),
}


def wrap(text: str, width: int = 22) -> list[str]:
    """Break a label into lines of about ``width`` characters, never inside a word."""
    return textwrap.wrap(text, width=width, break_long_words=False,
                         break_on_hyphens=False) or [text]


def node_text(graph: nx.Graph, node: str, lang: str) -> str:
    """The text a node shows: its label, with the code in front of a need's label."""
    data = graph.nodes[node]
    text = str(data.get(f"label_{lang}") or data.get("id") or node)
    if data.get("kind") == "need" and data.get("code"):
        text = f"{data['code']} {text}"
    return text


@dataclass(frozen=True)
class LegendEntry:
    key: str
    text: str
    fill: str = "#ffffff"
    border: str = "solid"
    accent: str = "#333333"


@dataclass(frozen=True)
class Legend:
    """What a picture's legend shows: groups present, maturity styles used, other kinds."""

    title_groups: str
    groups: tuple[LegendEntry, ...]
    title_maturity: str
    maturity: tuple[LegendEntry, ...]
    kinds: tuple[LegendEntry, ...]
    edges: tuple[str, ...]


def legend(graph: nx.Graph, lang: str) -> Legend:
    """The legend of ``graph``: only groups, maturity ratings and kinds that appear in it."""
    groups: dict[int, str] = {}
    ratings: set[str] = set()
    kinds: set[str] = set()
    relations: set[str] = set()
    for _, data in graph.nodes(data=True):
        if data.get("kind") == "aggregate" and int(data.get("group") or 0):
            # a main group's box of an aggregated view: its colour, no maturity
            group = int(data.get("group") or 0)
            groups[group] = str(data.get(f"group_label_{lang}") or group)
        elif data.get("kind") == "service":
            group = int(data.get("group") or 0)
            if group:
                groups[group] = str(data.get(f"group_label_{lang}") or group)
            ratings.add(str(data.get("maturity") or ""))
        else:
            kinds.add(str(data.get("kind")))
    for _, _, data in graph.edges(data=True):
        relations.add(str(data.get("relation", "")))
    group_entries = tuple(
        LegendEntry(str(g), f"{g} {name}", fill=group_colour(g)[0], accent=group_colour(g)[1])
        for g, name in sorted(groups.items()))
    maturity_entries = tuple(
        LegendEntry(m.notation, m.nb if lang == "nb" else m.en, border=m.border)
        for key, m in MATURITY_STYLES.items() if key in ratings)
    if "" in ratings:
        maturity_entries += (LegendEntry("", NO_MATURITY.nb if lang == "nb" else NO_MATURITY.en,
                                         border="solid"),)
    kind_entries = tuple(
        LegendEntry(kind, (style.nb if lang == "nb" else style.en), fill=style.fill)
        for kind, style in KIND_STYLES.items() if kind in kinds)
    edge_words = tuple(RELATION_WORDS[r][0 if lang == "nb" else 1]
                       for r in RELATION_WORDS if r in relations)
    return Legend("Hovedgruppe" if lang == "nb" else "Main group", group_entries,
                  "Modenhet 2023:" if lang == "nb" else "Maturity 2023:",
                  maturity_entries, kind_entries, edge_words)
