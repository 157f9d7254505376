"""One HTTP exchange with a SPARQL endpoint or graph store, on terms the server cannot bend.

* **A total deadline.** A socket timeout bounds each read, so a server sending one byte a
  second never times out. A timer shuts the connection's sockets down at the deadline, which
  ends any blocked read (headers or body), and the read loop checks the clock as well.
* **A size cap.** The answer is read in chunks and refused once it passes ``max_bytes``
  (a ``Content-Length`` above the cap is refused before reading).
* **Credentials stay with their origin.** ``Authorization`` is an *unredirected* header: urllib
  never copies it to a redirect. A redirect of an authenticated request to another scheme,
  host or port is refused as an error (following it would either leak the secret or silently
  run unauthenticated); a redirect within the origin is followed with the header.
* **Messages are safe to print.** A server's error body is shown as one escaped line, with
  anything that looks like the credentials replaced.
"""

from __future__ import annotations

import contextlib
import http.client
import os
import re
import socket
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from typing import Any

from ..errors import EndpointError, UsageError
from .sandbox import one_line

#: Where credentials come from (never from the command line, never printed); the transport's
#: messages name them, the remote engine reads them.
ENV_USER = "SAMHANDLING_SPARQL_USER"
ENV_PASSWORD = "SAMHANDLING_SPARQL_PASSWORD"
ENV_TOKEN = "SAMHANDLING_SPARQL_TOKEN"

#: Largest answer read from an endpoint, in MiB, unless the option or variable says otherwise.
DEFAULT_MAX_ANSWER_MB = 256
ENV_MAX_ANSWER = "SAMHANDLING_MAX_ANSWER_MB"
#: Enough of an error body for its first line.
ERROR_BODY_BYTES = 64 * 1024
CHUNK = 64 * 1024


def max_answer_bytes(megabytes: float | None = None, env: dict[str, str] | None = None) -> int:
    """The answer cap in bytes: ``megabytes`` if given, else ``SAMHANDLING_MAX_ANSWER_MB``,
    else the default."""
    if megabytes is None:
        raw = (os.environ if env is None else env).get(ENV_MAX_ANSWER, "").strip()
        if not raw:
            return DEFAULT_MAX_ANSWER_MB * 1024 * 1024
        try:
            megabytes = float(raw)
        except ValueError:
            raise UsageError(f"{ENV_MAX_ANSWER} must be a number of MiB, not "
                             f"'{one_line(raw, 40)}'") from None
    if not megabytes > 0:
        raise UsageError("the answer size limit must be more than 0 MiB")
    return int(megabytes * 1024 * 1024)


@dataclass(frozen=True)
class Answer:
    status: int
    content_type: str
    body: bytes


def origin(url: str) -> tuple[str, str, int | None]:
    """Scheme, host and port (the default port filled in): what credentials are bound to."""
    parts = urllib.parse.urlsplit(url)
    scheme = parts.scheme.lower()
    try:
        port = parts.port
    except ValueError:
        port = None
    if port is None:
        port = {"http": 80, "https": 443}.get(scheme)
    return scheme, (parts.hostname or "").lower(), port


class CrossOriginRedirect(Exception):
    """An authenticated request was redirected to another origin."""

    def __init__(self, target: str) -> None:
        super().__init__(target)
        self.target = target


@dataclass
class _Watch:
    """The sockets of one exchange and its deadline; ``expire`` shuts them all down."""

    deadline: float
    sockets: list[socket.socket] = field(default_factory=list)
    expired: bool = False
    lock: threading.Lock = field(default_factory=threading.Lock)

    def remaining(self) -> float:
        return max(0.01, self.deadline - time.monotonic())

    def register(self, sock: socket.socket) -> None:
        with self.lock:
            self.sockets.append(sock)
            if self.expired:
                _shutdown(sock)

    def expire(self) -> None:
        with self.lock:
            self.expired = True
            for sock in self.sockets:
                _shutdown(sock)


def _shutdown(sock: socket.socket) -> None:
    with contextlib.suppress(OSError):
        sock.shutdown(socket.SHUT_RDWR)


def _opener(watch: _Watch, authorization: str | None) -> urllib.request.OpenerDirector:
    class Watched(http.client.HTTPConnection):
        def connect(self) -> None:
            self.timeout = watch.remaining()
            super().connect()
            watch.register(self.sock)

    class WatchedTLS(http.client.HTTPSConnection):
        def connect(self) -> None:
            self.timeout = watch.remaining()
            super().connect()
            watch.register(self.sock)

    class HTTP(urllib.request.HTTPHandler):
        def http_open(self, req: urllib.request.Request) -> Any:
            return self.do_open(Watched, req)

    class HTTPS(urllib.request.HTTPSHandler):
        def https_open(self, req: urllib.request.Request) -> Any:
            return self.do_open(WatchedTLS, req, context=self._context)  # type: ignore[attr-defined]

    class Redirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, req: urllib.request.Request, fp: Any, code: int, msg: str,
                             headers: Any, newurl: str) -> urllib.request.Request | None:
            if urllib.parse.urlsplit(newurl).scheme.lower() not in ("http", "https"):
                raise CrossOriginRedirect(newurl)
            new = super().redirect_request(req, fp, code, msg, headers, newurl)
            if new is None or authorization is None:
                return new
            if origin(newurl) != origin(req.full_url):
                raise CrossOriginRedirect(newurl)
            new.add_unredirected_header("Authorization", authorization)
            return new

    return urllib.request.build_opener(HTTP(), HTTPS(), Redirect())


def exchange(url: str, *, what: str, method: str, body: bytes | None,
             headers: dict[str, str], authorization: str | None, timeout: float,
             max_bytes: int, secrets: tuple[str, ...] = (),
             shown: str | None = None) -> Answer:
    """Send one request and read the whole answer within ``timeout`` seconds in all.

    Every failure is one :class:`EndpointError` line naming ``what`` and ``shown`` (the URL
    the user gave, default ``url``); ``secrets`` are blanked out of anything the server sends
    back.
    """
    request = urllib.request.Request(url, data=body, method=method)
    for key, value in headers.items():
        request.add_header(key, value)
    if authorization is not None:
        request.add_unredirected_header("Authorization", authorization)
    url = shown or url  # the request already holds where it goes
    watch = _Watch(time.monotonic() + timeout)
    timer = threading.Timer(timeout, watch.expire)
    timer.daemon = True
    timer.start()
    try:
        with _opener(watch, authorization).open(request, timeout=timeout) as response:
            status = response.status
            content_type = (response.headers.get("content-type") or "").split(";")[0]
            length = response.headers.get("content-length")
            if length and length.strip().isdigit() and int(length) > max_bytes:
                raise EndpointError(_too_big(what, url, max_bytes))
            data = _read(response, watch, max_bytes, what, url)
        return Answer(status, content_type.strip().lower(), data)
    except CrossOriginRedirect as exc:
        moved = urllib.parse.urlsplit(exc.target)
        where = one_line(f"{moved.scheme}://{moved.netloc}", 120)
        raise EndpointError(
            f"{what} {url} redirected the request to {where}, another origin; credentials "
            "are never sent there: use that server's URL directly if you trust it") from None
    except urllib.error.HTTPError as exc:
        error_body = b""
        with contextlib.suppress(OSError, http.client.HTTPException):
            error_body = exc.read(ERROR_BODY_BYTES)
        raise EndpointError(status_message(url, what, exc.code, error_body, secrets)) from None
    except EndpointError:
        raise
    except urllib.error.URLError as exc:
        reason: Any = exc.reason
        if watch.expired:
            reason = TimeoutError()
        raise EndpointError(transport_message(url, what, reason, timeout)) from None
    except (OSError, http.client.HTTPException, ValueError) as exc:
        reason = TimeoutError() if watch.expired else exc
        raise EndpointError(transport_message(url, what, reason, timeout)) from None
    finally:
        timer.cancel()


def _read(response: Any, watch: _Watch, max_bytes: int, what: str, url: str) -> bytes:
    chunks: list[bytes] = []
    size = 0
    while True:
        if watch.expired or time.monotonic() > watch.deadline:
            raise TimeoutError
        chunk = response.read1(CHUNK) if hasattr(response, "read1") else response.read(CHUNK)
        if not chunk:
            if watch.expired:
                raise TimeoutError
            return b"".join(chunks)
        size += len(chunk)
        if size > max_bytes:
            raise EndpointError(_too_big(what, url, max_bytes))
        chunks.append(chunk)


def _too_big(what: str, url: str, max_bytes: int) -> str:
    return (f"{what} {url} sent an answer larger than {max_bytes / 1048576:g} MiB; refused "
            f"(raise the limit with --max-answer-mb or {ENV_MAX_ANSWER})")


def transport_message(url: str, what: str, reason: Any, timeout: float) -> str:
    if isinstance(reason, TimeoutError) or "timed out" in str(reason):
        return f"{what} {url} did not answer within {timeout:g} s (timeout)"
    if isinstance(reason, ConnectionRefusedError) or "refused" in str(reason).lower():
        return f"cannot reach {what} {url}: connection refused (is the server running?)"
    if isinstance(reason, socket.gaierror):
        return f"cannot reach {what} {url}: unknown host"
    if isinstance(reason, http.client.HTTPException):
        name = type(reason).__name__
        return f"cannot reach {what} {url}: malformed HTTP answer ({name})"
    text = getattr(reason, "strerror", None) or str(reason)
    return f"cannot reach {what} {url}: {one_line(text, 200)}"


def status_message(url: str, what: str, code: int, body: bytes,
                   secrets: tuple[str, ...] = ()) -> str:
    detail = first_line(body, secrets)
    if code == 401:
        return (f"{what} {url} refused access (HTTP 401 Unauthorized); set {ENV_USER} and "
                f"{ENV_PASSWORD}, or {ENV_TOKEN}")
    if code == 403:
        return (f"{what} {url} forbids this request (HTTP 403 Forbidden); check the account's "
                "rights")
    if code == 404:
        return f"no {what} at {url} (HTTP 404 Not Found); check the URL"
    if code == 400:
        return f"{what} {url} rejected the request (HTTP 400)" + (f": {detail}" if detail else "")
    if code >= 500:
        return f"{what} {url} failed (HTTP {code})" + (f": {detail}" if detail else "")
    return f"{what} {url} answered HTTP {code}" + (f": {detail}" if detail else "")


_CREDENTIAL_LIKE = re.compile(
    r"(?i)\b(authorization\s*[:=]\s*)\S.*|\b(bearer|basic)(\s+)[A-Za-z0-9._~+/=:-]+")


def redact(text: str, secrets: tuple[str, ...] = ()) -> str:
    """``text`` with each secret and anything shaped like an Authorization value replaced."""
    for secret in sorted((s for s in secrets if s), key=len, reverse=True):
        text = text.replace(secret, "[redacted]")

    def blank(match: re.Match[str]) -> str:
        if match.group(1) is not None:
            return match.group(1) + "[redacted]"
        return f"{match.group(2)}{match.group(3)}[redacted]"

    return _CREDENTIAL_LIKE.sub(blank, text)


def first_line(body: bytes, secrets: tuple[str, ...] = ()) -> str:
    """The first non-empty line of an error body, redacted and escaped (empty for HTML)."""
    text = body[:ERROR_BODY_BYTES].decode("utf-8", errors="replace")
    if "<html" in text[:500].lower():
        return ""
    for line in text.splitlines():
        if line.strip():
            return one_line(redact(line.strip(), secrets), 200)
    return ""


__all__ = ["DEFAULT_MAX_ANSWER_MB", "ENV_MAX_ANSWER", "Answer", "exchange", "first_line",
           "max_answer_bytes", "origin", "redact", "status_message", "transport_message"]
