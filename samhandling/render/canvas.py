"""The slide a picture is made for: its size, and the PNG centred on a slide-sized canvas.

Pictures are laid out for a 16:9 PowerPoint slide (13.333 × 7.5 inches). At 144 dpi that is
1920 × 1080 pixels; a PNG that ``dot`` draws smaller than the slide is centred on a white
canvas of exactly that size, so every PNG of a view drops onto a slide the same way.
"""

from __future__ import annotations

import io

__all__ = ["SLIDE", "SLIDE_DPI", "on_slide_canvas"]

#: Slide size in inches (16:9 PowerPoint default) and the DPI that makes it 1920 × 1080.
SLIDE = (13.333, 7.5)
SLIDE_DPI = 144


def on_slide_canvas(png: bytes) -> bytes:
    """``png`` (drawn at :data:`SLIDE_DPI`) centred on a white slide-sized canvas; unchanged
    when it is larger than the slide."""
    from PIL import Image  # python-pptx's dependency; imported only when drawing PNG

    canvas_size = (round(SLIDE[0] * SLIDE_DPI), round(SLIDE[1] * SLIDE_DPI))
    with Image.open(io.BytesIO(png)) as drawing:
        if drawing.width > canvas_size[0] or drawing.height > canvas_size[1]:
            return png
        canvas = Image.new("RGB", canvas_size, "white")
        rgba = drawing.convert("RGBA")
        canvas.paste(rgba, ((canvas_size[0] - drawing.width) // 2,
                            (canvas_size[1] - drawing.height) // 2), rgba)
    out = io.BytesIO()
    canvas.save(out, format="PNG", optimize=True)
    return out.getvalue()
