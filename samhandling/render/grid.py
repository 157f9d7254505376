"""The layout search: which grid of boxes draws a view largest on the slide.

A view stacks its kinds of node top to bottom (actors, scenarios, needs, services ...); each
layer is wrapped into rows, and services are framed per main group (the frame names the
group), the frames packed into shelves like boxes on a shelf. The number of columns, each
frame's shape and the label width are chosen so the drawing fills 13.33 × 7.5 inches as well
as it can, so fonts stay at slide size.

Inside a frame, services that reuse others come first and the services they reuse in the row
below, so most arrows point down to a neighbour. Services that a view connects to nothing (a
service with no need in the ``coverage`` view) are listed in one box, which shows the gap
without stretching the picture.

Everything here is planning in plain Python with estimated sizes; no Graphviz runs. The
result (:class:`Prepared`: the boxes and the candidate :class:`Spec` s, best estimate first)
is what :mod:`.dot_text` writes and :mod:`.layout` has ``dot`` measure and place.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field, replace

import networkx as nx

from .canvas import SLIDE
from .dot_legend import legend_for, legend_items, legend_size
from .fonts import EM, text_width
from .options import DotOptions
from .style import node_text, wrap

__all__ = ["MIN_NODE_WIDTH", "SEARCH_LIMIT", "TITLE_LINES", "VIEW_LAYERS", "Box", "Metrics",
           "Prepared", "Spec", "frame_label", "frame_title", "framed_groups", "groups_framed",
           "groups_named", "metrics", "plan_shelves", "prepare"]

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
#: Views up to this many nodes get the full layout search (label widths, frame shapes).
SEARCH_LIMIT = 150
#: Narrowest service box in inches, so "Plan" and "Video" are not tiny.
MIN_NODE_WIDTH = 1.5


@dataclass
class Box:
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


def _shelves(boxes: list[Box], width: int) -> list[list[Box]]:
    """Pack boxes left to right, in order, into shelves at most ``width`` columns wide."""
    shelves: list[list[Box]] = []
    used = 0
    for box in boxes:
        if not shelves or used + box.columns > width:
            shelves.append([])
            used = 0
        shelves[-1].append(box)
        used += box.columns
    return shelves


def plan_shelves(layers: list[list[Box]], width: int, rows: int,
          columns: dict[str, int] | None = None) -> list[list[list[Box]]]:
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
class Metrics:
    """Planning sizes in inches (dot measures the real ones when it draws)."""

    width: dict[str, float]
    height: dict[str, float]
    label_line: float
    char_w: float
    nodesep: float = 0.12
    ranksep: float = 0.2
    margin: float = 0.08


def metrics(view: nx.DiGraph, nodes: Sequence[str], options: DotOptions) -> Metrics:
    """Planning sizes of ``nodes`` with labels wrapped at ``options.wrap`` (chosen by then)."""
    assert options.wrap is not None, "the label width is chosen before sizes are planned"
    char_w = options.fontsize * EM / 72
    line_h = options.fontsize * 1.2 / 72
    width: dict[str, float] = {}
    height: dict[str, float] = {}
    for node in nodes:
        lines = wrap(node_text(view, node, options.lang), options.wrap)
        width[node] = max(MIN_NODE_WIDTH,
                          max(text_width(line, options.fontsize) for line in lines) + 0.18)
        height[node] = len(lines) * line_h + 0.1
    return Metrics(width, height, line_h, char_w, options.nodesep, options.ranksep)


#: Lines a frame's title may take; the frame widens for a longer title.
TITLE_LINES = 2


def frame_title(label: str, box_w: float, char_w: float, least: int = 1) -> list[str]:
    """A frame's title in lines as wide as the frame, but never more than
    :data:`TITLE_LINES` (a one-column frame named by an 84-character group name once wrapped
    it into six short lines; Graphviz widens a cluster to fit its label)."""
    per_line = max(least, int(box_w / char_w))
    lines = wrap(label, per_line)
    while len(lines) > TITLE_LINES:
        per_line += 2
        lines = wrap(label, per_line)
    return lines


def _shelf_size(shelf: list[Box], m: Metrics) -> tuple[float, float]:
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
            lines = frame_title(box.label, box_w, m.char_w)
            box_w = max(box_w, max(len(line) for line in lines) * m.char_w + 2 * m.margin)
            label = max(label, len(lines) * m.label_line)
        width += box_w + (m.nodesep if width else 0.0)
    height = sum(rows_h) + m.ranksep * (len(rows_h) - 1) + label + 2 * m.margin
    return width, height + 2 * m.ranksep


def _measure(plan: list[list[list[Box]]], m: Metrics) -> tuple[float, float]:
    """Estimated drawing size in inches, shelf by shelf."""
    width = height = 0.0
    for shelves in plan:
        for shelf in shelves:
            w, h = _shelf_size(shelf, m)
            width = max(width, w)
            height += h
    return width, height


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
            lang: str) -> list[list[Box]]:
    """The boxes of each layer, top to bottom; services framed per main group; services
    the view connects to nothing framed together in a last layer."""
    name = str(view.graph.get("view", "services"))
    layer_kinds = VIEW_LAYERS.get(name, (("service",),))
    known = {k for kinds in layer_kinds for k in kinds}
    extra = tuple(sorted({str(view.nodes[n].get("kind")) for n in drawn} - known))
    if extra:
        layer_kinds = (*layer_kinds, extra)
    layers: list[list[Box]] = []
    for kinds in layer_kinds:
        members = [n for n in drawn if view.nodes[n].get("kind") in kinds]
        if not members:
            continue
        depth = _depths(view, members)
        if "service" in kinds:
            by_group: dict[int, list[str]] = {}
            for node in members:
                by_group.setdefault(int(view.nodes[node].get("group") or 0), []).append(node)
            layers.append([Box(f"group{g}", _sorted(view, by_group[g], depth, lang), depth,
                                framed=True)
                           for g in sorted(by_group, key=lambda g: (g == 0, g))])
        else:
            layers.append([Box("layer_" + "_".join(kinds), _sorted(view, members, depth, lang),
                                depth)])
    if unconnected:
        layers.append([Box("unconnected", unconnected, {}, framed=True)])
    return layers


def frame_label(view: nx.DiGraph, box: Box, lang: str) -> str:
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


def _score(plan: list[list[list[Box]]], m: Metrics, extra: tuple[float, float],
           target: tuple[float, float]) -> tuple[float, float]:
    """(scale, shape) of a plan: how much dot must shrink it to fit ``target`` (1.0: not at
    all), and how close its shape is to the target's (0 is exact)."""
    w, h = _measure(plan, m)
    w = max(w, extra[0])
    h += extra[1]
    scale = min(target[0] / max(w, 0.1), target[1] / max(h, 0.1), 1.0)
    return round(scale, 3), -abs(math.log((w / h) / (target[0] / target[1])))


def _choose_grid(layers: list[list[Box]], options: DotOptions, m: Metrics,
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
            plan = plan_shelves(layers, width, rows)
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
            for box_key in sorted(columns):
                box = next(b for boxes in layers for b in boxes if b.key == box_key)
                for change in (-1, 1):
                    trial = dict(columns, **{box_key: columns[box_key] + change})
                    if not 1 <= trial[box_key] <= min(width, len(box.nodes)):
                        continue
                    trial_score = _score(plan_shelves(layers, width, 1, trial), m, extra, target)
                    if trial_score > score:
                        score, columns, improved = trial_score, trial, True
        results.append((score, width, columns))
    return results


def framed_groups(view: nx.DiGraph) -> set[int]:
    """Main groups that get a frame naming them in the drawing of ``view``: groups of the
    services the view connects to something (every service in the ``services`` view)."""
    everything = view.graph.get("view") == "services"
    return {int(d.get("group") or 0) for n, d in view.nodes(data=True)
            if (d.get("kind") == "service" and (everything or view.degree(n) > 0))
            or d.get("kind") == "aggregate"} - {0}


def groups_named(view: nx.DiGraph, layers: list[list[Box]]) -> set[int]:
    """Main groups whose name the drawing shows (a frame's title, or an aggregated view's
    box), so the legend gives them a colour chip only."""
    return groups_framed(layers) | {int(d.get("group") or 0) for _, d in view.nodes(data=True)
                                    if d.get("kind") == "aggregate"} - {0}


def groups_framed(layers: list[list[Box]]) -> set[int]:
    """Main groups that have a frame (whose label names the group) in the drawing."""
    return {int(b.key.removeprefix("group")) for boxes in layers for b in boxes
            if b.key.startswith("group")} - {0}


@dataclass(frozen=True)
class Spec:
    """One way to lay a view out: grid width, each box's columns, label width, legend."""

    score: tuple[float, float]
    width: int
    columns: tuple[tuple[str, int], ...]
    wrap: int


@dataclass
class Prepared:
    layers: list[list[Box]]
    specs: list[Spec]


def prepare(view: nx.DiGraph, options: DotOptions) -> Prepared:
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
                box.label = frame_label(view, box, lang)

    info = legend_for(view, options)
    small = len(view) <= SEARCH_LIMIT
    wraps = [options.wrap] if options.wrap else ([12, 13, 14, 16, 18] if small else [16])
    line_h = options.fontsize * 1.2 / 72
    extra_w, extra_h = 0.0, 0.0
    if options.title:
        extra_h += line_h * (1.4 + (1 if view.graph.get(f"filters_{lang}") else 0))
    if options.legend:
        items = legend_items(info, groups_named(view, layers), options.fontsize)
        legend_w, legend_h = legend_size(items, (options.size or SLIDE)[0], options.fontsize)
        extra_w, extra_h = legend_w, extra_h + legend_h
    specs: list[Spec] = []
    for wrap_width in wraps:
        trial_options = replace(options, wrap=wrap_width)
        m = metrics(view, list(view), trial_options)
        for score, width, columns in _choose_grid(layers, trial_options, m, (extra_w, extra_h),
                                                  small, keep=3 if small else 1):
            spec = Spec(score, width, tuple(sorted(columns.items())), wrap_width)
            if spec not in specs:
                specs.append(spec)
    specs.sort(key=lambda spec: (-spec.score[0], -spec.score[1], spec.wrap))
    return Prepared(layers, specs)
