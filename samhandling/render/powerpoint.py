"""One 16:9 PowerPoint slide: the title, the Graphviz picture and the legend as slide shapes.

The legend is drawn with PowerPoint's own shapes (coloured boxes, dashed and dotted borders,
text at 14 pt), so it stays sharp and editable; the picture is drawn without title and legend
for exactly the space left between them, at 144 dpi, so its text is printed at the size dot
laid it out in.
"""

from __future__ import annotations

import io
import math

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
from .options import DotOptions
from .style import legend

__all__ = ["to_pptx"]

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


def to_pptx(view: nx.DiGraph, lang: str = "nb") -> bytes:
    """A one-slide presentation (16:9) with the view's title, picture and legend.

    Raises
    ------
    ToolMissingError
        Graphviz ``dot`` is not on PATH.

    Notes
    -----
    One Graphviz drawing (see :func:`samhandling.render.dot.draw`) plus O(l) shapes for l
    legend entries.
    """
    width, height = SLIDE
    entries = _legend_entries(view, lang)
    lines = _layout(entries, width - 2 * MARGIN)
    line_h = LEGEND_PT * 1.75 / 72
    legend_h = len(lines) * line_h
    title_h = 0.45
    top = MARGIN + title_h
    area = (width - 2 * MARGIN, height - top - legend_h - MARGIN)

    presentation = Presentation()
    presentation.slide_width = Emu(WIDE[0])
    presentation.slide_height = Emu(WIDE[1])
    slide = presentation.slides.add_slide(presentation.slide_layouts[TITLE_ONLY])
    title = slide.shapes.title
    title.left, title.top = Inches(MARGIN), Inches(MARGIN)
    title.width, title.height = Inches(width - 2 * MARGIN), Inches(title_h)
    filters = str(view.graph.get(f"filters_{lang}", ""))
    frame = title.text_frame
    frame.vertical_anchor = MSO_ANCHOR.MIDDLE
    frame.margin_left = frame.margin_right = 0
    paragraph = frame.paragraphs[0]
    paragraph.alignment = PP_ALIGN.LEFT
    run = paragraph.add_run()
    run.text = str(view.graph.get(f"title_{lang}", ""))
    run.font.size = Pt(TITLE_PT)
    run.font.bold = True
    # Filters and what an arrow means, smaller, on the title line.
    notes = [filters] if filters else []
    notes += list(legend(view, lang).edges)
    if notes:
        small = paragraph.add_run()
        small.text = "   (" + "; ".join(notes) + ")"
        small.font.size = Pt(LEGEND_PT + 2)
        small.font.bold = False

    png = to_png(view, DotOptions(lang=lang, legend=False, title=False, size=area, pad=0.02))
    from PIL import Image

    with Image.open(io.BytesIO(png)) as image:
        natural = (image.width / SLIDE_DPI, image.height / SLIDE_DPI)
    shrink = min(1.0, area[0] / natural[0], area[1] / natural[1])
    shown = (natural[0] * shrink, natural[1] * shrink)
    slide.shapes.add_picture(io.BytesIO(png), Inches(MARGIN + (area[0] - shown[0]) / 2),
                             Inches(top + (area[1] - shown[1]) / 2), Inches(shown[0]),
                             Inches(shown[1]))

    y = height - MARGIN - legend_h
    for line in lines:
        x = MARGIN
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
                    box.text_frame.text = text
                    run = box.text_frame.paragraphs[0].runs[0]
                    run.font.size = Pt(LEGEND_PT)
                    run.font.color.rgb = _rgb("#000000")
                    x += chip_w + 0.06
                    continue
                x += chip_w + 0.1
                w -= 0.5
            box = slide.shapes.add_textbox(Inches(x), Inches(y), Inches(math.ceil(w * 10) / 10),
                                           Inches(line_h))
            box.text_frame.word_wrap = False
            box.text_frame.margin_left = box.text_frame.margin_right = 0
            box.text_frame.text = text
            run = box.text_frame.paragraphs[0].runs[0]
            run.font.size = Pt(LEGEND_PT)
            run.font.bold = sample == "heading"
            x += w + 0.12
        y += line_h
    out = io.BytesIO()
    presentation.save(out)
    return out.getvalue()


