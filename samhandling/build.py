"""Build the model graph from a folder of sources, keeping a source map for every subject.

The build reads every file, checks every record against :mod:`samhandling.schema`, resolves
ids to IRIs and derives the few triples that follow from what was read (reuse shortcuts, the
need-code hierarchy, source pages). Problems are collected across all files and raised once,
so a user fixes a broken pull request in one round.

Why triples are kept as N-Triples text: a national-size model has a million triples, and
building rdflib terms and adding them to an rdflib graph costs ~25 µs a triple (25 s), while a
tuple of three strings costs under 1 µs. So the build keeps each triple as its three
N-Triples terms with the place it was read, and :class:`BuiltModel` makes what a caller asks
for from them on first use: ``graph`` (rdflib), ``store`` (pyoxigraph, loaded from N-Triples
in Rust) or ``statements``. A caller that only validates or queries on the store never pays
for rdflib.
"""

from __future__ import annotations

import datetime as dt
import difflib
import gc
import heapq
import json
import re
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.term import Node

from samhandling.loaders import Cell, Record, reader_for

from .errors import ModelLoadError, Problem
from .namespaces import BASE, DCTERMS, RDF, RDFS, SAM, SKOS, XSD
from .schema import (
    ID_PATTERN,
    KINDS,
    KINDS_BY_NAME,
    KINDS_BY_SEGMENT,
    NEED_CODE_PATTERN,
    NEED_SCHEME,
    Column,
    Kind,
)

if TYPE_CHECKING:
    import pyoxigraph

Triple = tuple[Node, Node, Node]
#: A triple as its three N-Triples terms (``<iri>``, ``"text"@nb``, ``_:b0``).
NtTriple = tuple[str, str, str]
LANG_PREDICATES = (RDFS.label, SKOS.prefLabel, SKOS.altLabel, SKOS.definition, SKOS.note,
                   DCTERMS.title, DCTERMS.description)
TRUE_WORDS = {"true", "yes", "ja", "1"}
FALSE_WORDS = {"false", "no", "nei", "0"}


@dataclass(frozen=True, order=True)
class SourceLocation:
    """Where a subject or statement was read: file and line, or workbook sheet and row."""

    file: str
    line: int | None = None
    sheet: str | None = None

    def __str__(self) -> str:
        return str(Problem(self.file, self.line, "", self.sheet).location())


#: A statement's place as the build keeps it: a location, or its (file, line, sheet) fields
#: (a plain tuple is ~10x cheaper to make than a frozen dataclass, and there is one per cell).
_Loc = SourceLocation | tuple[str, int | None, str | None]


def _location(loc: _Loc) -> SourceLocation:
    return loc if isinstance(loc, SourceLocation) else SourceLocation(*loc)


# -- N-Triples terms ----------------------------------------------------------------------------
_NT_ESCAPE = str.maketrans({"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r"})
_NEEDS_ESCAPE = re.compile(r'["\\\n\r]')
_NT_UNESCAPE = re.compile(r'\\(.)')
_UNESCAPED = {"\\": "\\", '"': '"', "n": "\n", "r": "\r", "t": "\t", "b": "\b", "f": "\f",
              "'": "'"}


def _nt_iri(iri: str) -> str:
    return f"<{iri}>"


def _nt_literal(lexical: str, lang: str | None = None, datatype: str | None = None) -> str:
    if _NEEDS_ESCAPE.search(lexical):
        lexical = lexical.translate(_NT_ESCAPE)
    text = f'"{lexical}"'
    if lang:
        return f"{text}@{lang}"
    if datatype:
        return f"{text}^^<{datatype}>"
    return text


def nt_term(node: Node) -> str:
    """The N-Triples form of an rdflib term (the key :attr:`BuiltModel.statements` uses)."""
    if isinstance(node, URIRef):
        return f"<{node}>"
    if isinstance(node, Literal):
        return _nt_literal(str(node), node.language,
                           str(node.datatype) if node.datatype is not None else None)
    if isinstance(node, BNode):
        return f"_:{node}"
    raise TypeError(f"unsupported RDF term: {node!r}")


def _split_literal(nt: str) -> tuple[str, str]:
    """(lexical form, suffix after the closing quote) of an N-Triples literal."""
    end = nt.rindex('"')
    lexical = nt[1:end]
    if "\\" in lexical:
        lexical = _NT_UNESCAPE.sub(lambda m: _UNESCAPED.get(m.group(1), m.group(0)), lexical)
    return lexical, nt[end + 1:]


def rdflib_term(nt: str) -> Node:
    """The rdflib term of an N-Triples term written by this module."""
    first = nt[0]
    if first == "<":
        return URIRef(nt[1:-1])
    if first == "_":
        return BNode(nt[2:])
    lexical, suffix = _split_literal(nt)
    if suffix.startswith("@"):
        return Literal(lexical, lang=suffix[1:])
    if suffix.startswith("^^"):
        return Literal(lexical, datatype=URIRef(suffix[3:-1]))
    return Literal(lexical)


def _lexical(nt: str) -> str:
    """``str()`` of the term: a literal's lexical form, an IRI, a blank node's label."""
    return _split_literal(nt)[0] if nt.startswith('"') else str(rdflib_term(nt))


def _literal_lang(nt: str) -> str | None:
    if not nt.startswith('"'):
        return None
    suffix = _split_literal(nt)[1]
    return suffix[1:] if suffix.startswith("@") else None


_RDF_TYPE = _nt_iri(str(RDF.type))
_RDFS_LABEL = _nt_iri(str(RDFS.label))
_DCTERMS_SOURCE = _nt_iri(str(DCTERMS.source))
_SKOS_NOTATION = _nt_iri(str(SKOS.notation))
_REUSING = _nt_iri(str(SAM.reusingService))
_REUSED = _nt_iri(str(SAM.reusedService))
_XSD_INTEGER = str(XSD.integer)
_XSD_BOOLEAN = str(XSD.boolean)
_XSD_DATE = str(XSD.date)
_NEED_SCHEME = _nt_iri(str(NEED_SCHEME))
#: Triples per N-Triples document when loading the store (bounds the text held at once).
STORE_CHUNK = 100_000
#: Datatypes pyoxigraph 0.5 stores as ``xsd:integer`` (see ``BuiltModel.store_rewrites_literals``).
_STORE_INTEGERS = frozenset(
    f"<{XSD}{name}>" for name in (
        "long", "int", "short", "byte", "nonNegativeInteger", "positiveInteger",
        "nonPositiveInteger", "negativeInteger", "unsignedLong", "unsignedInt",
        "unsignedShort", "unsignedByte"))
#: Predicates whose objects the derivations look up while the build runs.
_INDEXED = (_RDFS_LABEL, _DCTERMS_SOURCE, _SKOS_NOTATION, _REUSING, _REUSED)
#: kind name -> column name -> (column, its predicate as N-Triples); the first column of a
#: name wins, as :meth:`Kind.column` does.
_COLUMNS: dict[str, dict[str, tuple[Column, str]]] = {}
for _kind in KINDS:
    _table = _COLUMNS[_kind.name] = {}
    for _column in _kind.columns:
        _table.setdefault(_column.name, (_column, _nt_iri(str(_column.predicate))))


# -- the built model ----------------------------------------------------------------------------
class BuiltModel:
    """The model graph and where each subject (and statement) came from.

    ``graph`` (rdflib), ``store`` (pyoxigraph) and ``statements`` are three views of the same
    triples, each made on first use; treat them as read-only (a change to one is not seen in
    the others).
    """

    def __init__(self, graph: Graph | None = None,
                 subjects: dict[str, SourceLocation] | None = None,
                 statements: Mapping[Triple, SourceLocation] | None = None) -> None:
        self._graph = graph
        self.subjects: dict[str, SourceLocation] = subjects if subjects is not None else {}
        self._statements = statements
        self._triples: dict[NtTriple, _Loc] | None = None
        self._store: pyoxigraph.Store | None = None
        self._terms: dict[str, Node] = {}

    @classmethod
    def _from_build(cls, triples: dict[NtTriple, _Loc],
                    subjects: dict[str, SourceLocation]) -> BuiltModel:
        model = cls(None, subjects)
        model._triples = triples
        return model

    def term(self, nt: str) -> Node:
        """The rdflib term of an N-Triples term, made once and shared."""
        node = self._terms.get(nt)
        if node is None:
            node = self._terms[nt] = rdflib_term(nt)
        return node

    @property
    def graph(self) -> Graph:
        """The model as an rdflib graph (built on first use: ~25 µs a triple)."""
        if self._graph is None:
            graph = Graph()
            add = graph.add
            term = self.term
            for s, p, o in self._triples or ():
                add((term(s), term(p), term(o)))
            self._graph = graph
        return self._graph

    @graph.setter
    def graph(self, graph: Graph) -> None:
        self._graph = graph
        self._triples = None
        self._store = None

    @property
    def built_graph(self) -> Graph | None:
        """The rdflib graph if one exists already (never builds it)."""
        return self._graph

    def store_rewrites_literals(self) -> bool:
        """Whether ``store`` holds some literal differently from the source: pyoxigraph 0.5
        stores ``xsd:long``, ``xsd:int`` and the other derived integer types as
        ``xsd:integer``, so a check of datatypes on the store could differ from one on the
        triples themselves."""
        if self._triples is not None:
            objects: Iterable[str] = (o for _, _, o in self._triples)
        else:
            objects = (nt_term(o) for o in self.graph.objects() if isinstance(o, Literal))
        return any(o[-1] == ">" and o[0] == '"' and o.rpartition("^^")[2] in _STORE_INTEGERS
                   for o in objects)

    @property
    def statements(self) -> Mapping[Triple, SourceLocation]:
        """Triple (rdflib terms) -> the place it was read (its cell, or its record)."""
        if self._statements is None:
            self._statements = _Statements(self._triples or {}, self.term)
        return self._statements

    @property
    def store(self) -> pyoxigraph.Store:
        """The model in an in-memory pyoxigraph store (loaded from N-Triples on first use).

        Loaded in chunks: the whole model as one N-Triples text would add its size (~130 MB
        a million triples) to the peak memory for nothing.
        """
        if self._store is None:
            import pyoxigraph as ox

            store = ox.Store()
            if self._triples is not None:
                for chunk in self._ntriples_chunks():
                    store.load(chunk, format=ox.RdfFormat.N_TRIPLES)
            else:
                from .export.rdf import to_oxigraph

                store.bulk_extend(ox.Quad(to_oxigraph(s), to_oxigraph(p), to_oxigraph(o))
                                  for s, p, o in self.graph)
            self._store = store
        return self._store

    def _ntriples_chunks(self, size: int | None = None) -> Iterator[str]:
        """N-Triples documents of ``size`` triples each. pyoxigraph gives the blank nodes of
        each document fresh names, so every triple with a blank node goes in the last one."""
        size = size or STORE_CHUNK
        batch: list[str] = []
        with_blank: list[str] = []
        for s, p, o in self._triples or ():
            line = f"{s} {p} {o} .\n"
            if s[0] == "_" or o[0] == "_":
                with_blank.append(line)
                continue
            batch.append(line)
            if len(batch) == size:
                yield "".join(batch)
                batch = []
        yield "".join(batch + with_blank)

    def __bool__(self) -> bool:
        return True  # a model is a model, even an empty one (``__len__`` counts triples)

    def __len__(self) -> int:
        """The number of triples, without building any graph."""
        if self._triples is not None:
            return len(self._triples)
        return len(self.graph)

    def ntriples(self) -> bytes:
        """Every triple as N-Triples, in build order, those with blank nodes last (not sorted:
        use the exporters for that)."""
        if self._triples is None:
            from .export.rdf import to_ntriples

            return to_ntriples(self.graph)
        return "".join(self._ntriples_chunks()).encode("utf-8")

    def location_of(self, node: Node) -> SourceLocation | None:
        return self.subjects.get(str(node))

    def sourcemap_json(self) -> bytes:
        """Subject IRI -> ``file:line``, sorted, for tools that only see the built graph."""
        data = {iri: str(loc) for iri, loc in sorted(self.subjects.items())}
        return (json.dumps(data, indent=1, ensure_ascii=False) + "\n").encode("utf-8")


class _Statements(Mapping[Triple, SourceLocation]):
    """Statement locations looked up by rdflib triple without building the rdflib graph."""

    def __init__(self, triples: dict[NtTriple, _Loc], term: object) -> None:
        self._triples = triples
        self._term = term

    def __getitem__(self, triple: Triple) -> SourceLocation:
        try:
            key = (nt_term(triple[0]), nt_term(triple[1]), nt_term(triple[2]))
        except TypeError:
            raise KeyError(triple) from None
        return _location(self._triples[key])

    def __contains__(self, triple: object) -> bool:
        try:
            self[triple]  # type: ignore[index]
        except (KeyError, TypeError, IndexError):
            return False
        return True

    def __iter__(self) -> Iterator[Triple]:
        term = self._term
        for s, p, o in self._triples:
            yield (term(s), term(p), term(o))  # type: ignore[operator]

    def __len__(self) -> int:
        return len(self._triples)


def source_files(model_dir: Path) -> list[Path]:
    """Every file a loader takes, sorted, skipping hidden files and folders."""
    files = []
    for path in sorted(model_dir.rglob("*")):
        rel = path.relative_to(model_dir)
        if any(part.startswith(".") for part in rel.parts) or not path.is_file():
            continue
        if reader_for(path) is not None:
            files.append(path)
    return files


def load_model(model_dir: Path | str, builder: _Builder | None = None) -> BuiltModel:
    """Load every source under ``model_dir``; raise :class:`ModelLoadError` listing all problems.

    ``builder`` lets validation build leniently (content rules left to SHACL) through the same
    reading loop."""
    model_dir = Path(model_dir)
    if not model_dir.is_dir():
        raise ModelLoadError([Problem(str(model_dir), None, "model folder not found")])
    with no_gc_pauses():
        return _read_and_build(model_dir, builder or _Builder())


def _read_and_build(model_dir: Path, builder: _Builder) -> BuiltModel:
    """Read every file into ``builder`` and build; the records die with this frame, before
    the garbage collector runs again (it would otherwise walk them all once)."""
    for path in source_files(model_dir):
        display = str(model_dir / path.relative_to(model_dir))
        read = reader_for(path)
        assert read is not None
        result = read(path, display)
        builder.problems.extend(result.problems)
        builder.records.extend(result.records)
        if result.graph is not None:
            builder.add_passthrough(display, result.graph, result.subject_lines)
    return builder.finish()


def build_from_records(records: Iterable[Record]) -> BuiltModel:
    """Build from records already read (used by the round trip and by tests)."""
    with no_gc_pauses():
        builder = _Builder()
        builder.records.extend(records)
        return builder.finish()


@contextmanager
def no_gc_pauses() -> Iterator[None]:
    """Hold the cyclic garbage collector while a build allocates millions of small objects.

    A build makes no reference cycles worth collecting, but CPython's collector runs every
    ~700 allocations and walks ever more live objects: at a million triples it took half of
    the build's time (10 s of 20). Reference counting still frees everything as usual.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def need_code_group_iri(code: str) -> URIRef:
    return URIRef(f"{BASE}behov/{code}")


def source_page_iri(source: URIRef, page: str) -> URIRef:
    return URIRef(f"{source}/side-{page}")


class _Builder:
    def __init__(self) -> None:
        self.records: list[Record] = []
        self.problems: list[Problem] = []
        self.triples: dict[NtTriple, _Loc] = {}
        self.subjects: dict[str, SourceLocation] = {}
        self.ids: dict[tuple[str, str], Record] = {}
        #: predicate -> subject -> objects, for the predicates the derivations read
        self.index: dict[str, dict[str, list[str]]] = {p: {} for p in _INDEXED}
        self.ref_cache: dict[tuple[tuple[str, ...], str], str] = {}
        self.page_cache: dict[tuple[str, str], str] = {}

    # -- passthrough -------------------------------------------------------------------
    def add_passthrough(self, display: str, graph: Graph, lines: dict[str, int]) -> None:
        for s, p, o in graph:
            if p in LANG_PREDICATES and isinstance(o, Literal) and not o.language:
                line = lines.get(str(s))
                self.problems.append(Problem(display, line,
                                             f"{p.n3()} of <{s}> has no language tag"))
            self._add(nt_term(s), nt_term(p), nt_term(o),
                      SourceLocation(display, lines.get(str(s))))
        for subject, line in lines.items():
            self.subjects.setdefault(subject, SourceLocation(display, line))

    # -- records -----------------------------------------------------------------------
    def finish(self) -> BuiltModel:
        valid = [r for r in self.records if self._check_record(r)]
        for record in valid:
            key = (record.kind, record.id or "")
            if key in self.ids:
                first = self.ids[key]
                self.problems.append(record.problem(
                    f"duplicate id '{record.id}' in {record.kind} "
                    f"(first defined at {SourceLocation(first.file, first.line, first.sheet)})"))
                continue
            self.ids[key] = record
        for record in self.ids.values():
            self._emit(record)
        for (kind_name, record_id), record in self.ids.items():
            if kind_name == "gjenbruk":
                self._derive_reuse(_nt_iri(str(KINDS_BY_NAME[kind_name].iri(record_id))),
                                   SourceLocation(record.file, record.line, record.sheet))
        self._derive_need_hierarchy()
        if self.problems:
            raise ModelLoadError(self.problems)
        return BuiltModel._from_build(self.triples, self.subjects)

    def _check_record(self, record: Record) -> bool:
        kind = KINDS_BY_NAME.get(record.kind)
        if kind is None:
            self.problems.append(record.problem(
                f"unknown kind '{record.kind}' (from the file or sheet name); valid kinds: "
                + ", ".join(sorted(KINDS_BY_NAME))))
            return False
        columns = _COLUMNS[kind.name]
        ok = True
        for name, cells in record.cells.items():
            if name == "id":
                continue
            entry = columns.get(name)
            if entry is None:
                line = cells[0].line if cells else record.line
                if f"{name}_nb" in columns:
                    message = (f"column '{name}' has no language tag: use '{name}_nb' "
                               f"and '{name}_en'")
                else:
                    message = (f"unknown column '{name}' for kind {kind.name}; valid columns: "
                               + ", ".join(kind.column_names))
                self.problems.append(record.problem(message, line))
                ok = False
            elif len(cells) > 1 and not entry[0].multi:
                line = cells[0].line if cells else record.line
                self.problems.append(record.problem(
                    f"column '{name}' takes one value, got {len(cells)}", line))
                ok = False
        record_id = record.id
        if not record_id:
            self.problems.append(record.problem("record has no id"))
            return False
        if len(record.cells["id"]) > 1 or not ID_PATTERN.match(record_id):
            self.problems.append(record.problem(
                f"bad id '{record_id}': use lower-case letters, digits, '.', '-' or '_'"))
            return False
        for column in kind.columns:
            if column.required and not record.cells.get(column.name):
                self.problems.append(record.problem(
                    f"{kind.name} '{record_id}' lacks required column '{column.name}'"))
                ok = False
        return ok

    def _add(self, s: str, p: str, o: str, location: _Loc) -> None:
        key = (s, p, o)
        if key in self.triples:
            return
        self.triples[key] = location
        index = self.index.get(p)
        if index is not None:
            index.setdefault(s, []).append(o)

    def _first(self, subject: str, predicate: str) -> str | None:
        objects = self.index[predicate].get(subject)
        return objects[0] if objects else None

    def _emit(self, record: Record) -> None:
        kind = KINDS_BY_NAME[record.kind]
        subject = f"<{BASE}{kind.segment}/{record.id or ''}>"
        where = SourceLocation(record.file, record.line, record.sheet)
        self.subjects[subject[1:-1]] = where
        self._add(subject, _RDF_TYPE, _nt_iri(str(kind.cls)), where)
        columns = _COLUMNS[kind.name]
        file, sheet = record.file, record.sheet
        triples = self.triples
        value_of = self._value
        # _add inlined: this loop runs once per cell, a million times for a national model
        for name, cells in record.cells.items():
            entry = columns.get(name)
            if entry is None:
                continue
            column, predicate = entry
            if column.type == "type":
                predicate = _RDF_TYPE
            index = self.index.get(predicate)
            lang = column.lang if column.type == "lang" else None
            for cell in cells:
                if lang is not None:  # most cells are labels: no call, no checks needed
                    raw = cell.value.strip()
                    if _NEEDS_ESCAPE.search(raw):
                        raw = raw.translate(_NT_ESCAPE)
                    value: str | None = f'"{raw}"@{lang}'
                else:
                    value = value_of(record, column, cell)
                    if value is None:
                        continue
                key = (value, predicate, subject) if column.inverse else (subject, predicate, value)
                if key in triples:
                    continue
                triples[key] = (file, cell.line, sheet)
                if index is not None:
                    index.setdefault(key[0], []).append(key[2])

    def _value(self, record: Record, column: Column, cell: Cell) -> str | None:
        """A cell's value as an N-Triples term, or None after recording a problem.

        (``lang`` cells, most of a model, are written by :meth:`_emit` without this call.)
        """
        raw = cell.value.strip()
        kind = column.type
        if kind == "lang":
            if _NEEDS_ESCAPE.search(raw):
                raw = raw.translate(_NT_ESCAPE)
            return f'"{raw}"@{column.lang}'
        if kind == "ref":
            return self._resolve(record, cell, column.targets, column.name)
        if kind == "source":
            source_id, _, page = raw.partition(":")
            source = self._resolve(record, Cell(source_id.strip(), cell.line), ("kilder",),
                                   column.name)
            if source is None or not page.strip():
                return source
            return self._source_page(source, page.strip(), record, cell)
        if kind == "text":
            return _nt_literal(raw)
        if kind == "int":
            try:
                return _nt_literal(str(int(raw)), datatype=_XSD_INTEGER)
            except ValueError:
                return self._bad(record, cell,
                                 f"column '{column.name}': '{raw}' is not a whole number")
        if kind == "bool":
            if raw.lower() in TRUE_WORDS:
                return _nt_literal("true", datatype=_XSD_BOOLEAN)
            if raw.lower() in FALSE_WORDS:
                return _nt_literal("false", datatype=_XSD_BOOLEAN)
            return self._bad(record, cell, f"column '{column.name}': '{raw}' is not true/false")
        if kind == "date":
            try:
                dt.date.fromisoformat(raw)
            except ValueError:
                return self._bad(record, cell,
                                 f"column '{column.name}': '{raw}' is not a date (YYYY-MM-DD)")
            # rdflib's lexical form (it normalises dates), so every view agrees
            return _nt_literal(str(Literal(raw, datatype=XSD.date)), datatype=_XSD_DATE)
        if kind == "code":
            if not NEED_CODE_PATTERN.match(raw):
                return self._bad(record, cell, f"bad need code '{raw}': use dot-separated "
                                 "two-digit segments, e.g. 05.20.20")
            return _nt_literal(raw)
        if kind == "type":
            for value, cls in column.choices:
                if raw == value:
                    return _nt_iri(str(cls))
            return self._bad(record, cell, f"column '{column.name}': '{raw}' is not one of "
                             + ", ".join(v for v, _ in column.choices))
        raise AssertionError(column.type)

    def _bad(self, record: Record, cell: Cell, message: str) -> None:
        self.problems.append(record.problem(message, cell.line))
        return None

    def _resolve(self, record: Record, cell: Cell, targets: tuple[str, ...],
                 column: str) -> str | None:
        raw = cell.value.strip()
        cached = self.ref_cache.get((targets, raw))
        if cached is not None:
            return cached
        kinds = [KINDS_BY_NAME[t] for t in targets] if targets else list(KINDS_BY_NAME.values())
        ref = raw
        if "/" in ref:
            segment, _, ref_id = ref.partition("/")
            kinds = [k for k in kinds if k.segment == segment]
            ref = ref_id
        found = [k for k in kinds if (k.name, ref) in self.ids]
        if len(found) == 1:
            iri = self.ref_cache[(targets, raw)] = f"<{BASE}{found[0].segment}/{ref}>"
            return iri
        if len(found) > 1:
            options = ", ".join(f"{k.segment}/{ref}" for k in found)
            return self._bad(record, cell, f"column '{column}': '{ref}' is ambiguous; write one "
                             f"of {options}")
        known = sorted(i for (k, i) in self.ids if k in {kind.name for kind in kinds})
        close = difflib.get_close_matches(ref, known, n=3)
        hint = f" (did you mean {', '.join(close)}?)" if close else ""
        wanted = " or ".join(k.name for k in kinds) if targets else "any kind"
        return self._bad(record, cell, f"column '{column}': unknown id '{cell.value.strip()}' "
                         f"(expected an id of {wanted}){hint}")

    def _source_page(self, source: str, page: str, record: Record, cell: Cell) -> str | None:
        if not all(part.isdigit() for part in page.split("-")) or page.count("-") > 1:
            return self._bad(record, cell, f"bad page '{page}': use a number or a range, "
                             "e.g. seed:32 or seed:22-24")
        cached = self.page_cache.get((source, page))
        if cached is not None:
            return cached  # its triples are there already
        source_iri = source[1:-1]
        iri = f"{source_iri}/side-{page}"
        nt = self.page_cache[(source, page)] = _nt_iri(iri)
        where = SourceLocation(record.file, cell.line, record.sheet)
        source_id = source_iri.split("/")[-1]
        source_record = self.ids.get(("kilder", source_id))
        tag_cells = source_record.cells.get("tag") if source_record else None
        tag = tag_cells[0].value if tag_cells else source_id
        derived = [
            (_RDF_TYPE, _nt_iri(str(SAM.SourcePage))),
            (_nt_iri(str(DCTERMS.isPartOf)), source),
            (_nt_iri(str(SAM.page)), _nt_literal(page)),
            (_RDFS_LABEL, _nt_literal(f"{tag} side {page}", lang="nb")),
            (_RDFS_LABEL, _nt_literal(f"{tag} page {page}", lang="en")),
        ]
        for predicate, value in derived:
            self._add(nt, predicate, value, where)
        self.subjects.setdefault(iri, where)
        return nt

    # -- derived -----------------------------------------------------------------------
    def _derive_reuse(self, relation: str, where: SourceLocation) -> None:
        """Write the ``sam:reuses`` shortcut, and labels the record left out."""
        user = self._first(relation, _REUSING)
        used = self._first(relation, _REUSED)
        if user is None or used is None:
            return
        self._add(user, _nt_iri(str(SAM.reuses)), used, where)
        verbs = {"nb": "gjenbruker", "en": "reuses"}
        present = {_literal_lang(o) for o in self.index[_RDFS_LABEL].get(relation, ())
                   if o.startswith('"')}
        for lang, verb in verbs.items():
            if lang not in present:
                text = f"{self._label(user, lang)} {verb} {self._label(used, lang)}"
                self._add(relation, _RDFS_LABEL, _nt_literal(text, lang=lang), where)

    def _label(self, node: str, lang: str) -> str:
        for value in self.index[_RDFS_LABEL].get(node, ()):
            if value.startswith('"'):
                lexical, suffix = _split_literal(value)
                if suffix == f"@{lang}":
                    return lexical
        return node[1:-1].rsplit("/", 1)[-1]

    def _derive_need_hierarchy(self) -> None:
        """Each need is a SKOS concept whose broader concept is the need (or code group) whose
        code is its code minus the last segment; missing code groups are generated."""
        kind = KINDS_BY_NAME["behov"]
        by_code: dict[str, str] = {}
        sources: dict[str, set[str]] = {}
        source_index = self.index[_DCTERMS_SOURCE]
        for kind_name, record_id in sorted(self.ids):
            if kind_name != "behov":
                continue
            need = f"<{BASE}{kind.segment}/{record_id}>"
            code = self._first(need, _SKOS_NOTATION)
            if code is None:
                continue
            by_code[_lexical(code)] = need
        # deepest codes first, then by code; a heap keeps the order a sorted list would
        pending = [(-c.count("."), c) for c in by_code]
        heapq.heapify(pending)
        seen_groups: set[str] = set()
        concept_type = _nt_iri(str(SKOS.Concept))
        in_scheme = _nt_iri(str(SKOS.inScheme))
        top_concept = _nt_iri(str(SKOS.topConceptOf))
        broader = _nt_iri(str(SKOS.broader))
        derived = SourceLocation("(derived)")
        while pending:
            code = heapq.heappop(pending)[1]
            concept = by_code.get(code) or _nt_iri(f"{BASE}behov/{code}")
            where = self.subjects.get(concept[1:-1], derived)
            self._add(concept, _RDF_TYPE, concept_type, where)
            self._add(concept, in_scheme, _NEED_SCHEME, where)
            concept_sources = set(source_index.get(concept, ())) | sources.get(code, set())
            if "." not in code:
                self._add(concept, top_concept, _NEED_SCHEME, where)
                continue
            parent_code = code.rsplit(".", 1)[0]
            parent = by_code.get(parent_code) or _nt_iri(f"{BASE}behov/{parent_code}")
            self._add(concept, broader, parent, where)
            sources.setdefault(parent_code, set()).update(concept_sources)
            if parent_code not in by_code and parent_code not in seen_groups:
                seen_groups.add(parent_code)
                self._add(parent, _RDF_TYPE, _nt_iri(str(SAM.NeedCodeGroup)), where)
                self._add(parent, _SKOS_NOTATION, _nt_literal(parent_code), where)
                self._add(parent, _RDFS_LABEL, _nt_literal(f"Behovskode {parent_code}", "nb"),
                          where)
                self._add(parent, _RDFS_LABEL, _nt_literal(f"Need code {parent_code}", "en"),
                          where)
                self.subjects.setdefault(parent[1:-1], where)
                heapq.heappush(pending, (-parent_code.count("."), parent_code))
        for code, code_sources in sources.items():
            if code in by_code:
                continue
            group = _nt_iri(f"{BASE}behov/{code}")
            for source in code_sources:
                self._add(group, _DCTERMS_SOURCE, source, self.subjects[group[1:-1]])


def kind_of_subject(subject: Node) -> Kind | None:
    """The kind whose IRI segment a subject lives under, if any."""
    text = str(subject)
    if not text.startswith(BASE):
        return None
    segment = text[len(BASE):].split("/", 1)[0]
    return KINDS_BY_SEGMENT.get(segment)
