"""CLI command for design-to-cost planning: plan."""

from __future__ import annotations

from pathlib import Path

import click

from ..atomic import check_parent, write_bytes
from ..errors import Problem, UsageError
from ..plan.lists import DEFAULT_STEPS
from ..plan.montecarlo import DEFAULT_SAMPLES, DEFAULT_SEED
from ..plan.pictures import PICTURE_FORMATS, frontier_scene, picture, roadmap_scene
from ..plan.report import EXTENSIONS, FORMATS, outcome_line, render, status
from ..plan.request import PlanRequest, parse_frame, parse_shares, parse_years
from ..plan.run import make_plan
from ..plan.solver import DEFAULT_TIME_LIMIT
from .options import format_option, lang_option, model_argument, output_option, resolve_format
from .output import check_output, emit


def _picture_format(path: Path, option: str) -> str:
    fmt = PICTURE_FORMATS.get(path.suffix.lower())
    if fmt is None:
        raise UsageError(f"{option} {path}: extension '{path.suffix}' is not one of "
                         f"{', '.join(PICTURE_FORMATS)}")
    return fmt


@click.command()
@model_argument
@click.option("--frame", "frame_text", required=True, metavar="MNOK",
              help="The binding cost frame in MNOK (a positive number).")
@click.option("--estimates", type=click.Path(dir_okay=False, path_type=Path), default=None,
              metavar="FILE", help="A file of the kind estimater (YAML, CSV or XLSX) to "
                                   "plan with instead of the model's own estimater records.")
@click.option("--must", multiple=True, metavar="ID", help="An item the plan must hold "
                                                          "(repeatable).")
@click.option("--exclude", multiple=True, metavar="ID", help="An item the plan must leave "
                                                             "out (repeatable).")
@click.option("--per-year", default=None, metavar="Y=N,…",
              help="Budget per year in MNOK (2023=40,2024=60); every chosen item is then "
                   "done within these years.")
@click.option("--capacity", default=None, metavar="Y=N,…",
              help="Sector capacity per year in person-years (2023=30,2024=30).")
@click.option("--max-share", multiple=True, metavar="SCOPE=P",
              help="The most one scope (national, regional, local) may take of the chosen "
                   "cost: national=60% or national=0.6 (repeatable).")
@click.option("--steps", type=click.IntRange(0, 1000), default=DEFAULT_STEPS, show_default=True,
              help="Steps in the cut list and in the plus list.")
@click.option("--samples", type=click.IntRange(100, 1_000_000), default=DEFAULT_SAMPLES,
              show_default=True, help="Monte Carlo draws for triangular estimates.")
@click.option("--seed", type=int, default=DEFAULT_SEED, show_default=True,
              help="Seed of the Monte Carlo draws.")
@click.option("--time-limit", type=click.FloatRange(0.1, 3600), default=DEFAULT_TIME_LIMIT,
              show_default=True, help="Seconds the solver may take per solve.")
@click.option("--frontier-svg", type=click.Path(dir_okay=False, path_type=Path), default=None,
              metavar="FILE", help="Draw the frontier (frame -> best benefit) as SVG.")
@click.option("--roadmap", type=click.Path(dir_okay=False, path_type=Path), default=None,
              metavar="FILE", help="Draw the phasing as a roadmap: .svg, .png or .pptx.")
@format_option(FORMATS, default="text", help="Report format.")
@lang_option
@output_option()
def plan(model_dir: str, frame_text: str, estimates: Path | None, must: tuple[str, ...],
         exclude: tuple[str, ...], per_year: str | None, capacity: str | None,
         max_share: tuple[str, ...], steps: int, samples: int, seed: int, time_limit: float,
         frontier_svg: Path | None, roadmap: Path | None, fmt: str | None, lang: str,
         output: Path | None) -> None:
    """Choose the most benefit within a binding cost frame (design-to-cost).

    Reads cost estimates (the model's records of the kind estimater, one per step-2
    package, project, service or solution; or the file given with --estimates), derives
    prerequisites from the model (reused services, needed solutions) plus each estimate's
    requires, and solves exactly (OR-Tools CP-SAT) for the set with the most benefit within
    --frame, honouring --must, --exclude, --per-year, --capacity and --max-share. Reports
    cost, benefit, slack, the cut list and plus list (each step a re-solve), the frontier,
    the phasing year by year, the probability that triangular estimates stay inside the
    frame, and what the plan covers. Exit 0 a plan exists; 1 the musts and their
    prerequisites exceed the frame (the shortfall is printed); 2 bad input.

    Example:

    \b
        samhandling plan model/ --frame 250 \\
            --estimates examples/design-to-cost/estimater.yaml

    \b
        samhandling plan my-model/ --frame 250 --must felles-sprak \\
            --per-year 2022=90,2023=90,2024=90 --format json -o plan.json \\
            --roadmap roadmap.pptx
    """
    chosen = resolve_format(fmt, output, EXTENSIONS, "text")
    pictures = [(path, _picture_format(path, option)) for path, option in
                ((frontier_svg, "--frontier-svg"), (roadmap, "--roadmap")) if path is not None]
    if frontier_svg is not None and pictures[0][1] != "svg":
        raise UsageError(f"--frontier-svg {frontier_svg}: the frontier is drawn as .svg")
    check_output(output)
    for path, _fmt in pictures:
        check_parent(path)
    problems: list[Problem] = []
    request = PlanRequest(
        frame=parse_frame(frame_text, problems), musts=must, excludes=exclude,
        per_year=parse_years(per_year, "--per-year", "MNOK", problems),
        capacity=parse_years(capacity, "--capacity", "person-years", problems),
        shares=parse_shares(max_share, problems), steps=steps, samples=samples, seed=seed,
        time_limit=time_limit)
    result = make_plan(model_dir, estimates, request, problems)
    text = render(result, chosen, lang)
    drawn: list[tuple[Path, bytes]] = []
    if result.plan is not None:
        if frontier_svg is not None:
            drawn.append((frontier_svg, picture(frontier_scene(result.frontier, lang), "svg")))
        if roadmap is not None:
            drawn.append((roadmap, picture(roadmap_scene(result, lang),
                                           _picture_format(roadmap, "--roadmap"))))
    emit(text, output)
    for path, data in drawn:
        write_bytes(path, data)
    if status(result) != "ok":
        click.echo(f"samhandling plan: {outcome_line(result, lang)}", err=True)
        raise SystemExit(1)
