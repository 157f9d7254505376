"""Options shared by many commands, each one decorator so names and defaults never drift."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import click

F = TypeVar("F", bound=Callable[..., Any])

LANGS = ("nb", "en")


def lang_option(func: F) -> F:
    return click.option("--lang", type=click.Choice(LANGS), default="nb", show_default=True,
                        help="Language of labels in the output.")(func)


def model_argument(func: F) -> F:
    return click.argument("model_dir", required=False, default="model",
                          type=click.Path(file_okay=False, path_type=str))(func)


def model_option(func: F) -> F:
    return click.option("--model", "model_dir", default="model", show_default=True,
                        type=click.Path(file_okay=False, path_type=str),
                        help="Model folder to read.")(func)
