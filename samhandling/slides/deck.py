"""The deck drawn: each :class:`~samhandling.slides.content.Slide` on a slide of the default
16:9 presentation or of an organisation's template (.pptx or .potx, whose masters, layouts
and fonts it then uses).

Text is sized to fit: a table or a list starts at 16 pt and shrinks to no less than 12 pt,
estimated with the font metrics :mod:`samhandling.render.fonts` measures; what does not fit
at 12 pt continues on a next slide ("(2/2)"), so nothing runs off a slide. Speaker notes say
what a slide shows and which sources (``dcterms:source`` pages) its facts come from.
"""

from __future__ import annotations

import io
import math
import zipfile
from dataclasses import replace
from functools import partial
from pathlib import Path
from typing import Any

from pptx import Presentation
from pptx.enum.text import PP_ALIGN
from pptx.util import Emu, Inches, Pt

from ..errors import UsageError
from ..render.aggregate import fit_for_slide
from ..render.fonts import text_width
from ..render.layout import Rect
from ..render.powerpoint import add_view
from ..render.pptx_diagram import readable_on_slide
from ..render.pptx_package import deterministic_bytes, set_text
from .content import Slide, Table, deck_content, word
from .facts import Facts, cited_sources

__all__ = ["BODY_SIZES", "MARGIN", "build_deck", "open_template"]

#: Text sizes a table or list may take, largest first; 12 pt is the least on a slide.
BODY_SIZES = (16.0, 14.0, 13.0, 12.0)
#: Inches round the slide's content.
MARGIN = 0.4
TITLE_H = 0.95
#: Line height as a share of the text size, and the cell margins (inches) of a table.
LINE = 1.2
CELL_MARGIN = 0.1
_WIDE = (12192000, 6858000)
_P14 = "http://schemas.microsoft.com/office/powerpoint/2010/main"
_TEMPLATE_TYPE = b"application/vnd.openxmlformats-officedocument.presentationml.template.main+xml"
_PRESENTATION_TYPE = \
    b"application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml"


def open_template(path: Path) -> Any:
    """The presentation ``path`` holds (.pptx, or a .potx template read as one), emptied of
    its slides.

    Raises
    ------
    UsageError
        The file cannot be read or is not a PowerPoint presentation or template.
    """
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise UsageError(f"{path}: cannot read the template: {exc.strerror or exc}") from None
    not_one = UsageError(f"{path}: not a PowerPoint presentation or template (.pptx, .potx)")
    if not zipfile.is_zipfile(io.BytesIO(data)):
        raise not_one
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as source:
            types = source.read("[Content_Types].xml")
            if _TEMPLATE_TYPE in types:
                out = io.BytesIO()
                with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
                    for info in source.infolist():
                        blob = source.read(info.filename)
                        if info.filename == "[Content_Types].xml":
                            blob = blob.replace(_TEMPLATE_TYPE, _PRESENTATION_TYPE)
                        target.writestr(info, blob)
                data = out.getvalue()
        presentation = Presentation(io.BytesIO(data))
    except Exception:  # python-pptx raises many kinds for a broken package
        raise not_one from None
    slide_ids = presentation.slides._sldIdLst
    removed = set()
    for slide_id in list(slide_ids):
        removed.add(str(slide_id.id))
        presentation.part.drop_rel(slide_id.rId)
        slide_ids.remove(slide_id)
    # PowerPoint 2010 sections list slides by id too: a listed slide that is gone makes
    # PowerPoint offer to repair the file
    for listed in list(presentation.part._element.iter(f"{{{_P14}}}sldId")):
        if listed.get("id") in removed:
            listed.getparent().remove(listed)
    return presentation


def _layout(presentation: Any, wanted: str) -> Any:
    """The slide layout for a title slide (``title``) or a slide with a title only
    (``title_only``), found by the placeholders it has, not by its name or position."""
    def kinds(layout: Any) -> set[str]:
        return {str(ph.placeholder_format.type).split(" ")[0] for ph in layout.placeholders}

    layouts = list(presentation.slide_layouts)
    for layout in layouts:
        found = kinds(layout)
        if wanted == "title" and "CENTER_TITLE" in found:
            return layout
        if wanted == "title_only" and "TITLE" in found and not found & {
                "BODY", "OBJECT", "SUBTITLE", "PICTURE", "TABLE", "CHART"}:
            return layout
    for layout in layouts:
        if "TITLE" in kinds(layout) or "CENTER_TITLE" in kinds(layout):
            return layout
    return layouts[0]


def _size(presentation: Any) -> tuple[float, float]:
    return (Emu(presentation.slide_width).inches, Emu(presentation.slide_height).inches)


def _title(slide: Any, text: str, box: Rect, styled: bool, centred: bool = False) -> None:
    shape = slide.shapes.title
    if shape is None:
        shape = slide.shapes.add_textbox(Inches(box.left), Inches(box.top),
                                         Inches(box.width), Inches(box.height))
    if styled:
        shape.left, shape.top = Inches(box.left), Inches(box.top)
        shape.width, shape.height = Inches(box.width), Inches(box.height)
    frame = shape.text_frame
    frame.word_wrap = True
    set_text(frame, (text,), 26 if styled else 24, bold=styled, colour=None, font=None)
    if styled:
        frame.paragraphs[0].alignment = PP_ALIGN.CENTER if centred else PP_ALIGN.LEFT


def _lines(text: str, size: float, width: float) -> int:
    """Lines ``text`` takes at ``size`` points in a column ``width`` inches wide (estimated,
    with a tenth for word breaks)."""
    return sum(max(1, math.ceil(text_width(part, size) * 1.1 / max(width, 0.1)))
               for part in text.split("\n"))


def _row_heights(table: Table, widths: list[float], size: float) -> list[float]:
    rows = [table.headers, *table.rows]
    return [max(_lines(cell, size, w - 2 * CELL_MARGIN) for cell, w in zip(row, widths,
                                                                           strict=True))
            * size * LINE / 72 + 2 * 0.05 for row in rows]


def _words_fit(table: Table, widths: list[float], size: float) -> bool:
    """True when every word of every cell fits its column (else it would break inside)."""
    return all(text_width(word, size, bold=number == 0) <= w - 2 * CELL_MARGIN
               for number, row in enumerate([table.headers, *table.rows])
               for cell, w in zip(row, widths, strict=True) for word in cell.split())


def _fit_table(table: Table, width: float, height: float) -> tuple[float, list[Table]]:
    """The largest size at which ``table`` fits, or the parts it must be cut into at 12 pt."""
    total = sum(table.widths)
    widths = [width * w / total for w in table.widths]
    for size in BODY_SIZES:
        if sum(_row_heights(table, widths, size)) <= height and \
                _words_fit(table, widths, size):
            return size, [table]
    size = BODY_SIZES[-1]
    heights = _row_heights(table, widths, size)
    parts: list[Table] = []
    rows: list[tuple[str, ...]] = []
    used = heights[0]
    for row, h in zip(table.rows, heights[1:], strict=True):
        if rows and used + h > height:
            parts.append(Table(table.headers, tuple(rows), table.widths))
            rows, used = [], heights[0]
        rows.append(row)
        used += h
    parts.append(Table(table.headers, tuple(rows), table.widths))
    return size, parts


def _draw_table(slide: Any, table: Table, box: Rect, size: float) -> None:
    total = sum(table.widths)
    widths = [box.width * w / total for w in table.widths]
    heights = _row_heights(table, widths, size)
    shape = slide.shapes.add_table(len(table.rows) + 1, len(table.headers), Inches(box.left),
                                   Inches(box.top), Inches(box.width),
                                   Inches(sum(heights)))
    grid = shape.table
    for column, w in enumerate(widths):
        grid.columns[column].width = Inches(w)
    for number, row in enumerate([table.headers, *table.rows]):
        grid.rows[number].height = Inches(heights[number])
        for column, text in enumerate(row):
            cell = grid.cell(number, column)
            cell.margin_left = cell.margin_right = Inches(CELL_MARGIN)
            cell.margin_top = cell.margin_bottom = Inches(0.05)
            set_text(cell.text_frame, text.split("\n"), size, bold=number == 0, colour=None,
                     font=None)


def _fit_bullets(bullets: tuple[str, ...], width: float,
                 height: float) -> tuple[float, list[tuple[str, ...]]]:
    def need(items: tuple[str, ...], size: float) -> float:
        return sum(_lines(b, size, width - 0.3) * size * LINE / 72 + size * 0.4 / 72
                   for b in items)

    for size in BODY_SIZES:
        if need(bullets, size) <= height:
            return size, [bullets]
    size = BODY_SIZES[-1]
    parts: list[tuple[str, ...]] = []
    current: list[str] = []
    for bullet in bullets:
        if current and need((*current, bullet), size) > height:
            parts.append(tuple(current))
            current = []
        current.append(bullet)
    parts.append(tuple(current))
    return size, parts


def _draw_bullets(slide: Any, bullets: tuple[str, ...], box: Rect, size: float) -> None:
    shape = slide.shapes.add_textbox(Inches(box.left), Inches(box.top), Inches(box.width),
                                     Inches(box.height))
    frame = shape.text_frame
    frame.word_wrap = True
    set_text(frame, [f"• {b}" for b in bullets], size, colour=None, font=None)
    for paragraph in frame.paragraphs:
        paragraph.space_after = Pt(size * 0.4)


def _notes(slide: Any, content: Slide, facts: Facts, lang: str) -> None:
    sources = cited_sources(facts, content.cited, lang)
    heading = "Kilder" if lang == "nb" else "Sources"
    text = content.about
    text += f"\n{heading}: " + ("; ".join(sources) if sources else word("none", lang))
    slide.notes_slide.notes_text_frame.text = text


def build_deck(facts: Facts, lang: str = "nb", template: Any = None) -> bytes:
    """The deck of :data:`samhandling.slides.content.SLIDES` as PPTX bytes; ``template`` is a
    presentation from :func:`open_template` (``None``: python-pptx's default, made 16:9).

    Raises
    ------
    ToolMissingError
        Graphviz ``dot`` is not on PATH (the diagrams are laid out by it).

    Notes
    -----
    One Graphviz layout per diagram slide (1 + main groups); the same model gives the same
    bytes.
    """
    styled = template is None
    presentation = Presentation() if styled else template
    if styled:
        presentation.slide_width, presentation.slide_height = Emu(_WIDE[0]), Emu(_WIDE[1])
    width, height = _size(presentation)
    title_box = Rect(MARGIN, 0.25, width - 2 * MARGIN, TITLE_H)
    body = Rect(MARGIN, 0.25 + TITLE_H + 0.15, width - 2 * MARGIN,
                height - 0.25 - TITLE_H - 0.15 - MARGIN)
    title_layout = _layout(presentation, "title")
    plain_layout = _layout(presentation, "title_only")
    for content in deck_content(facts, lang):
        if content.key == "title":
            slide = presentation.slides.add_slide(title_layout)
            _title(slide, content.title, Rect(MARGIN + 0.4, height * 0.3, width - 2 * MARGIN
                                              - 0.8, 1.6), styled, centred=True)
            subtitle = [ph for ph in slide.placeholders
                        if ph.placeholder_format.idx != 0 and ph.has_text_frame]
            if subtitle:
                shape = subtitle[0]
                if styled:
                    shape.left, shape.top = Inches(MARGIN + 0.4), Inches(height * 0.3 + 1.8)
                    shape.width, shape.height = Inches(width - 2 * MARGIN - 0.8), Inches(1.0)
                set_text(shape.text_frame, (content.subtitle,), 20, colour=None, font=None)
            _notes(slide, content, facts, lang)
            continue
        if content.view is not None:
            slide = presentation.slides.add_slide(plain_layout)
            view, _ = fit_for_slide(content.view,
                                    readable=partial(readable_on_slide, lang=lang))
            add_view(slide, view, lang,
                     Rect(MARGIN, 0.25, width - 2 * MARGIN, height - 0.25 - MARGIN),
                     title=content.title)
            about = content.about
            if view.graph.get("aggregated"):
                about += word("aggregated", lang, count=content.view.number_of_nodes())
            _notes(slide, replace(content, about=about), facts, lang)
            continue
        area = body
        intro: list[str] = content.subtitle.split("\n") if content.subtitle else []
        intro_h = len(intro) * 16 * LINE / 72 + (0.15 if intro else 0.0)
        area = Rect(body.left, body.top + intro_h, body.width, body.height - intro_h)
        pieces: list[tuple[float, Table | tuple[str, ...]]] = []
        if content.table is not None:
            size, tables = _fit_table(content.table, area.width, area.height)
            pieces = [(size, t) for t in tables]
        else:
            size, lists = _fit_bullets(content.bullets, area.width, area.height)
            pieces = [(size, b) for b in lists]
        for number, (size, piece) in enumerate(pieces, start=1):
            slide = presentation.slides.add_slide(plain_layout)
            title = content.title if len(pieces) == 1 else \
                f"{content.title} ({number}/{len(pieces)})"
            _title(slide, title, title_box, styled)
            if intro:
                box = slide.shapes.add_textbox(Inches(body.left), Inches(body.top),
                                               Inches(body.width), Inches(intro_h))
                box.text_frame.word_wrap = True
                set_text(box.text_frame, intro, 16, colour=None, font=None)
            if isinstance(piece, Table):
                _draw_table(slide, piece, area, size)
            else:
                _draw_bullets(slide, piece, area, size)
            _notes(slide, content, facts, lang)
    title = deck_content_title(facts, lang)
    return deterministic_bytes(presentation, title)


def deck_content_title(facts: Facts, lang: str) -> str:
    """The deck's title (the target picture's label), for the file's properties."""
    index = facts.graphs.index
    pictures = index.of_kind("target_picture")
    return index.label(pictures[0], lang) if pictures else word("overview", lang)
