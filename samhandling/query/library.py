"""The query library: ``queries/*.rq`` files and the ``#+`` header each one opens with.

The header is YAML behind ``#+`` so that a query stays a plain ``.rq`` file any SPARQL tool
can run, while samhandling still knows what it is for::

    #+ summary:
    #+   nb: Tjenester per hovedgruppe, med antall
    #+   en: Services per main group, with counts
    #+ params:
    #+   ?_service:
    #+     type: iri                         # iri | literal | integer
    #+     class: sam:InformationService     # iri only: ids and labels are looked up here
    #+     default: plan                     # no default: required; "default: ~": unbound
    #+     nb: tjenesten ...
    #+     en: the service ...
    #+ returns:
    #+   ?group: {nb: Hovedgruppe, en: Main group}
    #+ tags: [tjenester]

The file name says the kind: ``*-violation.rq`` returns rows only when something is wrong,
``construct-*.rq`` builds triples, anything else is a report. ``?_lang`` needs no declaration:
it is always bound to the ``--lang`` language.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any, Literal

from ..errors import UsageError
from ..resources import query_dir, query_files
from ..safetext import one_line
from . import sparqltext

ParamType = Literal["iri", "literal", "integer"]
PARAM_TYPES: tuple[str, ...] = ("iri", "literal", "integer")
#: The parameter types as ``query --list --lang nb`` names them.
PARAM_TYPES_NB = {"iri": "ressurs", "literal": "tekst", "integer": "heltall"}
LANG_PARAM = "lang"
HEADER_KEYS = ("summary", "params", "returns", "tags")
#: Marks a parameter whose header gives no ``default:`` at all (it is then required).
_NO_DEFAULT = object()


@dataclass(frozen=True)
class Param:
    """One ``?_name`` parameter as the header declares it."""

    name: str
    type: ParamType
    #: ``class:`` as written in the header (``sam:InformationService`` or a full IRI).
    cls: str | None
    default: str | None
    required: bool
    meaning: dict[str, str]

    @property
    def variable(self) -> str:
        return f"_{self.name}"

    @property
    def class_iri(self) -> str | None:
        """The full IRI of ``class:`` (expanded on use: the prefixes live beside rdflib, which
        ``--list`` should not have to import)."""
        return None if self.cls is None else expand_name(self.cls, f"parameter {self.name}")

    def describe(self, lang: str) -> str:
        if self.required:
            default = "required" if lang == "en" else "påkrevd"
        elif self.default is None:
            default = "default: all" if lang == "en" else "standard: alle"
        else:
            default = ("default: " if lang == "en" else "standard: ") + self.default
        text = self.meaning.get(lang) or self.meaning.get("en") or ""
        kind = PARAM_TYPES_NB.get(self.type, self.type) if lang == "nb" else self.type
        return f"{self.name} ({kind}; {default}) {text}".rstrip()


@dataclass(frozen=True)
class Column:
    """One returned column with its title in each language."""

    name: str
    titles: dict[str, str]

    def title(self, lang: str) -> str:
        return self.titles.get(lang) or self.titles.get("en") or self.name


@dataclass(frozen=True)
class QueryFile:
    """A parsed ``.rq`` file: its text and what its header declares."""

    name: str
    path: Path
    text: str
    summary: dict[str, str]
    params: tuple[Param, ...]
    returns: tuple[Column, ...]
    tags: tuple[str, ...]
    returns_text: str = ""

    @property
    def kind(self) -> Literal["violation", "construct", "report"]:
        if self.name.endswith("-violation"):
            return "violation"
        if self.name.startswith("construct-"):
            return "construct"
        return "report"

    @property
    def display(self) -> str:
        return str(self.path)

    def summary_in(self, lang: str) -> str:
        return self.summary.get(lang) or self.summary.get("en") or next(
            iter(self.summary.values()), "")

    def param(self, name: str) -> Param:
        for param in self.params:
            if param.name == name:
                return param
        declared = ", ".join(p.name for p in self.params) or "none"
        hint = ""
        if name == LANG_PARAM:
            hint = "; the label language is set with --lang"
        raise UsageError(f"query '{self.name}' has no parameter '{one_line(name)}' (declared: "
                         f"{declared}){hint}")

    @cached_property
    def uses_lang(self) -> bool:
        return f"_{LANG_PARAM}" in sparqltext.variables(self.text)

    def titles(self) -> dict[str, Column]:
        return {c.name: c for c in self.returns}


# -- finding queries ----------------------------------------------------------------------

def library_dir() -> Path:
    return query_dir()


def library_paths(directory: Path | None = None) -> list[Path]:
    if directory is None:
        return query_files()
    return sorted(directory.glob("*.rq"))


def list_queries(directory: Path | None = None) -> list[QueryFile]:
    """Every library query, parsed, sorted by name."""
    return [load_query_file(p) for p in library_paths(directory)]


def find_query(name_or_path: str, directory: Path | None = None) -> QueryFile:
    """A library query by name (``services-per-group``, with or without ``.rq``), or an ad-hoc
    ``.rq`` file by path. An unknown name lists the closest names."""
    path = Path(name_or_path)
    if name_or_path.endswith(".rq") and (path.is_file() or "/" in name_or_path
                                         or "\\" in name_or_path):
        if not path.is_file():
            raise UsageError(f"{name_or_path}: query file not found")
        return load_query_file(path, header_required=False)
    name = name_or_path.removesuffix(".rq")
    paths = {p.stem: p for p in library_paths(directory)}
    if name in paths:
        return load_query_file(paths[name])
    if path.is_file():
        return load_query_file(path, header_required=False)
    close = difflib.get_close_matches(name, list(paths), n=4, cutoff=0.5)
    close += [n for n in sorted(paths) if name and name in n and n not in close][:4 - len(close)]
    hint = f"; did you mean {', '.join(close)}?" if close else ""
    raise UsageError(f"unknown query '{name}'{hint} (samhandling query --list shows all)")


# -- the header ----------------------------------------------------------------------------

def load_query_file(path: Path, *, header_required: bool = True) -> QueryFile:
    """Read and check one ``.rq`` file; problems name the file and line.

    The library's files must carry a ``#+`` header (its summary feeds ``--list``); an ad-hoc
    file a user passes by path (``header_required=False``) may be plain SPARQL, and then runs
    with no parameters and its variable names as column titles.
    """
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise UsageError(f"{path}: not UTF-8 text ({exc.reason} at byte {exc.start})") from None
    except OSError as exc:
        raise UsageError(f"{path}: cannot read ({exc.strerror})") from None
    if not header_required and not _has_header(text):
        return _build(path, text, {"summary": f"ad-hoc query {path.name}"})
    header, first_line = _header_lines(text, path)
    data = _parse_yaml(header, path, first_line)
    return _build(path, text, data)


def _has_header(text: str) -> bool:
    """Whether the first non-blank line starts a ``#+`` header."""
    first = next((line for line in text.splitlines() if line.strip()), "")
    return first.startswith("#+")


def _header_lines(text: str, path: Path) -> tuple[str, int]:
    lines = text.splitlines()
    start = 0
    while start < len(lines) and not lines[start].strip():
        start += 1
    collected: list[str] = []
    for line in lines[start:]:
        if not line.startswith("#+"):
            break
        body = line[2:]
        collected.append(body[1:] if body.startswith(" ") else body)
    if not collected:
        raise UsageError(f"{path}:{start + 1}: missing '#+' header; start the file with "
                         "'#+ summary:' (then params, returns, tags)")
    return "\n".join(collected), start + 1


def _parse_yaml(header: str, path: Path, first_line: int) -> dict[str, Any]:
    import yaml

    try:
        data = yaml.safe_load(header)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = first_line + mark.line if mark is not None else first_line
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise UsageError(f"{path}:{line}: bad '#+' header: {problem}") from None
    if not isinstance(data, dict):
        raise UsageError(f"{path}:{first_line}: bad '#+' header: expected 'key: value' lines "
                         "(summary, params, returns, tags)")
    unknown = sorted(set(map(str, data)) - set(HEADER_KEYS))
    if unknown:
        raise UsageError(f"{path}:{first_line}: unknown '#+' header key '{unknown[0]}'; valid: "
                         + ", ".join(HEADER_KEYS))
    if not data.get("summary"):
        raise UsageError(f"{path}:{first_line}: '#+' header lacks 'summary:'")
    return data


def _texts(value: Any, path: Path, what: str) -> dict[str, str]:
    """A text given per language (``{nb: ..., en: ...}``) or one text for both."""
    if isinstance(value, str):
        return {"nb": value, "en": value}
    if isinstance(value, dict) and all(isinstance(v, str) for v in value.values()):
        return {str(k): v for k, v in value.items()}
    raise UsageError(f"{path}: '#+' header: {what} must be a text or a mapping nb:/en: to texts")


def _build(path: Path, text: str, data: dict[str, Any]) -> QueryFile:
    summary = _texts(data["summary"], path, "summary")
    params_raw = data.get("params") or {}
    if not isinstance(params_raw, dict):
        raise UsageError(f"{path}: '#+' header: params must map ?_name to its description")
    params = tuple(_param(path, key, spec) for key, spec in params_raw.items())
    returns_raw = data.get("returns") or {}
    returns: tuple[Column, ...] = ()
    returns_text = ""
    if isinstance(returns_raw, dict):
        returns = tuple(Column(str(k).lstrip("?$"), _texts(v, path, f"returns {k}"))
                        for k, v in returns_raw.items())
    elif isinstance(returns_raw, list):
        returns = tuple(Column(str(k).lstrip("?$"), {}) for k in returns_raw)
    else:
        returns_text = str(returns_raw)
    tags_raw = data.get("tags") or []
    tags = tuple(str(t) for t in (tags_raw if isinstance(tags_raw, list) else [tags_raw]))
    query = QueryFile(path.stem, path, text, summary, params, returns, tags, returns_text)
    _check_variables(query)
    return query


def _param(path: Path, key: Any, spec: Any) -> Param:
    key = str(key)
    if not key.startswith(("?_", "$_")) or len(key) < 3:
        raise UsageError(f"{path}: '#+' header: parameter '{key}' must be written ?_name")
    name = key[2:]
    if name == LANG_PARAM:
        raise UsageError(f"{path}: '#+' header: ?_lang is bound by --lang; do not declare it")
    if spec is None:
        spec = {}
    if isinstance(spec, str):
        spec = {"en": spec}
    if not isinstance(spec, dict):
        raise UsageError(f"{path}: '#+' header: parameter {key} must be a mapping "
                         "(type, default, nb, en)")
    ptype = str(spec.get("type", "literal"))
    if ptype not in PARAM_TYPES:
        raise UsageError(f"{path}: '#+' header: parameter {key} has unknown type '{ptype}'; "
                         "valid: " + ", ".join(PARAM_TYPES))
    cls = spec.get("class")
    if cls is not None:
        if ptype != "iri":
            raise UsageError(f"{path}: '#+' header: parameter {key}: 'class' needs type iri")
        cls = str(cls)
    default = spec.get("default", _NO_DEFAULT)
    required = default is _NO_DEFAULT
    default_text = None if default is _NO_DEFAULT or default is None else str(default)
    meaning = {k: str(v) for k, v in spec.items() if k in ("nb", "en")}
    return Param(name, ptype, cls, default_text, required, meaning)  # type: ignore[arg-type]


def expand_name(value: str, path: Path | str = "query") -> str:
    """``sam:InformationService`` or a full IRI to a full IRI."""
    from ..namespaces import PREFIXES

    if value.startswith("<") and value.endswith(">"):
        return value[1:-1]
    prefix, sep, local = value.partition(":")
    if sep and prefix in PREFIXES and not local.startswith("//"):
        return PREFIXES[prefix] + local
    if "://" in value or value.startswith("urn:"):
        return value
    raise UsageError(f"{path}: '{one_line(value)}' is neither a full IRI nor a known prefixed name "
                     f"(prefixes: {', '.join(PREFIXES)})")


def _check_variables(query: QueryFile) -> None:
    used = {v[1:] for v in sparqltext.variables(query.text) if v.startswith("_")}
    used.discard(LANG_PARAM)
    declared = {p.name for p in query.params}
    for name in sorted(used - declared):
        raise UsageError(f"{query.path}: uses ?_{name}, which its '#+ params:' header does not "
                         "declare")
    for name in sorted(declared - used):
        raise UsageError(f"{query.path}: '#+ params:' declares ?_{name}, which the query never "
                         "uses")
