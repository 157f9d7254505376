"""``samhandling docs --serve``: build the site, serve it on 127.0.0.1 and rebuild it when a
file under the model folder changes.

The server is the standard library's (``http.server``, in a thread); the watching is
``watchfiles`` (the operating system's change events, not a polling loop of our own). A
rebuild writes the folder as a whole, as ``docs`` always does, so a page loaded during a
rebuild is the old site or the new one, never a mix. A model that stops loading while
editing is reported in one line and the last good site stays up.
"""

from __future__ import annotations

import errno
import functools
import http.server
import threading
from pathlib import Path
from typing import Any

import click

from ..errors import ModelLoadError, SamhandlingError, UsageError
from .generate import build_site

HOST = "127.0.0.1"


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    """Serves the site folder; says nothing per request (the terminal is for rebuilds)."""

    def log_message(self, format: str, *args: Any) -> None:
        return


def bind(folder: Path, port: int) -> http.server.ThreadingHTTPServer:
    """A server for ``folder`` on 127.0.0.1:``port`` (0: any free port), not yet running.

    Raises
    ------
    UsageError
        The port is in use or may not be bound.
    """
    handler = functools.partial(_QuietHandler, directory=str(folder))
    try:
        return http.server.ThreadingHTTPServer((HOST, port), handler)
    except OSError as exc:
        if exc.errno == errno.EADDRINUSE:
            raise UsageError(f"port {port} on {HOST} is in use; choose another with "
                             "--port") from None
        raise UsageError(f"cannot listen on {HOST}:{port}: {exc.strerror or exc}") from None


def _rebuild(model_dir: str, output: Path, quiet: bool,
             commands: click.Group | None) -> None:
    try:
        summary = build_site(model_dir, output, force=True, parallel=False,
                             commands=commands)
    except ModelLoadError as exc:
        for problem in exc.problems:
            click.echo(f"error: {' '.join(str(problem).split())}", err=True)
        click.echo("the last good site stays up; fix the model and save again", err=True)
        return
    except SamhandlingError as exc:
        click.echo(f"error: {' '.join(str(exc).split())}", err=True)
        return
    if not quiet:
        click.echo(f"rebuilt {summary.folder} in {summary.seconds:.2f} s", err=True)


def serve(model_dir: str, output: Path, *, port: int, force: bool = False,
          quiet: bool = False, stop: threading.Event | None = None,
          commands: click.Group | None = None) -> None:
    """Build, serve and rebuild on change until Ctrl-C (or ``stop`` is set); ``commands`` as
    for :func:`~samhandling.site.generate.build_site`."""
    from watchfiles import watch

    if not Path(model_dir).is_dir():
        raise UsageError(f"{model_dir}: model folder not found")
    server = bind(output, port)
    thread: threading.Thread | None = None
    try:
        summary = build_site(model_dir, output, force=force, commands=commands)
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        click.echo(f"serving {summary.folder} at http://{HOST}:{server.server_address[1]}/ "
                   f"(built in {summary.seconds:.2f} s); watching {model_dir}; Ctrl-C stops",
                   err=True)
        stop = stop or threading.Event()
        try:
            for _changes in watch(model_dir, stop_event=stop, raise_interrupt=False):
                _rebuild(model_dir, output, quiet, commands)
        except KeyboardInterrupt:
            pass
    finally:
        if thread is not None:  # shutdown() waits for serve_forever: only once it runs
            server.shutdown()
        server.server_close()
