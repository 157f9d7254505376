"""The DOT source of a view: the grid that :mod:`.grid` chose, written for Graphviz.

Rows are fixed with ``rank=same`` and invisible edges; the real edges come last, after
:data:`EDGES_MARK`, drawn with ``constraint=false`` so a long edge never breaks the grid
(:mod:`.layout` splits the text there to place the grid first and route the edges after).
"""

from __future__ import annotations

import itertools
import re
from dataclasses import replace

import networkx as nx

from .aggregate import AGGREGATE_KIND
from .canvas import SLIDE
from .dot_legend import html_text, legend_for, legend_html, legend_items
from .grid import (
    MIN_NODE_WIDTH,
    Box,
    Spec,
    frame_label,
    frame_title,
    groups_named,
    metrics,
    plan_shelves,
    prepare,
)
from .options import DotOptions
from .style import (
    FONT,
    KIND_STYLES,
    MATURITY_STYLES,
    NO_MATURITY,
    OTHER_KIND,
    group_colour,
    legend,
    node_text,
    wrap,
)

__all__ = ["EDGES_MARK", "emit", "node_ids", "to_dot"]

#: Line before the view's own edges in the DOT text (the rest is the grid).
EDGES_MARK = "  // edges of the view"


def _q(text: str) -> str:
    """A DOT double-quoted string."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def node_ids(view: nx.DiGraph) -> dict[str, str]:
    """The DOT name of every node of ``view`` (``n0``, ``n1`` ... in sorted order), the key
    that leads from what Graphviz returns back to the view."""
    return {node: f"n{i}" for i, node in enumerate(sorted(view))}


def _node_attrs(graph: nx.DiGraph, node: str, options: DotOptions) -> str:
    data = graph.nodes[node]
    lang = options.lang
    assert options.wrap is not None, "the label width is chosen before DOT is written"
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
    elif data.get("kind") == AGGREGATE_KIND and int(data.get("group") or 0):
        attrs.update(shape="box", style=_q("rounded,filled"),
                     fillcolor=_q(group_colour(int(data.get("group") or 0))[0]),
                     color=_q("#1a1a1a"), penwidth="1.8")
    else:
        kind = data.get("inner_kind") or data.get("kind")
        style = KIND_STYLES.get(str(kind), OTHER_KIND)
        attrs.update(shape=style.shape, style=_q("filled"), fillcolor=_q(style.fill),
                     color=_q("#555555"), penwidth="1.2")
    return ", ".join(f"{k}={v}" for k, v in attrs.items())


def _frame_colours(box: Box) -> tuple[str, str]:
    """(border, background) of a frame."""
    if box.key == "unconnected":
        return "#888888", "#f6f6f6"
    _, accent, background = group_colour(int(box.key.removeprefix("group")))
    return accent, background


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
    prepared = prepare(view, options)
    return emit(view, options, prepared.layers, prepared.specs[0])


def emit(view: nx.DiGraph, options: DotOptions, layers: list[list[Box]], spec: Spec) -> str:
    """DOT text of ``view`` laid out as ``spec`` says."""
    lang = options.lang
    info = legend_for(view, options)
    options = replace(options, wrap=spec.wrap)
    m = metrics(view, list(view), options)
    plan = plan_shelves(layers, spec.width, 1, dict(spec.columns))

    ids = node_ids(view)
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
        html = legend_html(legend_items(info, groups_named(view, layers), options.fontsize),
                            (options.size or SLIDE)[0])
        if html:
            graph_attrs["label"] = html
    out.append("  graph [" + ", ".join(f"{k}={v}" for k, v in graph_attrs.items()) + "];")
    out.append(f'  node [fontname={_q(FONT)}, fontsize={options.fontsize:.0f}, '
               'margin="0.06,0.03"];')
    out.append(f'  edge [color="#333333", penwidth=1.8, arrowsize=0.9, fontname={_q(FONT)}, '
               f'fontsize={options.fontsize:.0f}];')
    # The title is the label of a frameless cluster around everything, so it sits top left
    # while the legend (the graph's own label) sits bottom left.
    title = html_text(str(view.graph.get(f"title_{lang}", "")))
    filters = str(view.graph.get(f"filters_{lang}", ""))
    label = f'<FONT POINT-SIZE="{options.fontsize * 1.3:.0f}"><B>{title}</B></FONT>'
    arrows = "; ".join(legend(view, lang).edges)
    if arrows:
        label += f"     ({html_text(arrows)})"
    if filters:
        label += f'<BR ALIGN="LEFT"/>{html_text(filters)}'
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
                    lines = frame_title(frame_label(view, box, lang), box_w, m.char_w,
                                        spec.wrap)
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
        weight = int(view.edges[source, target].get("weight", 1) or 1)
        extra = f', penwidth={min(6.0, 1.8 + weight ** 0.5):.1f}, xlabel="{weight}"' \
            if weight > 1 else ""
        out.append(f"  {ids[source]} -> {ids[target]} [constraint=false{extra}];")
    out.append("}")
    return "\n".join(out) + "\n"
