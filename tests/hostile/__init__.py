"""A corpus of hostile source files, made by small generators (no checked-in megabytes).

Each :class:`Case` is one file dropped into a copy of the mini model; ``tests/test_hostile.py``
runs every command that reads a model over it and expects exit code 2, error lines naming
the file (and line), no traceback, nothing written, within a time bound. To add a case,
append a ``Case`` to :data:`CASES` with a generator that writes the file at the path it is
given; make big inputs small by lowering a limit in ``env`` (the mechanism is the same).
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

#: The namespace passthrough cases write into.
EX = "https://w3id.org/samhandling/x/"
_SHEET_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


@dataclass(frozen=True)
class Case:
    """One hostile file and what the error must say."""

    #: Test id, and the class of input it stands for (``huge``, ``xlsx``, ``rdf``, ...).
    name: str
    cls: str
    #: File name in the model folder (its kind is the name up to the first dot).
    file: str
    make: Callable[[Path], None]
    #: Text every error line must hold (besides the file name), and the line, if any.
    message: str = ""
    line: int | None = None
    #: Environment for the run: lower a limit to exercise it with a small file.
    env: dict[str, str] = field(default_factory=dict)
    #: Error lines allowed (one per problem: a case with two problems says 2).
    max_errors: int = 1
    #: Wall-clock bound for all commands together.
    seconds: float = 30.0


# -- text generators ----------------------------------------------------------------------------
def text(content: str) -> Callable[[Path], None]:
    def make(path: Path) -> None:
        path.write_text(content, encoding="utf-8")
    return make


def data(content: bytes) -> Callable[[Path], None]:
    def make(path: Path) -> None:
        path.write_bytes(content)
    return make


def sparse(size: int) -> Callable[[Path], None]:
    """A file of ``size`` bytes that takes no disk: refused by its size before it is read."""
    def make(path: Path) -> None:
        with path.open("wb") as handle:
            handle.truncate(size)
    return make


def service(record_id: str, label: str = "X") -> str:
    return (f"- id: {record_id}\n  group: oversikt\n  label_nb: {label}\n  label_en: X\n"
            "  source: [vg]\n")


def many_records(count: int) -> Callable[[Path], None]:
    return text("".join(service(f"s{i}") for i in range(count)))


def one_line_yaml(size: int) -> Callable[[Path], None]:
    return text("- id: a\n  label_nb: " + "x" * size + "\n")


def turtle(body: str) -> Callable[[Path], None]:
    return text(f"@prefix ex: <{EX}> .\n@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .\n"
                + body)


def blank_cycle(count: int) -> Callable[[Path], None]:
    return turtle("".join(f"_:b{i} ex:next _:b{(i + 1) % count} .\n" for i in range(count)))


# -- workbooks ----------------------------------------------------------------------------------
def _content_types(extra: str = "") -> str:
    return ('<?xml version="1.0"?>' + extra +
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="xml" ContentType="application/xml"/></Types>')


def _workbook(extra: str = "", sheets: str = "") -> str:
    sheets = sheets or '<sheet name="samhandlingsformer" sheetId="1" r:id="rId1"/>'
    return (f'<?xml version="1.0"?>{extra}<workbook xmlns="{_SHEET_NS}" xmlns:r="{_REL_NS}">'
            f"<sheets>{sheets}</sheets></workbook>")


_RELS = ('<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/'
         '2006/relationships"><Relationship Id="rId1" Type="worksheet" '
         'Target="worksheets/sheet1.xml"/></Relationships>')
_HEADER = ("id", "type", "label_nb", "label_en", "source")


def _inline(ref: str, value: str) -> str:
    return f'<c r="{ref}" t="inlineStr"><is><t>{value}</t></is></c>'


def sheet_xml(rows: list[str], dimension: str = "A1:E2") -> str:
    """A worksheet: a header row of the ``samhandlingsformer`` columns, then ``rows``
    (each the XML of one ``<row>``)."""
    header = "".join(_inline(f"{chr(65 + i)}1", name) for i, name in enumerate(_HEADER))
    return (f'<?xml version="1.0"?><worksheet xmlns="{_SHEET_NS}"><dimension ref="{dimension}"/>'
            f'<sheetData><row r="1">{header}</row>{"".join(rows)}</sheetData></worksheet>')


def good_row(number: int, record_id: str = "xl-form", extra: str = "") -> str:
    values = (record_id, "teknisk", "Skjema", "Form", "vg")
    cells = "".join(_inline(f"{chr(65 + i)}{number}", v) for i, v in enumerate(values))
    return f'<row r="{number}">{cells}{extra}</row>'


def workbook(sheet: str | None = None, parts: dict[str, bytes | str] | None = None,
             workbook_xml: str | None = None, content_types: str | None = None,
             deflate: bool = True) -> Callable[[Path], None]:
    """An XLSX archive: a minimal valid workbook with any part replaced or added."""
    members: dict[str, bytes | str] = {
        "[Content_Types].xml": content_types or _content_types(),
        "xl/workbook.xml": workbook_xml or _workbook(),
        "xl/_rels/workbook.xml.rels": _RELS,
        "xl/worksheets/sheet1.xml": sheet if sheet is not None else sheet_xml([good_row(2)]),
    }
    members.update(parts or {})

    def make(path: Path) -> None:
        buffer = io.BytesIO()
        method = zipfile.ZIP_DEFLATED if deflate else zipfile.ZIP_STORED
        with zipfile.ZipFile(buffer, "w", method) as archive:
            for name, content in members.items():
                if content is not None:
                    archive.writestr(name, content)
        path.write_bytes(buffer.getvalue())
    return make


def without(name: str) -> dict[str, bytes | str]:
    return {name: None}  # type: ignore[dict-item]


_LAUGHS = ('<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;">'
           '<!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;"><!ENTITY lol3 "&lol2;&lol2;&lol2;">]>')
_XXE_FILE = '<!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
_XXE_HTTP = '<!DOCTYPE x [<!ENTITY xxe SYSTEM "http://127.0.0.1:9/x">]>'
_CORE = ('<?xml version="1.0"?>{dtd}<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.'
         'org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/">'
         '<dc:title>&xxe;</dc:title></cp:coreProperties>')


def _shared_strings_bomb() -> bytes:
    """``sharedStrings.xml`` of 64 MiB that compresses to ~64 KiB."""
    return (f'<?xml version="1.0"?><sst xmlns="{_SHEET_NS}"><si><t>'.encode()
            + b"a" * (64 << 20) + b"</t></si></sst>")


def _laughs_workbook() -> str:
    return _workbook(_LAUGHS).replace("<sheets>", "<sheets>&lol3;", 1)


# -- the table ----------------------------------------------------------------------------------
_DIM_ROW = good_row(9, "Bad Id!")  # a bad id in a row the <dimension> does not cover
_LIMITS_SMALL = {"SAMHANDLING_MAX_FILE_SIZE": "64K"}

CASES: list[Case] = [
    # huge input: each limit, by a file over it (a sparse file, or a lowered limit)
    Case("yaml-200mb-one-line", "huge", "tjenester.2.yaml", sparse(200 << 20),
         "SAMHANDLING_MAX_FILE_SIZE"),
    Case("yaml-one-line-over-file-limit", "huge", "tjenester.2.yaml",
         one_line_yaml(100_000), "SAMHANDLING_MAX_FILE_SIZE", env=_LIMITS_SMALL),
    Case("yaml-long-label", "huge", "tjenester.2.yaml",
         text(service("lang", "x" * 5000)), "SAMHANDLING_MAX_CELL_SIZE", line=3,
         env={"SAMHANDLING_MAX_CELL_SIZE": "4K"}),
    Case("yaml-many-records", "huge", "tjenester.2.yaml", many_records(300),
         "SAMHANDLING_MAX_RECORDS", env={"SAMHANDLING_MAX_RECORDS": "200"}),
    Case("csv-long-cell", "huge", "samhandlingsformer.2.csv",
         text("id,type,label_nb,label_en,source\nx,teknisk," + "y" * 5000 + ",X,vg\n"),
         "SAMHANDLING_MAX_CELL_SIZE", line=2, env={"SAMHANDLING_MAX_CELL_SIZE": "4K"}),
    Case("csv-many-records", "huge", "samhandlingsformer.2.csv",
         text("id,type,label_nb,label_en,source\n"
              + "".join(f"f{i},teknisk,A,B,vg\n" for i in range(300))),
         "SAMHANDLING_MAX_RECORDS", env={"SAMHANDLING_MAX_RECORDS": "200"}),
    Case("ttl-long-literal", "huge", "notes.ttl",
         turtle(f'ex:a ex:note "{"z" * 5000}" .\n'), "SAMHANDLING_MAX_CELL_SIZE", line=3,
         env={"SAMHANDLING_MAX_CELL_SIZE": "4K"}),
    Case("xlsx-sparse-200mb", "huge", "former.xlsx", sparse(200 << 20),
         "SAMHANDLING_MAX_FILE_SIZE"),
    Case("yaml-deep-nesting", "huge", "tjenester.2.yaml",
         text("- id: a\n  label_nb: " + "[" * 20_000 + "]" * 20_000 + "\n"), ""),
    # XLSX that is not what it claims
    Case("xlsx-garbage", "xlsx", "former.xlsx", data(b"PK\x03\x04 not really"), "XLSX"),
    Case("xlsx-truncated-sheet-xml", "xlsx", "former.xlsx",
         workbook(sheet_xml([good_row(2)])[:-40]), "malformed XML"),
    Case("xlsx-garbage-sheet-xml", "xlsx", "former.xlsx", workbook("\x00\x01 no xml <<"),
         "malformed XML"),
    Case("xlsx-bad-cell-reference", "xlsx", "former.xlsx",
         workbook(sheet_xml([good_row(2, extra='<c r="Z-9" t="inlineStr"><is><t>x</t></is>'
                                                '</c>')])), "bad cell reference", line=2),
    Case("xlsx-number-not-numeric", "xlsx", "former.xlsx",
         workbook(sheet_xml([good_row(2, extra='<c r="F2" t="n"><v>twelve</v></c>')])),
         "not a number", line=2),
    Case("xlsx-shared-string-out-of-range", "xlsx", "former.xlsx",
         workbook(sheet_xml([good_row(2, extra='<c r="F2" t="s"><v>99</v></c>')])),
         "out of range", line=2),
    Case("xlsx-shared-strings-zip-bomb", "xlsx", "former.xlsx",
         workbook(parts={"xl/sharedStrings.xml": _shared_strings_bomb()}), "zip bomb"),
    Case("xlsx-billion-laughs-workbook", "xlsx", "former.xlsx",
         workbook(workbook_xml=_laughs_workbook()), "DTD"),
    Case("xlsx-xxe-file-workbook", "xlsx", "former.xlsx",
         workbook(workbook_xml=_workbook(_XXE_FILE).replace('name="samhandlingsformer"',
                                                            'name="&xxe;"')), "DTD"),
    Case("xlsx-xxe-http-core", "xlsx", "former.xlsx",
         workbook(parts={"docProps/core.xml": _CORE.format(dtd=_XXE_HTTP)}), "DTD"),
    Case("xlsx-xxe-file-content-types", "xlsx", "former.xlsx",
         workbook(content_types=_content_types(_XXE_FILE).replace(
             "</Types>", "<Default Extension='x' ContentType='&xxe;'/></Types>")), "DTD"),
    Case("xlsx-row-beyond-dimension", "xlsx", "former.xlsx",
         workbook(sheet_xml([good_row(2), _DIM_ROW], dimension="A1:E2")), "bad id", line=9),
    Case("xlsx-missing-worksheet-part", "xlsx", "former.xlsx",
         workbook(parts=without("xl/worksheets/sheet1.xml")), "missing"),
    Case("xlsx-formula-without-value", "xlsx", "former.xlsx",
         workbook(sheet_xml([good_row(2, extra='<c r="F2"><f>1+1</f></c>')])),
         "formula without a cached value", line=2),
    Case("xlsx-too-many-parts", "xlsx", "former.xlsx",
         workbook(parts={f"xl/media/p{i}.bin": b"x" for i in range(40)}),
         "SAMHANDLING_MAX_XLSX_MEMBERS", env={"SAMHANDLING_MAX_XLSX_MEMBERS": "20"}),
    # RDF passthrough
    Case("ttl-ill-typed-date", "rdf", "notes.ttl",
         turtle('ex:a ex:when "2021-13-01"^^xsd:date .\n'), "ill-typed", line=3),
    Case("ttl-rdf-star", "rdf", "notes.ttl", turtle("<< ex:a ex:b ex:c >> ex:p ex:o .\n"),
         "RDF-star", line=3),
    Case("ttl-relative-iri", "rdf", "notes.ttl", turtle("<foo> ex:p ex:o .\n"),
         "relative IRI", line=3),
    Case("jsonld-relative-iri", "rdf", "notes.jsonld",
         text('{"@id": "foo", "https://w3id.org/samhandling/x/p": "v"}\n'), "relative IRI",
         line=1),
    Case("ttl-syntax-error", "rdf", "notes.ttl", turtle("ex:a ex:b .\n"), "malformed RDF",
         line=3),
    Case("ttl-blank-node-cycle", "rdf", "notes.ttl", blank_cycle(200), "blank nodes"),
    Case("yaml-id-block-scalar", "rdf", "tjenester.2.yaml",
         text("- id: |\n    ny\n  group: oversikt\n  label_nb: N\n  label_en: N\n"
              "  source: [vg]\n"), "bad id", line=1),
    Case("jsonld-remote-context", "rdf", "notes.jsonld",
         text('{"@context": "http://127.0.0.1:9/ctx.jsonld", "@id": "https://x/a", "p": "v"}\n'),
         "malformed RDF"),
    Case("ttl-blank-node-twin-cycles", "rdf", "notes.ttl",
         turtle("".join(f"_:a{i} ex:p _:b{i} . _:b{i} ex:p _:a{i} .\n" for i in range(50))),
         "blank nodes"),
    Case("xlsx-error-cell", "xlsx", "former.xlsx",
         workbook(sheet_xml([good_row(2, extra='<c r="F2" t="e"><v>#REF!</v></c>')])),
         "error value", line=2),
    Case("xlsx-bad-row-number", "xlsx", "former.xlsx",
         workbook(sheet_xml(['<row r="x1"><c r="A2"><v>1</v></c></row>'])), "bad row number"),
    Case("xlsx-no-workbook-part", "xlsx", "former.xlsx",
         workbook(parts=without("xl/workbook.xml")), "no xl/workbook.xml"),
    Case("xlsx-entity-in-sheet", "xlsx", "former.xlsx",
         workbook(_LAUGHS + sheet_xml([good_row(2)]).split("?>", 1)[1]), "DTD"),
    # encoding and shape
    Case("yaml-alias-bomb", "shape", "tjenester.2.yaml",
         text(service("a") + "  alt_label_nb: &a [x, x, x, x, x, x, x, x, x]\n"
              "  note_nb: [*a, *a, *a, *a, *a, *a, *a, *a, *a]\n"), "expected a value", line=7),
    Case("csv-unclosed-quote", "shape", "samhandlingsformer.2.csv",
         text('id,type,label_nb,label_en,source\n"x,teknisk,A,B,vg\n'), "malformed CSV"),
    Case("yaml-nul-byte", "encoding", "tjenester.2.yaml", data(b"- id: a\n  label_nb: \x00\n"),
         "U+0000", line=2),
    Case("yaml-not-utf8", "encoding", "tjenester.2.yaml", data(b"- id: a\n  label_nb: \xff\n"),
         "not UTF-8", line=2),
    Case("yaml-not-a-list", "shape", "tjenester.2.yaml", text("id: a\n"), "list of records",
         line=1),
]
