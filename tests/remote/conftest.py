"""Real servers for the remote tests, all on 127.0.0.1 and all stopped after the session.

* ``oxigraph``: the real Oxigraph SPARQL server (``oxigraph serve``, from the ``oxigraph``
  package that ``.ci/run`` installs with the test extras) on a free port and a temp folder;
* ``tiny``: a few lines of ``http.server`` that answer the way broken or guarded endpoints do
  (an HTML page, 401, 403, 500, too slow, unreadable JSON, or results only with the right
  credentials), so every error path meets a real socket, not a mock.
"""

from __future__ import annotations

import json
import shutil
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest


def free_port() -> int:
    """A port nothing listens on (bound and released at once)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def oxigraph_binary() -> str:
    beside_python = Path(sys.executable).with_name("oxigraph")
    if beside_python.exists():
        return str(beside_python)
    found = shutil.which("oxigraph")
    if found is None:
        pytest.fail("the 'oxigraph' server is not installed: pip install oxigraph "
                    "(it is in the test extras: pip install -e '.[test]')")
    return found


@dataclass(frozen=True)
class Oxigraph:
    base: str

    @property
    def query(self) -> str:
        return f"{self.base}/query"

    @property
    def store(self) -> str:
        return f"{self.base}/store"


@pytest.fixture(scope="session")
def oxigraph(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Oxigraph]:
    location = tmp_path_factory.mktemp("oxigraph")
    port = free_port()
    process = subprocess.Popen(
        [oxigraph_binary(), "serve", "--location", str(location), "--bind", f"127.0.0.1:{port}"],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    server = Oxigraph(f"http://127.0.0.1:{port}")
    try:
        _wait_until_answering(server, process)
        yield server
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        if process.stderr is not None:
            process.stderr.close()


def _wait_until_answering(server: Oxigraph, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 20
    probe = f"{server.query}?query=ASK%7B%7D"
    while time.monotonic() < deadline:
        if process.poll() is not None:
            err = process.stderr.read().decode() if process.stderr else ""
            pytest.fail(f"oxigraph serve exited with {process.returncode}: {err}")
        try:
            with urllib.request.urlopen(probe, timeout=1) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.05)
    pytest.fail("oxigraph serve did not answer within 20 s")


# -- the tiny misbehaving server ------------------------------------------------------------

RESULTS = json.dumps({"head": {"vars": ["ok"]},
                      "results": {"bindings": [{"ok": {"type": "literal", "value": "yes"}}]}})


@dataclass
class Tiny:
    base: str
    #: The Authorization header /auth accepts; every header it saw.
    expected_auth: list[str] = field(default_factory=list)
    seen_auth: list[str | None] = field(default_factory=list)

    def url(self, path: str) -> str:
        return f"{self.base}{path}"


def _handler(state: Tiny) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: object) -> None:  # quiet
            pass

        def _answer(self, status: int, content_type: str, body: str,
                    headers: dict[str, str] | None = None) -> None:
            data = body.encode()
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(data)))
            for key, value in (headers or {}).items():
                self.send_header(key, value)
            self.end_headers()
            self.wfile.write(data)

        def _route(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            if length:
                self.rfile.read(length)
            path = self.path.split("?")[0]
            if path == "/html":
                self._answer(200, "text/html; charset=utf-8",
                             "<!doctype html><html><body>Sign in</body></html>")
            elif path == "/401":
                self._answer(401, "text/plain", "who are you",
                             {"WWW-Authenticate": 'Basic realm="sparql"'})
            elif path == "/403":
                self._answer(403, "text/plain", "not for you")
            elif path == "/500":
                self._answer(500, "text/plain", "boom: database offline\nmore detail")
            elif path == "/503":
                self._answer(503, "text/html", "<html>maintenance</html>")
            elif path == "/slow":
                time.sleep(3)
                self._answer(200, "application/sparql-results+json", RESULTS)
            elif path == "/garbage":
                self._answer(200, "application/sparql-results+json", "{not json")
            elif path == "/auth":
                header = self.headers.get("Authorization")
                state.seen_auth.append(header)
                if header in state.expected_auth:
                    self._answer(200, "application/sparql-results+json", RESULTS)
                else:
                    self._answer(401, "text/plain", "bad credentials")
            else:
                self._answer(404, "text/plain", "no such page")

        do_GET = do_POST = do_PUT = _route

    return Handler


class _QuietServer(ThreadingHTTPServer):
    def handle_error(self, request: object, client_address: object) -> None:
        """A client that gave up (the /slow timeout) is expected: no traceback on stderr, where
        it would land in whatever later test is capturing stderr at that moment."""
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


@pytest.fixture(scope="session")
def tiny() -> Iterator[Tiny]:
    server = _QuietServer(("127.0.0.1", 0), _handler(Tiny("")))
    state = Tiny(f"http://127.0.0.1:{server.server_address[1]}")
    server.RequestHandlerClass = _handler(state)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
