"""Graphviz pictures of a view: SVG, PNG and PDF drawn by the real ``dot`` program, and the DOT
text itself.

Each step has its own module, in the order a drawing passes through them:

================ ===========================================================================
:mod:`.grid`     the layout search: which grid of boxes draws the view largest on a slide
:mod:`.dot_text` that grid as DOT text (with the legend of :mod:`.dot_legend`)
:mod:`.layout`   ``dot`` places the grid and routes the edges; the result as a value
:mod:`.graphviz` running ``dot`` under one time limit per drawing
:mod:`.canvas`   the slide's size, and a PNG centred on a slide-sized canvas
================ ===========================================================================

This module only puts them together, one function per output format.
"""

from __future__ import annotations

import networkx as nx

from ..process import Deadline
from .canvas import SLIDE, SLIDE_DPI, on_slide_canvas
from .dot_text import to_dot
from .graphviz import DOT_TIMEOUT, run_dot
from .layout import arrange
from .options import DotOptions
from .style import FONT

__all__ = ["DotOptions", "draw", "run_dot", "to_dot", "to_pdf", "to_png", "to_svg"]


def draw(view: nx.DiGraph, fmt: str, options: DotOptions | None = None,
         dpi: int | None = None) -> bytes:
    """Draw a view with Graphviz in ``fmt`` (``svg``, ``png``, ``pdf``), laid out as
    :func:`samhandling.render.layout.arrange` says; every ``dot`` run of the drawing shares
    one :data:`~samhandling.render.graphviz.DOT_TIMEOUT`."""
    options = options or DotOptions()
    deadline = Deadline(DOT_TIMEOUT)  # one budget for every dot run of this drawing
    return arrange(view, options, deadline).draw(fmt, deadline, dpi=dpi)


def to_svg(view: nx.DiGraph, options: DotOptions | None = None) -> bytes:
    """The view drawn as SVG; fonts fall back to Arial/Helvetica where the font is missing."""
    svg = draw(view, "svg", options)
    return svg.replace(f'font-family="{FONT}"'.encode(),
                       f'font-family="{FONT},Arial,Helvetica,sans-serif"'.encode())


def to_png(view: nx.DiGraph, options: DotOptions | None = None) -> bytes:
    """The view drawn as PNG; at slide size centred on a white 1920 × 1080 canvas."""
    options = options or DotOptions()
    png = draw(view, "png", options, dpi=SLIDE_DPI)
    return on_slide_canvas(png) if options.size == SLIDE else png


def to_pdf(view: nx.DiGraph, options: DotOptions | None = None) -> bytes:
    """The view drawn as a vector PDF at slide size."""
    return draw(view, "pdf", options)
