"""The frontier and the roadmap as pictures: SVG, PNG and a PowerPoint slide.

A small writer of our own, not Graphviz (these are charts on axes, not graphs to lay out) and
not matplotlib (a large dependency whose SVG carries ids and dates that change run to run).
The roadmap is laid out once, in inches on a 16:9 slide, as a :class:`Scene` of boxes and
text; SVG, PNG (Pillow) and PPTX (python-pptx shapes, editable) each draw that one scene, so
the three cannot disagree. Every output is byte-stable for the same plan.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass
from xml.sax.saxutils import escape

from .instance import unscaled
from .lists import FrontierPoint
from .phasing import Phase, yearly
from .report import mnok, word
from .run import PlanResult

SLIDE = (13.333, 7.5)
#: Fill per scope, and the legend's order.
SCOPE_FILL = {"national": "#4a6fa5", "regional": "#5e9e5e", "local": "#d0893c"}
SCOPE_NAMES = {"national": ("nasjonal", "national"), "regional": ("regional", "regional"),
               "local": ("lokal", "local")}
PX = 96  # SVG pixels per inch
PNG_DPI = 100
PICTURE_FORMATS = {".svg": "svg", ".png": "png", ".pptx": "pptx"}


@dataclass(frozen=True)
class Box:
    x: float
    y: float
    w: float
    h: float
    fill: str
    stroke: str = "#1a1a1a"


@dataclass(frozen=True)
class Text:
    x: float
    y: float  # baseline
    text: str
    size: float  # points
    anchor: str = "start"  # start | middle | end
    bold: bool = False
    fill: str = "#000000"


@dataclass(frozen=True)
class Line:
    points: tuple[tuple[float, float], ...]
    stroke: str = "#1a1a1a"
    width: float = 1.0  # points


@dataclass(frozen=True)
class Scene:
    """A picture in inches, y down."""

    width: float
    height: float
    boxes: tuple[Box, ...]
    texts: tuple[Text, ...]
    lines: tuple[Line, ...] = ()


def _short(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def roadmap_scene(result: PlanResult, lang: str) -> Scene:
    """The roadmap: one row per chosen item, a bar over its years, the yearly totals below."""
    width, height = SLIDE
    phases: list[Phase] = result.phases
    boxes: list[Box] = []
    texts: list[Text] = [Text(0.3, 0.55, f"{word('phasing', lang)}: "
                                        f"{word('title', lang).lower()}", 22, bold=True)]
    lines: list[Line] = []
    if not phases:
        return Scene(width, height, (), tuple(texts))
    first = min(p.start for p in phases)
    last = max(p.end for p in phases)
    years = list(range(first, last + 1))
    left, right, top = 4.2, width - 0.3, 1.2
    bottom = height - 1.1
    column = (right - left) / len(years)
    row = min(0.45, (bottom - top - 0.4) / len(phases))
    for k, year in enumerate(years):
        x = left + k * column
        texts.append(Text(x + column / 2, top + 0.25, str(year), 14, "middle", bold=True))
        lines.append(Line(((x, top + 0.35), (x, bottom)), "#bbbbbb", 0.75))
    lines.append(Line(((right, top + 0.35), (right, bottom)), "#bbbbbb", 0.75))
    by_id = result.instance.by_id
    for n, p in enumerate(phases):
        y = top + 0.4 + n * row
        label = _short(result.facts.label(p.item, lang), 44)
        texts.append(Text(0.3, y + row * 0.68, label, 11))
        x = left + (p.start - first) * column
        fill = SCOPE_FILL.get(by_id[p.item].scope, "#888888")
        boxes.append(Box(x + 0.04, y + row * 0.12, column * (p.end - p.start + 1) - 0.08,
                         row * 0.76, fill))
        texts.append(Text(x + 0.12, y + row * 0.68, f"{mnok(by_id[p.item].cost)} MNOK", 10,
                          fill="#ffffff", bold=True))
    totals = yearly(phases)
    for k, year in enumerate(years):
        cost, people = totals[year]
        x = left + (k + 0.5) * column
        texts.append(Text(x, bottom + 0.35, f"{mnok(cost)} MNOK", 12, "middle"))
        if people:
            texts.append(Text(x, bottom + 0.6, f"{unscaled(people):.1f} "
                                               f"{word('person_years', lang)}", 10, "middle"))
    texts.append(Text(0.3, bottom + 0.35, word("per_year", lang), 12, bold=True))
    x = 0.3
    for scope, fill in SCOPE_FILL.items():
        boxes.append(Box(x, height - 0.42, 0.3, 0.22, fill))
        name = SCOPE_NAMES[scope][0 if lang == "nb" else 1]
        texts.append(Text(x + 0.38, height - 0.25, name, 11))
        x += 0.45 + len(name) * 0.09
    return Scene(width, height, tuple(boxes), tuple(texts), tuple(lines))


def frontier_scene(points: list[FrontierPoint], lang: str) -> Scene:
    """Frame -> best benefit as a step line; the plan's own point marked."""
    width, height = 8.0, 5.0
    left, right, top, bottom = 1.0, width - 0.3, 0.7, height - 0.8
    texts = [Text(0.3, 0.4, word("frontier", lang), 14, bold=True)]
    if not points:
        return Scene(width, height, (), tuple(texts))
    frames = [unscaled(p.frame) for p in points]
    gains = [unscaled(p.benefit) for p in points]
    x0, x1 = min(0.0, min(frames)), max(frames) * 1.05 or 1.0
    y1 = max(gains) * 1.05 or 1.0

    def at(frame: float, gain: float) -> tuple[float, float]:
        return (left + (frame - x0) / (x1 - x0) * (right - left),
                bottom - gain / y1 * (bottom - top))

    lines = [Line(((left, top), (left, bottom), (right, bottom)), "#1a1a1a", 1.0)]
    path: list[tuple[float, float]] = []
    for k in range(len(points)):
        frame, gain = frames[k], gains[k]
        if path:
            path.append(at(frame, gains[k - 1]))
        path.append(at(frame, gain))
    path.append(at(x1, gains[-1]))
    lines.append(Line(tuple(path), "#4a6fa5", 2.0))
    boxes: list[Box] = []
    for k, p in enumerate(points):
        x, y = at(frames[k], gains[k])
        size = 0.12 if p.current else 0.07
        boxes.append(Box(x - size / 2, y - size / 2, size, size,
                         "#d0893c" if p.current else "#4a6fa5"))
    for k in range(5):
        frame = x0 + (x1 - x0) * k / 4
        gain = y1 * k / 4
        texts.append(Text(at(frame, 0)[0], bottom + 0.25, f"{frame:.0f}", 9, "middle"))
        texts.append(Text(left - 0.08, at(0, gain)[1] + 0.04, f"{gain:.0f}", 9, "end"))
    texts.append(Text((left + right) / 2, height - 0.2, f"{word('frame', lang)} (MNOK)", 11,
                      "middle"))
    texts.append(Text(0.3, top - 0.1, word("benefit", lang), 11))
    return Scene(width, height, tuple(boxes), tuple(texts), tuple(lines))


# -- SVG ----------------------------------------------------------------------------------------

def _n(value: float) -> str:
    return f"{value * PX:.1f}".rstrip("0").rstrip(".")


def to_svg(scene: Scene) -> bytes:
    anchor = {"start": "start", "middle": "middle", "end": "end"}
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{_n(scene.width)}" '
           f'height="{_n(scene.height)}" viewBox="0 0 {_n(scene.width)} {_n(scene.height)}" '
           'font-family="Helvetica, Arial, sans-serif">',
           f'<rect width="{_n(scene.width)}" height="{_n(scene.height)}" fill="#ffffff"/>']
    for line in scene.lines:
        points = " ".join(f"{_n(x)},{_n(y)}" for x, y in line.points)
        out.append(f'<polyline points="{points}" fill="none" stroke="{line.stroke}" '
                   f'stroke-width="{line.width * PX / 72:.2f}"/>')
    for box in scene.boxes:
        out.append(f'<rect x="{_n(box.x)}" y="{_n(box.y)}" width="{_n(box.w)}" '
                   f'height="{_n(box.h)}" fill="{box.fill}" stroke="{box.stroke}"/>')
    for text in scene.texts:
        weight = ' font-weight="bold"' if text.bold else ""
        out.append(f'<text x="{_n(text.x)}" y="{_n(text.y)}" font-size="{text.size * PX / 72:.1f}"'
                   f' text-anchor="{anchor[text.anchor]}" fill="{text.fill}"{weight}>'
                   f"{escape(text.text)}</text>")
    out.append("</svg>")
    return ("\n".join(out) + "\n").encode("utf-8")


# -- PNG ----------------------------------------------------------------------------------------

def to_png(scene: Scene) -> bytes:
    from PIL import Image, ImageDraw, ImageFont

    def px(value: float) -> int:
        return round(value * PNG_DPI)

    image = Image.new("RGB", (px(scene.width), px(scene.height)), "#ffffff")
    draw = ImageDraw.Draw(image)
    for line in scene.lines:
        draw.line([(px(x), px(y)) for x, y in line.points], fill=line.stroke,
                  width=max(1, round(line.width * PNG_DPI / 72)))
    for box in scene.boxes:
        draw.rectangle([px(box.x), px(box.y), px(box.x + box.w), px(box.y + box.h)],
                       fill=box.fill, outline=box.stroke)
    for text in scene.texts:
        font = ImageFont.load_default(size=text.size * PNG_DPI / 72)
        anchor = {"start": "ls", "middle": "ms", "end": "rs"}[text.anchor]
        draw.text((px(text.x), px(text.y)), text.text, fill=text.fill, font=font,
                  anchor=anchor)
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=False)
    return out.getvalue()


# -- PPTX ---------------------------------------------------------------------------------------

def to_pptx(scene: Scene) -> bytes:
    """One 16:9 slide drawn with PowerPoint's own shapes (editable), zip entries dated
    1980-01-01 so the file is byte-stable."""
    from pptx import Presentation
    from pptx.dml.color import RGBColor
    from pptx.enum.shapes import MSO_CONNECTOR, MSO_SHAPE
    from pptx.enum.text import PP_ALIGN
    from pptx.util import Inches, Pt

    def rgb(colour: str) -> RGBColor:
        return RGBColor.from_string(colour.lstrip("#").upper())

    presentation = Presentation()
    presentation.slide_width = Inches(scene.width)
    presentation.slide_height = Inches(scene.height)
    slide = presentation.slides.add_slide(presentation.slide_layouts[6])  # blank
    for line in scene.lines:
        for (xa, ya), (xb, yb) in zip(line.points, line.points[1:], strict=False):
            connector = slide.shapes.add_connector(MSO_CONNECTOR.STRAIGHT, Inches(xa),
                                                   Inches(ya), Inches(xb), Inches(yb))
            connector.line.color.rgb = rgb(line.stroke)
            connector.line.width = Pt(line.width)
    for box in scene.boxes:
        shape = slide.shapes.add_shape(MSO_SHAPE.RECTANGLE, Inches(box.x), Inches(box.y),
                                       Inches(box.w), Inches(box.h))
        shape.fill.solid()
        shape.fill.fore_color.rgb = rgb(box.fill)
        shape.line.color.rgb = rgb(box.stroke)
        shape.shadow.inherit = False
    align = {"start": PP_ALIGN.LEFT, "middle": PP_ALIGN.CENTER, "end": PP_ALIGN.RIGHT}
    for text in scene.texts:
        w = max(0.5, len(text.text) * text.size / 110)
        x = {"start": text.x, "middle": text.x - w / 2, "end": text.x - w}[text.anchor]
        height = text.size * 1.5 / 72
        box = slide.shapes.add_textbox(Inches(x), Inches(text.y - height * 0.8), Inches(w),
                                       Inches(height))
        frame = box.text_frame
        frame.margin_left = frame.margin_right = frame.margin_top = frame.margin_bottom = 0
        frame.word_wrap = False
        paragraph = frame.paragraphs[0]
        paragraph.alignment = align[text.anchor]
        run = paragraph.add_run()
        run.text = text.text
        run.font.size = Pt(text.size)
        run.font.bold = text.bold
        run.font.color.rgb = rgb(text.fill)
    raw = io.BytesIO()
    presentation.save(raw)
    return _stable_zip(raw.getvalue())


def _stable_zip(data: bytes) -> bytes:
    """The same archive with fixed dates, so two saves of one slide are the same bytes."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, \
            zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=(1980, 1, 1, 0, 0, 0))
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o644 << 16
            target.writestr(fixed, source.read(info.filename))
    return out.getvalue()


WRITERS = {"svg": to_svg, "png": to_png, "pptx": to_pptx}


def picture(scene: Scene, fmt: str) -> bytes:
    return WRITERS[fmt](scene)


__all__ = ["PICTURE_FORMATS", "Scene", "frontier_scene", "picture", "roadmap_scene"]
