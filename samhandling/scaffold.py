"""``samhandling init``: a new model repository, ready for editors and for CI.

An organisation that keeps its own target picture needs more than the engine: a ``model/``
folder to start from, the CI recipes that validate every change, and a page that tells editors
what to touch. This is what ROBOT's ODK ``seed`` does for ontologies. The repository gets:

* ``model/``: the seed model bundled with the package, or with ``empty=True`` the skeleton of
  every kind of :mod:`samhandling.schema` with one example record (``templates/skeleton.yaml``);
* ``.github/workflows/samhandling.yml`` and ``.pre-commit-config.yaml``, both installing
  samhandling from one pip requirement, also written to ``requirements.txt``;
* ``README.md`` for model editors, and a ``.gitignore`` for build output.

The folder is written whole or not at all (:func:`samhandling.atomic.new_folder`).
"""

from __future__ import annotations

import json
import shutil
import textwrap
from importlib import metadata
from pathlib import Path

import yaml

from .atomic import new_folder
from .errors import UsageError
from .resources import seed_model_files
from .schema import KINDS, KINDS_BY_NAME

TEMPLATES = Path(__file__).resolve().parent / "templates"

#: What ``init`` writes besides ``model/``: target path -> template file name.
RECIPES = {
    ".github/workflows/samhandling.yml": "workflow.yml",
    ".pre-commit-config.yaml": "pre-commit-config.yaml",
    "README.md": "README.md",
}

GITIGNORE = "out/\nsamhandling-validation.xml\nmodel-diff.md\n"


def default_requirement() -> str:
    """The pip requirement that gives CI the samhandling this command runs from.

    An install from a VCS URL or from a remote archive is repeatable elsewhere, so it is
    written as a direct reference (PEP 610 ``direct_url.json``); a local install (a checkout,
    a wheel on disk) is not, so it falls back to the version, which the editor may have to
    point at their package index or repository (``--package``).
    """
    dist = metadata.distribution("samhandling")
    direct = dist.read_text("direct_url.json")
    if direct:
        info = json.loads(direct)
        url = str(info.get("url", ""))
        vcs = info.get("vcs_info")
        if vcs and url:
            return f"samhandling @ {vcs.get('vcs', 'git')}+{url}@{vcs.get('commit_id', '')}"
        if url and not url.startswith("file:"):
            return f"samhandling @ {url}"
    return f"samhandling=={dist.version}"


def skeleton_records() -> dict[str, list[dict[str, object]]]:
    """The example records of ``templates/skeleton.yaml``, keyed by kind name."""
    data = yaml.safe_load((TEMPLATES / "skeleton.yaml").read_text(encoding="utf-8"))
    unknown = sorted(set(data) - set(KINDS_BY_NAME))
    if unknown:
        raise UsageError(f"templates/skeleton.yaml: unknown kinds {', '.join(unknown)}")
    return data


def _skeleton_file(kind_name: str, records: list[dict[str, object]]) -> str:
    """One kind's file of the skeleton: a header naming the kind, then its records."""
    kind = KINDS_BY_NAME[kind_name]
    columns = textwrap.fill(", ".join(kind.column_names), width=96,
                            initial_indent="# Columns: ", subsequent_indent="#   ")
    header = f"# {kind.name}: {kind.doc}\n{columns}\n"
    bodies = [yaml.safe_dump([record], allow_unicode=True, sort_keys=False, width=100,
                             default_flow_style=None) for record in records]
    return header + "".join("\n" + body for body in bodies)


def _write_model(model_dir: Path, empty: bool) -> None:
    model_dir.mkdir(parents=True)
    if empty:
        records = skeleton_records()
        for kind in KINDS:
            (model_dir / f"{kind.name}.yaml").write_text(
                _skeleton_file(kind.name, records.get(kind.name, [])), encoding="utf-8")
        return
    files = seed_model_files()
    if not files:
        raise UsageError("the seed model is not bundled with this installation; "
                         "use --empty for the skeleton")
    for path in files:
        shutil.copyfile(path, model_dir / path.name)


def _title(target: Path) -> str:
    return target.resolve().name.replace("-", " ").replace("_", " ").strip() or "model"


def init_repository(target: Path, *, empty: bool = False,
                    requirement: str | None = None) -> list[Path]:
    """Write a new model repository into ``target`` (which must not exist, or be empty) and
    return the files written, relative to ``target``, sorted.

    Raises
    ------
    UsageError
        ``target`` is a file, a non-empty folder, or its parent does not exist.
    """
    target = Path(target)
    if target.is_symlink() or (target.exists() and not target.is_dir()):
        raise UsageError(f"{target}: exists and is not a folder")
    if target.is_dir() and any(target.iterdir()):
        raise UsageError(f"{target}: folder is not empty; init writes only into a new or "
                         "empty folder")
    parent = target.absolute().parent
    if not parent.is_dir():
        raise UsageError(f"{target}: parent folder {parent} does not exist")
    requirement = requirement or default_requirement()
    if "\n" in requirement or '"' in requirement:
        raise UsageError(f"--package: not a single pip requirement: {requirement!r}")

    # written whole or not at all, signals held at the swap (the same as synth and
    # export-tables): the checks above only give init's own wording for a refusal
    with new_folder(target) as staging:
        _write_model(staging / "model", empty)
        for relative, template in RECIPES.items():
            text = (TEMPLATES / template).read_text(encoding="utf-8")
            text = text.replace("{requirement}", requirement).replace("{title}",
                                                                      _title(target))
            out = staging / relative
            out.parent.mkdir(parents=True, exist_ok=True)
            out.write_text(text, encoding="utf-8")
        (staging / "requirements.txt").write_text(requirement + "\n", encoding="utf-8")
        (staging / ".gitignore").write_text(GITIGNORE, encoding="utf-8")
        written = sorted(p.relative_to(staging) for p in staging.rglob("*") if p.is_file())
    return written

