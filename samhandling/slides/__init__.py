"""A ready deck of the model for a board or an architecture forum (``samhandling slides``).

================ ========================================================================
:mod:`.facts`    the model read once: graphs, analysis report, sources, chosen impacts
:mod:`.content`  the deck as a declarative table of slides, each a value (no PowerPoint)
:mod:`.deck`     the slides drawn on the default 16:9 presentation or a template
================ ========================================================================
"""

from __future__ import annotations

from pathlib import Path

from ..build import load_model
from .content import SLIDES
from .deck import build_deck, open_template
from .facts import gather

__all__ = ["SLIDES", "make_deck"]


def make_deck(model_dir: str | Path, *, lang: str = "nb", template: Path | None = None,
              impacts: tuple[str, ...] = ()) -> bytes:
    """The deck of the model in ``model_dir`` as PPTX bytes.

    The template is opened (and refused) and the ``impacts`` services resolved before any
    slide is drawn, so bad input fails fast.

    Raises
    ------
    UsageError
        The template is not a presentation, or an ``impacts`` entry names no service.
    ModelLoadError
        The model does not load.
    """
    opened = open_template(template) if template is not None else None
    facts = gather(load_model(model_dir), impacts)
    return build_deck(facts, lang, opened)
