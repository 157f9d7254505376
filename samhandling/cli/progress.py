"""Progress on standard error for long work, shown only to a person at a terminal.

A spinner with the current step (``loading model/``, ``validating``) and the elapsed time, from
``rich``. It appears only when standard error is a terminal, not in CI (``$CI`` set), not with
``TERM=dumb`` and not with ``-q/--quiet``: pipes and CI logs never see control sequences.
``rich`` is imported only when the spinner is shown, so ``--help`` and scripted runs stay fast.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any


def progress_wanted(quiet: bool = False) -> bool:
    """Whether to draw progress: stderr is a terminal, no CI, not dumb, not quiet."""
    if quiet or os.environ.get("CI") or os.environ.get("TERM") == "dumb":
        return False
    try:
        return sys.stderr.isatty()
    except (AttributeError, ValueError):  # replaced or closed stderr
        return False


class Progress:
    """Steps of one command; :meth:`step` names what is being done now."""

    def __init__(self, bar: Any | None = None, task: Any | None = None) -> None:
        self._bar = bar
        self._task = task

    def step(self, text: str) -> None:
        if self._bar is not None:
            self._bar.update(self._task, description=text)


@contextmanager
def progress(first_step: str, *, quiet: bool = False) -> Iterator[Progress]:
    """Show a spinner, the current step and the elapsed time on stderr for the block's
    duration (or nothing; see the module docstring).

    The display is transient: it is erased when the block ends, so the command's own stderr
    lines (summaries, errors) are all that remain.
    """
    if not progress_wanted(quiet):
        yield Progress()
        return
    from rich.console import Console
    from rich.progress import Progress as Bar
    from rich.progress import SpinnerColumn, TextColumn, TimeElapsedColumn

    with Bar(SpinnerColumn(), TextColumn("{task.description}"), TimeElapsedColumn(),
             console=Console(stderr=True), transient=True) as bar:
        task = bar.add_task(first_step, total=None)
        yield Progress(bar, task)
