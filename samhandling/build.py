"""Build the model graph from a folder of sources, keeping a source map for every subject.

The build reads every file, checks every record against :mod:`samhandling.schema`, resolves
ids to IRIs and derives the few triples that follow from what was read (reuse shortcuts, the
need-code hierarchy, source pages, concept-scheme membership of the closed code lists, default
labels). A value written in the per-value form (its own source, interpretation flag or status)
also gets an ``rdf:Statement`` that reifies its triple (:meth:`_Builder._emit_statements`);
so does each derived reuse shortcut, ``prov:wasDerivedFrom`` its relation. Problems are
collected across all files and raised once,
so a user fixes a broken pull request in one round. What it makes is a
:class:`~samhandling.built.BuiltModel`: the triples as N-Triples terms
(:mod:`samhandling.terms`), each with the place it was read.

How strict the build is comes from a :class:`BuildPolicy`: :data:`STRICT` for ``samhandling
build``, which refuses what it knows is wrong; validation builds with a lenient one that leaves
the content rules to SHACL (:data:`samhandling.validation.load.LENIENT`).

Over 500 lines, on purpose: most of it is one class, the builder, whose record checks, the
loop that writes a million cells and the derivations share its caches and indexes.
"""

from __future__ import annotations

import datetime as dt
import difflib
import hashlib
import heapq
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.term import Node

from samhandling.loaders import Cell, Record, reader_for

from .blank_labels import canonical_blank_nodes
from .built import LINE_BITS, BuiltModel, Loc, Places, SourceLocation
from .errors import ModelLoadError, Problem
from .gcpause import no_gc_pauses
from .namespaces import BASE, DCTERMS, PROV, RDF, RDFS, SAM, SKOS, XSD
from .schema import (
    ID_PATTERN,
    KINDS,
    KINDS_BY_NAME,
    KINDS_BY_SEGMENT,
    NEED_CODE_PATTERN,
    NEED_SCHEME,
    QUALIFIABLE_TYPES,
    QUALIFIERS,
    QUALIFIERS_BY_NAME,
    Column,
    Kind,
)
from .terms import (
    NEEDS_ESCAPE,
    NT_ESCAPE,
    XSD_BOOLEAN,
    XSD_DATE,
    XSD_DECIMAL,
    XSD_INTEGER,
    NtTriple,
    lexical,
    literal_lang,
    nt_iri,
    nt_literal,
    nt_term,
    split_literal,
)
from .vocabulary import label as vocabulary_label

LANG_PREDICATES = (RDFS.label, SKOS.prefLabel, SKOS.altLabel, SKOS.definition, SKOS.note,
                   DCTERMS.title, DCTERMS.description)
TRUE_WORDS = {"true", "yes", "ja", "1"}
FALSE_WORDS = {"false", "no", "nei", "0"}
#: The lexical space of ``xsd:decimal`` (no exponent, no thousands separator).
DECIMAL_PATTERN = re.compile(r"[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)")


@dataclass(frozen=True)
class BuildPolicy:
    """How strict a build is: which content rules refuse a model.

    Each rule relaxed here is one a SHACL shape checks (``tests/test_shapes.py`` holds every
    required column to a shape), so a lenient build loses no check: the shapes report it
    instead. What the build cannot represent at all (unknown columns, bad or duplicate ids,
    values that are not numbers or dates) fails under every policy.
    """

    #: A record that lacks a required column is a problem (else it is built without it).
    required_columns: bool = True
    #: A reference to an id that does not exist is a problem; when False, a reference that
    #: names one kind and a well-formed id becomes that kind's IRI (with no type: dangling).
    known_references: bool = True
    #: A need code must match :data:`~samhandling.schema.NEED_CODE_PATTERN` (else it is
    #: kept as written, a plain literal).
    need_code_pattern: bool = True
    #: A passthrough literal whose lexical form is not in its datatype's lexical space
    #: (``"2021-13-01"^^xsd:date``) is a problem: rdflib would log a traceback for it on
    #: every later use.
    refuse_ill_typed: bool = True


#: The build's own policy (``samhandling build``): refuse whatever it knows is wrong.
STRICT = BuildPolicy()


#: A column as :meth:`_Builder._emit` writes it: (column, predicate as N-Triples, language
#: tag of a ``lang`` column or None, inverse?, memo, index of the predicate or None). The
#: memo maps a cell's raw text to its term: a national model names the same few thousand
#: services and sources hundreds of thousands of times. So :meth:`_Builder._value` must give
#: a term that depends only on the column and the text (and the policy); problems are never
#: memoised, so each cell still reports its own.
_Plan = tuple[Column, str, str | None, bool, dict[str, str], dict[str, list[str]] | None]
_RDF_TYPE = nt_iri(str(RDF.type))
_RDFS_LABEL = nt_iri(str(RDFS.label))
_WAS_DERIVED_FROM = nt_iri(str(PROV.wasDerivedFrom))
_SKOS_NOTATION = nt_iri(str(SKOS.notation))
_REUSING = nt_iri(str(SAM.reusingService))
_REUSED = nt_iri(str(SAM.reusedService))
_REUSES = nt_iri(str(SAM.reuses))
_NEED_SCHEME = nt_iri(str(NEED_SCHEME))
_STATEMENT = nt_iri(str(RDF.Statement))
_CONCEPT = nt_iri(str(SKOS.Concept))
_IN_SCHEME = nt_iri(str(SKOS.inScheme))
_RDF_SUBJECT = nt_iri(str(RDF.subject))
_RDF_PREDICATE = nt_iri(str(RDF.predicate))
_RDF_OBJECT = nt_iri(str(RDF.object))
#: IRI segment of statement nodes (``rdf:Statement``): ``.../utsagn/<digest>``
STATEMENT_SEGMENT = "utsagn"
_ASSESSED = nt_iri(str(SAM.assessmentOf))
_IN_PLATEAU = nt_iri(str(SAM.inPlateau))
_LEVEL = nt_iri(str(SAM.maturityLevel))
#: Predicates whose objects the derivations look up while the build runs.
_INDEXED = (_RDFS_LABEL, _SKOS_NOTATION, _REUSING, _REUSED, _ASSESSED, _IN_PLATEAU, _LEVEL)
#: kind name -> column name -> (column, its predicate as N-Triples); the first column of a
#: name wins, as :meth:`Kind.column` does.
_COLUMNS: dict[str, dict[str, tuple[Column, str]]] = {}
for _kind in KINDS:
    _table = _COLUMNS[_kind.name] = {}
    for _column in _kind.columns:
        _table.setdefault(_column.name, (_column, nt_iri(str(_column.predicate))))
#: kind name -> names of the columns that must have a value
_REQUIRED = {k.name: tuple(dict.fromkeys(c.name for c in k.columns if c.required)) for k in KINDS}
#: kind name -> (its class, the IRI prefix of its records), both as N-Triples text
_KIND_NT = {k.name: (nt_iri(str(k.cls)), f"<{BASE}{k.segment}/") for k in KINDS}
#: kind name -> the concept scheme of a closed code list, as N-Triples text
_SCHEME_NT = {k.name: nt_iri(str(k.scheme)) for k in KINDS if k.scheme is not None}


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


def load_model(model_dir: Path | str, policy: BuildPolicy = STRICT) -> BuiltModel:
    """Load every source under ``model_dir``; raise :class:`ModelLoadError` listing all problems.

    ``policy`` says which content rules refuse the model (validation builds leniently, the
    rules left to SHACL, through the same reading loop)."""
    model_dir = Path(model_dir)
    if not model_dir.is_dir():
        raise ModelLoadError([Problem(str(model_dir), None, "model folder not found")])
    with no_gc_pauses():
        return _read_and_build(model_dir, _Builder(policy))


def _read_and_build(model_dir: Path, builder: _Builder) -> BuiltModel:
    """Read every file into ``builder`` and build; the records die with this frame, before
    the garbage collector runs again (it would otherwise walk them all once)."""
    for path in source_files(model_dir):
        display = str(model_dir / path.relative_to(model_dir))
        read = reader_for(path)
        assert read is not None
        try:
            result = read(path, display)
        except MemoryError:
            # A backstop under the size limits (raised, or a small address space): what the
            # reader made is freed as its frames unwind, so the build can report and go on.
            builder.problems.append(Problem(display, None, "out of memory reading this file: "
                                            "split it, or run with more memory"))
            continue
        except RecursionError:
            builder.problems.append(Problem(display, None, "nested too deeply to read"))
            continue
        builder.problems.extend(result.problems)
        builder.records.extend(result.records)
        if result.graph is not None:
            builder.add_passthrough(display, result.graph, result.subject_lines)
    return builder.finish()


def build_from_records(records: Iterable[Record]) -> BuiltModel:
    """Build from records already read (used by the round trip and by tests)."""
    with no_gc_pauses():
        builder = _Builder(STRICT)
        builder.records.extend(records)
        return builder.finish()


def need_code_group_iri(code: str) -> str:
    """The IRI of a need code group, or of the need whose code it is (``.../behov/05.20``)."""
    return f"{BASE}behov/{code}"


def statement_iri(triple: NtTriple) -> str:
    """The IRI of the statement node that reifies ``triple`` (N-Triples terms): a digest of
    the triple, so the same triple always gets the same node, whichever file, row or order
    it was written in (stable ids, byte-identical outputs)."""
    digest = hashlib.sha256("\n".join(triple).encode("utf-8")).hexdigest()[:24]
    return f"{BASE}{STATEMENT_SEGMENT}/{digest}"


def source_page_iri(source: str, page: str) -> str:
    """The IRI of a page (or a range of pages, ``22-24``) of a source."""
    return f"{source}/side-{page}"


class _Builder:
    """One build: records and passthrough graphs in, a :class:`BuiltModel` out (see
    :func:`load_model`), refusing what ``policy`` refuses."""

    def __init__(self, policy: BuildPolicy) -> None:
        self.policy = policy
        self.records: list[Record] = []
        self.problems: list[Problem] = []
        self.triples: dict[NtTriple, Loc] = {}
        self.subjects: dict[str, SourceLocation] = {}
        self.ids: dict[tuple[str, str], Record] = {}
        #: predicate -> subject -> objects, for the predicates the derivations read
        self.index: dict[str, dict[str, list[str]]] = {p: {} for p in _INDEXED}
        self.ref_cache: dict[tuple[tuple[str, ...], str], str] = {}
        self.page_cache: dict[tuple[str, str], str] = {}
        #: (file, sheet) pairs cells were read from, and each one's index (see
        #: :data:`samhandling.built.Loc`)
        self.places: Places = []
        self.place_index: dict[tuple[str, str | None], int] = {}
        #: kind name -> column name -> its plan (see :data:`_Plan`)
        self.plans: dict[str, dict[str, _Plan]] = {}
        #: Whether a passthrough file brought blank nodes (they are relabelled canonically)
        self.has_blank_nodes = False
        #: statement nodes written, with the triple each reifies: labelled once every record
        #: is written (a label names the subject and object by their labels)
        self.statements: dict[str, tuple[NtTriple, SourceLocation]] = {}

    # -- passthrough -------------------------------------------------------------------
    def add_passthrough(self, display: str, graph: Graph, lines: dict[str, int]) -> None:
        for s, p, o in graph:
            if isinstance(s, BNode) or isinstance(o, BNode):
                self.has_blank_nodes = True
            if isinstance(o, Literal):
                if p in LANG_PREDICATES and not o.language:
                    line = lines.get(str(s))
                    self.problems.append(Problem(display, line,
                                                 f"{p.n3()} of <{s}> has no language tag"))
                if o.ill_typed and self.policy.refuse_ill_typed:
                    self.problems.append(Problem(
                        display, lines.get(str(s)),
                        f"ill-typed literal {_shorten(nt_term(o))} (of <{s}>, {p.n3()}): the "
                        "text is not a valid value of its datatype"))
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
        relations = _KIND_NT["gjenbruk"][1]
        assessments = _KIND_NT["modenhetsvurderinger"][1]
        for (kind_name, record_id), record in self.ids.items():
            if kind_name == "gjenbruk":
                self._derive_reuse(f"{relations}{record_id}>",
                                   SourceLocation(record.file, record.line, record.sheet))
            elif kind_name == "modenhetsvurderinger":
                self._label_assessment(f"{assessments}{record_id}>",
                                       SourceLocation(record.file, record.line, record.sheet))
        self._derive_need_hierarchy()
        self._label_statements()
        if self.problems:
            raise ModelLoadError(self.problems)
        triples = self.triples
        if self.has_blank_nodes:
            triples = canonical_blank_nodes(triples, self.places)
        return BuiltModel.from_build(triples, self.subjects, self.places)

    def _check_record(self, record: Record) -> bool:
        kind = KINDS_BY_NAME.get(record.kind)
        if kind is None:
            self.problems.append(record.problem(
                f"unknown kind '{record.kind}' (from the file or sheet name); valid kinds: "
                + ", ".join(sorted(KINDS_BY_NAME))))
            return False
        columns = _COLUMNS[kind.name]
        cells_of = record.cells
        ok = True
        for name, cells in cells_of.items():
            entry = columns.get(name)
            if entry is None:
                if name == "id":
                    continue
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
                self.problems.append(record.problem(
                    f"column '{name}' takes one value, got {len(cells)}", cells[0].line))
                ok = False
        id_cells = cells_of.get("id") or []
        record_id = id_cells[0].value if id_cells else None
        if not record_id:
            self.problems.append(record.problem("record has no id"))
            return False
        # fullmatch: ``$`` also matches before a final line break, and an id written as a
        # YAML block scalar (``id: |``) ends in one; it would make an IRI with a newline.
        if len(id_cells) > 1 or not ID_PATTERN.fullmatch(record_id):
            self.problems.append(record.problem(
                f"bad id '{record_id}': use lower-case letters, digits, '.', '-' or '_'"))
            return False
        for name in _REQUIRED[kind.name] if self.policy.required_columns else ():
            if not cells_of.get(name):
                self.problems.append(record.problem(
                    f"{kind.name} '{record_id}' lacks required column '{name}'"))
                ok = False
        return ok

    def _add(self, s: str, p: str, o: str, location: Loc) -> None:
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
        kind_name = record.kind
        cls, prefix = _KIND_NT[kind_name]
        subject = f"{prefix}{record.id or ''}>"
        where = SourceLocation(record.file, record.line, record.sheet)
        self.subjects[subject[1:-1]] = where
        self._add(subject, _RDF_TYPE, cls, where)
        scheme = _SCHEME_NT.get(kind_name)
        if scheme is not None:  # a closed code list: each record a concept of its scheme
            self._add(subject, _RDF_TYPE, _CONCEPT, where)
            self._add(subject, _IN_SCHEME, scheme, where)
        plans = self.plans.get(kind_name) or self._plan(KINDS_BY_NAME[kind_name])
        place = (record.file, record.sheet)
        base = self.place_index.get(place)
        if base is None:
            base = self.place_index[place] = len(self.places) << LINE_BITS
            self.places.append(place)
        triples = self.triples
        value_of = self._value
        # _add inlined: this loop runs once per cell, a million times for a national model
        for name, cells in record.cells.items():
            plan = plans.get(name)
            if plan is None:
                continue
            column, predicate, lang, inverse, memo, index = plan
            for cell in cells:
                text, line = cell
                if lang is not None:  # most cells are labels: no call, no checks needed
                    text = text.strip()
                    if NEEDS_ESCAPE.search(text):
                        text = text.translate(NT_ESCAPE)
                    value = f'"{text}"@{lang}'
                else:
                    known = memo.get(text)
                    if known is None:
                        known = value_of(record, column, cell)
                        if known is None:
                            continue  # a problem, recorded for this cell: never memoised
                        memo[text] = known
                    value = known
                key = (value, predicate, subject) if inverse else (subject, predicate, value)
                if key in triples:
                    continue
                triples[key] = base | (line or 0)
                if index is not None:
                    index.setdefault(key[0], []).append(key[2])
        if record.qualifiers:
            self._emit_statements(record, subject, plans)

    def _emit_statements(self, record: Record, subject: str, plans: dict[str, _Plan]) -> None:
        """The per-value form: each qualified value's triple (written by :meth:`_emit`, so it
        stays asserted and every query keeps working) also gets an ``rdf:Statement`` node
        that reifies it and carries the value's own source, interpretation flag, status and
        notes (:data:`~samhandling.schema.QUALIFIERS`)."""
        assert record.qualifiers is not None
        for name, by_index in sorted(record.qualifiers.items()):
            plan = plans.get(name)
            cells = record.cells.get(name, [])
            if plan is None:
                continue  # an unknown column: _check_record reported it
            column, predicate, _lang, inverse, memo, _index = plan
            if column.type not in QUALIFIABLE_TYPES:
                first = next(iter(by_index))
                self.problems.append(record.problem(
                    f"column '{name}' takes no per-value form (only relation and value "
                    "columns do: not id, type, source or language columns)", cells[first].line))
                continue
            for position, qualifiers in sorted(by_index.items()):
                cell = cells[position]
                value = memo.get(cell.value) or self._value(record, column, cell)
                if value is None:
                    continue  # a bad value: its problem is recorded
                triple = (value, predicate, subject) if inverse else (subject, predicate, value)
                node = statement_iri(triple)
                statement = nt_iri(node)
                where = SourceLocation(record.file, cell.line, record.sheet)
                self.subjects.setdefault(node, where)
                self.statements.setdefault(statement, (triple, where))
                for p, o in ((_RDF_TYPE, _STATEMENT), (_RDF_SUBJECT, triple[0]),
                             (_RDF_PREDICATE, triple[1]), (_RDF_OBJECT, triple[2])):
                    self._add(statement, p, o, where)
                for key, values in sorted(qualifiers.items()):
                    self._qualify(record, name, statement, key, values, where)

    def _qualify(self, record: Record, column: str, statement: str, key: str,
                 values: list[Cell], where: SourceLocation) -> None:
        """Write one qualifier of a statement, or record why it cannot be written."""
        line = values[0].line if values else where.line
        qualifier = QUALIFIERS_BY_NAME.get(key)
        if qualifier is None:
            if not key:
                message = (f"column '{column}': malformed per-value form "
                           f"'{values[0].value}': write value {{key: v, key: v}}")
            else:
                names = [q.name for q in QUALIFIERS]
                close = difflib.get_close_matches(key, names, n=2)
                hint = f" (did you mean {', '.join(close)}?)" if close else ""
                message = (f"column '{column}': unknown qualifier '{key}'{hint}; valid: "
                           + ", ".join(names))
            self.problems.append(record.problem(message, line))
            return
        if len(values) > 1 and not qualifier.multi:
            self.problems.append(record.problem(
                f"column '{column}': qualifier '{key}' takes one value, got {len(values)}",
                line))
            return
        predicate = nt_iri(str(qualifier.predicate))
        for cell in values:
            term = self._value(record, qualifier, cell)
            if term is not None:
                self._add(statement, predicate, term, where)

    def _plan(self, kind: Kind) -> dict[str, _Plan]:
        """What :meth:`_emit` needs for each column of ``kind``, looked up once per cell
        column in one step (a national model has a million of them)."""
        plans = self.plans[kind.name] = {}
        for name, (column, predicate) in _COLUMNS[kind.name].items():
            if column.type == "type":
                predicate = _RDF_TYPE
            plans[name] = (column, predicate, column.lang if column.type == "lang" else None,
                           column.inverse, {}, self.index.get(predicate))
        return plans

    def _value(self, record: Record, column: Column, cell: Cell) -> str | None:
        """A cell's value as an N-Triples term, or None after recording a problem.

        (``lang`` cells, most of a model, are written by :meth:`_emit` without this call.)
        """
        raw = cell.value.strip()
        kind = column.type
        if kind == "lang":
            if NEEDS_ESCAPE.search(raw):
                raw = raw.translate(NT_ESCAPE)
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
            return nt_literal(raw)
        if kind == "int":
            try:
                return nt_literal(str(int(raw)), datatype=XSD_INTEGER)
            except ValueError:
                return self._bad(record, cell,
                                 f"column '{column.name}': '{raw}' is not a whole number")
        if kind == "decimal":
            if not DECIMAL_PATTERN.fullmatch(raw):
                return self._bad(record, cell, f"column '{column.name}': '{raw}' is not a "
                                 "number (use a decimal point, e.g. 12.5)")
            return nt_literal(raw.lstrip("+"), datatype=XSD_DECIMAL)
        if kind == "bool":
            if raw.lower() in TRUE_WORDS:
                return nt_literal("true", datatype=XSD_BOOLEAN)
            if raw.lower() in FALSE_WORDS:
                return nt_literal("false", datatype=XSD_BOOLEAN)
            return self._bad(record, cell, f"column '{column.name}': '{raw}' is not true/false")
        if kind == "date":
            try:
                dt.date.fromisoformat(raw)
            except ValueError:
                return self._bad(record, cell,
                                 f"column '{column.name}': '{raw}' is not a date (YYYY-MM-DD)")
            # rdflib's lexical form (it normalises dates), so every view agrees
            return nt_literal(str(Literal(raw, datatype=XSD.date)), datatype=XSD_DATE)
        if kind == "code":
            if self.policy.need_code_pattern and not NEED_CODE_PATTERN.match(raw):
                return self._bad(record, cell, f"bad need code '{raw}': use dot-separated "
                                 "two-digit segments, e.g. 05.20.20")
            return nt_literal(raw)
        if kind in ("type", "choice"):
            for value, cls in column.choices:
                if raw == value:
                    return nt_iri(str(cls))
            # a looser cutoff than for ids: the list is short, and "planned" should find
            # "planlagt"
            close = difflib.get_close_matches(raw, [v for v, _ in column.choices], n=1,
                                              cutoff=0.5)
            hint = f" (did you mean {close[0]}?)" if close else ""
            return self._bad(record, cell, f"column '{column.name}': '{raw}' is not one of "
                             + ", ".join(v for v, _ in column.choices) + hint)
        raise AssertionError(column.type)

    def _bad(self, record: Record, cell: Cell, message: str) -> str | None:
        """Record a problem with ``cell``; None (no term), so a caller can return it."""
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
            iri = self.ref_cache[(targets, raw)] = nt_iri(found[0].iri(ref))
            return iri
        if (not found and not self.policy.known_references and len(kinds) == 1
                and ID_PATTERN.match(ref)):
            return nt_iri(kinds[0].iri(ref))  # dangling on purpose: the shapes report it
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
        iri = source_page_iri(source_iri, page)
        nt = self.page_cache[(source, page)] = nt_iri(iri)
        where = SourceLocation(record.file, cell.line, record.sheet)
        source_id = source_iri.split("/")[-1]
        source_record = self.ids.get(("kilder", source_id))
        tag_cells = source_record.cells.get("tag") if source_record else None
        tag = tag_cells[0].value if tag_cells else source_id
        derived = [
            (_RDF_TYPE, nt_iri(str(SAM.SourcePage))),
            (nt_iri(str(DCTERMS.isPartOf)), source),
            (nt_iri(str(SAM.page)), nt_literal(page)),
            (_RDFS_LABEL, nt_literal(f"{tag} side {page}", lang="nb")),
            (_RDFS_LABEL, nt_literal(f"{tag} page {page}", lang="en")),
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
        self._add(user, _REUSES, used, where)
        # the shortcut is stated by no source: its statement says what it is derived from
        node = statement_iri((user, _REUSES, used))
        statement = nt_iri(node)
        self.subjects.setdefault(node, where)
        self.statements.setdefault(statement, ((user, _REUSES, used), where))
        for p, o in ((_RDF_TYPE, _STATEMENT), (_RDF_SUBJECT, user), (_RDF_PREDICATE, _REUSES),
                     (_RDF_OBJECT, used), (_WAS_DERIVED_FROM, relation)):
            self._add(statement, p, o, where)
        verbs = {"nb": "gjenbruker", "en": "reuses"}
        present = {literal_lang(o) for o in self.index[_RDFS_LABEL].get(relation, ())
                   if o.startswith('"')}
        for lang, verb in verbs.items():
            if lang not in present:
                text = f"{self._label(user, lang)} {verb} {self._label(used, lang)}"
                self._add(relation, _RDFS_LABEL, nt_literal(text, lang=lang), where)

    def _label_assessment(self, assessment: str, where: SourceLocation) -> None:
        """Labels a maturity assessment left out: "Plan i 2023: Rød" / "Plan in 2023: Red"."""
        parts = [self._first(assessment, p) for p in (_ASSESSED, _IN_PLATEAU, _LEVEL)]
        if None in parts:
            return
        service, plateau, level = (p for p in parts if p is not None)
        present = {literal_lang(o) for o in self.index[_RDFS_LABEL].get(assessment, ())
                   if o.startswith('"')}
        for lang, word in (("nb", "i"), ("en", "in")):
            if lang not in present:
                text = (f"{self._label(service, lang)} {word} {self._label(plateau, lang)}: "
                        f"{self._label(level, lang)}")
                self._add(assessment, _RDFS_LABEL, nt_literal(text, lang=lang), where)

    def _label_statements(self) -> None:
        """Label each statement node "subject – relation – object" in both languages: the
        relation by its label in the ontology, subject and object by their ids
        (``tjeneste/plan``), not their labels, so a statement's label changes only with its
        triple (renaming a service does not make every statement about it a change)."""
        if not self.statements:
            return
        from .vocabulary import ontology_graph  # parsed only for a model that has statements

        ontology = ontology_graph()
        relations: dict[tuple[str, str], str] = {}  # a few predicates, many statements
        for statement, (triple, where) in sorted(self.statements.items()):
            subject, predicate, value = triple
            for lang, word in (("nb", "Utsagn"), ("en", "Statement")):
                relation = relations.get((predicate, lang))
                if relation is None:
                    relation = relations[(predicate, lang)] = vocabulary_label(
                        ontology, URIRef(predicate[1:-1]), lang)
                text = f"{word}: {_short(subject)} – {relation} – {_short(value)}"
                self._add(statement, _RDFS_LABEL, nt_literal(text, lang=lang), where)

    def _label(self, node: str, lang: str) -> str:
        if node.startswith('"'):  # a literal value (a code, a number): its text
            return split_literal(node)[0]
        for value in self.index[_RDFS_LABEL].get(node, ()):
            if value.startswith('"'):
                lexical, suffix = split_literal(value)
                if suffix == f"@{lang}":
                    return lexical
        return node[1:-1].rsplit("/", 1)[-1]

    def _derive_need_hierarchy(self) -> None:
        """Each need is a SKOS concept whose broader concept is the need (or code group) whose
        code is its code minus the last segment; missing code groups are generated.

        A generated group is stated by no source: it says where it comes from with
        ``prov:wasDerivedFrom`` every need whose code starts with its code (the needs carry
        the sources), and has no ``dcterms:source`` of its own."""
        kind = KINDS_BY_NAME["behov"]
        by_code: dict[str, str] = {}
        #: code -> the needs under it (at any depth), filled from the deepest codes up
        needs_under: dict[str, set[str]] = {}
        for record_id in sorted(i for k, i in self.ids if k == "behov"):
            need = nt_iri(kind.iri(record_id))
            code = self._first(need, _SKOS_NOTATION)
            if code is None:
                continue
            by_code[lexical(code)] = need
        # deepest codes first, then by code; a heap keeps the order a sorted list would
        pending = [(-c.count("."), c) for c in by_code]
        heapq.heapify(pending)
        seen_groups: set[str] = set()
        concept_type = nt_iri(str(SKOS.Concept))
        in_scheme = nt_iri(str(SKOS.inScheme))
        top_concept = nt_iri(str(SKOS.topConceptOf))
        broader = nt_iri(str(SKOS.broader))
        derived = SourceLocation("(derived)")
        while pending:
            code = heapq.heappop(pending)[1]
            concept = by_code.get(code) or nt_iri(need_code_group_iri(code))
            where = self.subjects.get(concept[1:-1], derived)
            self._add(concept, _RDF_TYPE, concept_type, where)
            self._add(concept, in_scheme, _NEED_SCHEME, where)
            if "." not in code:
                self._add(concept, top_concept, _NEED_SCHEME, where)
                continue
            parent_code = code.rsplit(".", 1)[0]
            parent = by_code.get(parent_code) or nt_iri(need_code_group_iri(parent_code))
            self._add(concept, broader, parent, where)
            under_parent = needs_under.get(parent_code)
            if under_parent is None:
                under_parent = needs_under[parent_code] = set()
            if code in by_code:
                under_parent.add(concept)
            under_parent.update(needs_under.get(code, ()))
            if parent_code not in by_code and parent_code not in seen_groups:
                seen_groups.add(parent_code)
                self._add(parent, _RDF_TYPE, nt_iri(str(SAM.NeedCodeGroup)), where)
                self._add(parent, _SKOS_NOTATION, nt_literal(parent_code), where)
                self._add(parent, _RDFS_LABEL, nt_literal(f"Behovskode {parent_code}", "nb"),
                          where)
                self._add(parent, _RDFS_LABEL, nt_literal(f"Need code {parent_code}", "en"),
                          where)
                self.subjects.setdefault(parent[1:-1], where)
                heapq.heappush(pending, (-parent_code.count("."), parent_code))
        for code in sorted(seen_groups):
            group = nt_iri(need_code_group_iri(code))
            where = self.subjects[group[1:-1]]
            for need in sorted(needs_under.get(code, ())):
                self._add(group, _WAS_DERIVED_FROM, need, where)


def _short(term: str) -> str:
    """A term as a statement's label names it: ``segment/id`` for a model resource, the
    text of a literal, the IRI otherwise."""
    if term.startswith('"'):
        return split_literal(term)[0]
    iri = term[1:-1]
    return iri[len(BASE):] if iri.startswith(BASE) else iri


def _shorten(text: str, limit: int = 80) -> str:
    """``text`` cut to ``limit`` characters for a message (a hostile literal may be long)."""
    return text if len(text) <= limit else text[:limit - 3] + "..."


def kind_of_subject(subject: Node) -> Kind | None:
    """The kind whose IRI segment a subject lives under, if any."""
    text = str(subject)
    if not text.startswith(BASE):
        return None
    segment = text[len(BASE):].split("/", 1)[0]
    return KINDS_BY_SEGMENT.get(segment)
