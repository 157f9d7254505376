"""Graphviz: a view as DOT text, and SVG, PNG or PDF drawn by the real ``dot`` program.

The layout is made for a 16:9 slide. A view stacks its kinds of node top to bottom (actors,
scenarios, needs, services ...); each layer is wrapped into rows, and services are framed per
main group (the frame names the group), the frames packed into shelves like boxes on a shelf.
The number of columns is chosen so the drawing fills 13.33 × 7.5 inches as well as it can, so
fonts stay at slide size. Rows are fixed with ``rank=same`` and invisible edges; the real edges
are drawn afterwards (``constraint=false``), so a long edge never breaks the grid.

Inside a frame, services that reuse others come first and the services they reuse in the row
below, so most arrows point down to a neighbour. Services that a view connects to nothing (a
service with no need in the ``coverage`` view) are listed in one box, which shows the gap
without stretching the picture.
"""

from __future__ import annotations

import io
import itertools
import math
import re
import shutil
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from functools import lru_cache
from html import escape
from typing import Any

import networkx as nx

from ..errors import SamhandlingError, ToolMissingError
from ..process import Deadline, TimeLimitError, run_bounded
from .style import (
    FONT,
    KIND_STYLES,
    MATURITY_STYLES,
    NO_MATURITY,
    OTHER_KIND,
    Legend,
    group_colour,
    legend,
    node_text,
    wrap,
)

__all__ = ["SLIDE", "SLIDE_DPI", "VIEW_LAYERS", "DotOptions", "draw", "framed_groups",
           "run_dot", "text_width", "to_dot", "to_pdf", "to_png", "to_svg"]

#: Slide size in inches (16:9 PowerPoint default) and the DPI that makes it 1920 × 1080.
SLIDE = (13.333, 7.5)
SLIDE_DPI = 144
#: Layers of each view, top to bottom; kinds in one layer share its rows.
VIEW_LAYERS: dict[str, tuple[tuple[str, ...], ...]] = {
    "services": (("service",),),
    "coverage": (("service",), ("need",)),
    "actors": (("actor_group", "actor"), ("scenario",), ("need",), ("service",)),
    "forms": (("service",), ("org_form", "form"), ("tech_form",)),
    "programme": (("programme",), ("step",), ("package", "project"), ("service",),
                  ("solution",)),
}
_UNCONNECTED = {
    "coverage": ("Tjenester uten registrerte behov", "Services with no recorded need"),
    "actors": ("Tjenester ingen aktør når", "Services no actor reaches"),
    "forms": ("Tjenester uten foretrukket samhandlingsform",
              "Services with no preferred collaboration form"),
}
#: Rough glyph width of the font as a share of its size, for planning only (dot measures).
_EM = 0.5
#: Line before the view's own edges in the DOT text (the rest is the grid).
EDGES_MARK = "  // edges of the view"
#: Views with up to this many edges have them routed round nodes and labels as splines;
#: more are drawn as straight lines (spline routing gets slow: 5 s at 130 edges, minutes at
#: 1,000).
ROUTE_LIMIT = 80
#: Views up to this many nodes (slide-sized) have their best candidate layouts measured.
MEASURE_LIMIT = 80
#: Views up to this many nodes get the full layout search (label widths, frame shapes).
SEARCH_LIMIT = 150
#: Narrowest service box in inches, so "Plan" and "Video" are not tiny.
MIN_NODE_WIDTH = 1.5
#: Seconds all ``dot`` runs of one drawing may take together.
DOT_TIMEOUT = 120


@dataclass(frozen=True)
class DotOptions:
    """How to draw: label language, legend and title, slide size and font size in points."""

    lang: str = "nb"
    legend: bool = True
    title: bool = True
    #: inches to fit (dot shrinks a larger drawing); ``None``: natural size
    size: tuple[float, float] | None = SLIDE
    fontsize: float = 14.0
    #: characters per line of a node label; ``None``: the one that draws largest
    wrap: int | None = None
    #: white border around the drawing, inches
    pad: float = 0.2


@lru_cache(maxsize=4)
def _font(bold: bool) -> Any:
    """The drawing font as a Pillow font at 100 pt, or ``None`` (then widths are guessed)."""
    try:
        from PIL import ImageFont

        path = run_bounded(["fc-match", "-f", "%{file}", f"{FONT}:bold" if bold else FONT],
                           what="fc-match", deadline=10).stdout.decode("utf-8", "replace")
        return ImageFont.truetype(path, 100) if path else None
    except (OSError, ImportError, TimeLimitError):
        return None


def text_width(text: str, fontsize: float, bold: bool = False) -> float:
    """Width of ``text`` in inches at ``fontsize`` points, measured with the font dot will
    use when fontconfig finds it, else estimated from the character count."""
    font = _font(bold)
    if font is None:
        return len(text) * fontsize * _EM / 72
    return float(font.getlength(text)) / 100 * fontsize / 72


def _q(text: str) -> str:
    """A DOT double-quoted string."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def _h(text: str) -> str:
    """Text for an HTML-like label."""
    return escape(text, quote=True)


# -- planning the grid -----------------------------------------------------------------------

@dataclass
class _Box:
    """One block of nodes drawn as a grid: a main group's services or a layer's nodes."""

    key: str
    #: nodes in reading order, each with its depth (rows start anew when depth grows)
    nodes: list[str]
    depth: dict[str, int] = field(default_factory=dict)
    framed: bool = False
    columns: int = 1
    label: str = ""

    def grid(self) -> list[list[str]]:
        """Rows of at most ``columns`` nodes. A connected node of depth d sits in row d or
        lower, each depth starting a new row, so an arrow from one depth to the next points
        down; unconnected nodes fill the gaps, then further rows."""
        connected = [n for n in self.nodes if self.depth.get(n, -1) >= 0]
        loose = [n for n in self.nodes if self.depth.get(n, -1) < 0]
        rows: list[list[str]] = []
        last_depth: int | None = None
        for node in connected:
            depth = self.depth[node]
            if depth != last_depth:
                while len(rows) < depth:
                    rows.append([])
                rows.append([])
            elif len(rows[-1]) >= self.columns:
                rows.append([])
            rows[-1].append(node)
            last_depth = depth
        for row in rows:
            while len(row) < self.columns and loose:
                row.append(loose.pop(0))
        while loose:
            rows.append(loose[:self.columns])
            loose = loose[self.columns:]
        return [row for row in rows if row]


def _shelves(boxes: list[_Box], width: int) -> list[list[_Box]]:
    """Pack boxes left to right, in order, into shelves at most ``width`` columns wide."""
    shelves: list[list[_Box]] = []
    used = 0
    for box in boxes:
        if not shelves or used + box.columns > width:
            shelves.append([])
            used = 0
        shelves[-1].append(box)
        used += box.columns
    return shelves


def _plan(layers: list[list[_Box]], width: int, rows: int,
          columns: dict[str, int] | None = None) -> list[list[list[_Box]]]:
    """Give every box its columns (framed boxes about ``rows`` high unless ``columns`` says
    otherwise, other layers ``width`` wide), then pack each layer into shelves."""
    planned = []
    for boxes in layers:
        for box in boxes:
            if columns and box.key in columns:
                box.columns = columns[box.key]
            elif box.framed:
                box.columns = max(1, min(width, len(box.nodes), math.ceil(len(box.nodes) / rows)))
            else:
                box.columns = max(1, min(len(box.nodes), width))
        planned.append(_shelves(boxes, width))
    return planned


@dataclass(frozen=True)
class _Metrics:
    """Planning sizes in inches (dot measures the real ones when it draws)."""

    width: dict[str, float]
    height: dict[str, float]
    label_line: float
    char_w: float
    nodesep: float = 0.12
    ranksep: float = 0.2
    margin: float = 0.08


def _metrics(view: nx.DiGraph, nodes: Sequence[str], options: DotOptions) -> _Metrics:
    char_w = options.fontsize * _EM / 72
    line_h = options.fontsize * 1.2 / 72
    width: dict[str, float] = {}
    height: dict[str, float] = {}
    for node in nodes:
        lines = wrap(node_text(view, node, options.lang), options.wrap)
        width[node] = max(MIN_NODE_WIDTH,
                          max(text_width(line, options.fontsize) for line in lines) + 0.18)
        height[node] = len(lines) * line_h + 0.1
    return _Metrics(width, height, line_h, char_w)


def _shelf_size(shelf: list[_Box], m: _Metrics) -> tuple[float, float]:
    """Width and height of one shelf: its boxes side by side, rows aligned across them."""
    width = 0.0
    rows_h: list[float] = []
    label = 0.0
    for box in shelf:
        grid = box.grid()
        columns = [0.0] * max(len(r) for r in grid)
        for r, row in enumerate(grid):
            for c, node in enumerate(row):
                columns[c] = max(columns[c], m.width[node])
            tallest = max(m.height[n] for n in row)
            if r < len(rows_h):
                rows_h[r] = max(rows_h[r], tallest)
            else:
                rows_h.append(tallest)
        box_w = sum(columns) + m.nodesep * (len(columns) - 1)
        if box.framed:
            box_w += 2 * m.margin
            per_line = max(1, int(box_w / m.char_w))
            label = max(label, len(wrap(box.label, per_line)) * m.label_line)
        width += box_w + (m.nodesep if width else 0.0)
    height = sum(rows_h) + m.ranksep * (len(rows_h) - 1) + label + 2 * m.margin
    return width, height + 2 * m.ranksep


def _measure(plan: list[list[list[_Box]]], m: _Metrics) -> tuple[float, float]:
    """Estimated drawing size in inches, shelf by shelf."""
    width = height = 0.0
    for shelves in plan:
        for shelf in shelves:
            w, h = _shelf_size(shelf, m)
            width = max(width, w)
            height += h
    return width, height


# -- pieces of DOT ---------------------------------------------------------------------------

#: A legend sample box: fixed size, so a line stretched to the legend's width keeps it small.
_CHIP = 'WIDTH="30" HEIGHT="20" FIXEDSIZE="TRUE"'


@dataclass(frozen=True)
class _LegendItem:
    html: str
    width: float
    lines: int = 1


def _legend_items(info: Legend, framed: set[int], fontsize: float) -> list[_LegendItem]:
    """The legend's pieces in reading order, each with its width in inches: group chips,
    names of the groups no frame names, maturity borders, other kinds, arrows."""
    cell = 7 / 72
    items: list[_LegendItem] = []
    if info.groups:
        html = f'<TD ALIGN="LEFT"><B>{_h(info.title_groups)}</B></TD>' + "".join(
            f'<TD BGCOLOR="{e.fill}" COLOR="{e.accent}" BORDER="1">{_h(e.key)}</TD>'
            for e in info.groups)
        width = text_width(info.title_groups, fontsize, bold=True) + cell
        width += sum(text_width(e.key, fontsize) + cell + 0.02 for e in info.groups)
        items.append(_LegendItem(html, width))
        for entry in info.groups:
            if int(entry.key) in framed:
                continue
            lines = wrap(entry.text, 40)
            text = '<BR ALIGN="LEFT"/>'.join(_h(line) for line in lines) + '<BR ALIGN="LEFT"/>'
            items.append(_LegendItem(
                f'<TD BGCOLOR="{entry.fill}" COLOR="{entry.accent}" BORDER="1" '
                f'ALIGN="LEFT">{text}</TD>',
                max(text_width(line, fontsize) for line in lines) + cell, len(lines)))
    if info.maturity:
        html = f'<TD ALIGN="LEFT"><B>{_h(info.title_maturity)}</B></TD>' + "".join(
            f'<TD STYLE="{e.border}" BORDER="2" {_CHIP}></TD>'
            f'<TD ALIGN="LEFT">{_h(e.text)}</TD>' for e in info.maturity)
        width = text_width(info.title_maturity, fontsize, bold=True) + cell
        width += sum(30 / 72 + 2 * cell + text_width(e.text, fontsize) for e in info.maturity)
        items.append(_LegendItem(html, width))
    for entry in info.kinds:
        items.append(_LegendItem(
            f'<TD BGCOLOR="{entry.fill}" BORDER="1" {_CHIP}></TD>'
            f'<TD ALIGN="LEFT">{_h(entry.text)}</TD>',
            30 / 72 + 2 * cell + text_width(entry.text, fontsize)))
    for words in info.edges:
        items.append(_LegendItem(f'<TD ALIGN="LEFT">{_h(words)}</TD>',
                                 text_width(words, fontsize) + cell))
    return items


def _legend_lines(items: list[_LegendItem], max_width: float) -> list[list[_LegendItem]]:
    """Fill the legend's items into lines no wider than ``max_width`` inches."""
    gap = 0.25
    lines: list[list[_LegendItem]] = []
    used = 0.0
    for item in items:
        if lines and used + gap + item.width <= max_width:
            lines[-1].append(item)
            used += gap + item.width
        else:
            lines.append([item])
            used = item.width
    return lines


def _legend_size(items: list[_LegendItem], max_width: float,
                 fontsize: float) -> tuple[float, float]:
    """(width, height) in inches of the legend filled into ``max_width``."""
    lines = _legend_lines(items, max_width)
    if not lines:
        return 0.0, 0.0
    width = max(sum(i.width for i in line) + 0.25 * (len(line) - 1) for line in lines)
    height = sum(max(i.lines for i in line) * fontsize * 1.2 / 72 + 0.15 for line in lines)
    return width, height + 0.2


def _legend_html(items: list[_LegendItem], max_width: float) -> str:
    """The legend as an HTML-like label: one borderless table per line, left-aligned.

    Graphviz stretches every line to the widest; a filler cell at the end of a shorter line
    takes most of the slack so its items stay together."""
    lines = _legend_lines(items, max_width)
    if not lines:
        return ""
    widths = [sum(i.width for i in line) + 0.25 * (len(line) - 1) for line in lines]
    spacer = "<TD>  </TD>"
    rows = []
    for line, width in zip(lines, widths, strict=True):
        slack = int(0.9 * (max(widths) - width) * 72)
        filler = f'<TD WIDTH="{slack}" HEIGHT="10" FIXEDSIZE="TRUE"></TD>' if slack > 10 else ""
        rows.append('<TR><TD ALIGN="LEFT"><TABLE BORDER="0" CELLSPACING="3" CELLPADDING="3">'
                    "<TR>" + spacer.join(i.html for i in line) + filler
                    + "</TR></TABLE></TD></TR>")
    return f'<<TABLE BORDER="0" CELLSPACING="0" CELLPADDING="0">{"".join(rows)}</TABLE>>'


def _node_attrs(graph: nx.DiGraph, node: str, options: DotOptions) -> str:
    data = graph.nodes[node]
    lang = options.lang
    text = "\n".join(wrap(node_text(graph, node, lang), options.wrap))
    attrs = {"label": _q(text), "tooltip": _q(f"{node_text(graph, node, lang)} <{node}>"),
             "id": _q("node-" + re.sub(r"[^A-Za-z0-9_.-]", "-", str(data.get("id", node)))),
             "width": f"{MIN_NODE_WIDTH:.2f}"}
    if data.get("kind") == "service":
        fill, _, background = group_colour(int(data.get("group") or 0))
        maturity = MATURITY_STYLES.get(str(data.get("maturity") or ""), NO_MATURITY)
        context = bool(data.get("context"))
        attrs.update(shape="box", style=_q(f"rounded,filled,{maturity.border}"),
                     fillcolor=_q(background if context else fill),
                     color=_q("#777777" if context else "#1a1a1a"),
                     penwidth="2.4" if maturity.border != "solid" else "1.8",
                     fontcolor=_q("#555555" if context else "#000000"))
    else:
        style = KIND_STYLES.get(str(data.get("kind")), OTHER_KIND)
        attrs.update(shape=style.shape, style=_q("filled"), fillcolor=_q(style.fill),
                     color=_q("#555555"), penwidth="1.2")
    return ", ".join(f"{k}={v}" for k, v in attrs.items())


def _depths(graph: nx.DiGraph, nodes: Sequence[str]) -> dict[str, int]:
    """Depth of each node among the nodes of its layer (0: nothing above it points to it);
    ``-1`` for nodes with no edge inside the layer."""
    sub = graph.subgraph(nodes)
    depth = {n: -1 for n in nodes}
    if sub.number_of_edges() == 0:
        return depth
    if nx.is_directed_acyclic_graph(sub):
        for number, generation in enumerate(nx.topological_generations(sub)):
            for node in generation:
                if sub.degree(node) > 0:
                    depth[node] = number
    else:
        for node in nodes:
            if sub.degree(node) > 0:
                depth[node] = 0
    return depth


def _sorted(graph: nx.DiGraph, nodes: list[str], depth: dict[str, int], lang: str) -> list[str]:
    return sorted(nodes, key=lambda n: (depth.get(n, -1) < 0, depth.get(n, 0),
                                        node_text(graph, n, lang).casefold(), n))


def _layers(view: nx.DiGraph, drawn: list[str], unconnected: list[str],
            lang: str) -> list[list[_Box]]:
    """The boxes of each layer, top to bottom; services framed per main group; services
    the view connects to nothing framed together in a last layer."""
    name = str(view.graph.get("view", "services"))
    layer_kinds = VIEW_LAYERS.get(name, (("service",),))
    known = {k for kinds in layer_kinds for k in kinds}
    extra = tuple(sorted({str(view.nodes[n].get("kind")) for n in drawn} - known))
    if extra:
        layer_kinds = (*layer_kinds, extra)
    layers: list[list[_Box]] = []
    for kinds in layer_kinds:
        members = [n for n in drawn if view.nodes[n].get("kind") in kinds]
        if not members:
            continue
        depth = _depths(view, members)
        if "service" in kinds:
            by_group: dict[int, list[str]] = {}
            for node in members:
                by_group.setdefault(int(view.nodes[node].get("group") or 0), []).append(node)
            layers.append([_Box(f"group{g}", _sorted(view, by_group[g], depth, lang), depth,
                                framed=True)
                           for g in sorted(by_group, key=lambda g: (g == 0, g))])
        else:
            layers.append([_Box("layer_" + "_".join(kinds), _sorted(view, members, depth, lang),
                                depth)])
    if unconnected:
        layers.append([_Box("unconnected", unconnected, {}, framed=True)])
    return layers


def _frame_label(view: nx.DiGraph, box: _Box, lang: str) -> str:
    if box.key == "unconnected":
        name = str(view.graph.get("view", ""))
        words = _UNCONNECTED.get(name, ("Uten forbindelse i denne visningen",
                                        "Not connected in this view"))
        return f"{words[0 if lang == 'nb' else 1]} ({len(box.nodes)})"
    group = int(box.key.removeprefix("group"))
    if not group:
        return "Uten hovedgruppe" if lang == "nb" else "No main group"
    name = view.nodes[box.nodes[0]].get(f"group_label_{lang}") or ""
    return f"{group} {name}".strip()


def _frame_colours(box: _Box) -> tuple[str, str]:
    """(border, background) of a frame."""
    if box.key == "unconnected":
        return "#888888", "#f6f6f6"
    _, accent, background = group_colour(int(box.key.removeprefix("group")))
    return accent, background


def _score(plan: list[list[list[_Box]]], m: _Metrics, extra: tuple[float, float],
           target: tuple[float, float]) -> tuple[float, float]:
    """(scale, shape) of a plan: how much dot must shrink it to fit ``target`` (1.0: not at
    all), and how close its shape is to the target's (0 is exact)."""
    w, h = _measure(plan, m)
    w = max(w, extra[0])
    h += extra[1]
    scale = min(target[0] / max(w, 0.1), target[1] / max(h, 0.1), 1.0)
    return round(scale, 3), -abs(math.log((w / h) / (target[0] / target[1])))


def _choose_grid(layers: list[list[_Box]], options: DotOptions, m: _Metrics,
                 extra: tuple[float, float], refine: bool,
                 keep: int = 3) -> list[tuple[tuple[float, float], int, dict[str, int]]]:
    """The ``keep`` grids that draw largest on the slide, best first; among those drawn at
    full size, the ones whose shape is closest to the slide's come first. ``extra`` is the
    (width, height) of the title and legend. Each is (score, width in columns, columns of
    each box).

    Tries every width up to 12 columns with frames of equal height; with ``refine``, then
    widens or narrows one frame at a time while that helps (small views only)."""
    target = options.size or SLIDE
    sizes = {len(b.nodes) for boxes in layers for b in boxes if b.framed} or {1}
    candidates = sorted({math.ceil(k / c) for k in sizes for c in range(1, 13)})
    found: dict[tuple[object, ...], tuple[tuple[float, float], int, dict[str, int]]] = {}
    for width in range(1, 13):
        for rows in candidates:
            plan = _plan(layers, width, rows)
            columns = {b.key: b.columns for boxes in layers for b in boxes}
            shelves = tuple(tuple(b.key for b in shelf) for shelf_list in plan
                            for shelf in shelf_list)
            # Widths that pack the same shelves draw the same: keep the narrowest.
            key = (shelves, tuple(sorted(columns.items())))
            if key not in found:
                found[key] = (_score(plan, m, extra, target), width, columns)
    ranked = sorted(found.values(), key=lambda item: (item[0], -item[1]), reverse=True)
    results = []
    for score, width, columns_found in ranked[:keep]:
        columns = dict(columns_found)
        improved = refine
        while improved:
            improved = False
            for key in sorted(columns):
                box = next(b for boxes in layers for b in boxes if b.key == key)
                for change in (-1, 1):
                    trial = dict(columns, **{key: columns[key] + change})
                    if not 1 <= trial[key] <= min(width, len(box.nodes)):
                        continue
                    trial_score = _score(_plan(layers, width, 1, trial), m, extra, target)
                    if trial_score > score:
                        score, columns, improved = trial_score, trial, True
        results.append((score, width, columns))
    return results


def framed_groups(view: nx.DiGraph) -> set[int]:
    """Main groups that get a frame naming them in the drawing of ``view``: groups of the
    services the view connects to something (every service in the ``services`` view)."""
    everything = view.graph.get("view") == "services"
    return {int(d.get("group") or 0) for n, d in view.nodes(data=True)
            if d.get("kind") == "service" and (everything or view.degree(n) > 0)} - {0}


def _framed_groups(layers: list[list[_Box]]) -> set[int]:
    """Main groups that have a frame (whose label names the group) in the drawing."""
    return {int(b.key.removeprefix("group")) for boxes in layers for b in boxes
            if b.key.startswith("group")} - {0}


def _legend_for(view: nx.DiGraph, options: DotOptions) -> Legend:
    """The legend below the drawing; what an arrow means goes beside the title instead
    when there is a title."""
    info = legend(view, options.lang)
    return replace(info, edges=()) if options.title else info


@dataclass(frozen=True)
class _Spec:
    """One way to lay a view out: grid width, each box's columns, label width, legend."""

    score: tuple[float, float]
    width: int
    columns: tuple[tuple[str, int], ...]
    wrap: int


@dataclass
class _Prepared:
    layers: list[list[_Box]]
    specs: list[_Spec]


def _prepare(view: nx.DiGraph, options: DotOptions) -> _Prepared:
    """The boxes of a view and its candidate layouts, best estimate first.

    Services the view connects to nothing (except in the ``services`` view) are framed
    together at the bottom. Views up to :data:`SEARCH_LIMIT` nodes try several label
    widths and both legend shapes; larger views take one of each.
    """
    lang = options.lang
    name = str(view.graph.get("view", "services"))
    unconnected: list[str] = []
    if name != "services":
        unconnected = sorted(
            (n for n, d in view.nodes(data=True) if d.get("kind") == "service"
             and view.degree(n) == 0),
            key=lambda n: (int(view.nodes[n].get("group") or 0),
                           node_text(view, n, lang).casefold(), n))
    lonely = set(unconnected)
    layers = _layers(view, [n for n in view if n not in lonely], unconnected, lang)
    for boxes in layers:
        for box in boxes:
            if box.framed:
                box.label = _frame_label(view, box, lang)

    info = _legend_for(view, options)
    small = len(view) <= SEARCH_LIMIT
    wraps = [options.wrap] if options.wrap else ([12, 13, 14, 16, 18] if small else [16])
    line_h = options.fontsize * 1.2 / 72
    extra_w, extra_h = 0.0, 0.0
    if options.title:
        extra_h += line_h * (1.4 + (1 if view.graph.get(f"filters_{lang}") else 0))
    if options.legend:
        items = _legend_items(info, _framed_groups(layers), options.fontsize)
        legend_w, legend_h = _legend_size(items, (options.size or SLIDE)[0], options.fontsize)
        extra_w, extra_h = legend_w, extra_h + legend_h
    specs: list[_Spec] = []
    for wrap_width in wraps:
        trial_options = replace(options, wrap=wrap_width)
        m = _metrics(view, list(view), trial_options)
        for score, width, columns in _choose_grid(layers, trial_options, m, (extra_w, extra_h),
                                                  small, keep=3 if small else 1):
            spec = _Spec(score, width, tuple(sorted(columns.items())), wrap_width)
            if spec not in specs:
                specs.append(spec)
    specs.sort(key=lambda spec: (-spec.score[0], -spec.score[1], spec.wrap))
    return _Prepared(layers, specs)


def to_dot(view: nx.DiGraph, options: DotOptions | None = None) -> str:
    """The DOT source of a view (see the module docstring for the layout).

    ``dot`` draws it in one pass; :func:`draw` measures the best few candidate layouts
    with ``dot`` and routes the edges better, in two passes.

    Parameters
    ----------
    view : networkx.DiGraph
        From :func:`samhandling.analysis.views.view_graph` (graph attributes ``view``,
        ``title_nb``/``title_en``, ``filters_nb``/``filters_en``).
    options : DotOptions, optional

    Returns
    -------
    str
        Deterministic DOT text: the same view gives the same bytes.

    Notes
    -----
    O(n log n + m) to write, plus the search for the best grid: 12 widths times at most
    12 row counts per frame size, each trial O(n).
    """
    options = options or DotOptions()
    prepared = _prepare(view, options)
    return _emit(view, options, prepared.layers, prepared.specs[0])


def _emit(view: nx.DiGraph, options: DotOptions, layers: list[list[_Box]], spec: _Spec) -> str:
    """DOT text of ``view`` laid out as ``spec`` says."""
    lang = options.lang
    info = _legend_for(view, options)
    options = replace(options, wrap=spec.wrap)
    m = _metrics(view, list(view), options)
    plan = _plan(layers, spec.width, 1, dict(spec.columns))

    ids = {node: f"n{i}" for i, node in enumerate(sorted(view))}
    out: list[str] = ["digraph samhandling {"]
    graph_attrs = {
        "rankdir": "TB", "newrank": "true", "fontname": _q(FONT),
        "fontsize": f"{options.fontsize:.0f}", "nodesep": f"{m.nodesep}",
        "ranksep": f"{m.ranksep}", "splines": "spline", "outputorder": "edgesfirst",
        "pad": f"{options.pad}", "bgcolor": _q("#ffffff"), "labelloc": "b", "labeljust": "l",
    }
    if options.size:
        graph_attrs["size"] = _q(f"{options.size[0]},{options.size[1]}")
    if options.legend:
        html = _legend_html(_legend_items(info, _framed_groups(layers), options.fontsize),
                            (options.size or SLIDE)[0])
        if html:
            graph_attrs["label"] = html
    out.append("  graph [" + ", ".join(f"{k}={v}" for k, v in graph_attrs.items()) + "];")
    out.append(f'  node [fontname={_q(FONT)}, fontsize={options.fontsize:.0f}, '
               'margin="0.06,0.03"];')
    out.append('  edge [color="#333333", penwidth=1.8, arrowsize=0.9];')
    # The title is the label of a frameless cluster around everything, so it sits top left
    # while the legend (the graph's own label) sits bottom left.
    title = _h(str(view.graph.get(f"title_{lang}", "")))
    filters = str(view.graph.get(f"filters_{lang}", ""))
    label = f'<FONT POINT-SIZE="{options.fontsize * 1.3:.0f}"><B>{title}</B></FONT>'
    arrows = "; ".join(legend(view, lang).edges)
    if arrows:
        label += f"     ({_h(arrows)})"
    if filters:
        label += f'<BR ALIGN="LEFT"/>{_h(filters)}'
    out.append("  subgraph cluster_main {")
    if options.title:
        out.append(f'    label=<{label}<BR ALIGN="LEFT"/>>; labelloc="t"; labeljust="l";')
    out.append('    color="#ffffff"; penwidth=0; margin=2;')

    # Each shelf hangs from an invisible anchor whose out-edges fix the frames' left-to-right
    # order (dot does not keep the order of flat edges between clusters); a heavy edge from
    # the first column of the shelf above keeps every shelf at the same left edge.
    previous_last: str | None = None
    previous_left: str | None = None
    number = 0
    for shelves in plan:
        for shelf in shelves:
            anchor = f"anchor{number}"
            number += 1
            out.append(f"    {anchor} [shape=point, width=0.01, height=0.01, style=invis, "
                       "ordering=out];")
            if previous_last and previous_left:
                out.append(f"    {previous_last} -> {anchor} [style=invis, weight=0];")
                out.append(f"    {previous_left} -> {anchor} [style=invis, weight=50];")
            grids = [box.grid() for box in shelf]
            for position, (box, grid) in enumerate(zip(shelf, grids, strict=True)):
                weight = 50 if position == 0 else 1
                out.append(f"    {anchor} -> {ids[grid[0][0]]} [style=invis, weight={weight}];")
                if box.framed:
                    border, background = _frame_colours(box)
                    box_w = sum(max(m.width[row[c]] for row in grid if c < len(row))
                                for c in range(max(len(r) for r in grid)))
                    per_line = max(options.wrap, int(box_w / m.char_w))
                    lines = wrap(_frame_label(view, box, lang), per_line)
                    text = "".join(_q(line)[1:-1] + "\\l" for line in lines)
                    out += [f"    subgraph cluster_{box.key} {{",
                            f'      label="{text}"; labeljust=l; labelloc=t; '
                            f'style="rounded,filled"; fillcolor={_q(background)}; '
                            f"color={_q(border)}; penwidth=1.5; margin=5;"]
                else:
                    out.append(f"    subgraph {box.key} {{")
                for node in box.nodes:
                    out.append(f"      {ids[node]} [{_node_attrs(view, node, options)}];")
                # Keep the grid's columns aligned: invisible edges down each column.
                for upper, lower in itertools.pairwise(grid):
                    for a, b in zip(upper, lower, strict=False):
                        out.append(f"      {ids[a]} -> {ids[b]} [style=invis, weight=10];")
                out.append("    }")
            for row in range(max(len(g) for g in grids)):
                members = [n for g in grids if row < len(g) for n in g[row]]
                out.append("    { rank=same; " + " ".join(ids[n] + ";" for n in members)
                           + " }")
                for a, b in itertools.pairwise(members):
                    out.append(f"    {ids[a]} -> {ids[b]} [style=invis];")
                previous_last = ids[members[0]]
            previous_left = ids[grids[0][-1][0]]
    out.append("  }")
    out.append(EDGES_MARK)
    for source, target in sorted(view.edges(), key=lambda e: (ids[e[0]], ids[e[1]])):
        out.append(f"  {ids[source]} -> {ids[target]} [constraint=false];")
    out.append("}")
    return "\n".join(out) + "\n"


# -- running dot -----------------------------------------------------------------------------

def run_dot(source: str, fmt: str, *, dpi: int | None = None,
            timeout: float | Deadline = DOT_TIMEOUT, engine: str | None = None,
            pinned: bool = False) -> bytes:
    """Run Graphviz ``dot -T<fmt>`` on DOT text and return what it writes.

    ``engine`` picks another layout engine of the same program (``-K``); ``pinned`` keeps
    the positions given in the input (``-n2``). ``timeout``: seconds, or a :class:`Deadline`
    shared by the runs of one drawing; on expiry dot and anything it started are killed.

    Raises
    ------
    ToolMissingError
        ``dot`` is not on PATH.
    SamhandlingError
        ``dot`` failed, or (:class:`TimeLimitError`) took longer than ``timeout``.
    """
    program = shutil.which("dot")
    if program is None:
        raise ToolMissingError("Graphviz 'dot' is not on PATH; install Graphviz "
                               "(apt-get install graphviz) to draw svg, png, pdf or pptx")
    command = [program, f"-T{fmt}"]
    if engine:
        command.append(f"-K{engine}")
    if pinned:
        command.append("-n2")
    if dpi is not None:
        command.append(f"-Gdpi={dpi}")
    try:
        proc = run_bounded(command, what="Graphviz dot", deadline=timeout,
                           input=source.encode("utf-8"),
                           hint="draw a smaller view (--group, --focus, --maturity)")
    except OSError as exc:
        raise ToolMissingError(f"cannot run {program}: {exc.strerror or exc}") from None
    if proc.returncode != 0:
        first = proc.stderr.decode("utf-8", "replace").strip().splitlines()
        raise SamhandlingError(f"dot failed: {first[0] if first else proc.returncode}")
    return proc.stdout


#: How many of the best estimated layouts :func:`draw` measures with ``dot``.
CANDIDATES = 8


def _scale(source: str, deadline: Deadline) -> float:
    """How much ``dot`` shrinks a drawing to fit its ``size`` (1.0: not at all)."""
    plain = run_dot(source, "plain", timeout=deadline).decode("utf-8", "replace")
    first = plain.split("\n", 1)[0].split()
    return float(first[1]) if len(first) > 1 and first[0] == "graph" else 1.0


def draw(view: nx.DiGraph, fmt: str, options: DotOptions | None = None,
         dpi: int | None = None) -> bytes:
    """Draw a view with Graphviz in ``fmt`` (``svg``, ``png``, ``pdf``), in two passes.

    ``dot`` places the grid without the view's edges; then ``dot -Kneato -n2`` keeps every
    position and draws the edges: routed round nodes and frame labels as splines when there
    are at most :data:`ROUTE_LIMIT` edges, as straight lines above that (spline routing
    grows too slow), so an arrow between two frames goes the short way instead of round the
    drawing. Views up to :data:`MEASURE_LIMIT` nodes (slide-sized) first have ``dot`` measure
    the :data:`CANDIDATES` best estimated layouts and keep the one it draws largest.
    """
    options = options or DotOptions()
    deadline = Deadline(DOT_TIMEOUT)  # one budget for every dot run of this drawing
    prepared = _prepare(view, options)
    specs = prepared.specs[:CANDIDATES] if len(view) <= MEASURE_LIMIT and options.size \
        else prepared.specs[:1]
    best: tuple[float, str] | None = None
    for spec in specs:
        grid = _emit(view, options, prepared.layers, spec).rpartition(EDGES_MARK)[0] + "}\n"
        scale = _scale(grid, deadline) if len(specs) > 1 else 1.0
        if best is None or scale > best[0] + 1e-6:
            best = (scale, grid)
        if scale >= 1.0:
            break
    assert best is not None
    grid = best[1]
    if view.number_of_edges() == 0:
        return run_dot(grid, fmt, dpi=dpi, timeout=deadline)
    edges = _emit(view, options, prepared.layers, prepared.specs[0]).rpartition(EDGES_MARK)[2]
    placed = run_dot(grid, "dot", timeout=deadline).decode("utf-8").rstrip()
    if not placed.endswith("}"):
        raise SamhandlingError("dot returned a layout it cannot read back")
    edge_lines = edges.rstrip().removesuffix("}").replace(" [constraint=false]", "")
    splines = "true" if view.number_of_edges() <= ROUTE_LIMIT else "line"
    routed = (placed[:-1] + _label_blockers(placed) + f"  graph [splines={splines}];\n"
              + edge_lines + "\n}\n")
    return run_dot(routed, fmt, dpi=dpi, engine="neato", pinned=True, timeout=deadline)


_CLUSTER = re.compile(r"subgraph (cluster_\w+) \{\s*graph \[([^\]]*)\]")


def _label_blockers(placed: str) -> str:
    """Invisible nodes over the frame labels of a laid-out drawing, so the edge router
    steers round the labels as it does round the nodes."""
    lines = []
    for match in _CLUSTER.finditer(placed):
        if match.group(1) == "cluster_main":
            continue
        attrs = match.group(2)
        lp = re.search(r'lp="([\d.]+),([\d.]+)"', attrs)
        width = re.search(r"lwidth=([\d.]+)", attrs)
        height = re.search(r"lheight=([\d.]+)", attrs)
        if lp and width and height:
            lines.append(f"  block_{match.group(1)} [shape=box, style=invis, label=\"\", "
                         f"fixedsize=true, width={width.group(1)}, height={height.group(1)}, "
                         f'pos="{lp.group(1)},{lp.group(2)}!"];')
    return "\n".join(lines) + "\n"


def to_svg(view: nx.DiGraph, options: DotOptions | None = None) -> bytes:
    """The view drawn as SVG; fonts fall back to Arial/Helvetica where the font is missing."""
    svg = draw(view, "svg", options)
    return svg.replace(f'font-family="{FONT}"'.encode(),
                       f'font-family="{FONT},Arial,Helvetica,sans-serif"'.encode())


def to_png(view: nx.DiGraph, options: DotOptions | None = None) -> bytes:
    """The view drawn as PNG; at slide size centred on a white 1920 × 1080 canvas."""
    options = options or DotOptions()
    png = draw(view, "png", options, dpi=SLIDE_DPI)
    if options.size != SLIDE:
        return png
    from PIL import Image  # python-pptx's dependency; imported only when drawing PNG

    canvas_size = (round(SLIDE[0] * SLIDE_DPI), round(SLIDE[1] * SLIDE_DPI))
    with Image.open(io.BytesIO(png)) as drawing:
        if drawing.width > canvas_size[0] or drawing.height > canvas_size[1]:
            return png
        canvas = Image.new("RGB", canvas_size, "white")
        rgba = drawing.convert("RGBA")
        canvas.paste(rgba, ((canvas_size[0] - drawing.width) // 2,
                            (canvas_size[1] - drawing.height) // 2), rgba)
    out = io.BytesIO()
    canvas.save(out, format="PNG", optimize=True)
    return out.getvalue()


def to_pdf(view: nx.DiGraph, options: DotOptions | None = None) -> bytes:
    """The view drawn as a vector PDF at slide size."""
    return draw(view, "pdf", options)
