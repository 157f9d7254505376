"""How to draw a picture: one value every stage of a Graphviz drawing reads.

The grid search, the DOT text and the slide all depend on the same few choices (language,
legend and title, the size to fit, the font size), so they travel together as one frozen value
rather than as loose arguments.
"""

from __future__ import annotations

from dataclasses import dataclass

from .canvas import SLIDE

__all__ = ["DotOptions"]


@dataclass(frozen=True)
class DotOptions:
    """How to draw: label language, legend and title, slide size and font size in points."""

    lang: str = "nb"
    legend: bool = True
    title: bool = True
    #: inches to fit (dot shrinks a larger drawing); ``None``: natural size
    size: tuple[float, float] | None = SLIDE
    fontsize: float = 14.0
    #: characters per line of a node label; ``None``: the one that draws largest
    wrap: int | None = None
    #: white border around the drawing, inches
    pad: float = 0.2
    #: inches between boxes side by side, and between rows: a slide of native shapes asks
    #: for more, so an arrowhead has room between two boxes
    nodesep: float = 0.12
    ranksep: float = 0.2
