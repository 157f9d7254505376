"""The legend of a Graphviz drawing: an HTML-like table below the picture, and the room it takes.

The grid search needs the legend's size before ``dot`` runs (the legend shares the slide with
the grid), and the DOT text needs its markup; both come from the same pieces, each carrying
its HTML and its width in inches.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from html import escape

import networkx as nx

from .fonts import text_width
from .options import DotOptions
from .style import Legend, legend, wrap

__all__ = ["LegendItem", "html_text", "legend_for", "legend_html", "legend_items", "legend_size"]


def html_text(text: str) -> str:
    """Text for an HTML-like label."""
    return escape(text, quote=True)


#: A legend sample box: fixed size, so a line stretched to the legend's width keeps it small.
_CHIP = 'WIDTH="30" HEIGHT="20" FIXEDSIZE="TRUE"'


@dataclass(frozen=True)
class LegendItem:
    html: str
    width: float
    lines: int = 1


def legend_items(info: Legend, framed: set[int], fontsize: float) -> list[LegendItem]:
    """The legend's pieces in reading order, each with its width in inches: group chips,
    names of the groups no frame names, maturity borders, other kinds, arrows."""
    cell = 7 / 72
    items: list[LegendItem] = []
    if info.groups:
        html = f'<TD ALIGN="LEFT"><B>{html_text(info.title_groups)}</B></TD>' + "".join(
            f'<TD BGCOLOR="{e.fill}" COLOR="{e.accent}" BORDER="1">{html_text(e.key)}</TD>'
            for e in info.groups)
        width = text_width(info.title_groups, fontsize, bold=True) + cell
        width += sum(text_width(e.key, fontsize) + cell + 0.02 for e in info.groups)
        items.append(LegendItem(html, width))
        for entry in info.groups:
            if int(entry.key) in framed:
                continue
            lines = wrap(entry.text, 40)
            text = ('<BR ALIGN="LEFT"/>'.join(html_text(line) for line in lines)
                    + '<BR ALIGN="LEFT"/>')
            items.append(LegendItem(
                f'<TD BGCOLOR="{entry.fill}" COLOR="{entry.accent}" BORDER="1" '
                f'ALIGN="LEFT">{text}</TD>',
                max(text_width(line, fontsize) for line in lines) + cell, len(lines)))
    if info.maturity:
        html = f'<TD ALIGN="LEFT"><B>{html_text(info.title_maturity)}</B></TD>' + "".join(
            f'<TD STYLE="{e.border}" BORDER="2" {_CHIP}></TD>'
            f'<TD ALIGN="LEFT">{html_text(e.text)}</TD>' for e in info.maturity)
        width = text_width(info.title_maturity, fontsize, bold=True) + cell
        width += sum(30 / 72 + 2 * cell + text_width(e.text, fontsize) for e in info.maturity)
        items.append(LegendItem(html, width))
    for entry in info.kinds:
        items.append(LegendItem(
            f'<TD BGCOLOR="{entry.fill}" BORDER="1" {_CHIP}></TD>'
            f'<TD ALIGN="LEFT">{html_text(entry.text)}</TD>',
            30 / 72 + 2 * cell + text_width(entry.text, fontsize)))
    for words in info.edges:
        items.append(LegendItem(f'<TD ALIGN="LEFT">{html_text(words)}</TD>',
                                 text_width(words, fontsize) + cell))
    return items


def _legend_lines(items: list[LegendItem], max_width: float) -> list[list[LegendItem]]:
    """Fill the legend's items into lines no wider than ``max_width`` inches."""
    gap = 0.25
    lines: list[list[LegendItem]] = []
    used = 0.0
    for item in items:
        if lines and used + gap + item.width <= max_width:
            lines[-1].append(item)
            used += gap + item.width
        else:
            lines.append([item])
            used = item.width
    return lines


def legend_size(items: list[LegendItem], max_width: float,
                 fontsize: float) -> tuple[float, float]:
    """(width, height) in inches of the legend filled into ``max_width``."""
    lines = _legend_lines(items, max_width)
    if not lines:
        return 0.0, 0.0
    width = max(sum(i.width for i in line) + 0.25 * (len(line) - 1) for line in lines)
    height = sum(max(i.lines for i in line) * fontsize * 1.2 / 72 + 0.15 for line in lines)
    return width, height + 0.2


def legend_html(items: list[LegendItem], max_width: float) -> str:
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


def legend_for(view: nx.DiGraph, options: DotOptions) -> Legend:
    """The legend below the drawing; what an arrow means goes beside the title instead
    when there is a title."""
    info = legend(view, options.lang)
    return replace(info, edges=()) if options.title else info
