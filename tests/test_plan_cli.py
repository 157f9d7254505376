"""``samhandling plan`` where users meet it: the example estimates on the frozen seed model,
bad input, and the installed wheel."""

from __future__ import annotations

import json
import shutil
import zipfile
from pathlib import Path

import pytest
from rdflib import Graph
from rdflib.namespace import PROV, RDF

from .installed import installed, user_folder
from .support import MODEL_DIR, REPO, run_cli

EXAMPLE = REPO / "examples" / "design-to-cost" / "estimater.yaml"
#: The example's own source (its figures are illustrative), a second file of the kind kilder.
EXAMPLE_SOURCE = EXAMPLE.with_name("kilder.eksempel.yaml")


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict, Path]:
    out = tmp_path_factory.mktemp("plan")
    result = run_cli("plan", str(MODEL_DIR), "--frame", "250", "--estimates", str(EXAMPLE),
                     "--format", "json", "-o", str(out / "plan.json"), "--roadmap",
                     str(out / "roadmap.pptx"), "--frontier-svg", str(out / "frontier.svg"),
                     "--steps", "4")
    assert result.exit_code == 0, result.stderr
    return json.loads((out / "plan.json").read_text("utf-8")), out


def test_the_example_plans_within_the_frame(report: tuple[dict, Path]) -> None:
    data, _ = report
    assert data["status"] == "ok" and data["frame"] == 250
    assert 0 < data["cost"] <= 250
    assert data["slack"] == pytest.approx(250 - data["cost"])
    assert data["benefit"] == pytest.approx(sum(c["benefit"] for c in data["chosen"]))
    chosen = {c["id"] for c in data["chosen"]}
    for item in chosen:  # every chosen item has one of each group of prerequisites
        for group in data["prerequisites"][item]["groups"]:
            assert chosen & set(group), (item, group)
    # derived from the graph: the clinical summary reuses the plan and critical information
    derived = data["prerequisites"]["klinisk-oppsummering"]["derived"]
    assert "kjernejournal-api-for-kritisk-informasjon" in derived
    assert data["prerequisites"]["deling-av-journaldokumenter"]["explicit"] == ["felles-sprak"]
    assert any(p["via"] == "solution" for p in data["in_place"])
    assert set(data["uncovered"]) == {"services", "needs", "scenarios", "pain_points"}
    assert 0 < data["probability_within_frame"] < 1
    assert data["cut_list"] and data["plus_list"]
    assert all(s["cost"] < data["cost"] for s in data["cut_list"])
    assert all(s["benefit"] > data["benefit"] for s in data["plus_list"])


def test_the_pictures_are_written(report: tuple[dict, Path]) -> None:
    data, out = report
    svg = (out / "frontier.svg").read_text("utf-8")
    assert svg.startswith("<svg") and "Frontier" not in svg  # nb is the default language
    with zipfile.ZipFile(out / "roadmap.pptx") as archive:
        slide = archive.read("ppt/slides/slide1.xml").decode("utf-8")
    for item in data["chosen"]:
        assert f"{item['cost']:g}".rstrip("0").rstrip(".") in slide


def test_the_plan_is_the_same_bytes_every_run(report: tuple[dict, Path],
                                              tmp_path: Path) -> None:
    _, out = report
    again = run_cli("plan", str(MODEL_DIR), "--frame", "250", "--estimates", str(EXAMPLE),
                    "--format", "json", "-o", str(tmp_path / "plan.json"), "--roadmap",
                    str(tmp_path / "roadmap.pptx"), "--steps", "4")
    assert again.exit_code == 0, again.stderr
    assert (tmp_path / "plan.json").read_bytes() == (out / "plan.json").read_bytes()
    assert (tmp_path / "roadmap.pptx").read_bytes() == (out / "roadmap.pptx").read_bytes()


def test_turtle_names_the_run_and_the_chosen_items_years(tmp_path: Path) -> None:
    result = run_cli("plan", str(MODEL_DIR), "--frame", "250", "--estimates", str(EXAMPLE),
                     "--format", "ttl", "--steps", "0", "--lang", "en")
    assert result.exit_code == 0, result.stderr
    graph = Graph().parse(data=result.stdout, format="turtle")
    activities = set(graph.subjects(RDF.type, PROV.Activity))
    assert len(activities) > 1
    assert len(list(graph.objects(None, PROV.startedAtTime))) == len(activities) - 1


def test_norwegian_text_report_and_english_roadmap(tmp_path: Path) -> None:
    result = run_cli("plan", str(MODEL_DIR), "--frame", "250", "--estimates", str(EXAMPLE),
                     "--steps", "2", "--lang", "nb", "--roadmap", str(tmp_path / "r.svg"),
                     "--per-year", "2022=90,2023=90,2024=90")
    assert result.exit_code == 0, result.stderr
    assert "Kuttliste" in result.stdout and "Innfasing" in result.stdout
    for year in ("2022", "2023", "2024"):
        line = next(x for x in result.stdout.splitlines() if x.startswith(year))
        assert float(line.split()[1]) <= 90


def test_musts_beyond_the_frame_exit_1_with_the_shortfall() -> None:
    result = run_cli("plan", str(MODEL_DIR), "--frame", "100", "--estimates", str(EXAMPLE),
                     "--must", "digital-hjemmeoppfolging", "--lang", "en")
    assert result.exit_code == 1
    assert "60 MNOK over the frame of 100 MNOK" in result.stderr  # 160 - 100


def test_bad_input_is_one_error_line_each(tmp_path: Path) -> None:
    bad = tmp_path / "estimater.yaml"
    bad.write_text("- item: felles-sprk\n  cost: 3\n"
                   "- item: video\n  cost: -1\n"
                   "- item: plan\n  cost_low: 5\n  cost_likely: 2\n  cost_high: 9\n",
                   encoding="utf-8")
    result = run_cli("plan", str(MODEL_DIR), "--frame", "0", "--estimates", str(bad),
                     "--must", "plan", "--exclude", "plan")
    assert result.exit_code == 2
    lines = result.stderr.strip().splitlines()
    assert all(line.startswith("error: ") for line in lines), lines
    assert "Traceback" not in result.stderr
    text = result.stderr
    assert f"{bad}:4: column 'cost': -1 is negative" in text
    assert "cost_low 5 is greater than cost_likely 2" in text
    assert "--frame: '0' is not a positive number" in text
    good = tmp_path / "ok.yaml"
    good.write_text("- item: felles-sprk\n  cost: 3\n- item: plan\n  cost: 2\n",
                    encoding="utf-8")
    result = run_cli("plan", str(MODEL_DIR), "--frame", "10", "--estimates", str(good),
                     "--must", "plan", "--exclude", "plan")
    assert result.exit_code == 2
    assert f"{good}:1: unknown item 'felles-sprk' (did you mean 'felles-sprak'" in result.stderr
    assert "error: --must: 'plan' is also given to --exclude" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 2


def test_estimates_are_a_kind_of_the_model(tmp_path: Path) -> None:
    """Without --estimates the plan reads the model's own estimater records; a model with
    the example file added still validates (the kind, its shapes and the ontology agree) and
    plans exactly as with --estimates; a model without estimates says where to put them."""
    model = tmp_path / "model"
    shutil.copytree(MODEL_DIR, model)
    bare = run_cli("plan", str(model), "--frame", "250")
    assert bare.exit_code == 2
    assert bare.stderr.strip().splitlines() == [
        f"error: {model}: the model has no estimates: add estimater.yaml (one record per "
        "item, with sourced figures) to the model, or give --estimates FILE"]
    shutil.copy(EXAMPLE, model / "estimater.yaml")
    shutil.copy(EXAMPLE_SOURCE, model / EXAMPLE_SOURCE.name)
    checked = run_cli("validate", str(model), "--lang", "en")
    assert checked.exit_code == 0, checked.stdout + checked.stderr
    assert "0 violations" in checked.stdout
    own = run_cli("plan", str(model), "--frame", "250", "--format", "json", "--steps", "1")
    given = run_cli("plan", str(MODEL_DIR), "--frame", "250", "--format", "json",
                    "--steps", "1", "--estimates", str(EXAMPLE))
    assert own.exit_code == given.exit_code == 0, own.stderr + given.stderr
    mine, theirs = json.loads(own.stdout), json.loads(given.stdout)
    assert mine["estimates"] != theirs["estimates"]
    mine.pop("estimates"), theirs.pop("estimates")
    assert mine == theirs and mine["chosen"]
    (model / "estimater.yaml").write_text(
        EXAMPLE.read_text("utf-8").replace("cost_likely: 150", "cost_likely: 250", 1),
        encoding="utf-8")
    broken = run_cli("plan", str(model), "--frame", "250")
    assert broken.exit_code == 2
    assert broken.stderr.strip().splitlines() == [
        f"error: {model / 'estimater.yaml'}:10: cost_likely 250 is greater than cost_high 210"]


def test_a_cycle_of_prerequisites_is_named(tmp_path: Path) -> None:
    bad = tmp_path / "estimater.yaml"
    bad.write_text("- item: video\n  cost: 1\n  requires: [felles-sprak]\n"
                   "- item: felles-sprak\n  cost: 1\n  requires: [video]\n", encoding="utf-8")
    result = run_cli("plan", str(MODEL_DIR), "--frame", "10", "--estimates", str(bad))
    assert result.exit_code == 2
    assert f"error: {bad}:4: prerequisites form a cycle: steg2-pakke/felles-sprak -> " \
           "tjeneste/video -> steg2-pakke/felles-sprak" in result.stderr
    assert result.stderr.count("error:") == 1


@pytest.mark.xdist_group("installed")
def test_installed_wheel_plans_the_example() -> None:
    inst = installed("wheel")
    here = user_folder("plan")
    shutil.copytree(MODEL_DIR, here / "model")
    shutil.copy(EXAMPLE, here / "model" / "estimater.yaml")  # estimates are a kind
    shutil.copy(EXAMPLE_SOURCE, here / "model" / EXAMPLE_SOURCE.name)
    result = inst.run("plan", "model", "--frame", "250", "--format", "json", "--steps", "2",
                      "--roadmap", "roadmap.png", cwd=here)
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["status"] == "ok" and data["cost"] <= 250 and data["chosen"]
    assert (here / "roadmap.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_per_year_budgets_no_plan_can_meet_exit_1() -> None:
    result = run_cli("plan", str(MODEL_DIR), "--frame", "500", "--estimates", str(EXAMPLE),
                     "--must", "digital-hjemmeoppfolging", "--per-year", "2022=10,2023=10",
                     "--lang", "en")
    assert result.exit_code == 1
    assert "No plan meets the musts, per-year budgets, capacity and shares" in result.stderr
