"""Run one query in a child process: a time limit that really stops it, and no network.

Neither engine can be interrupted from Python once a query runs: pyoxigraph evaluates in Rust,
and rdflib's evaluator is a tight Python loop that only ends when the query does. A cartesian
product on the model would run for hours with ``--timeout`` ignored. So the query runs in a
forked child (the store or graph is shared copy-on-write, nothing is copied up front); the
parent waits for the answer until the deadline and then kills the child, which always works.

The child is also where the network is cut off: before it runs a query it is not allowed to
federate, it moves into a new user and network namespace when the kernel allows that (Linux),
so even a SERVICE call that slipped past the parsed-query check has no route anywhere. Where
that is not possible the check in :mod:`.network` still refuses the query first.

Where ``os.fork`` does not exist (Windows), the query runs in a daemon thread the parent stops
waiting for at the deadline; the command then ends, and the thread with it.
"""

from __future__ import annotations

import contextlib
import gc
import os
import pickle
import select
import signal
import threading
import time
from collections.abc import Callable
from typing import Any, TypeVar

from .. import errors
from ..errors import SamhandlingError, UsageError

T = TypeVar("T")

#: Seconds a remote request may take in all unless the caller says otherwise (the CLI's
#: ``--timeout`` default for local queries too).
DEFAULT_TIMEOUT = 30.0

_CLONE_NEWUSER = 0x10000000
_CLONE_NEWNET = 0x40000000
_PR_SET_PDEATHSIG = 1


class QueryTimeout(UsageError):
    """The query ran past its time limit and was stopped."""


def cut_network() -> bool:
    """Move this process into empty user and network namespaces (only a loopback that is
    down), so nothing it does can connect anywhere. True when that worked. Only ever called
    in a forked child: a multi-threaded process cannot change its user namespace."""
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        return bool(libc.unshare(_CLONE_NEWUSER | _CLONE_NEWNET) == 0)
    except (OSError, AttributeError):
        return False


def die_with_parent(parent: int) -> None:
    """Have the kernel kill this process when its parent dies (Linux), so a SIGTERM to the
    command never leaves a query running on its own."""
    try:
        import ctypes

        ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    except (OSError, AttributeError):
        pass
    if os.getppid() != parent:  # the parent died before the request took effect
        os._exit(1)


def run_isolated(work: Callable[[], T], *, timeout: float | None, what: str,
                 offline: bool = True, prepare: Callable[[], None] | None = None) -> T:
    """``work()`` in a child process, its value (which must pickle) returned here.

    ``what`` names the query in messages. A :class:`SamhandlingError` raised by ``work`` is
    raised again here with its message; any other exception becomes a :class:`UsageError`
    naming it (the engine choked on the query: a user problem, not a crash). ``offline``
    cuts the child off the network first; ``prepare`` runs in the child before ``work``
    (e.g. to disable an engine's own HTTP client).
    """
    if not hasattr(os, "fork"):
        return _run_in_thread(work, timeout=timeout, what=what)
    read_end, write_end = os.pipe()
    parent = os.getpid()
    pid = os.fork()
    if pid == 0:  # the child: never returns, whatever happens
        try:
            die_with_parent(parent)
            os.close(read_end)
            _child(work, write_end, offline, prepare)
        finally:
            os._exit(0)
    os.close(write_end)
    try:
        payload = _collect(read_end, pid, timeout, what)
    finally:
        os.close(read_end)
        _reap(pid)
    return _unpack(payload, what)


def _child(work: Callable[[], Any], out: int, offline: bool,
           prepare: Callable[[], None] | None) -> None:
    gc.disable()  # a collection would touch every object and copy the parent's memory
    try:
        signal.signal(signal.SIGINT, signal.SIG_DFL)  # Ctrl-C: the parent cleans up
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        if offline:
            cut_network()
        if prepare is not None:
            prepare()
        message: tuple[Any, ...] = ("ok", work())
    except SamhandlingError as exc:
        message = ("error", type(exc).__name__, str(exc))
    except RecursionError:
        message = ("crash", "the query is nested too deeply for the engine")
    except MemoryError:
        message = ("crash", "the query needs more memory than there is")
    except BaseException as exc:  # the engine's own failure on this query
        message = ("crash", f"{type(exc).__name__}: {exc}")
    try:
        data = pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)
    except Exception as exc:  # an unpicklable answer is a bug, still reported as a line
        data = pickle.dumps(("crash", f"cannot send the answer back ({exc})"))
    view = memoryview(data)
    while view:
        written = os.write(out, view[:1 << 20])
        view = view[written:]
    os.close(out)


def _collect(fd: int, pid: int, timeout: float | None, what: str) -> bytes:
    """Everything the child writes, read as it comes (a pipe holds only 64 KiB), until it
    closes the pipe or the deadline passes."""
    deadline = None if timeout is None else time.monotonic() + timeout
    chunks: list[bytes] = []
    while True:
        wait = None if deadline is None else max(0.0, deadline - time.monotonic())
        ready, _, _ = select.select([fd], [], [], wait)
        if not ready:
            _kill(pid)
            raise QueryTimeout(f"{what} did not finish within {timeout:g} s and was stopped "
                               "(timeout; allow more time with --timeout)")
        chunk = os.read(fd, 1 << 20)
        if not chunk:
            return b"".join(chunks)
        chunks.append(chunk)


def _kill(pid: int) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, signal.SIGKILL)


def _reap(pid: int) -> None:
    """Wait for the child (killing it if it still runs) so no zombie is left."""
    try:
        done, _ = os.waitpid(pid, os.WNOHANG)
        if done == 0:
            _kill(pid)
            os.waitpid(pid, 0)
    except ChildProcessError:
        pass


def _unpack(payload: bytes, what: str) -> Any:
    if not payload:
        raise UsageError(f"{what}: the query process ended without an answer (killed for "
                         "lack of memory?)")
    message = pickle.loads(payload)  # our own child wrote it
    kind = message[0]
    if kind == "ok":
        return message[1]
    if kind == "error":
        cls = getattr(errors, message[1], None)
        if not (isinstance(cls, type) and issubclass(cls, SamhandlingError)) \
                or cls is errors.ModelLoadError:
            cls = UsageError
        raise cls(message[2])
    raise UsageError(f"{what}: query failed ({one_line(message[1])})")


def _run_in_thread(work: Callable[[], T], *, timeout: float | None, what: str) -> T:
    box: dict[str, Any] = {}

    def target() -> None:
        try:
            box["value"] = work()
        except BaseException as exc:
            box["error"] = exc

    thread = threading.Thread(target=target, daemon=True, name=f"query {what}")
    thread.start()
    thread.join(timeout)
    if thread.is_alive():
        raise QueryTimeout(f"{what} did not finish within {timeout:g} s "
                           "(timeout; allow more time with --timeout)")
    error = box.get("error")
    if isinstance(error, SamhandlingError):
        raise error
    if error is not None:
        raise UsageError(f"{what}: query failed ({one_line(f'{type(error).__name__}: {error}')})")
    return box["value"]


def one_line(text: str, limit: int = 300) -> str:
    """``text`` as one printable line: control characters, escape sequences and line breaks
    shown escaped (``\\n``, ``\\x1b``), so nothing a query or a server sends can move the
    cursor, colour the terminal or fake a second line; cut at ``limit`` characters."""
    out = []
    for char in text:
        if char.isprintable() or char == " ":
            out.append(char)
        else:
            out.append(repr(char)[1:-1])
    line = "".join(out)
    return line if len(line) <= limit else line[:limit] + "…"


__all__ = ["DEFAULT_TIMEOUT", "QueryTimeout", "cut_network", "one_line", "run_isolated"]
