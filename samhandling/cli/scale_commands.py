"""CLI command for scale work: ``synth`` writes a synthetic model of any size."""

from __future__ import annotations

from pathlib import Path

import click

from ..synth import DEFECT_KINDS, SIZES, generate_model, size_counts
from .options import output_option, quiet_option
from .progress import progress


@click.command()
@click.option("--size", type=click.Choice(sorted(SIZES)), default=None,
              help="Size preset: small (seed-like, 26 services), 100k or 1m (about that many "
                   "triples once built). --services/--needs/--actors override its counts.")
@click.option("--services", type=click.IntRange(min=7), default=None,
              help="Number of information services (default: the size preset's).")
@click.option("--needs", type=click.IntRange(min=7), default=None,
              help="Number of information needs (at least --services).")
@click.option("--actors", type=click.IntRange(min=10), default=None,
              help="Number of actors, groups included.")
@click.option("--seed", type=int, default=1, show_default=True,
              help="Random seed: the same arguments always write the same files.")
@click.option("--defects", type=click.IntRange(min=0), default=0, show_default=True,
              help="Seed this many violations of each kind the shapes check, listed in "
                   "defects.json beside the model.")
@output_option(folder=True, required=True, dest="out_dir",
               help="Model folder to write (created; its parent must exist).")
@click.option("--force", is_flag=True,
              help="Replace an existing non-empty folder as a whole (default: refuse).")
@quiet_option
def synth(size: str | None, services: int | None, needs: int | None, actors: int | None,
          seed: int, defects: int, out_dir: Path, force: bool, quiet: bool) -> None:
    """Write a synthetic model in the source format of model/, for benchmarks and tests.

    Services in 7 main groups, a reuse DAG with a few hubs, needs in a code hierarchy, actors in
    one hierarchy, scenarios, a target picture and a source on every record. Prints the
    number of records per file. Defect kinds: see docs (one per rule family of shapes/).

    Example:

        samhandling synth --size 100k --seed 1 -o /tmp/synth-100k

        samhandling synth --services 40 --needs 200 --actors 80 --defects 2 -o /tmp/broken
    """
    preset = size_counts(size or "small")
    with progress(f"writing {out_dir}", quiet=quiet):
        summary = generate_model(
            out_dir,
            services=services if services is not None else preset[0],
            needs=needs if needs is not None else preset[1],
            actors=actors if actors is not None else preset[2],
            seed=seed, defects=defects, force=force)
    for kind, count in sorted(summary.records.items()):
        click.echo(f"{kind:<20} {count:>8}")
    click.echo(f"{'records':<20} {summary.total_records:>8}")
    if defects:
        click.echo(f"seeded {defects} defect(s) of each of {len(DEFECT_KINDS)} kinds: "
                   f"{len(summary.defects)} expected results in {out_dir / 'defects.json'}")
