"""Build the model graph from a folder of sources, keeping a source map for every subject.

The build reads every file, checks every record against :mod:`samhandling.schema`, resolves
ids to IRIs and derives the few triples that follow from what was read (reuse shortcuts, the
need-code hierarchy, source pages). Problems are collected across all files and raised once,
so a user fixes a broken pull request in one round.
"""

from __future__ import annotations

import datetime as dt
import difflib
import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Graph, Literal, URIRef
from rdflib.term import Node

from samhandling.loaders import Cell, Record, reader_for

from .errors import ModelLoadError, Problem
from .namespaces import BASE, DCTERMS, RDF, RDFS, SAM, SKOS, XSD
from .schema import (
    ID_PATTERN,
    KINDS_BY_NAME,
    KINDS_BY_SEGMENT,
    NEED_CODE_PATTERN,
    NEED_SCHEME,
    Column,
    Kind,
)

Triple = tuple[Node, Node, Node]
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


@dataclass
class BuiltModel:
    """The model graph and where each subject (and statement) came from."""

    graph: Graph
    subjects: dict[str, SourceLocation] = field(default_factory=dict)
    statements: dict[Triple, SourceLocation] = field(default_factory=dict)

    def location_of(self, node: Node) -> SourceLocation | None:
        return self.subjects.get(str(node))

    def sourcemap_json(self) -> bytes:
        """Subject IRI -> ``file:line``, sorted, for tools that only see the built graph."""
        data = {iri: str(loc) for iri, loc in sorted(self.subjects.items())}
        return (json.dumps(data, indent=1, ensure_ascii=False) + "\n").encode("utf-8")


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


def load_model(model_dir: Path | str) -> BuiltModel:
    """Load every source under ``model_dir``; raise :class:`ModelLoadError` listing all problems."""
    model_dir = Path(model_dir)
    if not model_dir.is_dir():
        raise ModelLoadError([Problem(str(model_dir), None, "model folder not found")])
    builder = _Builder()
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
    builder = _Builder()
    builder.records.extend(records)
    return builder.finish()


def need_code_group_iri(code: str) -> URIRef:
    return URIRef(f"{BASE}behov/{code}")


def source_page_iri(source: URIRef, page: str) -> URIRef:
    return URIRef(f"{source}/side-{page}")


class _Builder:
    def __init__(self) -> None:
        self.records: list[Record] = []
        self.problems: list[Problem] = []
        self.model = BuiltModel(Graph())
        self.ids: dict[tuple[str, str], Record] = {}

    # -- passthrough -------------------------------------------------------------------
    def add_passthrough(self, display: str, graph: Graph, lines: dict[str, int]) -> None:
        for s, p, o in graph:
            if p in LANG_PREDICATES and isinstance(o, Literal) and not o.language:
                line = lines.get(str(s))
                self.problems.append(Problem(display, line,
                                             f"{p.n3()} of <{s}> has no language tag"))
            self._add((s, p, o), SourceLocation(display, lines.get(str(s))))
        for subject, line in lines.items():
            self.model.subjects.setdefault(subject, SourceLocation(display, line))

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
                self._derive_reuse(KINDS_BY_NAME[kind_name].iri(record_id),
                                   SourceLocation(record.file, record.line, record.sheet))
        self._derive_need_hierarchy()
        if self.problems:
            raise ModelLoadError(self.problems)
        return self.model

    def _check_record(self, record: Record) -> bool:
        kind = KINDS_BY_NAME.get(record.kind)
        if kind is None:
            self.problems.append(record.problem(
                f"unknown kind '{record.kind}' (from the file or sheet name); valid kinds: "
                + ", ".join(sorted(KINDS_BY_NAME))))
            return False
        ok = True
        for name, cells in record.cells.items():
            line = cells[0].line if cells else record.line
            if name == "id":
                continue
            column = kind.column(name)
            if column is None:
                if kind.column(f"{name}_nb") is not None:
                    message = (f"column '{name}' has no language tag: use '{name}_nb' "
                               f"and '{name}_en'")
                else:
                    message = (f"unknown column '{name}' for kind {kind.name}; valid columns: "
                               + ", ".join(kind.column_names))
                self.problems.append(record.problem(message, line))
                ok = False
            elif len(cells) > 1 and not column.multi:
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

    def _add(self, triple: Triple, location: SourceLocation) -> None:
        self.model.graph.add(triple)
        self.model.statements.setdefault(triple, location)

    def _emit(self, record: Record) -> None:
        kind = KINDS_BY_NAME[record.kind]
        subject = kind.iri(record.id or "")
        where = SourceLocation(record.file, record.line, record.sheet)
        self.model.subjects[str(subject)] = where
        self._add((subject, RDF.type, kind.cls), where)
        for name, cells in record.cells.items():
            column = kind.column(name)
            if column is None:
                continue
            for cell in cells:
                value = self._value(record, kind, column, cell)
                if value is None:
                    continue
                if column.type == "type":
                    triple: Triple = (subject, RDF.type, value)
                elif column.inverse:
                    triple = (value, column.predicate, subject)
                else:
                    triple = (subject, column.predicate, value)
                self._add(triple, SourceLocation(record.file, cell.line, record.sheet))

    def _value(self, record: Record, kind: Kind, column: Column, cell: Cell) -> Node | None:
        raw = cell.value.strip()
        if column.type == "lang":
            return Literal(raw, lang=column.lang)
        if column.type == "text":
            return Literal(raw)
        if column.type == "int":
            try:
                return Literal(int(raw), datatype=XSD.integer)
            except ValueError:
                return self._bad(record, cell,
                                 f"column '{column.name}': '{raw}' is not a whole number")
        if column.type == "bool":
            if raw.lower() in TRUE_WORDS:
                return Literal(True)
            if raw.lower() in FALSE_WORDS:
                return Literal(False)
            return self._bad(record, cell, f"column '{column.name}': '{raw}' is not true/false")
        if column.type == "date":
            try:
                dt.date.fromisoformat(raw)
            except ValueError:
                return self._bad(record, cell,
                                 f"column '{column.name}': '{raw}' is not a date (YYYY-MM-DD)")
            return Literal(raw, datatype=XSD.date)
        if column.type == "code":
            if not NEED_CODE_PATTERN.match(raw):
                return self._bad(record, cell, f"bad need code '{raw}': use dot-separated "
                                 "two-digit segments, e.g. 05.20.20")
            return Literal(raw)
        if column.type == "type":
            for value, cls in column.choices:
                if raw == value:
                    return cls
            return self._bad(record, cell, f"column '{column.name}': '{raw}' is not one of "
                             + ", ".join(v for v, _ in column.choices))
        if column.type == "ref":
            return self._resolve(record, cell, column.targets, column.name)
        if column.type == "source":
            source_id, _, page = raw.partition(":")
            source = self._resolve(record, Cell(source_id.strip(), cell.line), ("kilder",),
                                   column.name)
            if source is None or not page.strip():
                return source
            return self._source_page(source, page.strip(), record, cell)
        raise AssertionError(column.type)

    def _bad(self, record: Record, cell: Cell, message: str) -> None:
        self.problems.append(record.problem(message, cell.line))
        return None

    def _resolve(self, record: Record, cell: Cell, targets: tuple[str, ...],
                 column: str) -> URIRef | None:
        raw = cell.value.strip()
        kinds = [KINDS_BY_NAME[t] for t in targets] if targets else list(KINDS_BY_NAME.values())
        if "/" in raw:
            segment, _, ref_id = raw.partition("/")
            kinds = [k for k in kinds if k.segment == segment]
            raw = ref_id
        found = [k for k in kinds if (k.name, raw) in self.ids]
        if len(found) == 1:
            return found[0].iri(raw)
        if len(found) > 1:
            options = ", ".join(f"{k.segment}/{raw}" for k in found)
            return self._bad(record, cell, f"column '{column}': '{raw}' is ambiguous; write one "
                             f"of {options}")
        known = sorted(i for (k, i) in self.ids if k in {kind.name for kind in kinds})
        close = difflib.get_close_matches(raw, known, n=3)
        hint = f" (did you mean {', '.join(close)}?)" if close else ""
        wanted = " or ".join(k.name for k in kinds) if targets else "any kind"
        return self._bad(record, cell, f"column '{column}': unknown id '{cell.value.strip()}' "
                         f"(expected an id of {wanted}){hint}")

    def _source_page(self, source: URIRef, page: str, record: Record, cell: Cell) -> URIRef | None:
        if not all(part.isdigit() for part in page.split("-")) or page.count("-") > 1:
            return self._bad(record, cell, f"bad page '{page}': use a number or a range, "
                             "e.g. seed:32 or seed:22-24")
        iri = source_page_iri(source, page)
        where = SourceLocation(record.file, cell.line, record.sheet)
        source_record = self.ids.get(("kilder", source.split("/")[-1]))
        tag_cells = source_record.cells.get("tag") if source_record else None
        tag = tag_cells[0].value if tag_cells else source.split("/")[-1]
        derived: list[Triple] = [
            (iri, RDF.type, SAM.SourcePage),
            (iri, DCTERMS.isPartOf, source),
            (iri, SAM.page, Literal(page)),
            (iri, RDFS.label, Literal(f"{tag} side {page}", lang="nb")),
            (iri, RDFS.label, Literal(f"{tag} page {page}", lang="en")),
        ]
        for triple in derived:
            self._add(triple, where)
        self.model.subjects.setdefault(str(iri), where)
        return iri

    # -- derived -----------------------------------------------------------------------
    def _derive_reuse(self, relation: URIRef, where: SourceLocation) -> None:
        """Write the ``sam:reuses`` shortcut, and labels the record left out."""
        graph = self.model.graph
        user = graph.value(relation, SAM.reusingService)
        used = graph.value(relation, SAM.reusedService)
        if user is None or used is None:
            return
        self._add((user, SAM.reuses, used), where)
        verbs = {"nb": "gjenbruker", "en": "reuses"}
        present = {o.language for o in graph.objects(relation, RDFS.label)
                   if isinstance(o, Literal)}
        for lang, verb in verbs.items():
            if lang not in present:
                text = f"{_label(graph, user, lang)} {verb} {_label(graph, used, lang)}"
                self._add((relation, RDFS.label, Literal(text, lang=lang)), where)

    def _derive_need_hierarchy(self) -> None:
        """Each need is a SKOS concept whose broader concept is the need (or code group) whose
        code is its code minus the last segment; missing code groups are generated."""
        graph = self.model.graph
        kind = KINDS_BY_NAME["behov"]
        by_code: dict[str, URIRef] = {}
        sources: dict[str, set[Node]] = {}
        for kind_name, record_id in sorted(self.ids):
            if kind_name != "behov":
                continue
            need = kind.iri(record_id)
            code = graph.value(need, SKOS.notation)
            if code is None:
                continue
            by_code[str(code)] = need
        pending = sorted(by_code, key=lambda c: (-c.count("."), c))
        seen_groups: set[str] = set()
        while pending:
            code = pending.pop(0)
            concept = by_code.get(code) or need_code_group_iri(code)
            where = self.model.subjects.get(str(concept), SourceLocation("(derived)"))
            self._add((concept, RDF.type, SKOS.Concept), where)
            self._add((concept, SKOS.inScheme, NEED_SCHEME), where)
            concept_sources = set(graph.objects(concept, DCTERMS.source)) | sources.get(code, set())
            if "." not in code:
                self._add((concept, SKOS.topConceptOf, NEED_SCHEME), where)
                continue
            parent_code = code.rsplit(".", 1)[0]
            parent = by_code.get(parent_code) or need_code_group_iri(parent_code)
            self._add((concept, SKOS.broader, parent), where)
            sources.setdefault(parent_code, set()).update(concept_sources)
            if parent_code not in by_code and parent_code not in seen_groups:
                seen_groups.add(parent_code)
                self._add((parent, RDF.type, SAM.NeedCodeGroup), where)
                self._add((parent, SKOS.notation, Literal(parent_code)), where)
                self._add((parent, RDFS.label, Literal(f"Behovskode {parent_code}", lang="nb")),
                          where)
                self._add((parent, RDFS.label, Literal(f"Need code {parent_code}", lang="en")),
                          where)
                self.model.subjects.setdefault(str(parent), where)
                pending.append(parent_code)
                pending.sort(key=lambda c: (-c.count("."), c))
        for code, code_sources in sources.items():
            if code in by_code:
                continue
            group = need_code_group_iri(code)
            for source in code_sources:
                self._add((group, DCTERMS.source, source), self.model.subjects[str(group)])


def _label(graph: Graph, node: Node, lang: str) -> str:
    for value in graph.objects(node, RDFS.label):
        if isinstance(value, Literal) and value.language == lang:
            return str(value)
    return str(node).rsplit("/", 1)[-1]


def kind_of_subject(subject: Node) -> Kind | None:
    """The kind whose IRI segment a subject lives under, if any."""
    text = str(subject)
    if not text.startswith(BASE):
        return None
    segment = text[len(BASE):].split("/", 1)[0]
    return KINDS_BY_SEGMENT.get(segment)
