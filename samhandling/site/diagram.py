"""Diagrams as inline SVG whose nodes are links to their pages.

The overview draws the services view exactly where ``samhandling graph services`` puts it:
:func:`samhandling.render.layout.layout` gives every box, frame and edge route (inches from
the top left, y down) and this module writes them as SVG with an ``<a href>`` round each
node. A service page's focus diagram is the same view cut to one step round the service
(``graph services --focus``: who reuses it, what it reuses); it has at most a few dozen
boxes in two columns, so it is laid out here in a few lines rather than with a ``dot`` run
per page (a site of 2,000 services would spend minutes in Graphviz).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from html import escape

from ..render.layout import Layout, Point
from ..render.style import MATURITY_STYLES, group_colour, wrap

#: SVG user units per inch (Graphviz's points).
PPI = 72.0
#: stroke-dasharray per 2023 maturity, as the picture's border styles
DASHES = {m.notation: {"solid": "", "dashed": "6 3", "dotted": "2 2"}[m.border]
          for m in MATURITY_STYLES.values()}


def _n(value: float) -> str:
    """A coordinate with two decimals and no trailing zeros (stable bytes)."""
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def _arrowhead(tail: Point, tip: Point, size: float = 7.0) -> str:
    dx, dy = tip[0] - tail[0], tip[1] - tail[1]
    length = math.hypot(dx, dy) or 1.0
    ux, uy = dx / length, dy / length
    bx, by = tip[0] - ux * size, tip[1] - uy * size
    left = (bx - uy * size / 2.5, by + ux * size / 2.5)
    right = (bx + uy * size / 2.5, by - ux * size / 2.5)
    return (f'<polygon class="arrow" points="{_n(tip[0])},{_n(tip[1])} {_n(left[0])},'
            f'{_n(left[1])} {_n(right[0])},{_n(right[1])}"/>')


def _box(x: float, y: float, w: float, h: float, lines: Sequence[str], fontsize: float,
         fill: str, dash: str, href: str, title: str, current: bool = False) -> str:
    dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
    cls = "node current" if current else "node"
    parts = [f'<a href="{escape(href)}" class="{cls}"><title>{escape(title)}</title>',
             f'<rect x="{_n(x)}" y="{_n(y)}" width="{_n(w)}" height="{_n(h)}" rx="4" '
             f'fill="{fill}"{dash_attr}/>']
    line_height = fontsize * 1.15
    first = y + h / 2 - line_height * (len(lines) - 1) / 2 + fontsize * 0.35
    for number, line in enumerate(lines):
        parts.append(f'<text x="{_n(x + w / 2)}" y="{_n(first + number * line_height)}" '
                     f'font-size="{_n(fontsize)}">{escape(line)}</text>')
    parts.append("</a>")
    return "".join(parts)


def overview_svg(layout: Layout, attrs: Callable[[str], dict[str, object]],
                 href: Callable[[str], str | None], title: str) -> str:
    """The services picture as SVG; ``attrs`` gives a node's attributes (``group``,
    ``maturity``, ``label``), ``href`` its page (None: drawn without a link)."""
    width, height = layout.width * PPI, layout.height * PPI
    out = [f'<svg class="diagram" viewBox="0 0 {_n(width)} {_n(height)}" role="group" '
           f'aria-label="{escape(title)}" xmlns="http://www.w3.org/2000/svg">']
    for frame in layout.frames:
        box = frame.box
        frame_group = int(frame.key.removeprefix("group")) if frame.key[5:].isdigit() else 0
        fill = group_colour(frame_group)[2] if frame_group else "#ffffff"
        out.append(f'<rect class="frame" x="{_n(box.left * PPI)}" y="{_n(box.top * PPI)}" '
                   f'width="{_n(box.width * PPI)}" height="{_n(box.height * PPI)}" '
                   f'fill="{fill}"/>')
        for number, line in enumerate(frame.lines):
            out.append(f'<text class="frame-title" x="{_n(box.left * PPI + 6)}" '
                       f'y="{_n(box.top * PPI + 14 + number * 13)}">{escape(line)}</text>')
    for edge in layout.edges:
        points = [(x * PPI, y * PPI) for x, y in edge.points]
        if len(points) < 2:
            continue
        d = f"M{_n(points[0][0])},{_n(points[0][1])}"
        if (len(points) - 1) % 3 == 0:
            for i in range(1, len(points), 3):
                d += " C" + " ".join(f"{_n(x)},{_n(y)}" for x, y in points[i:i + 3])
        else:
            d += "".join(f" L{_n(x)},{_n(y)}" for x, y in points[1:])
        out.append(f'<path class="edge" d="{d}"/>')
        if edge.arrow is not None:
            tip = (edge.arrow[0] * PPI, edge.arrow[1] * PPI)
            out.append(_arrowhead(points[-1], tip))
    for placed in layout.nodes:
        data = attrs(placed.node)
        link = href(placed.node)
        group_number = data.get("group", 0)
        fill = group_colour(group_number if isinstance(group_number, int) else 0)[0]
        box = placed.box
        label = str(data.get("label", placed.node))
        body = _box(box.left * PPI, box.top * PPI, box.width * PPI, box.height * PPI,
                    placed.lines or (label,), placed.fontsize or 14.0, fill,
                    DASHES.get(str(data.get("maturity", "")), ""), link or "#", label)
        out.append(body if link else body.replace('<a href="#" class="node">', "<g>")
                   .replace("</a>", "</g>"))
    out.append("</svg>")
    return "\n".join(out) + "\n"


#: Focus diagram geometry, in SVG units
_W, _H, _GAP_X, _GAP_Y, _FONT = 190.0, 46.0, 70.0, 14.0, 12.0


def focus_svg(centre: str, left: Sequence[str], right: Sequence[str],
              attrs: Callable[[str], dict[str, object]], href: Callable[[str], str],
              title: str, captions: tuple[str, str]) -> str:
    """One service in the middle, those that reuse it on the left, those it reuses on the
    right, an arrow from each user to what it uses."""
    rows = max(len(left), len(right), 1)
    height = rows * (_H + _GAP_Y) + 24
    width = 3 * _W + 2 * _GAP_X
    columns = {0: list(left), 1: [centre], 2: list(right)}
    places: dict[tuple[int, str], tuple[float, float]] = {}
    for column, nodes in columns.items():
        top = 24 + (height - 24 - len(nodes) * (_H + _GAP_Y)) / 2
        for number, node in enumerate(nodes):
            places[(column, node)] = (column * (_W + _GAP_X), top + number * (_H + _GAP_Y))
    out = [f'<svg class="diagram focus" viewBox="0 0 {_n(width)} {_n(height)}" role="group" '
           f'aria-label="{escape(title)}" xmlns="http://www.w3.org/2000/svg">']
    if left:
        out.append(f'<text class="frame-title" x="0" y="14">{escape(captions[0])}</text>')
    if right:
        out.append(f'<text class="frame-title" x="{_n(2 * (_W + _GAP_X))}" y="14">'
                   f'{escape(captions[1])}</text>')
    cx, cy = places[(1, centre)]
    for node in left:
        x, y = places[(0, node)]
        tail, tip = (x + _W, y + _H / 2), (cx - 1, cy + _H / 2)
        out.append(f'<path class="edge" d="M{_n(tail[0])},{_n(tail[1])} L{_n(tip[0])},'
                   f'{_n(tip[1])}"/>' + _arrowhead(tail, tip))
    for node in right:
        x, y = places[(2, node)]
        tail, tip = (cx + _W, cy + _H / 2), (x - 1, y + _H / 2)
        out.append(f'<path class="edge" d="M{_n(tail[0])},{_n(tail[1])} L{_n(tip[0])},'
                   f'{_n(tip[1])}"/>' + _arrowhead(tail, tip))
    for (column, node), (x, y) in sorted(places.items()):
        data = attrs(node)
        label = str(data.get("label", node))
        group = data.get("group", 0)
        out.append(_box(x, y, _W, _H, wrap(label, 26)[:2], _FONT,
                        group_colour(group if isinstance(group, int) else 0)[0],
                        DASHES.get(str(data.get("maturity", "")), ""), href(node), label,
                        current=column == 1))
    out.append("</svg>")
    return "\n".join(out) + "\n"
