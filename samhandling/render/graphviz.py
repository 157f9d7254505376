"""Running Graphviz's ``dot`` under the drawing's time limit, with one clear error for each way
it can fail.

Every ``dot`` run of a drawing (measuring candidates, placing, routing, drawing) shares one
:class:`~samhandling.process.Deadline`, and :func:`~samhandling.process.run_bounded` kills
``dot`` and anything it started when the time is up.
"""

from __future__ import annotations

import shutil

from ..errors import SamhandlingError, ToolMissingError
from ..process import Deadline, run_bounded

__all__ = ["DOT_TIMEOUT", "run_dot"]

#: Seconds all ``dot`` runs of one drawing may take together.
DOT_TIMEOUT = 120


def run_dot(source: str, fmt: str, *, dpi: int | None = None,
            timeout: float | Deadline = DOT_TIMEOUT, engine: str | None = None,
            pinned: bool = False) -> bytes:
    """Run Graphviz ``dot -T<fmt>`` on DOT text and return what it writes.

    ``engine`` picks another layout engine of the same program (``-K``); ``pinned`` keeps
    the positions given in the input (``-n2``). ``timeout``: seconds, or a :class:`Deadline`
    shared by the runs of one drawing; on expiry dot and anything it started are killed.

    Raises
    ------
    ToolMissingError
        ``dot`` is not on PATH.
    SamhandlingError
        ``dot`` failed, or (:class:`TimeLimitError`) took longer than ``timeout``.
    """
    program = shutil.which("dot")
    if program is None:
        raise ToolMissingError("Graphviz 'dot' is not on PATH; install Graphviz "
                               "(apt-get install graphviz) to draw svg, png, pdf or pptx")
    command = [program, f"-T{fmt}"]
    if engine:
        command.append(f"-K{engine}")
    if pinned:
        command.append("-n2")
    if dpi is not None:
        command.append(f"-Gdpi={dpi}")
    try:
        proc = run_bounded(command, what="Graphviz dot", deadline=timeout,
                           input=source.encode("utf-8"),
                           hint="draw a smaller view (--group, --focus, --maturity)")
    except OSError as exc:
        raise ToolMissingError(f"cannot run {program}: {exc.strerror or exc}") from None
    if proc.returncode != 0:
        first = proc.stderr.decode("utf-8", "replace").strip().splitlines()
        raise SamhandlingError(f"dot failed: {first[0] if first else proc.returncode}")
    return proc.stdout
