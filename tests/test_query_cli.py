"""`samhandling query` and `samhandling push` as a user runs them: output, exit codes, errors.

Each test runs the real CLI in a subprocess; remote endpoints are covered in tests/remote.
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from .support import FIXTURES, REPO, run_cli

FIXTURE = str(FIXTURES / "queries")


def test_list_names_kinds_and_parameters():
    result = run_cli("query", "--list", "--lang", "en")
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    first = {line.split()[0]: line for line in lines if not line.startswith(" ")}
    assert "Information services per main group, with counts" in first["services-per-group"]
    assert first["need-without-service-violation"].split()[1] == "violation"
    assert first["construct-service-skos"].split()[1] == "construct"
    assert "    -p service (iri; required) the service (id, label or IRI), e.g. plan" in \
        result.stdout
    norwegian = run_cli("query", "--list").stdout
    assert "Informasjonstjenester per hovedgruppe, med antall" in norwegian


def test_list_does_not_import_the_engines():
    code = ("import sys\nfrom samhandling.cli import main\n"
            "try:\n    main(['query', '--list'])\nexcept SystemExit as e:\n    code = e.code\n"
            "heavy = sorted(m for m in ('rdflib', 'pyoxigraph', 'SPARQLWrapper') "
            "if m in sys.modules)\nprint(code, heavy)\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         cwd=REPO, timeout=120)
    assert out.stdout.splitlines()[-1] == "0 []", out.stderr


def test_report_as_csv_in_english():
    result = run_cli("query", "services-per-group", "--model", FIXTURE, "--lang", "en",
                     "--format", "csv")
    assert result.exit_code == 0, result.stderr
    assert result.stdout == (
        "number,group,groupLabel,services\n"
        "1,https://w3id.org/samhandling/hovedgruppe/oversikt,Get an overview,2\n"
        "2,https://w3id.org/samhandling/hovedgruppe/oppslag,Look up,3\n"
        "3,https://w3id.org/samhandling/hovedgruppe/rapportere,Report,0\n")
    assert result.stderr.strip() == "3 rows"


def test_parameter_and_table_titles_in_lang():
    result = run_cli("query", "reuse-of-service", "-p", "service=Clinical summary", "--model",
                     FIXTURE, "--lang", "nb")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.splitlines() == [
        # Norwegian output in Norwegian: codes and booleans too (csv/json keep them as data).
        "Retning     Tjeneste          Navn                      Direkte",
        "----------  ----------------  ------------------------  -------",
        "gjenbruker  tjeneste/lab      Bestilling og svar (lab)  nei",
        "gjenbruker  tjeneste/journal  Journaldokumenter         nei",
        "gjenbruker  tjeneste/plan     Plan                      ja",
    ]


def test_json_and_rdflib_engine_agree():
    args = ("query", "actor-service-matrix", "--model", FIXTURE, "--format", "json")
    fast = run_cli(*args)
    reference = run_cli(*args, "--engine", "rdflib")
    assert fast.exit_code == reference.exit_code == 0
    assert fast.stdout == reference.stdout
    rows = json.loads(fast.stdout)
    assert rows[0] == {"actor": "https://w3id.org/samhandling/aktor/hjemmetjeneste",
                       "actorLabel": "Hjemmebaserte tjenester",
                       "service": "https://w3id.org/samhandling/tjeneste/oppsummering",
                       "serviceLabel": "Klinisk oppsummering", "needs": 2}


def test_violation_with_rows_exits_1_and_clean_model_exits_0():
    broken = run_cli("query", "need-without-service-violation", "--model", FIXTURE,
                     "--format", "md")
    assert broken.exit_code == 1
    assert broken.stdout.splitlines()[-1] == "| behov/30.10 | 30.10 | Videokonsultasjon |"
    clean = run_cli("query", "reuse-cycle-violation", "--model", FIXTURE)
    assert clean.exit_code == 0 and clean.stderr.strip() == "0 rader"


def test_construct_as_ntriples():
    result = run_cli("query", "construct-service-skos", "--model", FIXTURE, "--format", "nt")
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert len(lines) == 53 and lines == sorted(lines)
    assert ("<https://w3id.org/samhandling/tjeneste/plan> "
            "<http://www.w3.org/2004/02/skos/core#altLabel> \"Planer\"@nb .") in lines


def test_ad_hoc_file(tmp_path):
    path = tmp_path / "mine.rq"
    path.write_text("#+ summary: groups by number\n#+ params:\n"
                    "#+   ?_n: {type: integer, default: 3}\n"
                    "PREFIX sam: <https://w3id.org/samhandling/ontologi#>\n"
                    "SELECT ?g WHERE { ?g sam:groupNumber ?_n }\n", encoding="utf-8")
    result = run_cli("query", str(path), "--model", FIXTURE, "-p", "n=1", "--format", "csv")
    assert result.exit_code == 0, result.stderr
    assert result.stdout == "g\nhttps://w3id.org/samhandling/hovedgruppe/oversikt\n"


@pytest.mark.parametrize(("args", "message"), [
    (("query", "service-per-group"),
     "error: unknown query 'service-per-group'; did you mean services-per-group"),
    (("query", "reuse-of-service"), "error: query 'reuse-of-service' needs -p service="),
    (("query", "services", "-p", "groop=1"),
     "error: query 'services' has no parameter 'groop' (declared: group)"),
    (("query", "services", "-p", "group=one"),
     "error: parameter 'group' takes a whole number, got 'one'"),
    (("query", "reuse-of-service", "-p", "service=plann"),
     "error: parameter 'service': no sam:InformationService has the id, notation or label "
     "'plann'; did you mean Plan?"),
    (("query",), "error: give a query NAME or FILE.rq, or --list"),
    (("query", "services", "--graph", "https://example.org/g"),
     "error: --graph needs --endpoint"),
    (("query", "services", "--endpoint", "http://user:secret@127.0.0.1:9/query"),
     "error: SPARQL endpoint URL must not contain credentials"),
    (("query", "services", "--model", "no-such-folder"), "error: no-such-folder"),
    (("push", FIXTURE, "--store", "ftp://127.0.0.1/store"),
     "error: graph store 'ftp://127.0.0.1/store' is not an http:// or https:// URL"),
])
def test_usage_errors_exit_2_with_one_line(args, message):
    result = run_cli(*args, "--model", FIXTURE) if args[0] == "query" and "--model" not in args \
        else run_cli(*args)
    assert result.exit_code == 2, (result.stdout, result.stderr)
    lines = result.stderr.strip().splitlines()
    assert lines[0].startswith(message), lines
    assert "Traceback" not in result.stderr
    assert "secret" not in result.stderr


@pytest.mark.parametrize(("text", "message"), [
    ("#+ summary: x\nSELECT * WHERE { ?s ?p }\n", "bad.rq: query does not parse: error at"),
    ("#+ summary: x\nSELECT * WHERE { SERVICE <http://127.0.0.1:9/q> { ?s ?p ?o } }\n",
     "query uses SERVICE (a call to another SPARQL endpoint), which is refused unless "
     "--allow-service is given"),
])
def test_bad_query_files(tmp_path, text, message):
    path = tmp_path / "bad.rq"
    path.write_text(text, encoding="utf-8")
    result = run_cli("query", str(path), "--model", FIXTURE)
    assert result.exit_code == 2
    assert message in result.stderr and len(result.stderr.strip().splitlines()) == 1
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("command", ["query", "push"])
def test_help_ends_with_examples(command):
    result = run_cli(command, "--help")
    assert result.exit_code == 0
    assert "Example:" in result.stdout
    assert f"samhandling {command} " in result.stdout.split("Example:")[1]
