"""Pages from the site's data, through the Jinja2 templates shipped in ``templates/``.

Every page is named by its path from the site's root (``nb/tjeneste/plan.html``) and every
link in it is relative (``../../en/tjeneste/plan.html``), so the folder works from
``file://`` and from any static host, at any depth. Pages come out one at a time
(:func:`pages`) and are written as they come: a national model has tens of thousands.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import jinja2
from markupsafe import Markup

from ..built import SourceLocation
from ..namespaces import BASE, curie
from ..render.layout import Layout
from ..render.style import MATURITY_STYLES, group_colour
from ..schema import NODE_KINDS, NODE_KINDS_BY_NAME
from ..validation.results import SEVERITIES, ValidationReport, ValidationResult
from .data import Entity, Fact, Places, Provenance, SiteData, Value, page_path
from .diagram import DASHES, focus_svg, overview_svg
from .reference import QueryPage, Rule
from .text import LANGS, keys, text
from .vocab import Vocabulary

TEMPLATES = Path(__file__).parent / "templates"
ASSETS = Path(__file__).parent / "assets"
#: Rows per page of a long list (a kind's list, the validation report).
PAGE_SIZE = 250
#: Most references a resource's page lists (a source every record cites, a main group of a
#: thousand services); the page says how many there are in all.
MAX_INCOMING = 1000


@dataclass
class SiteContent:
    """Everything the pages show, gathered once (:mod:`samhandling.site.generate`)."""

    data: SiteData
    vocab: Vocabulary
    rules: list[Rule]
    queries: list[QueryPage]
    report: ValidationReport
    #: the services picture per language; None with a note when it could not be drawn
    overview: dict[str, Layout | None]
    overview_note: dict[str, str]
    #: service IRI -> (IRIs that reuse it, IRIs it reuses)
    reuse: dict[str, tuple[list[str], list[str]]]
    #: diagram node attributes by IRI (group, maturity, label_nb, label_en)
    node_attrs: dict[str, dict[str, object]]
    #: extra pages (the manual) as path -> (title, HTML body); English only
    manual: dict[str, tuple[str, str]] = field(default_factory=dict)
    #: how ``file:line`` is shown
    places: Places = field(default_factory=Places)


def focus_iri(shown: str) -> str:
    """The IRI of a focus node as the validation report shows it (``tjeneste/plan`` is a
    model resource without the base; ``sam:X`` and ``<iri>`` are not model resources)."""
    return shown if ":" in shown.split("/", 1)[0] else BASE + shown


class Linker:
    """Links and names as seen from one page: relative hrefs, labels, predicate names."""

    def __init__(self, content: SiteContent, lang: str, path: str) -> None:
        self.content = content
        self.lang = lang
        self.root = "../" * path.count("/")

    def href(self, iri: str | None) -> str | None:
        if not iri:
            return None
        if iri.startswith("<"):
            iri = iri[1:-1]
        if iri in self.content.data.entities:
            return f"{self.root}{self.lang}/{page_path(iri)}"
        if iri in self.content.vocab.terms:
            return f"{self.root}{self.lang}/ontology.html#{self.anchor(iri)}"
        return None

    def value(self, value: Value | dict[str, str]) -> Markup:
        """A fact's other end as HTML: a link to its page, a code for an IRI without one, or
        a text (marked with its language where that is not the page's)."""
        if isinstance(value, dict):
            value = Value(**value)
        if value.iri:
            href = self.href(value.iri)
            if href:
                return Markup('<a href="{}">{}</a>').format(href, self.label(value.iri))
            named = self.content.data.label(value.iri, self.lang)
            if named != value.iri:  # a resource without a page of its own (a status)
                return Markup('<span title="{}">{}</span>').format(self.short(value.iri), named)
            return Markup("<code>{}</code>").format(self.short(value.iri))
        if value.lang and value.lang != self.lang:
            return Markup('{} <span class="where">@{}</span>').format(value.text, value.lang)
        return Markup("{}").format(value.text)

    def provenance(self, found: Provenance | None) -> Markup:
        """What a statement's own description says, beside the fact: an interpretation badge,
        its sources, anything else it states, its note in this language."""
        if found is None:
            return Markup("")
        parts = []
        if found.interpretation:
            parts.append(Markup('<span class="badge">{}</span>').format(
                text("interpretation", self.lang)))
        if found.sources:
            parts.append(Markup(", ").join(self.value(Value(iri=src)) for src in found.sources))
        for predicate, other in found.extra:
            parts.append(Markup('<span class="where">{}:</span> {}').format(
                self.predicate(predicate), self.value(other)))
        for lang, note in found.notes:
            if lang in ("", self.lang):
                parts.append(Markup('<span class="where">{}</span>').format(note))
        return Markup(" ").join(parts)

    def label(self, iri: str) -> str:
        if iri in self.content.vocab.terms:
            return self.content.vocab.label(iri, self.lang)
        return self.content.data.label(iri, self.lang)

    def predicate(self, nt: str) -> str:
        return self.content.vocab.label(nt.strip("<>"), self.lang)

    def short(self, iri: str) -> str:
        if iri.startswith(BASE) and iri not in self.content.vocab.terms:
            return iri[len(BASE):]
        return curie(iri) or iri

    def anchor(self, iri: str) -> str:
        return (curie(iri) or iri).replace(":", "-")

    def term_label(self, iri: str) -> str:
        return self.content.vocab.label(iri, self.lang)

    def where(self, loc: SourceLocation | None) -> str:
        return self.content.places.show(loc)

    def full(self, shown: str) -> str:
        return focus_iri(shown)


class Renderer:
    """The Jinja environment and the shared frame of every page."""

    def __init__(self, content: SiteContent) -> None:
        self.content = content
        #: the site's words per language, read in templates as ``T.key`` (a dict lookup is a
        #: fraction of a function call's cost in Jinja, and a page says dozens of them)
        self.words = {lang: {key: text(key, lang) for key in keys()} for lang in LANGS}
        self.env = jinja2.Environment(
            loader=jinja2.FileSystemLoader(str(TEMPLATES)), autoescape=True,
            undefined=jinja2.ChainableUndefined, trim_blocks=False, lstrip_blocks=False,
            keep_trailing_newline=True)

    def page(self, template: str, lang: str, path: str, title: str, *, twin: bool = True,
             **extra: object) -> bytes:
        """One page at ``path`` (``nb/...``); its twin in the other language is the same
        path under the other language's folder (``twin=False``: a page in one language)."""
        other = "en" if lang == "nb" else "nb"
        linker = Linker(self.content, lang, path)
        twin_href = f"{linker.root}{other}/{path.split('/', 1)[1]}" if twin else ""
        context: dict[str, object] = {
            "lang": lang, "other": other, "root": linker.root, "title": title, "s": linker,
            "T": self.words[lang], "switch_href": twin_href,
            "alternates": [(lang, f"{linker.root}{path}"), (other, twin_href)] if twin else [],
            "has_manual": bool(self.content.manual),
        }
        context.update(extra)
        return self.env.get_template(template).render(context).encode("utf-8")

    def manual_page(self, path: str, title: str, body: str, names: list[str],
                    toc: bool = False) -> bytes:
        """A page of the manual (English only): its body, and the list of all pages."""
        pages = [(name, self.content.manual[name][0]) for name in names]
        return self.page("manual.html", "en", path, title, twin=False, body=Markup(body),
                         pages=pages, toc=toc, current=path.rsplit("/", 1)[-1],
                         heading=not body.lstrip().startswith("<h1"))

    @cached_property
    def findings(self) -> dict[str, list[ValidationResult]]:
        """Validation results by the IRI of their focus node, in the report's order."""
        found: dict[str, list[ValidationResult]] = {}
        for result in self.content.report.results:
            found.setdefault(focus_iri(result.focus), []).append(result)
        return found

    @cached_property
    def groups(self) -> list[tuple[int, str]]:
        """(number, IRI) of every main group, by number."""
        data = self.content.data
        found = []
        for iri in data.by_kind.get("main_group", []):
            number = next((f.other.text for f in data.entities[iri].facts
                           if f.predicate.endswith("#groupNumber>")), "0")
            found.append((int(number) if number.isdigit() else 0, iri))
        return sorted(found)


def pages(content: SiteContent, part: int = 0, parts: int = 1) -> Iterator[tuple[str, bytes]]:
    """Every page of the site: (path from the root, bytes), in a fixed order.

    ``part`` of ``parts`` gives every ``parts``-th resource page from the ``part``-th on (and
    part 0 every other page), so that several processes can share the rendering."""
    renderer = Renderer(content)
    if part == 0:
        yield "index.html", renderer.env.get_template("root.html").render(
            title_nb=text("site_title", "nb"), title_en=text("site_title", "en"),
            has_manual=bool(content.manual)).encode("utf-8")
    for lang in LANGS:
        yield from _language(renderer, lang, part, parts)


def _language(renderer: Renderer, lang: str, part: int,
              parts: int) -> Iterator[tuple[str, bytes]]:
    content = renderer.content
    data = content.data
    for number, iri in enumerate(sorted(data.entities)):
        if number % parts == part:
            yield _entity(renderer, lang, data.entities[iri])
    if part != 0:
        return
    yield f"{lang}/index.html", _overview(renderer, lang)
    yield f"{lang}/search.html", renderer.page("search.html", lang, f"{lang}/search.html",
                                               text("search", lang))
    yield from _lists(renderer, lang)
    yield f"{lang}/ontology.html", _ontology(renderer, lang)
    yield f"{lang}/shapes.html", renderer.page("shapes.html", lang, f"{lang}/shapes.html",
                                               text("shapes", lang), rules=content.rules)
    yield f"{lang}/queries.html", renderer.page("queries.html", lang, f"{lang}/queries.html",
                                                text("queries", lang), queries=content.queries)
    yield from _validation(renderer, lang)


def _kind_label(kind: str, lang: str, plural: bool = False) -> str:
    node_kind = NODE_KINDS_BY_NAME[kind]
    if plural:
        return node_kind.plural_nb if lang == "nb" else node_kind.plural_en
    return node_kind.nb if lang == "nb" else node_kind.en


def _chunks(items: list, size: int = PAGE_SIZE) -> list[list]:
    return [items[i:i + size] for i in range(0, len(items), size)] or [[]]


def _numbered(base: str, count: int) -> list[str]:
    """File names of a list's pages: ``base.html``, ``base-2.html`` ..."""
    return [f"{base}.html" if n == 1 else f"{base}-{n}.html" for n in range(1, count + 1)]


def _lists(renderer: Renderer, lang: str) -> Iterator[tuple[str, bytes]]:
    data = renderer.content.data
    for kind in NODE_KINDS:
        iris = data.by_kind.get(kind.name)
        if not iris:
            continue
        entities = sorted((data.entities[i] for i in iris),
                          key=lambda e: (e.code if kind.name in ("need", "need_code_group")
                                         else "", e.label(lang).casefold(), e.iri))
        chunks = _chunks(entities)
        names = _numbered(kind.name, len(chunks))
        for number, (chunk, name) in enumerate(zip(chunks, names, strict=True), 1):
            path = f"{lang}/list/{name}"
            yield path, renderer.page("list.html", lang, path, _kind_label(kind.name, lang, True),
                                      items=chunk, total=len(entities), current=number,
                                      pages=names)


def _shown_facts(entity: Entity, lang: str) -> list[Fact]:
    """The entity's facts for a page in ``lang``: a text in the other language only where
    the predicate has none in this one."""
    has_lang = {f.predicate for f in entity.facts if f.other.lang == lang}
    return [f for f in entity.facts
            if f.other.lang in ("", lang) or f.other.lang not in LANGS
            or f.predicate not in has_lang]


def _entity(renderer: Renderer, lang: str, entity: Entity) -> tuple[str, bytes]:
    content = renderer.content
    path = f"{lang}/{entity.path}"
    svg = ""
    if entity.kind == "service" and entity.iri in content.reuse:
        users, used = content.reuse[entity.iri]
        root = "../" * path.count("/")

        def attrs(node: str) -> dict[str, object]:
            found = dict(content.node_attrs.get(node, {}))
            found["label"] = content.data.label(node, lang)
            return found

        svg = focus_svg(entity.iri, users, used, attrs,
                        lambda node: f"{root}{lang}/{page_path(node)}",
                        text("focus_diagram", lang),
                        (text("reused_by", lang), text("reuses", lang)))
    return path, renderer.page("entity.html", lang, path, entity.label(lang), e=entity,
                               kind_label=_kind_label(entity.kind, lang),
                               facts=_shown_facts(entity, lang), focus_svg=svg,
                               ancestors=_ancestors(content.data, entity),
                               findings=renderer.findings.get(entity.iri, []),
                               incoming=entity.incoming[:MAX_INCOMING])


_BROADER = "<http://www.w3.org/2004/02/skos/core#broader>"


def _ancestors(data: SiteData, entity: Entity) -> list[str]:
    """The resources above ``entity`` in a SKOS hierarchy (a need's code groups), top first;
    a cycle or a dangling link ends the walk."""
    chain: list[str] = []
    current = entity
    while True:
        parent = next((f.other.iri for f in current.facts if f.predicate == _BROADER
                       and f.other.iri in data.entities), None)
        if parent is None or parent in chain or parent == entity.iri:
            return chain[::-1]
        chain.append(parent)
        current = data.entities[parent]


def _overview(renderer: Renderer, lang: str) -> bytes:
    content = renderer.content
    data = content.data
    path = f"{lang}/index.html"
    layout = content.overview.get(lang)
    svg = ""
    if layout is not None:
        def attrs(node: str) -> dict[str, object]:
            found = dict(content.node_attrs.get(node, {}))
            found["label"] = data.label(node, lang)
            return found

        def href(node: str) -> str | None:
            return page_path(node) if node in data.entities else None

        svg = overview_svg(layout, attrs, href, text("services_diagram", lang))
    groups = [{"number": number, "label": data.label(iri, lang), "href": page_path(iri),
               "fill": group_colour(number)[0]} for number, iri in renderer.groups]
    maturities = [{"label": (m.nb if lang == "nb" else m.en), "dash": DASHES[m.notation]}
                  for m in MATURITY_STYLES.values()]
    kinds = [{"label": _kind_label(kind.name, lang, True), "href": f"list/{kind.name}.html",
              "count": len(data.by_kind[kind.name])}
             for kind in NODE_KINDS if kind.name in data.by_kind]
    picture_iri = next(iter(data.by_kind.get("target_picture", [])), None)
    return renderer.page("index.html", lang, path, text("home", lang), overview_svg=svg,
                         diagram_note=content.overview_note.get(lang, ""), groups=groups,
                         maturities=maturities, kinds=kinds,
                         picture=data.entities.get(picture_iri) if picture_iri else None)


def _ontology(renderer: Renderer, lang: str) -> bytes:
    data = renderer.content.data
    vocab = renderer.content.vocab
    class_kinds: dict[str, dict[str, object]] = {}
    for kind in NODE_KINDS:
        if kind.name in data.by_kind:
            for cls in kind.classes:
                class_kinds.setdefault(str(cls), {"href": f"list/{kind.name}.html",
                                                  "count": len(data.by_kind[kind.name])})
    return renderer.page("ontology.html", lang, f"{lang}/ontology.html",
                         text("ontology", lang), classes=vocab.classes,
                         properties=vocab.properties, class_kinds=class_kinds)


def _validation(renderer: Renderer, lang: str) -> Iterator[tuple[str, bytes]]:
    report = renderer.content.report
    results = list(report.results)
    counts = [(severity, report.count(severity)) for severity in SEVERITIES]
    chunks = _chunks(results)
    names = _numbered("validation", len(chunks))
    for number, (chunk, name) in enumerate(zip(chunks, names, strict=True), 1):
        path = f"{lang}/{name}"
        yield path, renderer.page("validation.html", lang, path, text("validation", lang),
                                  results=chunk, counts=counts, total=len(results),
                                  current=number, pages=names)


def assets() -> Iterator[tuple[str, bytes]]:
    """The stylesheet and scripts shipped with the package, copied as they are."""
    for path in sorted(ASSETS.iterdir()):
        if path.is_file():
            yield f"assets/{path.name}", path.read_bytes()
