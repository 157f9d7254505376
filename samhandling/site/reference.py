"""The checks and questions of the model as page data: the shapes with what each rule says in
plain language and how many nodes it flags today, the query library with each query's
current answer, and the current validation report.

Everything here runs the same library code the CLI runs (``validate``, ``query``), so a page
shows what the command would print today.
"""

from __future__ import annotations

import gc
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, cast

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.term import Node

from ..built import BuiltModel
from ..errors import SamhandlingError
from ..namespaces import RDF, SH
from ..query.terms import QueryResult, Term
from ..validation.display import compact_shape, local_name, owner_shape, show_path
from ..validation.results import ValidationReport

#: Longest result table a query page shows (a national model's answers run to thousands).
MAX_ROWS = 200


@dataclass(frozen=True)
class Rule:
    """One shape: what it checks, in words, and what it finds today."""

    name: str
    severity: str
    #: classes the rule applies to (a shared property shape may serve several)
    targets: tuple[str, ...]
    path: str
    messages: dict[str, str]
    #: plain-language constraints per language
    checks: dict[str, tuple[str, ...]]
    flagged: int
    file: str


#: constraint -> (nb, en) wording; {v} is the value as the site shows it.
_CONSTRAINTS: dict[URIRef, tuple[str, str]] = {
    SH.minCount: ("minst {v} verdi(er)", "at least {v} value(s)"),
    SH.maxCount: ("høyst {v} verdi(er)", "at most {v} value(s)"),
    SH["class"]: ("verdien er en {v}", "the value is a {v}"),
    SH.datatype: ("verdien har datatypen {v}", "the value has datatype {v}"),
    SH.nodeKind: ("verdien er av typen {v}", "the value is of node kind {v}"),
    SH.pattern: ("verdien følger mønsteret {v}", "the value matches the pattern {v}"),
    SH.minLength: ("minst {v} tegn", "at least {v} characters"),
    SH.maxLength: ("høyst {v} tegn", "at most {v} characters"),
    SH.minInclusive: ("minst {v}", "at least {v}"),
    SH.maxInclusive: ("høyst {v}", "at most {v}"),
    SH.hasValue: ("har verdien {v}", "has the value {v}"),
    SH.uniqueLang: ("høyst én verdi per språk", "at most one value per language"),
    SH.languageIn: ("språk blant {v}", "language among {v}"),
    SH["in"]: ("en av {v}", "one of {v}"),
    SH["or"]: ("minst ett av alternativene holder", "at least one of the alternatives holds"),
    SH["not"]: ("en regel som ikke skal holde", "a rule that must not hold"),
    SH.node: ("verdien oppfyller regelen {v}", "the value meets the rule {v}"),
    SH.sparql: ("en SPARQL-sjekk (se meldingen)", "a SPARQL check (see the message)"),
    SH.closed: ("ingen andre egenskaper", "no other properties"),
}


def _shown(graph: Graph, value: Node, label: Callable[[str, str], str], lang: str) -> str:
    if isinstance(value, Literal):
        return str(value)
    if isinstance(value, URIRef):
        return label(str(value), lang)
    if graph.value(value, RDF.first) is not None:
        return ", ".join(_shown(graph, item, label, lang) for item in graph.items(value))
    return "…"


def read_rules(shapes: Graph, report: ValidationReport, label: Callable[[str, str], str],
               files: dict[str, str]) -> list[Rule]:
    """Every named shape of ``shapes`` as a :class:`Rule`, sorted by name; ``label`` names a
    class or property in a language; ``files`` maps a shape's name to the file declaring it."""
    flagged = Counter[str]()
    seen: set[tuple[str, str]] = set()
    for result in report.results:
        if (result.shape, result.focus) not in seen:
            seen.add((result.shape, result.focus))
            flagged[result.shape] += 1
    rules = []
    shape_nodes = set(shapes.subjects(RDF.type, SH.NodeShape)) | set(
        shapes.subjects(RDF.type, SH.PropertyShape)) | set(shapes.subjects(SH.path, None))
    for node in shape_nodes:
        if isinstance(node, BNode):
            continue
        name = compact_shape(node)
        owners = [owner_shape(shapes, owner) for owner in shapes.subjects(SH.property, node)]
        targets = sorted({str(t) for holder in (node, *owners)
                          for t in shapes.objects(holder, SH.targetClass)
                          if isinstance(t, URIRef)})
        severity = shapes.value(node, SH.severity)
        messages: dict[str, str] = {}
        for message in sorted(shapes.objects(node, SH.message), key=str):
            if isinstance(message, Literal):
                messages.setdefault(message.language or "en", " ".join(str(message).split()))
        for sparql in shapes.objects(node, SH.sparql):
            for message in sorted(shapes.objects(sparql, SH.message), key=str):
                if isinstance(message, Literal):
                    messages.setdefault(message.language or "en",
                                        " ".join(str(message).split()))
        checks: dict[str, tuple[str, ...]] = {}
        for lang in ("nb", "en"):
            words = []
            for constraint, (nb, en) in _CONSTRAINTS.items():
                for value in sorted(shapes.objects(node, constraint), key=str):
                    words.append((nb if lang == "nb" else en).format(
                        v=_shown(shapes, value, label, lang)))
            checks[lang] = tuple(words)
        if not messages and not any(checks.values()):
            continue  # a node shape that only gathers property shapes: they are listed
        path = shapes.value(node, SH.path)
        rules.append(Rule(
            name, local_name(severity) if severity is not None else "Violation",
            tuple(targets),
            show_path(shapes, path) if path is not None else "",
            messages, checks, flagged.get(name, 0), files.get(name, "")))
    return sorted(rules, key=lambda rule: rule.name)


def shape_files(paths: list[Path]) -> dict[str, str]:
    """Shape name -> ``file:line`` of its declaration (a line that starts with the name)."""
    found: dict[str, str] = {}
    for path in paths:
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if line.startswith("samsh:"):
                name = line.split()[0].removeprefix("samsh:")
                found.setdefault(name, f"shapes/{path.name}:{number}")
    return found


@dataclass(frozen=True)
class Cell:
    """One cell of a result table: its text and the resource it names (for a link)."""

    text: str
    iri: str = ""


@dataclass
class QueryPage:
    """One library query with today's answer."""

    name: str
    kind: str
    summary: dict[str, str]
    params: dict[str, tuple[str, ...]]
    file: str
    columns: dict[str, list[str]] = field(default_factory=dict)
    rows: dict[str, list[tuple[Cell, ...]]] = field(default_factory=dict)
    total: int = 0
    boolean: bool | None = None
    #: why the query was not run or failed, per language ("" when it ran)
    problem: dict[str, str] = field(default_factory=dict)


class _InProcess:
    """The library's own queries on the site's own in-memory store, run in this process.

    ``samhandling query`` runs each query in a forked child it can stop at a deadline (a
    user's query may run away); that costs ~0.1 s a query, which for the whole library in
    two languages was most of a small site's build. The library's queries are ours, and
    ``check_service`` still refuses any that would reach the network."""

    name = "oxigraph"

    def __init__(self, store: Any) -> None:
        self.store = store
        #: rows of the last SELECT (only the first :data:`MAX_ROWS` are kept)
        self.total = 0

    def run(self, text: str, source: str = "query") -> QueryResult:
        import pyoxigraph as ox

        from ..query.embedded import check_service
        from ..query.terms import from_oxigraph

        check_service(text, source, False)
        try:
            answer = self.store.query(text)
        except (SyntaxError, OSError) as exc:
            raise SamhandlingError(f"{source}: {' '.join(str(exc).split())}") from None
        if isinstance(answer, ox.QueryBoolean):
            return QueryResult("ask", boolean=bool(answer))
        if isinstance(answer, ox.QueryTriples):
            return QueryResult.graph([cast("tuple[Term, Term, Term]", (
                from_oxigraph(t.subject), from_oxigraph(t.predicate), from_oxigraph(t.object)))
                for t in answer])
        names = [v.value for v in answer.variables]
        rows = []
        self.total = 0
        for solution in answer:  # only the rows a page shows become Python terms
            self.total += 1
            if self.total <= MAX_ROWS:
                rows.append(tuple(from_oxigraph(solution[name]) for name in names))
        return QueryResult("select", names, rows)


def run_queries(model: BuiltModel) -> list[QueryPage]:
    """Every library query run on ``model`` (with the ontology) with its default parameters;
    a query that needs a parameter is listed but not run. A query that reads ``?_lang``
    (labels) runs once per language, any other once."""
    with _collected_here():
        return _run_queries(model)


@contextmanager
def _collected_here() -> Iterator[None]:
    """No cyclic garbage collection while the queries run, then one in this thread.

    pyoxigraph's results must be freed by the thread that made them; a collection started
    by another thread (``--serve``'s server) would free them there, which pyoxigraph
    reports as a RuntimeError on stderr."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.collect()
        if was_enabled:
            gc.enable()


def _run_queries(model: BuiltModel) -> list[QueryPage]:
    from ..query.library import list_queries
    from ..query.run import Dataset, execute

    engine = _InProcess(Dataset(model).store())
    pages = []
    for query in list_queries():
        page = QueryPage(query.name, query.kind, {lang: query.summary_in(lang)
                                                  for lang in ("nb", "en")},
                         {lang: tuple(p.describe(lang) for p in query.params)
                          for lang in ("nb", "en")}, f"queries/{query.path.name}")
        pages.append(page)
        if any(p.required for p in query.params):
            page.problem = {"nb": "needs", "en": "needs"}
            continue
        titles = query.titles()
        result = None
        for lang in ("nb", "en"):
            try:
                if result is None or query.uses_lang:
                    result = execute(query, engine, {}, lang).result
            except SamhandlingError as exc:
                page.problem = {"nb": str(exc), "en": str(exc)}
                break
            if result.form == "ask":
                page.boolean = bool(result.boolean)
                continue
            page.columns[lang] = [titles[v].title(lang) if v in titles else v
                                  for v in result.variables]
            page.total = engine.total if result.form == "select" else len(result.rows)
            page.rows[lang] = [tuple(Cell(_cell_text(t), t.value if t is not None and
                                          t.kind == "iri" else "") for t in row)
                               for row in result.rows[:MAX_ROWS]]
    return pages


def _cell_text(term: object) -> str:
    from ..query.format import compact

    return compact(term)  # type: ignore[arg-type]
