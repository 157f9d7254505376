"""Load the built model into a triple store with the SPARQL 1.1 Graph Store Protocol.

One ``PUT`` replaces the target graph (a named graph, or the default graph) with the whole
model in a single request, so the store never serves half of an old and half of a new model.
Credentials come from the same environment variables as :mod:`.remote`.
"""

from __future__ import annotations

import urllib.parse
from dataclasses import dataclass

from ..errors import EndpointError
from . import transport
from .remote import DEFAULT_TIMEOUT, Credentials, check_url, credentials_from_env
from .terms import check_iri

NTRIPLES = "application/n-triples"


@dataclass(frozen=True)
class PushReport:
    """What was sent where, for the one line the CLI prints."""

    triples: int
    store: str
    graph: str | None
    status: int

    def describe(self) -> str:
        target = f"named graph <{self.graph}>" if self.graph else "the default graph"
        return (f"pushed {self.triples} triples into {target} of {self.store} "
                f"(HTTP {self.status})")


def target_url(store: str, graph: str | None) -> str:
    """``STORE?graph=<encoded IRI>`` or ``STORE?default``, as the protocol spells them."""
    separator = "&" if "?" in store else "?"
    if graph is None:
        return f"{store}{separator}default"
    return f"{store}{separator}" + urllib.parse.urlencode({"graph": graph})


def push_ntriples(body: bytes, store: str, *, graph_iri: str | None = None,
                  timeout: float = DEFAULT_TIMEOUT,
                  credentials: Credentials | None = None) -> PushReport:
    """Replace ``graph_iri`` (or the default graph) in the store at ``store`` with the triples
    of ``body`` (N-Triples, one triple a line), within ``timeout`` seconds in all."""
    check_url(store, "graph store")
    if graph_iri is not None:
        check_iri(graph_iri)
    credentials = credentials if credentials is not None else credentials_from_env()
    answer = transport.exchange(
        target_url(store, graph_iri), what="graph store", method="PUT", body=body,
        headers={"Content-Type": NTRIPLES, "User-Agent": "samhandling"},
        authorization=credentials.header(), timeout=timeout,
        max_bytes=transport.max_answer_bytes(), secrets=credentials.secrets(), shown=store)
    if answer.content_type == "text/html":
        raise EndpointError(f"graph store {store} answered with an HTML page, not the Graph "
                            "Store Protocol; is this the store endpoint (e.g. "
                            "http://host:7878/store)?")
    return PushReport(body.count(b"\n"), store, graph_iri, answer.status)
