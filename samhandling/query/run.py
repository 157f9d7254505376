"""Run a library query: choose the engine, bind the parameters, execute, report violations.

The data a query sees is the built model plus the ontology (so class labels, for instance
"Åpent spørsmål" for ``sam:OpenQuestion``, are there to read); ``samhandling push`` loads the
same union into a triple store, so a query gives the same rows locally and remotely.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from .library import QueryFile
from .params import bind
from .terms import QueryResult

if TYPE_CHECKING:
    from rdflib import Graph

    from ..built import BuiltModel

ENGINES = ("oxigraph", "rdflib")


class Engine(Protocol):
    name: str

    def run(self, text: str, source: str = "query") -> QueryResult: ...


@dataclass
class Dataset:
    """The built model and, unless left out, the ontology: what every engine is fed.

    Each view (N-Triples for a store or a push, an rdflib graph for the reference engine) is
    made on first use, so the default engine never builds rdflib terms it does not need.
    """

    model: BuiltModel
    with_ontology: bool = True
    _cache: dict[str, Any] = field(default_factory=dict, repr=False)

    @classmethod
    def load(cls, model_dir: Path | str, *, with_ontology: bool = True) -> Dataset:
        from ..build import load_model

        return cls(load_model(model_dir), with_ontology)

    def ontology_triples(self) -> list[Any]:
        """The ontology as pyoxigraph triples; its blank nodes get fresh random ids so they
        can never merge with a blank node of the model."""
        if not self.with_ontology:
            return []
        import pyoxigraph as ox

        from ..resources import ontology_files

        triples = []
        for path in ontology_files():
            for quad in ox.parse(path=path, format=ox.RdfFormat.TURTLE, rename_blank_nodes=True):
                triples.append(ox.Triple(quad.subject, quad.predicate, quad.object))
        return triples

    @cached_property
    def ntriples(self) -> bytes:
        """Model and ontology as one N-Triples document (one triple a line)."""
        import pyoxigraph as ox

        method = getattr(self.model, "ntriples", None)
        if method is not None:
            body = method()
        else:
            from ..terms import canonical_triples

            body = ox.serialize(canonical_triples(self.model.graph),
                                format=ox.RdfFormat.N_TRIPLES) or b""
        if body and not body.endswith(b"\n"):
            body += b"\n"
        return body + ox.serialize(self.ontology_triples(), format=ox.RdfFormat.N_TRIPLES)

    def __len__(self) -> int:
        return self.ntriples.count(b"\n")

    def store(self) -> Any:
        """A fresh in-memory pyoxigraph store holding the dataset."""
        import pyoxigraph as ox

        store = ox.Store()
        store.bulk_load(self.ntriples, format=ox.RdfFormat.N_TRIPLES)
        return store

    def graph(self) -> Graph:
        """The dataset as a new rdflib graph (the model's own graph is left untouched)."""
        from rdflib import Graph

        graph = Graph()
        graph += self.model.graph
        if self.with_ontology:
            from ..vocabulary import ontology_graph

            graph += ontology_graph()
        return graph


def local_engine(dataset: Dataset, name: str = "oxigraph", *,
                 allow_service: bool = False,
                 timeout: float | None = None) -> Engine:
    """The embedded store (default) or the rdflib reference on ``dataset``; each query it
    runs is stopped after ``timeout`` seconds. None (no limit) suits callers that keep their
    own clock, like the benchmarks; the CLI always gives one (``--timeout``, default 30 s)."""
    if name == "rdflib":
        from .reference import ReferenceEngine

        return ReferenceEngine(dataset.graph(), allow_service=allow_service, timeout=timeout)
    from .embedded import EmbeddedEngine

    return EmbeddedEngine(dataset.store(), allow_service=allow_service, timeout=timeout)


@dataclass
class Outcome:
    """A query's result and whether it reports a problem (a violation query with rows)."""

    query: QueryFile
    result: QueryResult

    @property
    def found_problem(self) -> bool:
        if self.query.kind != "violation":
            return False
        if self.result.form == "ask":
            return bool(self.result.boolean)
        return bool(self.result.rows)


def bound_text(query: QueryFile, engine: Engine, params: dict[str, str], lang: str) -> str:
    """The query text with its parameters bound, ready for ``engine``."""
    bindings = bind(query, params, lang, lambda text: engine.run(text, "parameter lookup"))
    return bindings.apply(query.text)


def execute(query: QueryFile, engine: Engine, params: dict[str, str] | None = None,
            lang: str = "nb") -> Outcome:
    """Bind ``params`` (raw ``name -> value`` strings) and run ``query`` on ``engine``."""
    text = bound_text(query, engine, params or {}, lang)
    return Outcome(query, engine.run(text, query.display))
