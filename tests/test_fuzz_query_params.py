"""Property-based fuzzing of query parameters (Hypothesis): a value is data, never syntax.

``samhandling query NAME -p name=VALUE`` takes its value from whoever types the command or
writes the CI step, and binds it into a library query through a ``VALUES`` block
(:mod:`samhandling.query.params`). The hostile-input corpus tries the cases people thought
of; these properties try the ones nobody did (quotes, backslashes, ``\\u`` escapes, braces,
``#``, line breaks, control characters, ``SERVICE <http://…>`` fragments, any Unicode):

- **literal** parameters: the bound text parses on both engines; its algebra is the algebra of
  the query bound with a harmless sentinel with only that one literal changed, and the literal
  read back equals the value exactly (so the value added no syntax); running it on the embedded
  engine over the fixture model gives rows or a :class:`SamhandlingError`, nothing else;
- **iri** parameters: the value names exactly one instance of the header's class in the fixture
  model, or is a full IRI / prefixed name used as given (documented in ``params.py``), or is
  refused with a one-line :class:`UsageError`; the look-up queries it runs carry the value only
  as escaped literals;
- **integer** parameters: a canonical ``xsd:integer`` or a one-line :class:`UsageError`;
- **the command line** (a few examples; a subprocess is slow): exit 0 or 2, no traceback, at
  most one ``error:`` line.

The suite runs the ``brief`` profile (derandomized, a few seconds). For a long run::

    SAMHANDLING_FUZZ=long .venv/bin/python -m pytest tests/test_fuzz_query_params.py

Found by these properties and fixed: rdflib reads ``\\u`` escapes on the whole query text
before parsing, so a value holding ``\\u0022`` came back as ``"`` on the reference engine and
``\\U0001F600`` did not parse (:meth:`Term.sparql` now writes such a ``u`` as an escape);
refusals quoted the raw value, so a line break in it split the message over lines.
"""

from __future__ import annotations

import os
import re
from typing import Any

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from samhandling.errors import SamhandlingError, UsageError
from samhandling.query.library import Param, QueryFile, expand_name, list_queries
from samhandling.query.network import parse
from samhandling.query.params import Bindings, bind, to_term
from samhandling.query.run import Dataset, Engine, execute, local_engine
from samhandling.query.terms import QueryResult, Term
from samhandling.terms import XSD_INTEGER

from .support import FIXTURES, run_cli

settings.register_profile(
    "brief", max_examples=25, deadline=None, derandomize=True,
    suppress_health_check=[HealthCheck.too_slow])
settings.register_profile(
    "long", max_examples=1000, deadline=None,
    suppress_health_check=[HealthCheck.too_slow])
#: The profile in force: ``SAMHANDLING_FUZZ=long`` for a long run.
FUZZ = settings.get_profile(os.environ.get("SAMHANDLING_FUZZ", "brief"))
#: The command line: a few examples (each one starts Python and loads the model).
CLI_FUZZ = settings(FUZZ, max_examples=4 if FUZZ.max_examples <= 25 else 40)

DATA = FIXTURES / "queries"
LIBRARY = list_queries()


def _params(kind: str) -> list[tuple[QueryFile, Param]]:
    return [(q, p) for q in LIBRARY for p in q.params if p.type == kind]


LITERAL_PARAMS = _params("literal")
IRI_PARAMS = _params("iri")
INTEGER_PARAMS = _params("integer")
SENTINEL = "samhandling-fuzz-sentinel"
HOST = "http://127.0.0.1:9/x"

#: Pieces of SPARQL syntax and escapes a value might try to smuggle in.
ATOMS = st.sampled_from([
    '"', "'", '"""', "'''", "\\", "\\\\", '\\"', "}", "{", ")", "(", "#", "\n", "\r", "\t",
    "\x00", "\x1b", "\x7f", "\x85", "\u2028", "\ufeff", "\ufffe", " ", ".", ";", ",",
    "\\u0022", "\\u0022)", "\\U00000022", "\\u005C", "\\U0001F600", "\\u0053ERVICE", "\\n",
    f" SERVICE <{HOST}> {{ ?s ?p ?o }} ", "1.SERVICE", "true.SERVICE", "SERVICE SILENT",
    '") } } SERVICE <' + HOST + '> { ?s ?p ?o } #', "?_text", "$_lang", "VALUES", "UNDEF",
    "^^<http://www.w3.org/2001/XMLSchema#integer>", "@en", "<", ">", "sam:", "https://",
    "plan", "Plan", "PLAN", "tjeneste/plan", "vg", "nilar", "it08", "20.30", "ø", "ß", "İ",
    "0", "-1", "+7", "1_000", "١٢", "1e3", "0x10",
])
HOSTILE = st.one_of(
    st.text(max_size=30),
    st.lists(st.one_of(ATOMS, st.text(max_size=3)), max_size=10).map("".join),
)

#: Undecodable bytes in an argument reach Python as lone surrogates (``surrogateescape``).
UNDECODABLE = st.characters(min_codepoint=0xDC80, max_codepoint=0xDCFF)
#: What the library functions are given: the command line's text, undecodable bytes included.
VALUES = st.one_of(HOSTILE, st.lists(st.one_of(ATOMS, UNDECODABLE), min_size=1, max_size=6)
                   .map("".join))


def utf8(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


@pytest.fixture(scope="module")
def dataset() -> Dataset:
    return Dataset.load(DATA)


@pytest.fixture(scope="module")
def engine(dataset: Dataset) -> Engine:
    return local_engine(dataset, "oxigraph", timeout=60)


@pytest.fixture(scope="module")
def instances(engine: Engine) -> dict[str, set[str]]:
    """Every instance of each class a library parameter names."""
    out: dict[str, set[str]] = {}
    for _, param in IRI_PARAMS:
        assert param.class_iri is not None
        result = engine.run(f"SELECT ?r WHERE {{ ?r a <{param.class_iri}> }}")
        out[param.class_iri] = {row[0].value for row in result.rows if row[0] is not None}
    return out


def no_lookup(text: str) -> QueryResult:
    raise AssertionError(f"a literal or integer parameter ran a look-up: {text}")


def _shape(node: Any, swaps: dict[str, str], iris: dict[str, str] | None = None) -> Any:
    """The parsed algebra as plain nested tuples (an rdflib ``CompValue`` compares as a dict and
    forgets its name), each literal as (text, datatype, language), with the literal texts in
    ``swaps`` and the IRIs in ``iris`` replaced."""
    from rdflib import Literal, URIRef
    from rdflib.plugins.sparql.parserutils import CompValue

    if isinstance(node, Literal):
        text = str(node)
        return ("literal", swaps.get(text, text), node.datatype, node.language)
    if isinstance(node, URIRef):
        return ("iri", (iris or {}).get(str(node), str(node)))
    if isinstance(node, CompValue):
        return ("comp", node.name, tuple((k, _shape(v, swaps, iris)) for k, v in node.items()))
    if isinstance(node, dict):
        return ("dict", tuple(sorted(((repr(k), _shape(v, swaps, iris))
                                      for k, v in node.items()), key=repr)))
    if isinstance(node, (list, tuple)):
        return (type(node).__name__, tuple(_shape(v, swaps, iris) for v in node))
    if isinstance(node, (set, frozenset)):
        return ("set", tuple(sorted(repr(_shape(v, swaps, iris)) for v in node)))
    return node


def assert_only_terms_differ(text: str, reference: str, swaps: dict[str, str],
                             iris: dict[str, str] | None = None) -> None:
    """``text`` parses (rdflib) to the algebra of ``reference`` with the literals in ``swaps``
    (and IRIs in ``iris``) replaced, and nothing else: the values took the place of the
    sentinels and no more."""
    assert _shape(parse(text).algebra, {}) == _shape(parse(reference).algebra, swaps, iris)


def one_line_error(exc: BaseException) -> None:
    message = str(exc)
    assert message and "\n" not in message and "\r" not in message, repr(message)


# -- literal parameters -------------------------------------------------------------------------

@FUZZ
@given(value=VALUES)
@example(value="a\\u0022b")
@example(value="pl\udcc3")
@example(value="\\U0001F600")
@example(value='") } } SERVICE <' + HOST + "> { ?s ?p ?o } #")
@example(value="x\\u0053ERVICE <" + HOST + "> { }")
def test_a_literal_value_adds_no_syntax(engine: Engine, value: str) -> None:
    import pyoxigraph as ox

    for query, param in LITERAL_PARAMS:
        if not value.strip() or not utf8(value):
            with pytest.raises(UsageError) as refused:
                bind(query, {param.name: value}, "nb", no_lookup)
            one_line_error(refused.value)
            continue
        text = bind(query, {param.name: value}, "nb", no_lookup).apply(query.text)
        reference = bind(query, {param.name: SENTINEL}, "nb", no_lookup).apply(query.text)
        # (a) + (b) on rdflib: the same algebra but for the one literal, which reads back exactly
        assert_only_terms_differ(text, reference, {SENTINEL: value})
        # (a) on pyoxigraph: it parses (an empty store, so only the parse is at stake) ...
        ox.Store().query(text)
        # ... and the bound value reads back exactly from the same VALUES block
        probe = Bindings({param.variable: Term.literal(value)}).apply(
            f"SELECT ?{param.variable} WHERE {{ }}")
        assert [s[param.variable].value for s in ox.Store().query(probe)] == [value]  # type: ignore[union-attr]
        # (c) on the fixture model: rows, or an error the command reports as one line
        try:
            execute(query, engine, {param.name: value})
        except SamhandlingError as exc:
            one_line_error(exc)


@FUZZ
@given(value=HOSTILE.filter(lambda v: bool(v.strip())))
def test_both_engines_read_the_same_literal(value: str) -> None:
    """The same bound text means the same on rdflib: its parser reads the literal back too."""
    from rdflib import Graph

    for _, param in LITERAL_PARAMS:
        probe = Bindings({param.variable: Term.literal(value)}).apply(
            f"SELECT ?{param.variable} WHERE {{ }}")
        assert [str(row[0]) for row in Graph().query(parse(probe))] == [value]  # type: ignore[index]


# -- iri parameters -----------------------------------------------------------------------------

def _given_as_iri(value: str) -> bool:
    """Form 1 of ``params.py``: a full IRI or prefixed name, used as given."""
    from samhandling.namespaces import PREFIXES

    value = value.strip()
    prefix, sep, local = value.partition(":")
    return (value.startswith("<") or "://" in value or value.startswith("urn:")
            or bool(sep and prefix in PREFIXES and not local.startswith("//")))


#: One parameter per class (the look-up depends on the class only).
IRI_CASES = list({p.cls: (q, p) for q, p in IRI_PARAMS}.values())


@FUZZ
@given(case=st.sampled_from(IRI_CASES), value=VALUES)
@example(case=IRI_CASES[0], value="pl\udcc3")
@example(case=IRI_CASES[0], value="plan")
@example(case=IRI_CASES[0], value="PLAN\n")
@example(case=IRI_CASES[0], value="pl\nan\r::error x")
@example(case=IRI_CASES[0], value="pl\\u0061n")
@example(case=IRI_CASES[0], value='plan" } SERVICE <' + HOST + "> { ?s ?p ?o } #")
@example(case=IRI_CASES[0], value="<" + HOST + "> } #")
@example(case=IRI_CASES[0], value="<a\nb")
def test_an_iri_value_names_one_resource_or_is_refused(
        engine: Engine, instances: dict[str, set[str]], case: tuple[QueryFile, Param],
        value: str) -> None:
    query, param = case
    sent: list[str] = []

    def select(text: str) -> QueryResult:
        sent.append(text)
        return engine.run(text, "parameter lookup")

    try:
        term = to_term(param, value, select)
    except UsageError as exc:
        one_line_error(exc)
        term = None
    if term is not None:
        assert term.kind == "iri"
        if _given_as_iri(value):
            assert term.value == expand_name(value.strip())
        else:
            assert param.class_iri is not None
            assert term.value in instances[param.class_iri]
        # the chosen IRI binds into text that parses, as that IRI and nothing else
        text = Bindings({param.variable: term}).apply(query.text)
        reference = Bindings({param.variable: Term.iri(HOST)}).apply(query.text)
        assert_only_terms_differ(text, reference, {}, {HOST: term.value})
    if sent:
        _assert_lookups_carry_only_literals(engine, param, value, sent)


#: The look-ups a sentinel value causes, per class: the reference for every other value.
_SENTINEL_LOOKUPS: dict[str | None, list[str]] = {}


def _assert_lookups_carry_only_literals(engine: Engine, param: Param, value: str,
                                        sent: list[str]) -> None:
    """Each look-up the value caused is the look-up a sentinel causes, with the value (lower
    case, and as an IRI suffix) in place of the sentinel's literals: never pasted in."""
    reference = _SENTINEL_LOOKUPS.get(param.cls)
    if reference is None:
        reference = _SENTINEL_LOOKUPS[param.cls] = []

        def record(text: str) -> QueryResult:
            reference.append(text)  # type: ignore[union-attr]
            return engine.run(text, "parameter lookup")

        with pytest.raises(UsageError):
            to_term(param, SENTINEL, record)
    word = value.strip()
    assert_only_terms_differ(sent[0], reference[0], {
        SENTINEL.lower(): word.lower(), "/" + SENTINEL: "/" + word})
    for text in sent[1:]:  # the look-up of every name, for suggestions: no value at all
        assert text == reference[1]


# -- integer parameters -------------------------------------------------------------------------

INTEGERS = st.one_of(VALUES, st.integers().map(str),
                     st.tuples(st.sampled_from(["", " ", "+", "-", "\t", "0"]),
                               st.integers(0, 10**30)).map(lambda t: f"{t[0]}{t[1]} "))


@FUZZ
@given(value=INTEGERS)
@example(value="1" * 5000)
@example(value="١٢")
@example(value="1_0")
@example(value="1\n2")
def test_an_integer_value_is_canonical_or_refused(engine: Engine, value: str) -> None:
    assert INTEGER_PARAMS, "the library has no integer parameter to fuzz"
    for query, param in INTEGER_PARAMS:
        try:
            term = to_term(param, value, no_lookup)
        except UsageError as exc:
            one_line_error(exc)
            continue
        assert term.datatype == XSD_INTEGER
        assert re.fullmatch(r"-?(0|[1-9][0-9]*)", term.value), term
        assert int(term.value) == int(value.strip())
        try:
            execute(query, engine, {param.name: value})
        except SamhandlingError as exc:
            one_line_error(exc)


# -- the command line ---------------------------------------------------------------------------

CLI_CASES = [(q.name, p.name) for q, p in LITERAL_PARAMS + IRI_PARAMS + INTEGER_PARAMS]


@CLI_FUZZ
@given(case=st.sampled_from(CLI_CASES), value=HOSTILE.filter(lambda v: "\x00" not in v))
@example(case=("search", "text"), value='") } SERVICE <' + HOST + "> { ?s ?p ?o } #\n::error x")
@example(case=("reuse-of-service", "service"), value="plann\n::error file=x::y")
@example(case=("search", "text"), value="pl\udcc3")  # the bytes pl\xc3: not UTF-8
def test_the_command_line_exits_0_or_2_with_one_error_line(case: tuple[str, str],
                                                           value: str) -> None:
    name, param = case
    result = run_cli("query", name, "-p", f"{param}={value}", "--model", str(DATA),
                     "--format", "json")
    assert result.exit_code in (0, 2), result
    assert "Traceback" not in result.stderr
    errors = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    assert len(errors) <= 1, result.stderr
    assert (result.exit_code == 2) == bool(errors), result
