"""Write a built graph back to the tabular source format (YAML, CSV or XLSX).

The inverse of :mod:`samhandling.build`: every record the schema can express becomes a row;
whatever the tables cannot hold (triples from RDF passthrough files) goes to ``extra.ttl``, so
loading the written folder gives back an isomorphic graph. A value's own qualifiers (its
``rdf:Statement``: source, interpretation, status, notes) are written back in the per-value
form: a mapping in YAML, ``value {key: v, ...}`` in CSV and XLSX where the text allows it (a
qualifier holding ``,``, ``;``, ``{`` or ``}`` cannot be spelt there: that statement goes to
``extra.ttl`` instead).
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path
from typing import TYPE_CHECKING
from typing import Literal as TypingLiteral

import yaml
from rdflib import Graph, Literal, URIRef
from rdflib.term import Node

from samhandling.loaders import Cell, Record

from ..atomic import new_folder
from ..build import build_from_records, kind_of_subject
from ..errors import UsageError
from ..namespaces import BASE, PROV, RDF
from ..schema import KINDS, QUALIFIABLE_TYPES, QUALIFIERS, Column, Kind
from ..spreadsheet import escape_cell, is_dangerous
from .rdf import to_turtle

if TYPE_CHECKING:
    from openpyxl.cell.cell import Cell as Cell_

TableFormat = TypingLiteral["yaml", "csv", "xlsx"]
TABLE_FORMATS: tuple[str, ...] = ("yaml", "csv", "xlsx")
EXTRA_FILE = "extra.ttl"


def _id_of(iri: Node, kind: Kind) -> str | None:
    prefix = f"{BASE}{kind.segment}/"
    text = str(iri)
    if isinstance(iri, URIRef) and text.startswith(prefix) and "/" not in text[len(prefix):]:
        return text[len(prefix):]
    return None


def _text(value: Node) -> str:
    if isinstance(value, Literal) and isinstance(value.toPython(), bool):
        return "true" if value.toPython() else "false"
    return str(value)


def _cell_values(graph: Graph, subject: URIRef, kind: Kind, column: Column) -> list[str]:
    return [text for text, _obj in _cell_pairs(graph, subject, kind, column)]


def _cell_pairs(graph: Graph, subject: URIRef, kind: Kind,
                column: Column) -> list[tuple[str, Node]]:
    """Each value of ``column`` as the table writes it, with the node it stands for, sorted."""
    if column.type == "type":
        return sorted((value, cls) for value, cls in column.choices
                      if cls != kind.cls and (subject, RDF.type, cls) in graph)
    if column.inverse:
        objects = list(graph.subjects(column.predicate, subject))
    else:
        objects = list(graph.objects(subject, column.predicate))
    return sorted(((text, obj) for obj in objects for text in _value_texts(obj, column)),
                  key=lambda pair: pair[0])


def _value_texts(obj: Node, column: Column) -> list[str]:
    """How one node is written in ``column`` (none where the column cannot hold it)."""
    if column.type == "lang":
        return [str(obj)] if isinstance(obj, Literal) and obj.language == column.lang else []
    if column.type in ("ref", "source"):
        return _ref_text(obj, column)
    if column.type == "choice":
        return [value for value, concept in column.choices if obj == concept]
    if isinstance(obj, Literal) and not obj.language:
        return [_text(obj)]
    return []


def _statements(graph: Graph) -> dict[tuple[Node, Node, Node], Node]:
    """The statements a table can write back: (subject, predicate, object) -> node, for every
    ``rdf:Statement`` that is not derived (the build derives those again)."""
    found: dict[tuple[Node, Node, Node], Node] = {}
    for node in graph.subjects(RDF.type, RDF.Statement):
        if (node, PROV.wasDerivedFrom, None) in graph:
            continue
        parts = [list(graph.objects(node, p)) for p in (RDF.subject, RDF.predicate, RDF.object)]
        if all(len(part) == 1 for part in parts):
            found[(parts[0][0], parts[1][0], parts[2][0])] = node
    return found


def _qualifiers(graph: Graph, statement: Node) -> dict[str, list[Cell]]:
    """A statement's qualifiers as the per-value form writes them."""
    found: dict[str, list[Cell]] = {}
    for qualifier in QUALIFIERS:
        texts = sorted(text for obj in graph.objects(statement, qualifier.predicate)
                       for text in _value_texts(obj, qualifier))
        if texts:
            found[qualifier.name] = [Cell(text, None) for text in texts]
    return found


def _ref_text(obj: Node, column: Column) -> list[str]:
    owner = kind_of_subject(obj)
    if owner is None:
        return []
    if column.type == "source":
        rest = str(obj)[len(f"{BASE}{owner.segment}/"):]
        source_id, _, page = rest.partition("/side-")
        return [f"{source_id}:{page}" if page else source_id]
    record_id = _id_of(obj, owner)
    if record_id is None or (column.targets and owner.name not in column.targets):
        return []
    return [record_id if column.targets else f"{owner.segment}/{record_id}"]


def graph_to_records(graph: Graph) -> list[Record]:
    """Every record of every kind the graph holds, in a stable order; a value with its own
    statement carries its qualifiers (``Record.qualifiers``)."""
    records: list[Record] = []
    statements = _statements(graph)
    for kind in KINDS:
        subjects = sorted(s for s in graph.subjects(RDF.type, kind.cls)
                          if isinstance(s, URIRef) and _id_of(s, kind) is not None)
        for subject in subjects:
            record_id = _id_of(subject, kind)
            assert record_id is not None
            record = Record(kind=kind.name, file=f"{kind.name}", line=None)
            record.cells["id"] = [Cell(record_id, None)]
            for column in kind.columns:
                pairs = _cell_pairs(graph, subject, kind, column)
                if not pairs:
                    continue
                record.cells[column.name] = [Cell(text, None) for text, _obj in pairs]
                if statements and column.type in QUALIFIABLE_TYPES:
                    _attach(graph, statements, record, subject, column, pairs)
            records.append(record)
    return records


def _attach(graph: Graph, statements: dict[tuple[Node, Node, Node], Node], record: Record,
            subject: URIRef, column: Column, pairs: list[tuple[str, Node]]) -> None:
    """Give each value of ``column`` that has a statement its qualifiers."""
    for index, (_written, obj) in enumerate(pairs):
        triple = ((obj, column.predicate, subject) if column.inverse
                  else (subject, column.predicate, obj))
        node = statements.get(triple)
        qualifiers = _qualifiers(graph, node) if node is not None else {}
        if qualifiers:
            if record.qualifiers is None:
                record.qualifiers = {}
            record.qualifiers.setdefault(column.name, {})[index] = qualifiers


#: What a qualifier may not hold to be spelt inline in a CSV or XLSX cell.
_NOT_INLINE = frozenset(",;{}\n")


def _inline_only(records: list[Record]) -> None:
    """Drop the qualifiers a table cell cannot spell (their statements go to extra.ttl)."""
    for record in records:
        if not record.qualifiers:
            continue
        for name, by_index in list(record.qualifiers.items()):
            cells = record.cells[name]
            for index, qualifiers in list(by_index.items()):
                texts = [cells[index].value, *(c.value for v in qualifiers.values() for c in v)]
                if any(_NOT_INLINE.intersection(text) for text in texts):
                    del by_index[index]
            if not by_index:
                del record.qualifiers[name]


def _cell_text(record: Record, name: str) -> str:
    """A table cell: values ``;``-separated, each with its qualifiers in braces."""
    by_index = (record.qualifiers or {}).get(name, {})
    parts = []
    for index, cell in enumerate(record.cells.get(name, [])):
        qualifiers = by_index.get(index)
        if qualifiers:
            inner = ", ".join(f"{key}: {c.value}" for key, values in qualifiers.items()
                              for c in values)
            parts.append(f"{cell.value} {{{inner}}}")
        else:
            parts.append(cell.value)
    return ";".join(parts)


def _rows(kind: Kind, records: list[Record]) -> tuple[list[str], list[list[str]]]:
    header = kind.column_names
    rows = [[_cell_text(r, name) for name in header] for r in records]
    return header, rows


def _yaml_text(kind: Kind, records: list[Record]) -> str:
    items = []
    for record in records:
        item: dict[str, object] = {}
        for name in kind.column_names:
            cells = record.cells.get(name)
            if not cells:
                continue
            column = kind.column(name)
            multi = column is not None and column.multi
            by_index = (record.qualifiers or {}).get(name, {})
            values = [per_value_form(c.value, by_index.get(i), column)
                      for i, c in enumerate(cells)]
            item[name] = values if multi else values[0]
        items.append(item)
    header = f"# {kind.name}: {kind.doc}\n"
    return header + yaml.safe_dump(items, allow_unicode=True, sort_keys=False, width=100)


def per_value_form(value: str, qualifiers: dict[str, list[Cell]] | None,
                   column: Column | None) -> object:
    """A value as the YAML loader reads it: the value itself, or with qualifiers its per-value
    form ``{id: value, source: ...}`` (``value:`` for a column that is not a reference), the
    qualifiers in the schema's order. Shared by ``export-tables`` and the ArchiMate import."""
    if not qualifiers:
        return value
    key = "id" if column is not None and column.type == "ref" else "value"
    form: dict[str, object] = {key: value}
    for qualifier in QUALIFIERS:
        cells = qualifiers.get(qualifier.name)
        if cells:
            texts = [c.value for c in cells]
            form[qualifier.name] = texts if qualifier.multi else texts[0]
    return form


def _csv_text(kind: Kind, records: list[Record]) -> str:
    header, rows = _rows(kind, records)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    # A label like "=HYPERLINK(...)" would run as a formula when the file is opened.
    writer.writerows([escape_cell(cell) for cell in row] for row in rows)
    return buffer.getvalue()


def export_tables(graph: Graph, out_dir: Path, fmt: str = "yaml", *,
                  force: bool = False) -> list[Path]:
    """Write ``graph`` as a model folder in ``fmt``; return the files written.

    The folder is written whole or not at all (:func:`samhandling.atomic.new_folder`): a
    non-empty ``out_dir`` is refused unless ``force``, and then replaced as a whole, because
    files of two exports (or of an export and a hand-made model) must never mix."""
    if fmt not in TABLE_FORMATS:
        raise UsageError(f"unknown table format '{fmt}'; valid: {', '.join(TABLE_FORMATS)}")
    out_dir = Path(out_dir)
    with new_folder(out_dir, force=force) as folder:
        names = _write_tables(graph, folder, fmt)
    return [out_dir / name for name in names]


def _write_tables(graph: Graph, out_dir: Path, fmt: str) -> list[str]:
    """Write the tables into ``out_dir`` (a fresh folder); the names of the files."""
    records = graph_to_records(graph)
    if fmt != "yaml":
        _inline_only(records)
    by_kind = {kind.name: [r for r in records if r.kind == kind.name] for kind in KINDS}
    written: list[Path] = []
    if fmt == "xlsx":
        written.append(_write_workbook(out_dir / "model.xlsx", by_kind))
    else:
        for kind in KINDS:
            if not by_kind[kind.name]:
                continue
            path = out_dir / f"{kind.name}.{fmt}"
            text = (_yaml_text if fmt == "yaml" else _csv_text)(kind, by_kind[kind.name])
            path.write_text(text, encoding="utf-8")
            written.append(path)
    rebuilt = build_from_records(records).graph
    extra = graph - rebuilt
    if len(extra):
        path = out_dir / EXTRA_FILE
        path.write_bytes(to_turtle(extra))
        written.append(path)
    return [path.name for path in written]


def _write_workbook(path: Path, by_kind: dict[str, list[Record]]) -> Path:
    from openpyxl import Workbook

    workbook = Workbook()
    workbook.remove(workbook.active)
    for kind in KINDS:
        if not by_kind[kind.name]:
            continue
        sheet = workbook.create_sheet(kind.name)
        header, rows = _rows(kind, by_kind[kind.name])
        sheet.append(header)
        for row in rows:
            _check_storable(kind, header, row)
            sheet.append(row)
        for cells in sheet.iter_rows(min_row=2):
            for cell in cells:
                _as_text(cell)
    workbook.save(path)
    return path


#: Characters a worksheet cannot store (openpyxl refuses them, and Excel has no escape
#: that our loader reads back).
_NOT_IN_XLSX = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f]")


def _check_storable(kind: Kind, header: list[str], row: list[str]) -> None:
    """Refuse (one line, before anything is written) a cell XLSX cannot hold, instead of
    dropping or changing the character."""
    for name, value in zip(header, row, strict=True):
        bad = _NOT_IN_XLSX.search(value)
        if bad:
            record = row[header.index("id")] if "id" in header else "?"
            raise UsageError(f"{kind.name}/{record}: {name} holds control character "
                             f"U+{ord(bad.group()):04X}, which XLSX cannot store; export as "
                             "csv or yaml, or fix the source")


def _as_text(cell: Cell_) -> None:
    """Keep a value that looks like a formula a text cell: openpyxl turns any string
    starting with ``=`` into a live formula (run by Excel on opening, read back empty
    without a cached value); ``quotePrefix`` tells Excel to keep it text when edited too."""
    if isinstance(cell.value, str) and is_dangerous(cell.value):
        cell.data_type = "s"
        cell.quotePrefix = True
