"""Just enough SPARQL lexing to bind parameters.

Parameters are bound by a ``VALUES`` block placed first in the query's outermost WHERE group,
built from checked RDF terms (:meth:`Term.sparql`), so a value can never become query syntax.
Finding that group, the ``SERVICE`` keyword or the ``?_name`` variables needs a tokenizer that
skips comments, strings and IRIs; a full parse is left to the engine that runs the query.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from ..errors import UsageError

_TOKEN = re.compile(r'''
    (?P<ws>\s+)
  | (?P<comment>\#[^\n]*)
  | (?P<string>"""(?:[^"\\]|\\.|"(?!""))*"""
              | \'\'\'(?:[^'\\]|\\.|'(?!''))*\'\'\'
              | "(?:[^"\\\n]|\\.)*"
              | '(?:[^'\\\n]|\\.)*')
  | (?P<iri><[^<>"{}|^`\\\x00-\x20]*>)
  | (?P<var>[?$]\w+)
  | (?P<word>[\w][\w.-]*(?::[\w.:%-]*)?|:[\w.:%-]*)
  | (?P<punct>.)
''', re.VERBOSE | re.DOTALL)

QUERY_FORMS = {"SELECT", "CONSTRUCT", "DESCRIBE", "ASK"}


@dataclass(frozen=True)
class Token:
    kind: str
    text: str
    start: int
    end: int


def tokens(text: str) -> Iterator[Token]:
    """Significant tokens (no whitespace, no comments) with their positions."""
    for match in _TOKEN.finditer(text):
        kind = match.lastgroup or "punct"
        if kind in ("ws", "comment"):
            continue
        yield Token(kind, match.group(), match.start(), match.end())


def uses_service(text: str) -> bool:
    """Whether the word ``SERVICE`` appears outside strings and comments: a hint for messages
    only. It misses ``1.SERVICE`` and ``\\u0053ERVICE``; the refusal is decided on the parsed
    query by :func:`.network.refuse_service`."""
    return any(t.kind == "word" and t.text.upper() == "SERVICE" for t in tokens(text))


def variables(text: str) -> set[str]:
    """Names of every variable the query mentions (without ``?``/``$``)."""
    return {t.text[1:] for t in tokens(text) if t.kind == "var"}


def query_form(text: str) -> str | None:
    """SELECT, CONSTRUCT, DESCRIBE or ASK: the first query-form keyword."""
    for token in tokens(text):
        if token.kind == "word" and token.text.upper() in QUERY_FORMS:
            return token.text.upper()
    return None


def where_group_start(text: str) -> int:
    """The offset just after the ``{`` that opens the query's outermost WHERE group.

    A ``VALUES`` block placed there is joined with the whole pattern before any OPTIONAL,
    FILTER, GROUP BY or projection, which is what binding a parameter means.
    """
    form: str | None = None
    braces = parens = 0
    seen_where = template_done = False
    for token in tokens(text):
        if token.kind == "word" and braces == 0 and parens == 0:
            word = token.text.upper()
            if form is None and word in QUERY_FORMS:
                form = word
            elif word == "WHERE" and form is not None:
                seen_where = True
            continue
        if token.kind != "punct":
            continue
        if token.text == "(":
            parens += 1
        elif token.text == ")":
            parens -= 1
        elif token.text == "}":
            braces -= 1
        elif token.text == "{":
            if braces == 0 and parens == 0 and form is not None:
                if form == "CONSTRUCT" and not template_done:
                    if seen_where:
                        raise UsageError("parameters cannot be bound in the short form "
                                         "'CONSTRUCT WHERE { ... }'; write a template")
                    template_done = True
                else:
                    return token.end
            braces += 1
    raise UsageError("cannot find the query's WHERE group to bind parameters in")


def insert_values(text: str, names: list[str], values: list[str]) -> str:
    """Place ``VALUES (?a ?b) { (x y) }`` first in the outermost WHERE group.

    ``values`` are already-serialized terms (or ``UNDEF``). The block goes on the same line as
    the opening brace so line numbers in an engine's error messages still match the file.
    """
    if not names:
        return text
    at = where_group_start(text)
    block = (" VALUES (" + " ".join(f"?{n}" for n in names) + ") { ("
             + " ".join(values) + ") } ")
    return text[:at] + block + text[at:]
