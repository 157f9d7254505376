"""`samhandling validate`: the seed model, the mutations CI must catch, formats, bad input."""

from __future__ import annotations

import json
import shlex
import shutil
import socket
import xml.etree.ElementTree as ET
from pathlib import Path

import click
import pytest
import yaml
from rdflib import BNode, Graph, Literal, URIRef

from samhandling.build import load_model
from samhandling.cli import cli, main
from samhandling.namespaces import RDF, SAM, SH
from samhandling.validation.load import load_for_validation
from samhandling.validation.offline import NetworkRefusedError, OfflineGraph
from samhandling.validation.report import REPORT_FORMATS, render
from samhandling.validation.shacl import validate_model

from .support import MODEL_DIR, REPO, run_cli


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    """Run the CLI in this process (same entry point as the console script, much faster)."""
    with pytest.raises(SystemExit) as exit_info:
        main(list(args))
    out, err = capsys.readouterr()
    return int(exit_info.value.code or 0), out, err


def line_of(path: Path, text: str) -> int:
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if line == text:
            return number
    raise AssertionError(f"{text!r} not in {path}")


def replace(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"{old!r} is not once in {path}"
    path.write_text(text.replace(old, new), encoding="utf-8")


# -- the seed model ----------------------------------------------------------------------------


def test_seed_model_conforms_with_the_known_gaps_as_warnings(model_copy: Path):
    result = run_cli("validate", "model/", "--lang", "en", cwd=model_copy.parent)
    assert result.exit_code == 0, result.stdout + result.stderr
    lines = result.stdout.splitlines()
    assert lines[-1].startswith("0 violations, ")
    assert lines[-1].endswith("the model conforms")
    assert not any(": Violation: " in line for line in lines)
    # services without a stated preferred form, and without a listed need, are warnings
    team = line_of(MODEL_DIR / "tjenester.yaml", "- id: team-og-moteadministrasjon")
    assert (f"model/tjenester.yaml:{team}: Warning: Team and meeting administration: No source "
            "states a preferred collaboration form") in result.stdout
    assert f"model/tjenester.yaml:{team}: Warning: Team and meeting administration: No " \
           "information need is listed" in result.stdout
    plan = line_of(MODEL_DIR / "tjenester.yaml", "- id: plan")
    assert not any(line.startswith(f"model/tjenester.yaml:{plan}: ") and "need" in line
                   for line in lines), "Plan handles needs: no warning expected"
    assert result.stderr == ""


def test_fail_on_warning_makes_the_seed_model_fail(capsys):
    code, out, _ = run(capsys, "validate", str(MODEL_DIR), "--fail-on", "warning")
    assert code == 1
    assert out.splitlines()[-1].endswith("modellen er ikke gyldig")


# -- the mutations of "Done when" --------------------------------------------------------------


def _no_group(model: Path) -> tuple[str, int, str]:
    replace(model / "tjenester.yaml", "- id: plan\n  group: skaffe-oversikt\n", "- id: plan\n")
    return "tjenester.yaml", line_of(model / "tjenester.yaml", "- id: plan"), \
        "Brudd: Plan: Informasjonstjenesten skal høre til nøyaktig én eksisterende " \
        "hovedgruppe [InformationService-inMainGroup]"


def _reuse_cycle(model: Path) -> tuple[str, int, str]:
    path = model / "gjenbruk.yaml"
    path.write_text(path.read_text(encoding="utf-8") + "\n- id: plan-gjenbruker-oppsummering\n"
                    "  service: plan\n  reuses: klinisk-oppsummering\n  source: [seed:30]\n",
                    encoding="utf-8")
    return "gjenbruk.yaml", line_of(path, "- id: plan-gjenbruker-oppsummering"), \
        "Brudd: Plan: Gjenbruk går i ring"


def _bad_need_code(model: Path) -> tuple[str, int, str]:
    replace(model / "behov.yaml", '  code: "20.30"\n', '  code: "20.3x"\n')
    return "behov.yaml", line_of(model / "behov.yaml", '  code: "20.3x"'), \
        "Behovskoden skal være én kode av punktumseparerte tosifrede ledd"


def _missing_id(model: Path) -> tuple[str, int, str]:
    path = model / "behov.yaml"
    text = path.read_text(encoding="utf-8")
    start = text.index('- id: "20.30"\n')
    end = text.index("services: [plan]", start)
    path.write_text(text[:end] + "services: [plann]" + text[end + 16:], encoding="utf-8")
    return "behov.yaml", line_of(path, "  services: [plann]"), \
        "Informasjonsbehovet viser til en informasjonstjeneste som ikke finnes (tjeneste/plann)"


def _no_en_label(model: Path) -> tuple[str, int, str]:
    replace(model / "tjenester.yaml", "- id: plan\n  group: skaffe-oversikt\n  label_nb: Plan\n"
            "  label_en: Plan\n", "- id: plan\n  group: skaffe-oversikt\n  label_nb: Plan\n")
    return "tjenester.yaml", line_of(model / "tjenester.yaml", "- id: plan"), \
        "Brudd: Plan: Mangler navn (rdfs:label) på engelsk (label_en) [label-en]"


def _service_27(model: Path) -> tuple[str, int, str]:
    path = model / "tjenester.yaml"
    path.write_text(path.read_text(encoding="utf-8") + "\n- id: tjeneste-27\n"
                    "  group: skaffe-oversikt\n  label_nb: Tjeneste 27\n"
                    "  label_en: Service 27\n  maturity_2023: r\n  source: [seed:32]\n",
                    encoding="utf-8")
    return "malbilde.yaml", line_of(model / "malbilde.yaml", "  declared_service_count: 26"), \
        "Målbildet oppgir 26 informasjonstjenester, men modellen har 27 " \
        "[TargetPicture-serviceCount]"


@pytest.mark.parametrize("mutate", [_no_group, _reuse_cycle, _bad_need_code, _missing_id,
                                    _no_en_label, _service_27])
def test_a_broken_model_fails_and_names_file_and_line(capsys, model_copy: Path, mutate):
    file, line, text = mutate(model_copy)
    code, out, err = run(capsys, "validate", str(model_copy))
    assert code == 1, out + err
    wanted = f"{model_copy / file}:{line}: "
    assert any(row.startswith(wanted) and text in row for row in out.splitlines()), \
        f"no line '{wanted}...{text}' in:\n{out}"
    assert out.splitlines()[-1].endswith("modellen er ikke gyldig")
    violations = [row for row in out.splitlines() if ": Brudd: " in row]
    assert violations and not any(": Violation: " in row for row in out.splitlines())
    assert all(row.startswith(f"{model_copy / file}:") for row in violations), violations


def test_a_reference_that_cannot_be_an_id_is_a_load_error_not_a_crash(capsys,
                                                                      model_copy: Path):
    # A missing id becomes a dangling IRI that the shapes report; text that cannot be an id
    # (a space, a '<') cannot become an IRI at all, so the build names it: exit 2.
    replace(model_copy / "gjenbruk.yaml", "  reuses: plan\n", '  reuses: "pl an<x>"\n')
    code, _out, err = run(capsys, "validate", str(model_copy))
    line = line_of(model_copy / "gjenbruk.yaml", '  reuses: "pl an<x>"')
    assert code == 2
    assert err.startswith(f"error: {model_copy / 'gjenbruk.yaml'}:{line}: ")
    assert "unknown id 'pl an<x>'" in err and "Traceback" not in err


def test_the_cli_exits_1_on_a_broken_model(model_copy: Path):
    _service_27(model_copy)
    result = run_cli("validate", str(model_copy), "--format", "github")
    assert result.exit_code == 1
    line = line_of(model_copy / "malbilde.yaml", "  declared_service_count: 26")
    assert (f"::error file={model_copy / 'malbilde.yaml'},line={line},"
            "title=TargetPicture-serviceCount::") in result.stdout


# -- formats -----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def broken_report(tmp_path_factory):
    model = tmp_path_factory.mktemp("broken") / "model"
    shutil.copytree(MODEL_DIR, model)
    _no_group(model)
    return validate_model(load_for_validation(model), with_checks=True), model


def test_reports_are_identical_across_runs(broken_report):
    report, model = broken_report
    again = validate_model(load_for_validation(model), with_checks=True)
    for fmt in REPORT_FORMATS:
        for lang in ("nb", "en"):
            assert render(report, fmt, lang) == render(again, fmt, lang)


def test_text_report_is_grouped_by_file_and_sorted(broken_report):
    report, _ = broken_report
    lines = [row for row in render(report, "text", "en").splitlines()[1:-1] if row]
    keys = [(row.split(":")[0], int(row.split(":")[1])) for row in lines]
    assert keys == sorted(keys)


def test_json_report(broken_report):
    report, model = broken_report
    data = json.loads(render(report, "json", "en"))
    assert data["conforms"] is False
    assert data["counts"]["violation"] == 1
    (violation,) = [r for r in data["results"] if r["severity"] == "Violation"]
    assert violation["file"] == str(model / "tjenester.yaml")
    assert violation["focus"] == "tjeneste/plan"
    assert violation["path"] == "sam:inMainGroup"
    assert violation["shape"] == "InformationService-inMainGroup"
    assert violation["messages"]["nb"].startswith("Informasjonstjenesten skal høre til")
    assert violation["message"].startswith("The information service must belong")


def test_junit_report_has_one_case_per_shape_and_focus_node(broken_report):
    report, model = broken_report
    root = ET.fromstring(render(report, "junit", "en"))
    cases = root.findall("./testsuite/testcase")
    assert int(root.get("tests")) == len(cases) > 1000
    assert root.get("failures") == "1"
    names = [(c.get("classname"), c.get("name")) for c in cases]
    assert len(names) == len(set(names))
    (failed,) = [c for c in cases if c.find("failure") is not None]
    assert failed.get("classname") == "samhandling.InformationService-inMainGroup"
    assert failed.get("name") == "Plan (tjeneste/plan)"
    assert failed.get("file") == str(model / "tjenester.yaml")
    assert failed.get("line") == str(line_of(model / "tjenester.yaml", "- id: plan"))
    warned = [c for c in cases if c.find("system-out") is not None]
    assert warned and all(c.find("failure") is None for c in warned)
    strict = ET.fromstring(render(report, "junit", "en", fail_on="warning"))
    assert int(strict.get("failures")) == 1 + len(warned) - report.count("Info")


def test_github_annotations(broken_report):
    report, model = broken_report
    lines = render(report, "github", "en").splitlines()
    line = line_of(model / "tjenester.yaml", "- id: plan")
    assert (f"::error file={model / 'tjenester.yaml'},line={line},"
            "title=InformationService-inMainGroup::Plan: The information service must belong "
            "to exactly one existing main group") in lines
    assert sum(row.startswith("::warning ") for row in lines) == report.count("Warning")
    assert sum(row.startswith("::notice ") for row in lines) == report.count("Info")


def test_junit_written_to_a_file(capsys, tmp_path: Path):
    target = tmp_path / "validation.xml"
    code, out, err = run(capsys, "validate", str(MODEL_DIR), "--format", "junit", "-o",
                         str(target))
    assert code == 0 and out == ""
    assert err.startswith(f"{target}: 0 brudd")
    assert ET.parse(target).getroot().get("failures") == "0"


def test_built_graph_with_its_sourcemap_points_at_the_model_sources(capsys, tmp_path: Path):
    code, _, _ = run(capsys, "build", str(MODEL_DIR), "-o", str(tmp_path))
    assert code == 0
    code, out, _ = run(capsys, "validate", str(tmp_path / "samhandling.ttl"))
    assert code == 0
    team = line_of(MODEL_DIR / "tjenester.yaml", "- id: team-og-moteadministrasjon")
    assert f"{MODEL_DIR / 'tjenester.yaml'}:{team}: Advarsel: " in out


# -- bad input: exit 2, one line ---------------------------------------------------------------


def _shapes(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "shapes.ttl"
    path.write_text("@prefix sam: <https://w3id.org/samhandling/ontologi#> .\n"
                    "@prefix sh: <http://www.w3.org/ns/shacl#> .\n" + text, encoding="utf-8")
    return path


@pytest.mark.parametrize(("text", "message"), [
    ("<https://x/S> a sh:NodeShape ;\n  sh:targetClass sam:Tjeneste .\n",
     ":4: <https://x/S>: sh:targetClass sam:Tjeneste is not a class of the ontology"),
    ("<https://x/S> a sh:NodeShape ;\n  sh:targetClass sam:InformationService ;\n"
     "  sh:property [ sh:path sam:x ; sh:class sam:Nope ] .\n",
     ":5: <https://x/S>: sh:class sam:Nope is not a class of the ontology"),
    ("<https://x/S> a sh:NodeShape ;\n  sh:targetClass sam:InformationService ;\n"
     '  sh:sparql [ sh:select """SELECT $this WHERE {\n'
     '    SERVICE <http://127.0.0.1:9/sparql> { $this ?p ?o } }""" ] .\n',
     ":6: <https://x/S>: SHACL-SPARQL may not use SERVICE"),
    ("<https://x/S> a sh:NodeShape ;\n  sh:targetClass sam:InformationService ;\n"
     '  sh:sparql [ sh:select """SELECT $this FROM <http://127.0.0.1:9/g> WHERE {\n'
     '    $this ?p ?o }""" ] .\n',
     ":5: <https://x/S>: SHACL-SPARQL may not use FROM"),
    ("<https://x/S> a sh:NodeShape ;\n  sh:targetClass sam:InformationService\n",
     ":5: malformed RDF: "),
])
def test_unusable_shapes_exit_2_with_one_line(capsys, tmp_path: Path, text: str, message: str):
    path = _shapes(tmp_path, text)
    code, out, err = run(capsys, "validate", str(MODEL_DIR), "--shapes", str(path))
    assert code == 2
    assert out == ""
    assert len(err.splitlines()) == 1
    assert err.startswith(f"error: {path}{message}"), err


def test_a_model_that_does_not_load_exits_2(capsys, model_copy: Path):
    (model_copy / "tjenester.yaml").write_text("- id: plan\n  group: [\n", encoding="utf-8")
    code, out, err = run(capsys, "validate", str(model_copy))
    assert code == 2 and out == ""
    assert err.startswith(f"error: {model_copy / 'tjenester.yaml'}:")
    assert "Traceback" not in err


def test_structural_problems_still_fail_the_load(capsys, model_copy: Path):
    replace(model_copy / "tjenester.yaml", "- id: plan\n", "- id: plan\n  colour: red\n")
    code, _, err = run(capsys, "validate", str(model_copy))
    assert code == 2
    assert f"{model_copy / 'tjenester.yaml'}:" in err and "unknown column 'colour'" in err


def test_missing_model_folder_exits_2(capsys, tmp_path: Path):
    code, _, err = run(capsys, "validate", str(tmp_path / "nowhere"))
    assert code == 2
    assert err == f"error: {tmp_path / 'nowhere'}: model folder not found\n"


# -- no network --------------------------------------------------------------------------------


@pytest.fixture()
def listener():
    """A local TCP port that records whether anything connected to it."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(1)
    server.setblocking(False)
    yield server
    server.close()


def _connected(server: socket.socket) -> bool:
    try:
        conn, _ = server.accept()
    except BlockingIOError:
        return False
    conn.close()
    return True


@pytest.mark.parametrize("query", [
    "SELECT * WHERE { SERVICE <http://127.0.0.1:{port}/sparql> { ?s ?p ?o } }",
    "SELECT * WHERE { ?a ?b ?c . OPTIONAL { SERVICE SILENT <http://127.0.0.1:{port}/> "
    "{ ?s ?p ?o } } }",
    "SELECT * FROM <http://127.0.0.1:{port}/data.ttl> WHERE { ?s ?p ?o }",
    "ASK { FILTER EXISTS { SERVICE <http://127.0.0.1:{port}/> { ?s ?p ?o } } }",
])
def test_sparql_in_validation_never_reaches_the_network(listener, query: str):
    port = listener.getsockname()[1]
    graph = OfflineGraph(Graph())
    with pytest.raises(NetworkRefusedError):
        graph.query(query.replace("{port}", str(port)))
    assert not _connected(listener)


def test_validate_model_refuses_service_even_when_shapes_skip_the_checks(listener):
    """A comment between SERVICE and its IRI slips past pySHACL's regular expression; the
    graph pySHACL queries still refuses the query before anything connects."""
    port = listener.getsockname()[1]
    query = ("SELECT $this WHERE { SERVICE# a comment\n"
             f"<http://127.0.0.1:{port}/> {{ $this ?p ?o }} }}")
    shapes = Graph()
    shape, constraint = URIRef("https://x/S"), BNode()
    shapes.add((shape, RDF.type, SH.NodeShape))
    shapes.add((shape, SH.targetClass, SAM.TargetPicture))
    shapes.add((shape, SH.sparql, constraint))
    shapes.add((constraint, SH.select, Literal(query)))
    with pytest.raises(NetworkRefusedError):
        validate_model(load_model(REPO / "tests" / "fixtures" / "mini"), shapes)
    assert not _connected(listener)


def test_queries_are_parsed_once_per_text():
    graph = OfflineGraph(Graph())
    text = "SELECT * WHERE { ?s ?p ?o . FILTER (?o = 'parsed once') }"
    first = graph.prepare(text)
    graph.query(text, initBindings={})
    assert graph.prepare(text) is first



# -- CI files ----------------------------------------------------------------------------------


def _samhandling_calls() -> list[list[str]]:
    workflow = yaml.safe_load((REPO / ".github" / "workflows" / "samhandling.yml")
                              .read_text(encoding="utf-8"))
    calls = []
    for job in workflow["jobs"].values():
        for step in job["steps"]:
            script = step.get("run", "").replace("\\\n", " ")
            for line in script.splitlines():
                words = shlex.split(line.split("||")[0])
                if words[:1] == ["samhandling"]:
                    calls.append(words)
    hooks = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    calls += [[*shlex.split(h["entry"]), *h.get("args", [])] for h in hooks]
    return calls


def test_ci_files_call_existing_commands_with_existing_options():
    calls = _samhandling_calls()
    assert {tuple(c[:2]) for c in calls} == {("samhandling", "validate"),
                                             ("samhandling", "diff")}
    for words in calls:
        command = cli.get_command(click.Context(cli), words[1])
        assert command is not None, words
        options = {opt for param in command.params for opt in param.opts}
        used = {w.split("=")[0] for w in words[2:] if w.startswith("-")}
        assert used <= options, (words, used - options)
