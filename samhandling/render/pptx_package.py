"""A presentation as bytes that are the same on every run, and the pieces every slide shares.

python-pptx stamps the package: the core properties carry the time of saving, and every zip
entry the time it was written. Both are fixed here (core properties to
:data:`FIXED_TIME`, zip entries to 1980-01-01, the zip format's first day), so the same model
gives the same file and a changed slide shows up as a changed file, nothing else.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from typing import Any

from pptx.dml.color import RGBColor
from pptx.util import Pt

__all__ = ["FIXED_TIME", "FONT", "deterministic_bytes", "rgb", "set_text"]

#: What the core properties say for created and modified: no clock time in the output.
FIXED_TIME = dt.datetime(2000, 1, 1, 0, 0, 0)
_ZIP_TIME = (1980, 1, 1, 0, 0, 0)
#: The font shapes ask for: Arial everywhere PowerPoint runs; LibreOffice and fontconfig map
#: it to Liberation Sans, the metric-compatible font Graphviz measured the labels with.
FONT = "Arial"


def rgb(colour: str) -> RGBColor:
    """A ``#rrggbb`` colour of :mod:`.style` as python-pptx wants it."""
    return RGBColor.from_string(colour.lstrip("#").upper())


def set_text(frame: Any, lines: list[str] | tuple[str, ...], size: float, *,
             bold: bool = False, colour: str | None = "#000000",
             font: str | None = FONT) -> None:
    """Put ``lines`` (one paragraph each) into a text frame at ``size`` points in ``font``
    (``None``: the theme's font, as a template wants)."""
    frame.text = ""
    for number, line in enumerate(lines):
        paragraph = frame.paragraphs[0] if number == 0 else frame.add_paragraph()
        run = paragraph.add_run()
        run.text = line
        run.font.size = Pt(size)
        run.font.bold = bold
        if font:
            run.font.name = font
        if colour:
            run.font.color.rgb = rgb(colour)


def deterministic_bytes(presentation: Any, title: str = "") -> bytes:
    """``presentation`` saved with fixed core properties and fixed zip entry dates."""
    core = presentation.core_properties
    core.title = title
    core.author = core.last_modified_by = "samhandling"
    core.revision = 1
    core.created = core.modified = FIXED_TIME
    core.last_printed = FIXED_TIME
    saved = io.BytesIO()
    presentation.save(saved)
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(saved.getvalue())) as source, \
            zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=_ZIP_TIME)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o644 << 16
            target.writestr(entry, source.read(info.filename))
    return out.getvalue()
