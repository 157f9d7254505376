"""The deck as a table: which slides, in which order, each made by one small function from the
:class:`~samhandling.slides.facts.Facts` of the model.

A slide's content is a value (:class:`Slide`): a title, and a diagram (a view for
:mod:`samhandling.render.pptx_diagram`), a table or bullet points, plus the resources whose
sources the speaker notes name. :mod:`.deck` draws them; nothing here knows PowerPoint.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

import networkx as nx

from ..analysis.coverage import Share
from ..analysis.views import view_graph
from ..namespaces import SAM
from .facts import Facts

__all__ = ["MAX_NAMES", "SLIDES", "Slide", "SlideSpec", "Table", "deck_content", "word"]


@dataclass(frozen=True)
class Table:
    headers: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    #: relative column widths
    widths: tuple[float, ...]


@dataclass(frozen=True)
class Slide:
    """One slide's content; exactly one of ``view``, ``table``, ``bullets`` (or none, for the
    title slide) is drawn under the title."""

    key: str
    title: str
    subtitle: str = ""
    view: nx.DiGraph | None = None
    table: Table | None = None
    bullets: tuple[str, ...] = ()
    #: what the slide shows, for the speaker notes
    about: str = ""
    #: resources whose dcterms:source the notes name
    cited: tuple[str, ...] = field(default=())


#: Words of the deck: key -> (nb, en).
WORDS: dict[str, tuple[str, str]] = {
    "subtitle": ("{services} informasjonstjenester i {groups} hovedgrupper · laget fra modellen",
                 "{services} information services in {groups} main groups · made from the "
                 "model"),
    "overview": ("Målbildet: gjenbruk mellom informasjonstjenestene",
                 "The target picture: reuse between the information services"),
    "group": ("Hovedgruppe {title}", "Main group {title}"),
    "coverage": ("Dekning av informasjonsbehov", "Coverage of information needs"),
    "actors": ("Aktører og scenarioer", "Actors and scenarios"),
    "forms": ("Samhandlingsformer", "Collaboration forms"),
    "programme": ("Programmet og pakkene i steg 2", "The programme and the step-2 packages"),
    "impact": ("Konsekvens om «{service}» forsinkes", "Impact if “{service}” is delayed"),
    "maturity": ("Modenhet 2023", "Maturity 2023"),
    "questions": ("Åpne spørsmål", "Open questions"),
    "all": ("Alle", "All"),
    "none": ("(ingen)", "(none)"),
    "more": ("… og {count} til", "… and {count} more"),
    "aggregated": (" Visningen er for stor for lesbare etiketter på et lysbilde og er vist "
                   "per hovedgruppe ({count} noder).",
                   " The view is too large for readable labels on a slide and is shown per "
                   "main group ({count} nodes)."),
    "no_form": ("Uten foretrukket form", "No preferred form"),
    "of": ("{part} av {whole} ({pct} %)", "{part} of {whole} ({pct} %)"),
    "h_group": ("Hovedgruppe", "Main group"),
    "h_services": ("Tjenester", "Services"),
    "h_form": ("Med foretrukket form", "With preferred form"),
    "h_needs": ("Behov dekket", "Needs handled"),
    "h_actors": ("Aktører nådd", "Actors reached"),
    "h_scenario": ("Scenario", "Scenario"),
    "h_actor_list": ("Aktører", "Actors"),
    "h_need_count": ("Behov", "Needs"),
    "h_form_name": ("Samhandlingsform", "Collaboration form"),
    "h_package": ("Pakke", "Package"),
    "h_solutions": ("Løsninger", "Solutions"),
    "h_rating": ("Vurdering", "Rating"),
    "h_count": ("Antall", "Count"),
    "h_what": ("Berørt", "Affected"),
    "h_which": ("Hvilke", "Which"),
    "i_services": ("Tjenester som gjenbruker den", "Services that reuse it"),
    "i_needs": ("Behov", "Needs"),
    "i_alone": ("Behov uten annen tjeneste", "Needs with no other service"),
    "i_scenarios": ("Scenarioer", "Scenarios"),
    "i_actors": ("Aktører", "Actors"),
    "c_needs": ("Behov med en tjeneste: {share}", "Needs with a service: {share}"),
    "c_forms": ("Tjenester med foretrukket samhandlingsform: {share}",
                "Services with a preferred collaboration form: {share}"),
    "c_actors": ("Aktører som når en tjeneste: {share}", "Actors who reach a service: {share}"),
    "c_step2": ("Tjenester pakkene i steg 2 berører: {share}",
                "Services the step-2 packages touch: {share}"),
    "about_title": ("Tittel: målbildet og omfanget av modellen.",
                    "Title: the target picture and the scope of the model."),
    "about_overview": ("Alle informasjonstjenester, farget per hovedgruppe; pil A → B: A "
                       "gjenbruker B; kant: modenhet 2023.",
                       "Every information service, coloured per main group; arrow A → B: A "
                       "reuses B; border: maturity 2023."),
    "about_group": ("Tjenestene i hovedgruppen og tjenestene de gjenbruker eller gjenbrukes "
                    "av direkte (lysere: fra andre grupper).",
                    "The group's services and those they directly reuse or are reused by "
                    "(lighter: from other groups)."),
    "about_coverage": ("Tall fra «samhandling analyze»: dekning per hovedgruppe.",
                       "Figures from “samhandling analyze”: coverage per main group."),
    "about_actors": ("Hvert scenario med aktørene som er involvert og behovene som oppstår.",
                     "Each scenario with the actors involved and the needs that arise."),
    "about_forms": ("Foretrukne samhandlingsformer og tjenestene som foretrekker dem.",
                    "Preferred collaboration forms and the services that prefer them."),
    "about_programme": ("Pakkene i steg 2 og tjenestene og løsningene de berører.",
                        "The step-2 packages and the services and solutions they touch."),
    "about_impact": ("Fra «samhandling impact»: alt som berøres om tjenesten forsinkes.",
                     "From “samhandling impact”: everything affected if the service is "
                     "delayed."),
    "about_impact_chosen": (" Valgt fordi flest tjenester avhenger av den; velg andre med "
                            "--impact.",
                            " Chosen as the service most others depend on; choose others "
                            "with --impact."),
    "about_maturity": ("Modenhetsvurderingen 2023 per tjeneste.",
                       "The 2023 maturity rating of each service."),
    "about_questions": ("Åpne spørsmål for sektoren fra prosjektene i steg 1.",
                        "Open questions for the sector from the step-1 projects."),
}


def word(key: str, lang: str, **values: object) -> str:
    text = WORDS[key][0 if lang == "nb" else 1]
    return text.format(**values) if values else text


def _label(facts: Facts, node: str, lang: str) -> str:
    return facts.graphs.index.label(node, lang)


#: Names a table cell lists at most; the rest are counted ("… and 212 more"): a slide
#: summarises, the model holds the whole list.
MAX_NAMES = 12


def _names(facts: Facts, nodes: Iterable[str], lang: str) -> str:
    names = sorted({_label(facts, n, lang) for n in nodes}, key=str.casefold)
    if not names:
        return word("none", lang)
    shown = ", ".join(names[:MAX_NAMES])
    if len(names) > MAX_NAMES:
        shown += " " + word("more", lang, count=len(names) - MAX_NAMES)
    return shown


def _share(share: Share, lang: str) -> str:
    pct = round(100 * share.ratio)
    return word("of", lang, part=share.part, whole=share.whole, pct=pct)


def _of_kind(graph: nx.DiGraph, *kinds: str) -> list[str]:
    return sorted(n for n, d in graph.nodes(data=True) if d.get("kind") in kinds)


# -- one function per slide (or run of slides) ------------------------------------------------

def title_slide(facts: Facts, lang: str) -> list[Slide]:
    index = facts.graphs.index
    pictures = index.of_kind("target_picture")
    title = _label(facts, pictures[0], lang) if pictures else word("overview", lang)
    services = len(facts.graphs.services)
    subtitle = word("subtitle", lang, services=services, groups=len(index.group_labels))
    return [Slide("title", title, subtitle=subtitle, about=word("about_title", lang),
                  cited=tuple(pictures))]


def overview_slide(facts: Facts, lang: str) -> list[Slide]:
    view = view_graph(facts.graphs, "services")
    return [Slide("overview", word("overview", lang), view=view,
                  about=word("about_overview", lang), cited=tuple(view))]


def group_slides(facts: Facts, lang: str) -> list[Slide]:
    index = facts.graphs.index
    slides = []
    for group in sorted(index.group_labels):
        if not any(index.group_of.get(s) == group for s in facts.graphs.services):
            continue
        view = view_graph(facts.graphs, "services", group=group)
        members = tuple(n for n in view if index.group_of.get(n) == group)
        # the group and its direct neighbours only (the view keeps whole chains, which in a
        # national model reach nearly every service)
        near = set(members)
        for node in members:
            near.update(view.successors(node))
            near.update(view.predecessors(node))
        view = view.subgraph(near).copy()
        view.graph.update(filters_nb="", filters_en="")  # the slide's title names the group
        title = f"{group} {index.group_labels[group][lang]}"
        slides.append(Slide(f"group{group}", word("group", lang, title=title), view=view,
                            about=word("about_group", lang), cited=members))
    return slides


def coverage_slide(facts: Facts, lang: str) -> list[Slide]:
    cov = facts.report.coverage
    index = facts.graphs.index
    rows = []
    for row in cov.by_group:
        name = f"{row.key} {index.group_labels.get(int(row.key), {}).get(lang, '')}" \
            if row.key else word("none", lang)
        rows.append((name.strip(), str(row.services), str(row.with_form), str(row.needs),
                     str(row.actors)))
    bullets = (word("c_needs", lang, share=_share(cov.needs, lang)),
               word("c_forms", lang, share=_share(cov.forms, lang)),
               word("c_actors", lang, share=_share(cov.actors, lang)),
               word("c_step2", lang, share=_share(cov.step2.share, lang)))
    headers = tuple(word(k, lang) for k in ("h_group", "h_services", "h_form", "h_needs",
                                             "h_actors"))
    table = Table(headers, tuple(rows), (5.0, 1.3, 1.7, 1.4, 1.4))
    return [Slide("coverage", word("coverage", lang), subtitle="\n".join(bullets),
                  table=table, about=word("about_coverage", lang),
                  cited=tuple(facts.graphs.services))]


def actors_slide(facts: Facts, lang: str) -> list[Slide]:
    graph = facts.graphs.actors
    rows = []
    cited: list[str] = []
    for scenario in sorted(_of_kind(graph, "scenario"),
                           key=lambda n: _label(facts, n, lang).casefold()):
        actors = [n for n in graph.predecessors(scenario)
                  if graph.nodes[n].get("kind") in ("actor", "actor_group")]
        needs = [n for n in graph.successors(scenario) if graph.nodes[n].get("kind") == "need"]
        services = {s for need in needs for s in graph.successors(need)
                    if graph.nodes[s].get("kind") == "service"}
        rows.append((_label(facts, scenario, lang), _names(facts, actors, lang),
                     str(len(needs)), _names(facts, services, lang)))
        cited += [scenario, *actors]
    headers = tuple(word(k, lang) for k in ("h_scenario", "h_actor_list", "h_need_count",
                                             "h_services"))
    return [Slide("actors", word("actors", lang),
                  table=Table(headers, tuple(rows), (3.0, 3.7, 1.2, 4.0)),
                  about=word("about_actors", lang), cited=tuple(cited))]


def forms_slide(facts: Facts, lang: str) -> list[Slide]:
    graph = facts.graphs.forms
    rows = []
    cited: list[str] = []
    preferring: set[str] = set()
    for form in sorted(_of_kind(graph, "org_form", "form"),
                       key=lambda n: _label(facts, n, lang).casefold()):
        services = [n for n in graph.predecessors(form)
                    if graph.nodes[n].get("kind") == "service"]
        if not services:
            continue
        preferring.update(services)
        rows.append((_label(facts, form, lang), str(len(services)),
                     _names(facts, services, lang)))
        cited.append(form)
    without = [s for s in facts.graphs.services if s not in preferring]
    if without:
        rows.append((word("no_form", lang), str(len(without)), _names(facts, without, lang)))
    headers = tuple(word(k, lang) for k in ("h_form_name", "h_count", "h_services"))
    return [Slide("forms", word("forms", lang),
                  table=Table(headers, tuple(rows), (3.2, 1.0, 7.8)),
                  about=word("about_forms", lang), cited=tuple(cited))]


def programme_slide(facts: Facts, lang: str) -> list[Slide]:
    graph = facts.graphs.programme
    rows = []
    packages = sorted(_of_kind(graph, "package"), key=lambda n: _label(facts, n, lang).casefold())
    for package in packages:
        services = [n for n in graph.successors(package)
                    if graph.nodes[n].get("kind") == "service"]
        solutions = [n for n in graph.successors(package)
                     if graph.nodes[n].get("kind") == "solution"]
        rows.append((_label(facts, package, lang), _names(facts, services, lang),
                     _names(facts, solutions, lang)))
    headers = tuple(word(k, lang) for k in ("h_package", "h_services", "h_solutions"))
    steps = _of_kind(graph, "programme", "step")
    lines = []
    for programme in _of_kind(graph, "programme"):
        parts = sorted((s for s in graph.successors(programme)
                        if graph.nodes[s].get("kind") == "step"),
                       key=lambda n: _label(facts, n, lang).casefold())
        lines.append(" · ".join(_label(facts, step, lang) for step in parts)
                     or _label(facts, programme, lang))
    return [Slide("programme", word("programme", lang), subtitle="\n".join(lines),
                  table=Table(headers, tuple(rows), (3.6, 5.4, 3.0)),
                  about=word("about_programme", lang), cited=tuple(packages + steps))]


def impact_slides(facts: Facts, lang: str) -> list[Slide]:
    slides = []
    for result in facts.impacts:
        rows = (
            (word("i_services", lang), str(len(result.services)),
             _names(facts, result.services, lang)),
            (word("i_needs", lang), str(len(result.needs)), _names(facts, result.needs, lang)),
            (word("i_alone", lang), str(len(result.needs_without_alternative)),
             _names(facts, result.needs_without_alternative, lang)),
            (word("i_scenarios", lang), str(len(result.scenarios)),
             _names(facts, result.scenarios, lang)),
            (word("i_actors", lang), str(len(result.actors)),
             _names(facts, result.actors, lang)),
        )
        headers = tuple(word(k, lang) for k in ("h_what", "h_count", "h_which"))
        about = word("about_impact", lang)
        if facts.impact_chosen:
            about += word("about_impact_chosen", lang)
        slides.append(Slide(
            f"impact-{facts.graphs.reuse.nodes[result.service].get('id')}",
            word("impact", lang, service=_label(facts, result.service, lang)),
            table=Table(headers, rows, (3.2, 1.0, 7.8)), about=about,
            cited=(result.service, *result.services, *result.needs)))
    return slides


def maturity_slide(facts: Facts, lang: str) -> list[Slide]:
    index = facts.graphs.index
    by_rating: dict[str, list[str]] = {}
    for service in facts.graphs.services:
        by_rating.setdefault(index.maturity_of.get(service, ""), []).append(service)
    order: list[str] = [k for k in ("G", "Y", "R") if k in by_rating]
    order += sorted(k for k in by_rating if k not in ("G", "Y", "R"))
    rows = []
    for key in order:
        name = index.maturity_labels.get(key, {}).get(lang, key) if key else word("none", lang)
        definition = f"{key} {name}".strip() if key else name
        rows.append((definition, str(len(by_rating[key])), _names(facts, by_rating[key], lang)))
    headers = tuple(word(k, lang) for k in ("h_rating", "h_count", "h_services"))
    ratings = [iri for iri, kind in index.kinds.items() if kind == "maturity"]
    return [Slide("maturity", word("maturity", lang),
                  table=Table(headers, tuple(rows), (2.2, 1.0, 8.8)),
                  about=word("about_maturity", lang),
                  cited=tuple(sorted(ratings)) + tuple(facts.graphs.services))]


def questions_slide(facts: Facts, lang: str) -> list[Slide]:
    index = facts.graphs.index
    project_of = dict(index.pairs(str(SAM.itemOfProject)))
    questions = sorted((n for n, c in index.classes.items() if c == "sam:OpenQuestion"),
                       key=lambda n: (project_of.get(n, ""), n))
    bullets = []
    for question in questions:
        project = project_of.get(question, "")
        acronym = index.codes.get(project) or (_label(facts, project, lang) if project else "")
        text = _label(facts, question, lang)
        bullets.append(f"{acronym}: {text}" if acronym else text)
    return [Slide("questions", word("questions", lang),
                  bullets=tuple(bullets) or (word("none", lang),),
                  about=word("about_questions", lang), cited=tuple(questions))]


@dataclass(frozen=True)
class SlideSpec:
    """One row of the deck: a name (for ``--help`` and tests) and what makes its slides."""

    name: str
    make: Callable[[Facts, str], list[Slide]]


#: The deck, in order.
SLIDES: tuple[SlideSpec, ...] = (
    SlideSpec("title", title_slide),
    SlideSpec("overview", overview_slide),
    SlideSpec("main groups", group_slides),
    SlideSpec("coverage", coverage_slide),
    SlideSpec("actors and scenarios", actors_slide),
    SlideSpec("collaboration forms", forms_slide),
    SlideSpec("programme and step 2", programme_slide),
    SlideSpec("impact", impact_slides),
    SlideSpec("maturity 2023", maturity_slide),
    SlideSpec("open questions", questions_slide),
)


def deck_content(facts: Facts, lang: str) -> list[Slide]:
    """Every slide of the deck, in the order of :data:`SLIDES`."""
    return [slide for spec in SLIDES for slide in spec.make(facts, lang)]
