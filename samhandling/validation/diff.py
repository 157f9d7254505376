"""A semantic diff of two versions of the model: what changed, not which lines of Turtle moved.

Each side is a model folder, a built graph file (``.ttl``, ``.nt``, ``.jsonld``) or a git
revision of the model folder (``HEAD~1``, ``main``; fetched with ``git archive`` into a private
temporary folder). Both sides are built to graphs and compared entity by entity: an *entity* is
every IRI that is the subject of a triple. Entities are added, removed or changed; a changed
entity lists each property whose values differ, old -> new. Language-tagged values are compared
per language, so a changed English label reads as one change.

Blank nodes never show: a blank node value is compared by its content (its own properties,
recursively), so relabelled blank nodes and reordered files compare equal. Output is sorted by
class, label and IRI.

The Markdown goes into a pull-request comment, so model text in it cannot act: each value
stays inside its table cell (line breaks and control characters become spaces, Markdown and
HTML characters are backslash-escaped), ``@`` gets a zero-width space after it (no one is
mentioned and notified), and code spans use a fence longer than any backtick run inside.
The text format keeps each entry on one line and never starts a workflow command (``::``).
"""

from __future__ import annotations

import io
import re
import shutil
import tarfile
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.term import Node

from ..atomic import terminate_as_exit
from ..built import BuiltModel
from ..errors import ModelLoadError, Problem, ToolMissingError, UsageError
from ..namespaces import BASE, RDF, SAM, curie
from ..process import run_bounded
from ..safetext import ci_safe_line, one_line
from ..vocabulary import label, ontology_graph
from .load import load_input

DIFF_FORMATS = ("text", "md")
#: Seconds one git command may take (a huge history, a hung credential helper).
GIT_TIMEOUT = 120
_WORDS = {
    "nb": {"added": "lagt til", "removed": "fjernet", "changed": "endret",
           "equal": "ingen endringer", "title": "Endringer i modellen",
           "entity": "Entitet", "class": "Klasse", "property": "Egenskap", "old": "Før",
           "new": "Etter"},
    "en": {"added": "added", "removed": "removed", "changed": "changed",
           "equal": "no changes", "title": "Model changes", "entity": "Entity",
           "class": "Class", "property": "Property", "old": "Old", "new": "New"},
}


@dataclass(frozen=True)
class PropertyChange:
    """One property of one entity whose values differ; values as displayed, sorted."""

    prop: str
    old: tuple[str, ...]
    new: tuple[str, ...]


@dataclass(frozen=True)
class EntityChange:
    """An entity added, removed or changed, with its label and class labels."""

    status: str
    iri: str
    label: str
    classes: tuple[str, ...]
    changes: tuple[PropertyChange, ...] = ()

    @property
    def sort_key(self) -> tuple[str, str, str]:
        return (", ".join(self.classes), self.label.casefold(), self.iri)


@dataclass(frozen=True)
class ModelDiff:
    old_name: str
    new_name: str
    added: tuple[EntityChange, ...]
    removed: tuple[EntityChange, ...]
    changed: tuple[EntityChange, ...]

    @property
    def equal(self) -> bool:
        return not (self.added or self.removed or self.changed)


# -- loading the two sides ---------------------------------------------------------------------


def load_side(spec: str, model_dir: str = "model", cwd: Path | None = None) -> BuiltModel:
    """A model folder, a graph file, or a git revision of ``model_dir`` (looked up from ``cwd``)."""
    cwd = cwd or Path.cwd()
    path = cwd / spec
    if path.is_file() and path.suffix.lower() == ".xml":  # an ArchiMate exchange file
        from ..archimate.files import load_archimate

        return load_archimate(path)
    if path.exists():
        return load_input(path)
    return _load_revision(spec, model_dir, cwd)


def _load_revision(rev: str, model_dir: str, cwd: Path) -> BuiltModel:
    if rev.startswith("-") or not rev.strip():
        raise UsageError(f"'{rev}' is not a model folder, a graph file or a git revision")
    if shutil.which("git") is None:
        raise ToolMissingError("git not found on PATH: needed to read the model at a revision")
    model_path = (cwd / model_dir).resolve()
    anchor = model_path if model_path.is_dir() else cwd
    top = _git(anchor, "rev-parse", "--show-toplevel", what=rev)
    if top is None:
        raise UsageError(f"'{rev}' is not a model folder or a graph file, and {cwd} is not in a "
                         "git repository")
    root = Path(top.decode().strip())
    try:
        relative = model_path.relative_to(root.resolve()).as_posix()
    except ValueError:
        raise UsageError(f"model folder {model_dir} is outside the git repository {root}") from None
    if _git(root, "rev-parse", "--verify", "--quiet", f"{rev}^{{commit}}", what=rev) is None:
        raise UsageError(f"'{rev}' is not a model folder, a graph file or a git revision")
    archive = _git(root, "archive", "--format=tar", rev, "--", relative, what=rev)
    if archive is None:
        raise UsageError(f"{rev}: the revision has no folder '{relative}'")
    with _tempdir() as folder:
        with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
            tar.extractall(folder, filter="data")
        try:
            return load_input(folder / relative)
        except ModelLoadError as exc:
            prefix = str(folder / relative)
            raise ModelLoadError([
                Problem(p.file.replace(prefix, f"{rev}:{relative}", 1), p.line, p.message,
                        p.sheet) for p in exc.problems]) from None


def _git(cwd: Path, *args: str, what: str) -> bytes | None:
    """Run git; its output, or None when it fails (unknown revision, no repository)."""
    try:
        proc = run_bounded(["git", "-C", str(cwd), *args], what=f"git {args[0]} (reading {what})",
                           deadline=GIT_TIMEOUT)
    except OSError as exc:
        raise ToolMissingError(f"git failed while reading {what}: {exc}") from None
    return proc.stdout if proc.returncode == 0 else None


@contextmanager
def _tempdir() -> Iterator[Path]:
    """The revision's files, removed on every exit (SIGTERM too: it raises SystemExit here)."""
    with terminate_as_exit():
        folder = Path(tempfile.mkdtemp(prefix="samhandling-diff-"))
        try:
            yield folder
        finally:
            shutil.rmtree(folder, ignore_errors=True)


# -- comparing ---------------------------------------------------------------------------------


def diff_models(old: BuiltModel, new: BuiltModel, lang: str = "nb", old_name: str = "old",
                new_name: str = "new") -> ModelDiff:
    """Compare two models entity by entity; displays use labels in ``lang``."""
    return diff_graphs(old.graph, new.graph, lang, old_name, new_name)


def diff_graphs(old: Graph, new: Graph, lang: str = "nb", old_name: str = "old",
                new_name: str = "new") -> ModelDiff:
    if lang not in _WORDS:
        raise UsageError(f"unknown language '{lang}'; valid: {', '.join(_WORDS)}")
    terms = ontology_graph()
    old_desc, new_desc = _describe(old), _describe(new)
    added, removed, changed = [], [], []
    for entity in sorted(new_desc.keys() - old_desc.keys()):
        added.append(_entity("added", entity, new, terms, lang))
    for entity in sorted(old_desc.keys() - new_desc.keys()):
        removed.append(_entity("removed", entity, old, terms, lang))
    for entity in sorted(old_desc.keys() & new_desc.keys()):
        before, after = old_desc[entity], new_desc[entity]
        changes = []
        for key in sorted(before.keys() | after.keys()):
            old_values, new_values = before.get(key, {}), after.get(key, {})
            if old_values.keys() == new_values.keys():
                continue
            gone = [old_values[v] for v in old_values.keys() - new_values.keys()]
            came = [new_values[v] for v in new_values.keys() - old_values.keys()]
            changes.append(PropertyChange(_key_text(key), tuple(sorted(
                _show_value(old, v, lang, key) for v in gone)), tuple(sorted(
                    _show_value(new, v, lang, key) for v in came))))
        if changes:
            changed.append(_entity("changed", entity, new, terms, lang, tuple(changes)))
    return ModelDiff(old_name, new_name, *(tuple(sorted(group, key=lambda e: e.sort_key))
                                           for group in (added, removed, changed)))


#: (predicate, language or "") -> canonical value text -> the value node
Description = dict[tuple[str, str], dict[str, Node]]


def _describe(graph: Graph) -> dict[URIRef, Description]:
    entities: dict[URIRef, Description] = {}
    cache: dict[BNode, str] = {}
    for s, p, o in graph:
        if not isinstance(s, URIRef):
            continue
        lang = o.language or "" if isinstance(o, Literal) else ""
        entities.setdefault(s, {}).setdefault((str(p), lang), {})[
            _canonical(graph, o, cache, frozenset())] = o
    return entities


def _canonical(graph: Graph, node: Node, cache: dict[BNode, str],
               seen: frozenset[BNode]) -> str:
    """A text that is equal for equal values, whatever the blank node ids are."""
    if not isinstance(node, BNode):
        return node.n3()
    if node in cache:
        return cache[node]
    if node in seen:
        return "[...]"
    inner = seen | {node}
    items = list(graph.items(node)) if graph.value(node, RDF.first) is not None else None
    if items is not None:
        text = "( " + " ".join(_canonical(graph, i, cache, inner) for i in items) + " )"
    else:
        text = "[ " + " ; ".join(sorted(f"{p.n3()} {_canonical(graph, o, cache, inner)}"
                                        for p, o in graph.predicate_objects(node))) + " ]"
    cache[node] = text
    return text


def _entity(status: str, entity: URIRef, graph: Graph, terms: Graph, lang: str,
            changes: tuple[PropertyChange, ...] = ()) -> EntityChange:
    classes = tuple(sorted(label(terms, c, lang) for c in graph.objects(entity, RDF.type)
                           if isinstance(c, URIRef)))
    return EntityChange(status, _short(entity), label(graph, entity, lang), classes, changes)


def _key_text(key: tuple[str, str]) -> str:
    predicate, lang = key
    return _compact(predicate) + (f"@{lang}" if lang else "")


def _show_value(graph: Graph, node: Node, lang: str, key: tuple[str, str]) -> str:
    if isinstance(node, Literal):
        text = str(node).replace("\n", " ")
        return f'"{text}"' if node.language or node.datatype is None else (
            text if node.datatype and str(node.datatype).endswith(("integer", "boolean"))
            else f'"{text}"^^{_compact(str(node.datatype))}')
    if isinstance(node, BNode):
        return "[ " + " ; ".join(sorted(
            f"{_compact(str(p))} {_show_value(graph, o, lang, key)}"
            for p, o in graph.predicate_objects(node))) + " ]"
    name = label(graph, node, lang)
    short = _short(node)
    return short if name in (short, short.rsplit("/", 1)[-1]) else f"{name} ({short})"


def _short(node: Node) -> str:
    text = str(node)
    if text.startswith(BASE) and not text.startswith(str(SAM)):
        return text[len(BASE):]
    return _compact(text)


def _compact(text: str) -> str:
    return curie(text) or f"<{text}>"


# -- output ------------------------------------------------------------------------------------


def render_diff(diff: ModelDiff, fmt: str = "text", lang: str = "nb") -> str:
    """The diff as plain text or as Markdown for a pull-request comment."""
    if fmt not in DIFF_FORMATS:
        raise UsageError(f"unknown diff format '{fmt}'; valid: {', '.join(DIFF_FORMATS)}")
    return _render_md(diff, lang) if fmt == "md" else _render_text(diff, lang)


def _counts(diff: ModelDiff, lang: str) -> str:
    words = _WORDS[lang]
    return (f"{len(diff.added)} {words['added']}, {len(diff.removed)} {words['removed']}, "
            f"{len(diff.changed)} {words['changed']}")


def _title(entity: EntityChange) -> str:
    classes = f" [{', '.join(entity.classes)}]" if entity.classes else ""
    return f"{entity.label}{classes} <{entity.iri}>"


def _render_text(diff: ModelDiff, lang: str) -> str:
    words = _WORDS[lang]
    lines = [f"{diff.old_name} -> {diff.new_name}"]
    if diff.equal:
        return "\n".join([*lines, words["equal"]]) + "\n"
    for mark, status, group in (("+", "added", diff.added), ("-", "removed", diff.removed),
                                ("~", "changed", diff.changed)):
        for entity in group:
            lines.append(f"{mark} {words[status]}: {_title(entity)}")
            for change in entity.changes:
                if len(change.old) == 1 and len(change.new) == 1:
                    lines.append(f"    {change.prop}: {change.old[0]} -> {change.new[0]}")
                    continue
                lines.extend(f"    {change.prop}: - {value}" for value in change.old)
                lines.extend(f"    {change.prop}: + {value}" for value in change.new)
    lines.append(_counts(diff, lang))
    return "\n".join(ci_safe_line(one_line(line)) for line in lines) + "\n"


#: Line breaks and control characters: a cell must stay on its table row.
_BREAKS = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]+")


def _cell(text: str) -> str:
    """Model text as inert Markdown inside a table cell or a paragraph."""
    if not text:
        return ""
    text = _BREAKS.sub(" ", text)
    # Inline Markdown only: with the line breaks gone no text starts a line (no heading,
    # list or quote); links need "[", HTML "<", entities "&", emphasis "*_~", tables "|".
    text = re.sub(r"([\\`*_<>\[\]|~&#])", r"\\\1", text)
    return text.replace("@", "@&#8203;")  # "@user" would notify user (as Renovate does)


def _code(text: str) -> str:
    """``text`` as a Markdown code span it cannot leave (mentions do not fire inside)."""
    text = _BREAKS.sub(" ", text)
    fence = "`" * (max((len(run) for run in re.findall(r"`+", text)), default=0) + 1)
    return f"{fence} {text} {fence}" if "`" in text else f"{fence}{text}{fence}"


def _render_md(diff: ModelDiff, lang: str) -> str:
    words = _WORDS[lang]
    out = [f"### {words['title']}: {_counts(diff, lang)}", "",
           f"{_code(diff.old_name)} → {_code(diff.new_name)}", ""]
    if diff.equal:
        out.append(words["equal"])
        return "\n".join(out) + "\n"
    for status, group in (("added", diff.added), ("removed", diff.removed)):
        if not group:
            continue
        out += [f"#### {words[status].capitalize()} ({len(group)})", "",
                f"| {words['entity']} | {words['class']} | IRI |", "|---|---|---|"]
        out += [f"| {_cell(e.label)} | {_cell(', '.join(e.classes))} | {_code(e.iri)} |"
                for e in group]
        out.append("")
    if diff.changed:
        out += [f"#### {words['changed'].capitalize()} ({len(diff.changed)})", ""]
        for entity in diff.changed:
            classes = f" ({_cell(', '.join(entity.classes))})" if entity.classes else ""
            out += [f"**{_cell(entity.label)}**{classes} {_code(entity.iri)}", "",
                    f"| {words['property']} | {words['old']} | {words['new']} |", "|---|---|---|"]
            out += [f"| {_code(c.prop)} | {'<br>'.join(_cell(v) for v in c.old)} | "
                    f"{'<br>'.join(_cell(v) for v in c.new)} |" for c in entity.changes]
            out.append("")
    return "\n".join(out).rstrip("\n") + "\n"


__all__ = ["DIFF_FORMATS", "EntityChange", "ModelDiff", "PropertyChange", "diff_graphs",
           "diff_models", "load_side", "render_diff"]
