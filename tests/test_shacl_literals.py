"""SHACL on literals as written: both engines give the specification's answer.

Each case is one data literal (or two), one constraint, and the result the SHACL
specification gives when the terms are read as written (lexical forms for
``sh:minLength``/``sh:maxLength``/``sh:pattern``, RDF term equality for ``sh:in``,
``sh:hasValue``, ``sh:equals``/``sh:disjoint`` and counting, values for ranges, the
datatype's lexical space for ``sh:datatype``). The expected answers are worked out from the
specification here, not taken from either engine: pyoxigraph's store rewrites ``"1.50"`` as
``"1.5"`` and rdflib by default ``"+5"`` as ``"5"``, so an engine that read those would
fail some rows.

Language tags: pyoxigraph's parser lowercases them; RDF's value space of tags is lower
case and every SHACL component compares them case-insensitively, so the expected results
are the same either way (the rows below check that).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from samhandling.validation.literals import store_rewrite
from samhandling.validation.load import load_for_validation
from samhandling.validation.shacl import load_shapes, validate_model

from .support import MODEL_DIR, REPO

PREFIXES = """@prefix ex: <http://example.org/> .
@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
"""
ENGINES = ("fast", "reference")

#: (case id, data objects of ex:d (Turtle), property-shape constraint (Turtle), expected
#: number of results). ``ex:e`` values, when needed, are written in the data column after
#: a ``;``. Why each expectation holds is in the id.
CASES: list[tuple[str, str, str, int]] = [
    # decimals: "1.50" is four characters, a different term from "1.5", the same value
    ("decimal-maxLength-counts-trailing-zero", '"1.50"^^xsd:decimal', "sh:maxLength 3", 1),
    ("decimal-minLength-4", '"1.50"^^xsd:decimal', "sh:minLength 4", 0),
    ("decimal-pattern-sees-trailing-zero", '"1.50"^^xsd:decimal', 'sh:pattern "0$"', 0),
    ("decimal-in-is-term-equality", '"1.50"^^xsd:decimal', 'sh:in ("1.5"^^xsd:decimal)', 1),
    ("decimal-in-same-term", '"1.50"^^xsd:decimal', 'sh:in ("1.50"^^xsd:decimal)', 0),
    ("decimal-hasValue-same-term", '"1.50"^^xsd:decimal',
     'sh:hasValue "1.50"^^xsd:decimal', 0),
    ("decimal-hasValue-other-lexical", '"1.50"^^xsd:decimal',
     'sh:hasValue "1.5"^^xsd:decimal', 1),
    ("decimal-datatype", '"1.50"^^xsd:decimal', "sh:datatype xsd:decimal", 0),
    ("decimal-maxInclusive-equal-value", '"1.50"^^xsd:decimal',
     'sh:maxInclusive "1.5"^^xsd:decimal', 0),
    ("decimal-minExclusive-equal-value", '"1.50"^^xsd:decimal',
     'sh:minExclusive "1.5"^^xsd:decimal', 1),
    ("decimal-two-lexicals-are-two-values", '"1.50"^^xsd:decimal, "1.5"^^xsd:decimal',
     "sh:maxCount 1", 1),
    # leading zeros and signs
    ("integer-leading-zero-maxLength", '"01"^^xsd:integer', "sh:maxLength 1", 1),
    ("integer-leading-zero-in", '"01"^^xsd:integer', "sh:in (1)", 1),
    ("integer-leading-zero-minInclusive", '"01"^^xsd:integer', "sh:minInclusive 1", 0),
    ("integer-leading-zero-maxExclusive", '"01"^^xsd:integer', "sh:maxExclusive 1", 1),
    ("integer-leading-zero-datatype", '"01"^^xsd:integer', "sh:datatype xsd:integer", 0),
    ("integer-plus-pattern", '"+5"^^xsd:integer', 'sh:pattern "^\\\\+"', 0),
    ("integer-plus-hasValue-5", '"+5"^^xsd:integer', "sh:hasValue 5", 1),
    ("integer-plus-minLength-2", '"+5"^^xsd:integer', "sh:minLength 2", 0),
    ("integer-plus-datatype", '"+5"^^xsd:integer', "sh:datatype xsd:integer", 0),
    ("integer-minus-zero-in-0", '"-0"^^xsd:integer', "sh:in (0)", 1),
    ("integer-minus-zero-maxInclusive-0", '"-0"^^xsd:integer', "sh:maxInclusive 0", 0),
    ("long-datatype-kept", '"5"^^xsd:long', "sh:datatype xsd:long", 0),
    ("long-is-not-integer-datatype", '"5"^^xsd:long', "sh:datatype xsd:integer", 1),
    # doubles
    ("double-1E0-maxLength-3", '"1E0"^^xsd:double', "sh:maxLength 3", 0),
    ("double-1E0-pattern-E", '"1E0"^^xsd:double', 'sh:pattern "^1E0$"', 0),
    ("double-1E0-in-other-lexical", '"1E0"^^xsd:double', 'sh:in ("1.0E0"^^xsd:double)', 1),
    ("double-1E0-minInclusive-1", '"1E0"^^xsd:double', 'sh:minInclusive "1"^^xsd:double', 0),
    ("double-1E0-datatype", '"1E0"^^xsd:double', "sh:datatype xsd:double", 0),
    # booleans: "1" is in xsd:boolean's lexical space, and a different term from "true"
    ("boolean-1-datatype", '"1"^^xsd:boolean', "sh:datatype xsd:boolean", 0),
    ("boolean-1-pattern", '"1"^^xsd:boolean', 'sh:pattern "^1$"', 0),
    ("boolean-1-maxLength-1", '"1"^^xsd:boolean', "sh:maxLength 1", 0),
    ("boolean-1-in-true", '"1"^^xsd:boolean', "sh:in (true)", 1),
    ("boolean-1-hasValue-1", '"1"^^xsd:boolean', 'sh:hasValue "1"^^xsd:boolean', 0),
    # dates and times with time zones
    ("date-Z-maxLength-10", '"2020-01-01Z"^^xsd:date', "sh:maxLength 10", 1),
    ("date-Z-pattern", '"2020-01-01Z"^^xsd:date', 'sh:pattern "Z$"', 0),
    ("date-Z-datatype", '"2020-01-01Z"^^xsd:date', "sh:datatype xsd:date", 0),
    ("date-Z-in-without-zone", '"2020-01-01Z"^^xsd:date', 'sh:in ("2020-01-01"^^xsd:date)',
     1),
    ("dateTime-fraction-maxLength", '"2020-01-01T00:00:00.0Z"^^xsd:dateTime',
     "sh:maxLength 20", 1),
    ("dateTime-fraction-pattern", '"2020-01-01T00:00:00.0Z"^^xsd:dateTime',
     'sh:pattern "\\\\.0Z$"', 0),
    ("dateTime-offset-minInclusive", '"2020-01-01T10:00:00+02:00"^^xsd:dateTime',
     'sh:minInclusive "2020-01-01T09:00:00Z"^^xsd:dateTime', 1),
    ("dateTime-offset-maxInclusive", '"2020-01-01T10:00:00+02:00"^^xsd:dateTime',
     'sh:maxInclusive "2020-01-01T08:00:00Z"^^xsd:dateTime', 0),
    ("dateTime-offset-hasValue-same-instant", '"2020-01-01T10:00:00+02:00"^^xsd:dateTime',
     'sh:hasValue "2020-01-01T08:00:00Z"^^xsd:dateTime', 1),
    # language-tag case: compared case-insensitively everywhere
    ("lang-upper-languageIn", '"colour"@EN-gb', 'sh:languageIn ("en")', 0),
    ("lang-upper-languageIn-range", '"colour"@EN-gb', 'sh:languageIn ("EN-GB")', 0),
    ("lang-upper-languageIn-other", '"colour"@EN-gb', 'sh:languageIn ("fr")', 1),
    ("lang-uniqueLang-case", '"a"@EN, "b"@en', "sh:uniqueLang true", 1),
    ("lang-hasValue-case", '"x"@EN-GB', 'sh:hasValue "x"@en-gb', 0),
    ("lang-in-case", '"x"@EN-GB', 'sh:in ("x"@en-gb)', 0),
    ("lang-maxLength", '"colour"@EN-gb', "sh:maxLength 6", 0),
    ("lang-pattern", '"colour"@EN-gb', 'sh:pattern "^col"', 0),
    # pairs of properties: term equality as written
    ("equals-decimal-lexicals", '"1.50"^^xsd:decimal ; ex:e "1.5"^^xsd:decimal',
     "sh:equals ex:e", 2),
    ("disjoint-decimal-lexicals", '"1.50"^^xsd:decimal ; ex:e "1.5"^^xsd:decimal',
     "sh:disjoint ex:e", 0),
    ("equals-leading-zero-same", '"01"^^xsd:integer ; ex:e "01"^^xsd:integer',
     "sh:equals ex:e", 0),
    ("disjoint-leading-zero", '"01"^^xsd:integer ; ex:e "1"^^xsd:integer',
     "sh:disjoint ex:e", 0),
    ("disjoint-boolean", '"1"^^xsd:boolean ; ex:e true', "sh:disjoint ex:e", 0),
    ("disjoint-lang-case", '"a"@EN ; ex:e "a"@en', "sh:disjoint ex:e", 1),
    ("lessThan-decimal", '"1.50"^^xsd:decimal ; ex:e "1.5"^^xsd:decimal',
     "sh:lessThanOrEquals ex:e", 0),
]


def _files(tmp_path: Path, data: str, constraint: str) -> tuple[Path, Path]:
    data_file = tmp_path / "data.ttl"
    data_file.write_text(f"{PREFIXES}ex:b a ex:Thing ; ex:d {data} .\n", encoding="utf-8")
    shapes_file = tmp_path / "shapes.ttl"
    shapes_file.write_text(
        f"{PREFIXES}ex:Thing a rdfs:Class .\n"
        f"ex:S a sh:NodeShape ; sh:targetClass ex:Thing ;\n"
        f"  sh:property ex:P .\nex:P sh:path ex:d ; {constraint} .\n", encoding="utf-8")
    return data_file, shapes_file


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize(("data", "constraint", "expected"),
                         [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_literal_as_written(tmp_path: Path, engine: str, data: str, constraint: str,
                            expected: int) -> None:
    data_file, shapes_file = _files(tmp_path, data, constraint)
    report = validate_model(load_for_validation(data_file), load_shapes([shapes_file]),
                            engine=engine)
    assert len(report.results) == expected, [
        (r.component, r.value, r.message("en")) for r in report.results]
    assert report.conforms() == (expected == 0)


def test_the_issues_example_on_the_command_line(tmp_path: Path, cli) -> None:
    """``maxLength 3`` on ``"1.50"^^xsd:decimal``: a violation on both engines, and
    ``--verbose`` says the fast engine stepped aside and why."""
    data_file, shapes_file = _files(tmp_path, '"1.50"^^xsd:decimal', "sh:maxLength 3")
    for engine in ENGINES:
        result = cli("validate", str(data_file), "--shapes", str(shapes_file),
                     "--engine", engine, "--verbose")
        assert result.exit_code == 1, result.stderr
        assert "String length" in result.stdout
    fast = cli("validate", str(data_file), "--shapes", str(shapes_file), "--verbose")
    assert "engine: reference" in fast.stderr and '"1.50"' in fast.stderr
    quiet = cli("validate", str(data_file), "--shapes", str(shapes_file))
    assert "engine:" not in quiet.stderr


def test_verbose_names_the_fast_engine_on_a_normal_model(cli) -> None:
    result = cli("validate", str(REPO / "tests" / "fixtures" / "bulk" / "data.ttl"),
                 "--shapes", str(REPO / "tests" / "fixtures" / "bulk" / "shapes.ttl"), "-v")
    assert "engine:" in result.stderr


def test_canonical_literals_keep_the_fast_route(tmp_path: Path) -> None:
    data_file, shapes_file = _files(tmp_path, '"1.5"^^xsd:decimal, 1, true, "x"@en-gb',
                                    "sh:maxLength 3")
    model = load_for_validation(data_file)
    shapes = load_shapes([shapes_file])
    assert store_rewrite(model, shapes) is None
    assert validate_model(model, shapes, engine="fast").engine == "fast"


@pytest.mark.parametrize("literal", ['"1.50"^^xsd:decimal', '"01"^^xsd:integer',
                                     '"+5"^^xsd:integer', '"1E0"^^xsd:double',
                                     '"1"^^xsd:boolean', '"2020-01-01T00:00:00.0Z"^^xsd:dateTime',
                                     '"5"^^xsd:long'])
def test_every_rewritten_literal_is_detected(tmp_path: Path, literal: str) -> None:
    data_file, shapes_file = _files(tmp_path, literal, "sh:maxLength 30")
    model = load_for_validation(data_file)
    assert store_rewrite(model, load_shapes([shapes_file])) is not None
    report = validate_model(model, load_shapes([shapes_file]), engine="fast")
    assert report.engine == "reference" and "as written" in report.fallback


def test_a_rewritten_literal_in_the_shapes_is_detected(tmp_path: Path) -> None:
    data_file, shapes_file = _files(tmp_path, "1", 'sh:in ("01"^^xsd:integer)')
    model = load_for_validation(data_file)
    report = validate_model(model, load_shapes([shapes_file]), engine="fast")
    assert report.engine == "reference"
    assert len(report.results) == 1  # "1" is not the term "01"


def test_the_seed_model_stays_on_the_fast_route() -> None:
    """YAML sources write canonical literals: no rewrite, no fallback, no cost."""
    model = load_for_validation(MODEL_DIR)
    assert store_rewrite(model, load_shapes()) is None
