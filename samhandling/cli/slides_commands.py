"""CLI command ``slides``: a ready PowerPoint deck of the model."""

from __future__ import annotations

from pathlib import Path

import click

from ..atomic import write_bytes
from ..slides import SLIDES, make_deck
from .options import lang_option, model_argument, output_option
from .output import check_output


@click.command()
@model_argument
@output_option(required=True, help="The deck to write (.pptx), whole or not at all.")
@lang_option
@click.option("--template", type=click.Path(dir_okay=False, path_type=Path), default=None,
              metavar="FILE", help="An organisation's .potx or .pptx: the deck uses its "
                                   "masters, layouts and fonts (its own slides are left out).")
@click.option("--impact", "impacts", multiple=True, metavar="SERVICE",
              help="A service (label, id or IRI) whose impact gets a slide; repeatable "
                   "(default: the service most others depend on).")
def slides(model_dir: str, output: Path, lang: str, template: Path | None,
           impacts: tuple[str, ...]) -> None:
    """Write a ready PowerPoint deck of the model, with native diagrams and speaker notes.

    Slides, in order: {slides}. Diagrams are PowerPoint shapes and glued connectors (move a
    box and its arrows follow); tables and lists are sized to fit (12 pt at least, else
    continued on a next slide). Each slide's speaker notes name the sources (pages of the
    board documents) its facts come from. Needs Graphviz's dot for the diagram layout.

    Example:

        samhandling slides model/ -o deck.pptx --lang en --impact plan
    """
    check_output(output)
    data = make_deck(model_dir, lang=lang, template=template, impacts=impacts)
    write_bytes(output, data)
    click.echo(f"wrote {output}", err=True)


slides.help = (slides.help or "").replace("{slides}", ", ".join(spec.name for spec in SLIDES))
