"""Write a query result as an aligned table, CSV, JSON, Markdown, or (for graphs) N-Triples.

Human formats (``table``, ``md``) title columns in the ``--lang`` language from the query's
``#+ returns:`` header and shorten the project's IRIs to ``segment/id`` (``tjeneste/plan``),
the same form ``-p`` accepts. Machine formats (``csv``, ``json``, ``nt``) keep variable names
and full IRIs so other tools can join on them.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Mapping

from ..errors import UsageError
from .library import Column
from .terms import XSD_BOOLEAN, QueryResult, Term

FORMATS = ("table", "csv", "json", "md", "nt")
#: Codes the library's queries bind as plain strings, as the human formats show them in
#: Norwegian (csv and json keep the codes, for tools). Booleans read ja/nei.
_NB_CODES = {"reuses": "gjenbruker", "reused-by": "gjenbrukes av"}


def compact(term: Term | None) -> str:
    """Short text for a cell: ``tjeneste/plan``, ``sam:Goal``, or a literal's text."""
    if term is None:
        return ""
    from ..namespaces import BASE, PREFIXES, curie  # rdflib: imported once there is a result

    if term.kind == "iri":
        if term.value.startswith(BASE) and not term.value.startswith(PREFIXES["sam"]):
            return term.value[len(BASE):]
        return curie(term.value) or f"<{term.value}>"
    if term.kind == "bnode":
        return f"_:{term.value}"
    return term.value


def _human(term: Term | None, lang: str) -> str:
    """A cell for people: :func:`compact`, with booleans and known codes in Norwegian."""
    text = compact(term)
    if lang != "nb" or term is None or term.kind != "literal":
        return text
    if term.datatype == XSD_BOOLEAN:
        return {"true": "ja", "1": "ja", "false": "nei", "0": "nei"}.get(text, text)
    return _NB_CODES.get(text, text) if term.lang is None else text


def full(term: Term | None) -> str:
    return "" if term is None else term.value


def render(result: QueryResult, fmt: str, *, lang: str = "nb",
           columns: Mapping[str, Column] | None = None) -> str:
    """The whole output as text, ending with a newline."""
    columns = columns or {}
    if fmt not in FORMATS:
        raise UsageError(f"unknown format '{fmt}'; valid: {', '.join(FORMATS)}")
    if result.form == "ask":
        if fmt == "nt":
            raise UsageError("--format nt needs a CONSTRUCT or DESCRIBE query")
        if fmt == "json" or fmt == "csv":
            return json.dumps(result.boolean) + "\n"
        if lang == "nb":
            return ("ja" if result.boolean else "nei") + "\n"
        return ("true" if result.boolean else "false") + "\n"
    if fmt == "nt":
        if result.form != "graph":
            raise UsageError("--format nt needs a CONSTRUCT or DESCRIBE query; use table, csv, "
                             "json or md")
        return "".join(" ".join(t.sparql() for t in row if t is not None) + " .\n"
                       for row in result.rows)
    if fmt == "csv":
        return _csv(result)
    if fmt == "json":
        return _json(result)
    titles = [columns[v].title(lang) if v in columns else v for v in result.variables]
    cells = [[_human(t, lang) for t in row] for row in result.rows]
    if fmt == "md":
        return _markdown(titles, cells)
    return _table(titles, cells)


def _csv(result: QueryResult) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(result.variables)
    for row in result.rows:
        writer.writerow([full(t) for t in row])
    return out.getvalue()


def _json(result: QueryResult) -> str:
    """A list of objects, one per row: IRIs and texts as strings, integers and booleans native,
    unbound as null."""
    data = [{name: (None if t is None else t.python()) for name, t in zip(result.variables, row,
                                                                          strict=True)}
            for row in result.rows]
    return json.dumps(data, indent=1, ensure_ascii=False) + "\n"


def _table(titles: list[str], cells: list[list[str]]) -> str:
    widths = [max([len(t), *(len(row[i]) for row in cells)]) for i, t in enumerate(titles)]
    lines = ["  ".join(t.ljust(w) for t, w in zip(titles, widths, strict=True)).rstrip(),
             "  ".join("-" * w for w in widths)]
    lines += ["  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip()
              for row in cells]
    return "\n".join(lines) + "\n"


def _markdown(titles: list[str], cells: list[list[str]]) -> str:
    def esc(text: str) -> str:
        return text.replace("|", "\\|").replace("\n", " ")

    lines = ["| " + " | ".join(esc(t) for t in titles) + " |",
             "|" + "|".join("---" for _ in titles) + "|"]
    lines += ["| " + " | ".join(esc(c) for c in row) + " |" for row in cells]
    return "\n".join(lines) + "\n"


def row_count_line(result: QueryResult, lang: str) -> str:
    """``3 rows`` / ``3 rader`` for stderr, so stdout holds only the result."""
    if result.form == "ask":
        return ""
    n = len(result.rows)
    if result.form == "graph":
        return f"{n} {'triples' if lang == 'en' else 'tripler'}"
    if lang == "en":
        return f"{n} row" + ("" if n == 1 else "s")
    return f"{n} rad" + ("" if n == 1 else "er")
