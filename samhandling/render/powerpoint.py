"""One 16:9 PowerPoint slide of a view: the title, the diagram and the legend, all as shapes.

The diagram is drawn natively (:mod:`.pptx_diagram`): a shape per node and a glued connector
per edge, so an architect can move, recolour and relabel it in PowerPoint. ``picture=True``
places the Graphviz PNG instead (``graph --pptx-picture``), drawn without title and legend
for exactly the space left between them, at 144 dpi. The legend is PowerPoint's own shapes
either way (coloured boxes, dashed and dotted borders, text at 14 pt).

The same pieces (:func:`add_title`, :func:`add_legend`, :func:`add_view`) draw the diagram
slides of the deck (:mod:`samhandling.slides`).
"""

from __future__ import annotations

import io
import math
from dataclasses import dataclass
from typing import Any

import networkx as nx
from pptx import Presentation
from pptx.dml.color import RGBColor
from pptx.enum.dml import MSO_LINE_DASH_STYLE
from pptx.enum.shapes import MSO_SHAPE
from pptx.enum.text import MSO_ANCHOR, PP_ALIGN
from pptx.util import Emu, Inches, Pt

from .canvas import SLIDE, SLIDE_DPI
from .dot import to_png
from .fonts import text_width
from .grid import framed_groups
from .layout import Rect
from .options import DotOptions
from .pptx_diagram import Drawn, draw_diagram
from .pptx_package import FONT, deterministic_bytes, set_text
from .style import legend

__all__ = ["SlideView", "add_legend", "add_title", "add_view", "legend_height", "title_height",
           "to_pptx"]

#: PowerPoint's own 16:9 size in EMU (13.333 × 7.5 inches).
WIDE = (12192000, 6858000)
TITLE_PT = 24
LEGEND_PT = 14
MARGIN = 0.15
#: python-pptx's default template: layout 5 is "Title Only".
TITLE_ONLY = 5
_DASH = {"solid": MSO_LINE_DASH_STYLE.SOLID, "dashed": MSO_LINE_DASH_STYLE.DASH,
         "dotted": MSO_LINE_DASH_STYLE.ROUND_DOT}


def _rgb(colour: str) -> RGBColor:
    return RGBColor.from_string(colour.lstrip("#").upper())


def _legend_entries(view: nx.DiGraph, lang: str) -> list[tuple[str, str, str, str]]:
    """(kind of sample, fill, border style, text) in reading order."""
    info = legend(view, lang)
    framed = framed_groups(view)
    entries = [("heading", "", "", info.title_groups)] if info.groups else []
    entries += [("chip", e.fill, "solid", e.key if int(e.key) in framed else e.text)
                for e in info.groups]
    if info.maturity:
        entries.append(("heading", "", "", info.title_maturity))
        entries += [("border", "#ffffff", e.border, e.text) for e in info.maturity]
    entries += [("chip", e.fill, "solid", e.text) for e in info.kinds]
    return entries


def _entry_width(entry: tuple[str, str, str, str]) -> float:
    """Inches an entry takes: sample box, gap, text (text boxes have no inner margin)."""
    sample, _, _, text = entry
    if sample == "chip" and len(text) <= 2:
        return 0.36
    width = text_width(text, LEGEND_PT, bold=sample == "heading") + 0.05
    return width + (0.5 if sample in ("chip", "border") else 0.0)


def _layout(entries: list[tuple[str, str, str, str]], width: float) -> list[list[int]]:
    """Entry indexes per line, filled left to right within ``width`` inches."""
    lines: list[list[int]] = []
    used = width
    for index, entry in enumerate(entries):
        sample, _, _, text = entry
        gap = 0.06 if sample == "chip" and len(text) <= 2 else 0.12
        needed = _entry_width(entry) + gap
        if used + needed > width:
            lines.append([])
            used = 0.0
        lines[-1].append(index)
        used += needed
    return lines


@dataclass(frozen=True)
class SlideView:
    """What :func:`add_view` drew: the diagram (``None`` for a picture) and its area."""

    drawn: Drawn | None
    area: Rect


def add_title(slide: Any, view: nx.DiGraph, lang: str, box: Rect,
              title: str | None = None) -> None:
    """The view's title (bold) with its filters and what an arrow means (smaller) after it,
    in the slide's title placeholder, or a text box when the layout has none."""
    shape = slide.shapes.title if slide.shapes.title is not None else \
        slide.shapes.add_textbox(Inches(box.left), Inches(box.top), Inches(box.width),
                                 Inches(box.height))
    shape.left, shape.top = Inches(box.left), Inches(box.top)
    shape.width, shape.height = Inches(box.width), Inches(box.height)
    frame = shape.text_frame
    frame.text = ""
    frame.word_wrap = True
    frame.vertical_anchor = MSO_ANCHOR.MIDDLE
    frame.margin_left = frame.margin_right = 0
    paragraph = frame.paragraphs[0]
    paragraph.alignment = PP_ALIGN.LEFT
    run = paragraph.add_run()
    run.text = title if title is not None else str(view.graph.get(f"title_{lang}", ""))
    run.font.size = Pt(TITLE_PT)
    run.font.bold = True
    run.font.name = FONT
    filters = str(view.graph.get(f"filters_{lang}", ""))
    notes = [filters] if filters else []
    notes += list(legend(view, lang).edges)
    if notes:
        small = paragraph.add_run()
        small.text = "   (" + "; ".join(notes) + ")"
        small.font.size = Pt(LEGEND_PT + 2)
        small.font.bold = False
        small.font.name = FONT


def title_height(view: nx.DiGraph, lang: str, width: float, title: str | None = None) -> float:
    """Inches the title line of ``view`` takes: one line, or two when it is longer than
    ``width`` (a deck's slide titles name a whole main group)."""
    text = title if title is not None else str(view.graph.get(f"title_{lang}", ""))
    filters = str(view.graph.get(f"filters_{lang}", ""))
    notes = "; ".join(([filters] if filters else []) + list(legend(view, lang).edges))
    needed = text_width(text, TITLE_PT, bold=True) * 1.05
    if notes:
        needed += text_width(f"   ({notes})", LEGEND_PT + 2)
    return 0.45 if needed <= width else 0.85


def legend_height(view: nx.DiGraph, lang: str, width: float) -> float:
    """Inches the legend of ``view`` takes on a slide ``width`` inches wide."""
    lines = _layout(_legend_entries(view, lang), width - 2 * MARGIN)
    return len(lines) * LEGEND_PT * 1.75 / 72


def add_legend(slide: Any, view: nx.DiGraph, lang: str, left: float, top: float,
               width: float) -> None:
    """The legend of ``view`` as shapes, lines filled left to right from (left, top)."""
    entries = _legend_entries(view, lang)
    line_h = LEGEND_PT * 1.75 / 72
    y = top
    for line in _layout(entries, width):
        x = left
        for index in line:
            sample, fill, border, text = entries[index]
            w = _entry_width(entries[index])
            if sample in ("chip", "border"):
                chip_w = 0.36 if len(text) <= 2 and sample == "chip" else 0.4
                box = slide.shapes.add_shape(MSO_SHAPE.ROUNDED_RECTANGLE, Inches(x),
                                             Inches(y + 0.02), Inches(chip_w), Inches(0.28))
                box.fill.solid()
                box.fill.fore_color.rgb = _rgb(fill or "#ffffff")
                box.line.color.rgb = _rgb("#1a1a1a")
                box.line.width = Pt(2)
                box.line.dash_style = _DASH.get(border, MSO_LINE_DASH_STYLE.SOLID)
                if len(text) <= 2 and sample == "chip":
                    box.text_frame.margin_left = box.text_frame.margin_right = 0
                    set_text(box.text_frame, (text,), LEGEND_PT)
                    box.text_frame.paragraphs[0].alignment = PP_ALIGN.CENTER
                    x += chip_w + 0.06
                    continue
                x += chip_w + 0.1
                w -= 0.5
            box = slide.shapes.add_textbox(Inches(x), Inches(y), Inches(math.ceil(w * 10) / 10),
                                           Inches(line_h))
            box.text_frame.word_wrap = False
            box.text_frame.margin_left = box.text_frame.margin_right = 0
            set_text(box.text_frame, (text,), LEGEND_PT, bold=sample == "heading")
            x += w + 0.12
        y += line_h


def add_view(slide: Any, view: nx.DiGraph, lang: str, frame: Rect, *, picture: bool = False,
             title: str | None = None) -> SlideView:
    """Title, diagram (or picture) and legend of ``view`` inside ``frame`` (inches) of a
    slide: the title on top, the legend at the bottom, the drawing as large as fits between.

    Raises
    ------
    ToolMissingError
        Graphviz ``dot`` is not on PATH.
    """
    title_h = title_height(view, lang, frame.width, title)
    legend_h = legend_height(view, lang, frame.width + 2 * MARGIN)
    add_title(slide, view, lang, Rect(frame.left, frame.top, frame.width, title_h), title)
    area = Rect(frame.left, frame.top + title_h + 0.05, frame.width,
                frame.height - title_h - 0.05 - legend_h - 0.05)
    drawn: Drawn | None = None
    if picture:
        _add_picture(slide, view, lang, area)
    else:
        drawn = draw_diagram(slide, view, lang, area)
    add_legend(slide, view, lang, frame.left, frame.top + frame.height - legend_h, frame.width)
    return SlideView(drawn, area)


def _add_picture(slide: Any, view: nx.DiGraph, lang: str, area: Rect) -> None:
    from PIL import Image

    png = to_png(view, DotOptions(lang=lang, legend=False, title=False,
                                  size=(area.width, area.height), pad=0.02))
    with Image.open(io.BytesIO(png)) as image:
        natural = (image.width / SLIDE_DPI, image.height / SLIDE_DPI)
    shrink = min(1.0, area.width / natural[0], area.height / natural[1])
    shown = (natural[0] * shrink, natural[1] * shrink)
    slide.shapes.add_picture(io.BytesIO(png), Inches(area.left + (area.width - shown[0]) / 2),
                             Inches(area.top + (area.height - shown[1]) / 2), Inches(shown[0]),
                             Inches(shown[1]))


def to_pptx(view: nx.DiGraph, lang: str = "nb", *, picture: bool = False) -> bytes:
    """A one-slide presentation (16:9) with the view's title, diagram and legend.

    The diagram is native shapes and connectors; ``picture`` places the Graphviz PNG
    instead. The same view gives the same bytes (:func:`.pptx_package.deterministic_bytes`).

    Raises
    ------
    ToolMissingError
        Graphviz ``dot`` is not on PATH.

    Notes
    -----
    One Graphviz layout (see :func:`samhandling.render.layout.layout`) plus O(n + m + l)
    shapes for n nodes, m edges and l legend entries.
    """
    width, height = SLIDE
    presentation = Presentation()
    presentation.slide_width = Emu(WIDE[0])
    presentation.slide_height = Emu(WIDE[1])
    slide = presentation.slides.add_slide(presentation.slide_layouts[TITLE_ONLY])
    add_view(slide, view, lang, Rect(MARGIN, MARGIN, width - 2 * MARGIN, height - 2 * MARGIN),
             picture=picture)
    return deterministic_bytes(presentation, str(view.graph.get(f"title_{lang}", "")))
