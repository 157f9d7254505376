"""CLI commands that check the model: validate (SHACL), reason (OWL) and diff (semantic)."""

from __future__ import annotations

from pathlib import Path

import click

from ..atomic import check_parent, write_text
from ..errors import UsageError
from .options import (
    format_option,
    lang_option,
    model_dir_argument,
    output_option,
    quiet_option,
    resolve_format,
)
from .progress import progress

_REPORT_EXTENSIONS = {"text": (".txt", ".text", ".log"), "json": (".json",),
                      "junit": (".xml",), "github": (".txt", ".log")}
_DIFF_EXTENSIONS = {"text": (".txt", ".text", ".diff", ".log"), "md": (".md", ".markdown")}
# Exit status 1 is raised as SystemExit: main() runs click with standalone_mode=False, where
# click's own Exit becomes a return value rather than an exit status.


@click.command()
@model_dir_argument(files_ok=True)
@lang_option
@format_option(list(_REPORT_EXTENSIONS), default="text", help="Report format.")
@click.option("--fail-on", type=click.Choice(["violation", "warning", "info"]),
              default="violation", show_default=True,
              help="Lowest severity that makes the model fail (exit 1).")
@click.option("--annotate-level", type=click.Choice(["violation", "warning", "info"]),
              default=None, show_default="the --fail-on level",
              help="With --format github: lowest severity that becomes an annotation "
                   "(default: only what fails the run).")
@click.option("--shapes", "shapes", multiple=True, type=click.Path(path_type=str),
              help="Shapes file or folder to use instead of the bundled shapes (repeatable).")
@output_option(help="Write the report to this file (written whole or not at all) instead of "
                    "standard output; the summary line still goes to standard error.")
@click.option("--engine", type=click.Choice(["fast", "reference"]), default=None,
              help="fast: each SHACL-SPARQL constraint runs once on the pyoxigraph store; "
                   "reference: plain pySHACL. Same results. Default: fast, or "
                   "$SAMHANDLING_VALIDATE_ENGINE.")
@quiet_option
@click.option("-v", "--verbose", is_flag=True,
              help="Say on standard error which engine ran (and why fast stepped aside).")
def validate(model_dir: str, lang: str, fmt: str | None, fail_on: str,
             annotate_level: str | None, shapes: tuple[str, ...], output: Path | None,
             engine: str | None, quiet: bool, verbose: bool = False) -> None:
    """Validate MODEL_DIR (default: model) against the SHACL shapes.

    Prints every result as `file:line: Severity: focus: message [shape]`, grouped by source
    file. MODEL_DIR may also be a built graph file (.ttl, .nt, .jsonld); results then point
    at the model sources when sourcemap.json from `samhandling build` lies beside it.

    Exit codes: 0 conforms (warnings allowed unless --fail-on warning), 1 does not conform,
    2 the model or the shapes could not be loaded.

    Example:

        samhandling validate model/ --lang en --format junit -o validation.xml
    """
    from ..validation.load import load_for_validation
    from ..validation.report import render, summary
    from ..validation.shacl import load_shapes, validate_model

    fmt = resolve_format(fmt, output, _REPORT_EXTENSIONS, "text")
    if annotate_level is not None and fmt != "github":
        raise UsageError("--annotate-level applies to --format github only")
    if output is not None:
        check_parent(output)
    with progress("loading shapes", quiet=quiet) as shown:
        shapes_graph = load_shapes(list(shapes) or None)
        shown.step(f"loading {model_dir}")
        model = load_for_validation(model_dir)
        shown.step("validating")
        report = validate_model(model, shapes_graph, with_checks=fmt == "junit", engine=engine)
    if verbose:
        click.echo(report.engine_line(), err=True)
    text = render(report, fmt, lang, fail_on, origin=model_dir,
                  annotate=annotate_level or fail_on)
    if output is None:
        click.echo(text, nl=False)
    else:
        write_text(output, text)
        click.echo(f"{output}: {summary(report, lang, fail_on)}", err=True)
    if not report.conforms(fail_on):
        raise SystemExit(1)


@click.command()
@model_dir_argument(files_ok=True)
@click.option("--reasoner", type=click.Choice(["hermit", "pellet"]), default="hermit",
              show_default=True,
              help="HermiT (fast on small models) or Pellet (scales to 10k individuals).")
@click.option("--explain/--no-explain", default=True, show_default=True,
              help="When inconsistent, ask Pellet which axioms are involved (one more run).")
@click.option("--timeout", type=click.FloatRange(min=0, min_open=True), default=600,
              show_default=True, metavar="SECONDS",
              help="Total time the Java runs may take; then Java is stopped (exit 2).")
@lang_option
def reason(model_dir: str, reasoner: str, explain: bool, lang: str, timeout: float) -> None:
    """Check that the ontology plus MODEL_DIR is consistent (OWL reasoner in Java).

    Prints consistent/inconsistent, the classes and individuals involved when the reasoner
    names them, unsatisfiable classes, and the class memberships the reasoner infers that the
    model does not assert. MODEL_DIR may also be a graph file (.ttl, .nt, .jsonld).

    Exit codes: 0 consistent, 1 inconsistent (or a class can have no member), 2 the model
    could not be loaded, Java is missing, fails, gives no answer or runs past --timeout.

    Example:

        samhandling reason model/ --reasoner pellet
    """
    from ..validation.load import load_input
    from ..validation.reason import reason as run_reasoner
    from ..validation.reason import shorten

    model = load_input(model_dir)
    result = run_reasoner(model, reasoner, explain=explain, timeout=timeout)
    nb = lang == "nb"
    state = ("konsistent" if nb else "consistent") if result.consistent else (
        "inkonsistent" if nb else "inconsistent")
    click.echo(f"{model_dir}: {state} ({result.reasoner}, {result.seconds:.1f} s)")
    if result.explanation:
        click.echo("forklaring (Pellet):" if nb else "explanation (Pellet):")
        names = {iri.rstrip("/#").rsplit("/", 1)[-1].rsplit("#", 1)[-1]
                 for iri in result.involved}
        for axiom in result.explanation:
            click.echo(f"  {shorten(axiom, names)}")
    if result.involved:
        click.echo("involvert:" if nb else "involved:")
        for iri in result.involved:
            click.echo(f"  {result.label(iri, lang)} <{iri}>")
    for iri in result.unsatisfiable:
        click.echo(f"{'kan ikke ha medlemmer' if nb else 'unsatisfiable class'}: "
                   f"{result.label(iri, lang)} <{iri}>")
    if result.consistent:
        heading = ("utledet klassetilhørighet som ikke er oppgitt" if nb
                   else "inferred class memberships not asserted")
        click.echo(f"{heading}: {len(result.inferred)}")
        for item in result.inferred:
            click.echo(f"  {result.label(item.individual, lang)} <{item.individual}>: "
                       f"{result.label(item.cls, lang)} <{item.cls}>")
    if not result.ok:
        raise SystemExit(1)


@click.command()
@click.argument("old")
@click.argument("new", required=False)
@click.option("--model", "model_dir", default="model", show_default=True,
              help="The model folder: NEW when NEW is left out, and the folder read from git "
                   "revisions.")
@format_option(list(_DIFF_EXTENSIONS), default="text",
               help="Plain text, or Markdown for a pull-request comment.")
@lang_option
@output_option(help="Write the diff to this file instead of standard output.")
def diff(old: str, new: str | None, model_dir: str, fmt: str | None, lang: str,
         output: Path | None) -> None:
    """Show what changed between two versions of the model: entities added, removed and
    changed, by label and class, with changed properties old -> new.

    OLD and NEW are each a model folder, a built graph file (.ttl, .nt, .jsonld), an ArchiMate
    exchange file (.xml; both sides are then compared on what ArchiMate carries) or a git
    revision of the --model folder (HEAD~1, main, a commit). NEW defaults to the --model
    folder as it is now. Blank nodes and ordering never show as changes.

    Exit codes: 0 equal, 1 different (like diff), 2 a side could not be loaded.

    Example:

        samhandling diff origin/main model/ --format md -o model-diff.md
    """
    from ..validation.diff import diff_models, load_side, render_diff

    fmt = resolve_format(fmt, output, _DIFF_EXTENSIONS, "text")
    if output is not None:
        check_parent(output)
    new = new or model_dir
    old_model, new_model = load_side(old, model_dir), load_side(new, model_dir)
    if any(side.lower().endswith(".xml") for side in (old, new)):
        # an ArchiMate file carries only the mapped content: compare that on both sides
        from ..archimate.mapping import carried
        from ..validation.diff import diff_graphs

        result = diff_graphs(carried(old_model.graph), carried(new_model.graph), lang, old, new)
    else:
        result = diff_models(old_model, new_model, lang, old, new)
    text = render_diff(result, fmt, lang)
    if output is None:
        click.echo(text, nl=False)
    else:
        write_text(output, text)
    if not result.equal:
        raise SystemExit(1)
