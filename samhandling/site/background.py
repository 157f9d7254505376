"""Work done by a forked copy of this process while this one goes on: the site's two cores.

A site's build is a handful of independent CPU-bound jobs (the query library, validation,
rendering); threads would take turns on one core, so the query library runs in a child made
with ``fork`` (a copy: the loaded model is not sent anywhere) whose answer comes back pickled
through a pipe. Fork only where no thread of ours runs yet: a thread holding a lock at the
fork would leave that lock held forever in the child. Without ``fork`` (or with
``parallel=False``) the job simply runs here when its result is asked for.
"""

from __future__ import annotations

import os
import pickle
from collections.abc import Callable
from typing import Generic, TypeVar

from ..errors import SamhandlingError

T = TypeVar("T")


class Background(Generic[T]):
    """``job()`` started now in a forked child; :meth:`result` waits for its value."""

    def __init__(self, job: Callable[[], T], *, parallel: bool = True) -> None:
        self._job = job
        self._pid = 0
        self._fd = -1
        if parallel and hasattr(os, "fork"):
            read_end, write_end = os.pipe()
            pid = os.fork()
            if pid == 0:  # the child: run, send, leave without running our cleanup
                os.close(read_end)
                _child(job, write_end)
            os.close(write_end)
            self._pid, self._fd = pid, read_end

    def result(self) -> T:
        if not self._pid:
            return self._job()
        chunks = []
        try:
            while chunk := os.read(self._fd, 1 << 20):
                chunks.append(chunk)
        finally:
            os.close(self._fd)
            os.waitpid(self._pid, 0)
            self._pid = 0
        if not chunks:
            raise SamhandlingError("a background job of the site ended without an answer")
        kind, value = pickle.loads(b"".join(chunks))
        if kind != "ok":
            raise SamhandlingError(str(value))
        return value

    def cancel(self) -> None:
        """Stop the child (the build failed elsewhere)."""
        if self._pid:
            import signal

            os.kill(self._pid, signal.SIGKILL)
            os.close(self._fd)
            os.waitpid(self._pid, 0)
            self._pid = 0


def _child(job: Callable[[], object], out: int) -> None:
    status = 1
    try:
        try:
            message: tuple[str, object] = ("ok", job())
        except SamhandlingError as exc:
            message = ("error", str(exc))
        except BaseException as exc:  # reported in the parent as one line
            message = ("error", f"internal error: {type(exc).__name__}: {exc}")
        data = memoryview(pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL))
        while data:
            data = data[os.write(out, data[:1 << 20]):]
        status = 0
    finally:
        os._exit(status)
