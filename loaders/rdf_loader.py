"""RDF passthrough: a Turtle, N-Triples or JSON-LD file dropped into ``model/`` loads as it is.

Parsed by pyoxigraph, which reports syntax errors with their line and never fetches remote
JSON-LD contexts (no network during a build).

Refused, each with a line naming the file and (where one can be found) the line:

- **relative IRIs** (``<foo>`` without ``@base``): they would resolve against wherever the
  build happens to run (``file:///home/…/model/foo``), leaking the path and making the output
  differ between machines. The file is parsed against a sentinel base no real IRI uses, and
  any IRI under it was relative;
- **RDF-star** triple terms (``<< … >>``): nothing downstream (rdflib, the exports, SHACL)
  represents them;
- a literal longer than the cell-size limit (see :mod:`.limits`).

Each subject's line is found in one pass over the text (an index of the IRIs, prefixed names
and local names it mentions): the former search of every line for every subject took 192 s
for a file of 10,000 subjects.
"""

from __future__ import annotations

import bisect
import logging
import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph, Literal, URIRef
from rdflib.term import Node

from samhandling.errors import Problem
from samhandling.terms import to_rdflib

from .base import SourceReader, SourceResult, read_text, register
from .limits import current as current_limits
from .limits import too_large

FORMATS = {".ttl": ox.RdfFormat.TURTLE, ".nt": ox.RdfFormat.N_TRIPLES,
           ".jsonld": ox.RdfFormat.JSON_LD}
#: The base relative IRIs resolve against while parsing: ``.invalid`` is reserved (RFC 2606),
#: so no IRI a file writes in full starts with it.
RELATIVE_BASE = "https://relative-iri.samhandling.invalid/"
#: Problems of one kind reported per file before the rest are counted in one line.
MAX_REPORTED = 10


class _Refused(Exception):
    """A term the build cannot take (an RDF-star triple term)."""


@contextmanager
def quiet_ill_typed() -> Iterator[None]:
    """rdflib logs a warning *with a traceback* for every ill-typed literal it makes
    (``"2021-13-01"^^xsd:date``); such a literal is reported by the build as one line (or
    judged by ``sh:datatype`` in validation), so the log is silenced while terms are made."""
    log = logging.getLogger("rdflib.term")
    level = log.level
    log.setLevel(logging.CRITICAL)
    try:
        yield
    finally:
        log.setLevel(level)


@register
class RdfReader(SourceReader):
    extensions = tuple(FORMATS)

    def read(self, path: Path, display: str) -> SourceResult:
        result = SourceResult()
        text = read_text(path, display, result)
        if text is None:
            return result
        limits = current_limits()
        check_literals = len(text) > limits.cell_size
        graph = Graph()
        add = graph.add
        relative: set[str] = set()
        long_literals: list[tuple[Node, int]] = []
        star = False
        try:
            with quiet_ill_typed():
                for quad in ox.parse(text, format=FORMATS[path.suffix.lower()],
                                     base_iri=RELATIVE_BASE):
                    terms = (quad.subject, quad.predicate, quad.object)
                    if any(isinstance(t, ox.Triple) for t in terms):
                        star = True
                        continue
                    s, p, o = (to_rdflib(t) for t in terms)
                    for term in (s, p, o, getattr(o, "datatype", None)):
                        if isinstance(term, URIRef) and term.startswith(RELATIVE_BASE):
                            relative.add(str(term))
                    if check_literals and isinstance(o, Literal) and len(o) > limits.cell_size:
                        long_literals.append((s, len(o)))
                        continue
                    add((s, p, o))
        except SyntaxError as exc:
            message = str(exc)
            message = re.sub(r"\s*\([^()]*, line \d+\)$", "", message)
            result.problems.append(Problem(display, getattr(exc, "lineno", None),
                                           f"malformed RDF: {message}"))
            return result
        index = _TextIndex(text, json=path.suffix.lower() == ".jsonld")
        if star:
            result.problems.append(Problem(
                display, index.line_of_text("<<"),
                "RDF-star triple terms (<< ... >>) are not supported: state the triple, or "
                "describe it with rdf:Statement"))
        for number, iri in enumerate(sorted(relative)):
            if number == MAX_REPORTED:
                result.problems.append(Problem(display, None, f"{len(relative) - number} more "
                                               "relative IRIs"))
                break
            written = iri[len(RELATIVE_BASE):]
            result.problems.append(Problem(
                display, index.line_of_iri(written),
                f"relative IRI <{written}>: write the full IRI (or declare @base); it would "
                "resolve against the folder the build runs in"))
        for number, (subject, size) in enumerate(long_literals):
            if number == MAX_REPORTED:
                result.problems.append(Problem(display, None, f"{len(long_literals) - number}"
                                               " more literals over the size limit"))
                break
            line = index.subject_line(str(subject)) if isinstance(subject, URIRef) else None
            result.problems.append(Problem(display, line, too_large(
                "a literal", size, limits.cell_size, "SAMHANDLING_MAX_CELL_SIZE",
                unit="characters")))
        if result.problems:
            return result
        result.graph = graph
        result.subject_lines = {
            iri: line for iri in {str(s) for s in graph.subjects() if isinstance(s, URIRef)}
            if (line := index.subject_line(iri)) is not None}
        return result


#: ``<iri>`` as Turtle, N-Triples and SPARQL-style prefixes write it.
_IRIREF = re.compile(r'<([^<>"{}|^`\\\s]*)>')
_PREFIX = re.compile(r"(?:@prefix|PREFIX)\s+([A-Za-z][\w.-]*)?:\s*<([^<>\s]*)>", re.IGNORECASE)
#: ``prefix:local`` (the empty prefix too); a trailing ``.`` ends the statement, not the name.
_PNAME = re.compile(r"(?<![\w<\"/#-])([A-Za-z][\w.-]*)?:([\w%][\w.%:-]*)")
#: What the former lookup matched: a local name after ``:`` or ``<`` (up to a word boundary).
_LOCAL = re.compile(r"[:<]([\w.%-]{1,256})")
_JSON_STRING = re.compile(r'"((?:[^"\\\n]|\\.)*)"')


class _TextIndex:
    """Where IRIs, prefixed names and local names first appear in a file: built in one pass
    over the text, then each lookup is a dictionary access (linear in the file, where the
    per-subject search of every line was quadratic)."""

    def __init__(self, text: str, json: bool = False) -> None:
        self.text = text
        self.starts = [0]
        self.starts.extend(m.end() for m in re.finditer("\n", text))
        self.iris: dict[str, int] = {}
        self.locals: dict[str, int] = {}
        setdefault = self.iris.setdefault
        for match in _IRIREF.finditer(text):
            setdefault(match.group(1), self._line(match.start()))
        if json:
            for match in _JSON_STRING.finditer(text):
                setdefault(match.group(1), self._line(match.start()))
        prefixes = {m.group(1) or "": m.group(2) for m in _PREFIX.finditer(text)}
        if prefixes:
            for match in _PNAME.finditer(text):
                namespace = prefixes.get(match.group(1) or "")
                if namespace is not None:
                    setdefault(namespace + match.group(2).rstrip("."),
                               self._line(match.start()))
        self._locals_built = False

    def _build_locals(self) -> None:
        """The local-name index, made only when some subject is not named in full."""
        self._locals_built = True
        local_default = self.locals.setdefault
        for match in _LOCAL.finditer(self.text):
            token = match.group(1)
            line = None
            # every prefix of the token that ends at a word boundary, as ``local\b`` would
            for end in range(1, len(token) + 1):
                if (token[end - 1].isalnum() or token[end - 1] == "_") and (
                        end == len(token) or not (token[end].isalnum() or token[end] == "_")):
                    if line is None:
                        line = self._line(match.start())
                    local_default(token[:end], line)

    def _line(self, offset: int) -> int:
        return bisect.bisect_right(self.starts, offset)

    def line_of_iri(self, iri: str) -> int | None:
        return self.iris.get(iri)

    def line_of_text(self, needle: str) -> int | None:
        found = self.text.find(needle)
        return None if found == -1 else self._line(found)

    def subject_line(self, iri: str) -> int | None:
        """The first line that names ``iri`` in full or as a prefixed name; failing that
        (a ``@base``-relative name, say), the first with its local name after ``:`` or
        ``<``: good enough for pointing."""
        line = self.iris.get(iri)
        if line is not None:
            return line
        local = re.split(r"[/#]", iri.rstrip("/#"))[-1]
        if not local:
            return None
        if not self._locals_built:
            self._build_locals()
        return self.locals.get(local)
