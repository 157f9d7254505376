"""Text widths in the drawing font, measured the way ``dot`` will draw them.

The grid search plans rows and columns before ``dot`` runs, and the slide builds its legend
from PowerPoint shapes: both need to know how wide a label will be. The font is found with
fontconfig (as ``dot`` finds it) and measured with Pillow; without either, widths are
estimated from the number of characters.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from ..process import TimeLimitError, run_bounded
from .style import FONT

__all__ = ["EM", "text_width"]

#: Rough glyph width of the font as a share of its size, for planning only (dot measures).
EM = 0.5


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
        return len(text) * fontsize * EM / 72
    return float(font.getlength(text)) / 100 * fontsize / 72
