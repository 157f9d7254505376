"""Write a built graph back to the tabular source format (YAML, CSV or XLSX).

The inverse of :mod:`samhandling.build`: every record the schema can express becomes a row;
whatever the tables cannot hold (triples from RDF passthrough files) goes to ``extra.ttl``, so
loading the written folder gives back an isomorphic graph.
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
from ..namespaces import BASE, RDF
from ..schema import KINDS, Column, Kind
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
    if column.type == "type":
        return sorted(value for value, cls in column.choices
                      if cls != kind.cls and (subject, RDF.type, cls) in graph)
    if column.inverse:
        objects = list(graph.subjects(column.predicate, subject))
    else:
        objects = list(graph.objects(subject, column.predicate))
    values: list[str] = []
    for obj in objects:
        if column.type == "lang":
            if isinstance(obj, Literal) and obj.language == column.lang:
                values.append(str(obj))
        elif column.type in ("ref", "source"):
            values.extend(_ref_text(obj, column))
        elif column.type == "choice":
            values.extend(value for value, concept in column.choices if obj == concept)
        elif isinstance(obj, Literal) and not obj.language:
            values.append(_text(obj))
    return sorted(values)


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
    """Every record of every kind the graph holds, in a stable order."""
    records: list[Record] = []
    for kind in KINDS:
        subjects = sorted(s for s in graph.subjects(RDF.type, kind.cls)
                          if isinstance(s, URIRef) and _id_of(s, kind) is not None)
        for subject in subjects:
            record_id = _id_of(subject, kind)
            assert record_id is not None
            record = Record(kind=kind.name, file=f"{kind.name}", line=None)
            record.cells["id"] = [Cell(record_id, None)]
            for column in kind.columns:
                values = _cell_values(graph, subject, kind, column)
                if values:
                    record.cells[column.name] = [Cell(v, None) for v in values]
            records.append(record)
    return records


def _rows(kind: Kind, records: list[Record]) -> tuple[list[str], list[list[str]]]:
    header = kind.column_names
    rows = [[";".join(c.value for c in r.cells.get(name, [])) for name in header]
            for r in records]
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
            item[name] = [c.value for c in cells] if multi else cells[0].value
        items.append(item)
    header = f"# {kind.name}: {kind.doc}\n"
    return header + yaml.safe_dump(items, allow_unicode=True, sort_keys=False, width=100)


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
