"""External programs (java, dot, git) under a total time limit, never leaving a child behind.

``subprocess.run(timeout=...)`` kills only the process it started: a ``java`` wrapper script,
or a JVM that forked helpers, leaves its children running, holding temp files open. Here each
program runs in its own process group (a new session), and the whole group is killed with
SIGKILL when the time is up, when the caller is interrupted (Ctrl-C, or SIGTERM turned into
``SystemExit`` by :func:`samhandling.atomic.terminate_as_exit`), and after a normal exit too
(a daemon the program left behind). The limit is *total* (:class:`Deadline`), shared by every
program one command runs, not per read.
"""

from __future__ import annotations

import os
import signal
import subprocess
import time
from collections.abc import Sequence
from contextlib import suppress
from dataclasses import dataclass, field

from .errors import SamhandlingError


class TimeLimitError(SamhandlingError):
    """An external program did not finish within the command's time limit."""


@dataclass
class Deadline:
    """A total time budget in seconds, shared by several steps of one command."""

    seconds: float
    started: float = field(default_factory=time.monotonic)

    def remaining(self) -> float:
        return self.seconds - (time.monotonic() - self.started)


def _kill_group(proc: subprocess.Popen[bytes]) -> None:
    """SIGKILL the child's whole process group, then reap the child."""
    with suppress(ProcessLookupError, PermissionError):
        os.killpg(proc.pid, signal.SIGKILL)
    with suppress(ProcessLookupError):
        proc.kill()
    proc.wait()


def run_bounded(command: Sequence[str], *, what: str, deadline: Deadline | float,
                input: bytes | None = None, merge_stderr: bool = False,
                hint: str = "") -> subprocess.CompletedProcess[bytes]:
    """Run ``command`` and return its result (any exit status); its whole process group is
    gone when this returns or raises.

    Raises
    ------
    TimeLimitError
        the deadline passed first: "``what`` timed out after N s".
    OSError
        the program could not be started.
    """
    budget = deadline if isinstance(deadline, Deadline) else Deadline(float(deadline))
    remaining = budget.remaining()
    if remaining <= 0:
        raise _timed_out(what, budget, hint)
    proc = subprocess.Popen(
        list(command), stdin=subprocess.PIPE if input is not None else subprocess.DEVNULL,
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT if merge_stderr else subprocess.PIPE,
        start_new_session=True)
    try:
        stdout, stderr = proc.communicate(input, timeout=remaining)
    except subprocess.TimeoutExpired:
        _kill_group(proc)
        raise _timed_out(what, budget, hint) from None
    except BaseException:
        _kill_group(proc)
        raise
    _kill_group(proc)  # helpers it started and left running
    return subprocess.CompletedProcess(list(command), proc.returncode, stdout, stderr or b"")


def _timed_out(what: str, budget: Deadline, hint: str) -> TimeLimitError:
    return TimeLimitError(f"{what} timed out after {budget.seconds:g} s"
                          + (f"; {hint}" if hint else ""))


__all__ = ["Deadline", "TimeLimitError", "run_bounded"]
