"""The plan as text, Markdown, JSON or Turtle, in Norwegian or English.

Every amount is MNOK with up to three decimals (the planner's integer unit is 1 kNOK); lists
are sorted, and nothing depends on the clock, so the same inputs give the same bytes.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from typing import Any

from .instance import unscaled
from .phasing import yearly
from .run import PlanResult

FORMATS = ("text", "md", "json", "ttl")
EXTENSIONS: dict[str, tuple[str, ...]] = {
    "text": (".txt", ".text"),
    "md": (".md", ".markdown"),
    "json": (".json",),
    "ttl": (".ttl",),
}

#: key -> (nb, en)
WORDS: dict[str, tuple[str, str]] = {
    "title": ("Design-to-cost-plan", "Design-to-cost plan"),
    "frame": ("Ramme", "Frame"),
    "cost": ("Kostnad", "Cost"),
    "benefit": ("Nytte", "Benefit"),
    "slack": ("Rest i rammen", "Slack"),
    "chosen": ("Valgt", "Chosen"),
    "item": ("Tiltak", "Item"),
    "scope": ("Nivå", "Scope"),
    "years": ("År", "Years"),
    "probability": ("Sannsynlighet for å holde rammen", "Probability of staying inside the "
                                                         "frame"),
    "no_probability": ("alle estimater er punktestimater", "all estimates are point estimates"),
    "cut_list": ("Kuttliste (rammen krymper)", "Cut list (the frame shrinks)"),
    "plus_list": ("Plussliste (rammen vokser)", "Plus list (the frame grows)"),
    "out": ("ut", "out"),
    "in": ("inn", "in"),
    "from_frame": ("fra ramme", "from frame"),
    "frontier": ("Nyttegrense (ramme -> beste nytte)", "Frontier (frame -> best benefit)"),
    "items": ("tiltak", "items"),
    "phasing": ("Innfasing", "Phasing"),
    "per_year": ("Per år", "Per year"),
    "person_years": ("årsverk", "person-years"),
    "prerequisites": ("Forutsetninger", "Prerequisites"),
    "explicit": ("oppgitt", "explicit"),
    "derived": ("avledet", "derived"),
    "any_of": ("en av", "one of"),
    "in_place": ("Tatt som på plass (uten estimat)", "Taken as in place (no estimate)"),
    "coverage": ("Dekning", "Coverage"),
    "uncovered": ("Ikke dekket", "Uncovered"),
    "services": ("tjenester", "services"),
    "needs": ("behov", "needs"),
    "scenarios": ("scenarioer", "scenarios"),
    "pain_points": ("smertepunkter", "pain points"),
    "exceeded": ("De påkrevde tiltakene (--must) og deres forutsetninger koster {need} MNOK: "
                 "{short} MNOK over rammen på {frame} MNOK.",
                 "The musts and their prerequisites cost {need} MNOK: {short} MNOK over the "
                 "frame of {frame} MNOK."),
    "infeasible": ("Ingen plan oppfyller påkrevde tiltak, årsbudsjetter, kapasitet og "
                   "andeler.",
                   "No plan meets the musts, per-year budgets, capacity and shares."),
    "not_optimal": ("(tidsgrensen nådd: ikke bevist optimal)",
                    "(time limit reached: not proven optimal)"),
    "via_reuse": ("gjenbruker", "reuses"),
    "via_solution": ("trenger løsning", "needs solution"),
    "via_requires": ("krever", "requires"),
    "estimates": ("Estimater", "Estimates"),
    "illustrative": ("tolkning", "interpretation"),
}


def word(key: str, lang: str) -> str:
    nb, en = WORDS[key]
    return nb if lang == "nb" else en


def outcome_line(result: PlanResult, lang: str) -> str:
    """The one line that says why there is no plan (exit 1), or "" when there is one."""
    if result.needed is None:
        return word("infeasible", lang)
    if result.plan is None:
        return word("exceeded", lang).format(need=mnok(result.needed.cost),
                                             short=mnok(result.shortfall),
                                             frame=f"{result.request.frame.normalize():f}")
    return ""


def mnok(units: int) -> str:
    """Units as MNOK text: ``245``, ``226.667``."""
    return f"{unscaled(units):.3f}".rstrip("0").rstrip(".")


def status(result: PlanResult) -> str:
    if result.needed is None:
        return "infeasible"
    if result.plan is None:
        return "frame-exceeded"
    return "ok"


def _ids(result: PlanResult, iris: Any) -> list[str]:
    return [result.display(i) for i in iris]


# -- JSON ---------------------------------------------------------------------------------------

def to_data(result: PlanResult, lang: str) -> dict[str, Any]:
    """The report as plain data (the JSON format)."""
    def amount(units: int) -> float:
        return round(unscaled(units), 3)

    by_id = result.instance.by_id
    data: dict[str, Any] = {
        "frame": float(result.request.frame),
        "status": status(result),
        "estimates": result.estimates_file,
    }
    if result.needed is not None:
        data["musts_cost"] = amount(result.needed.cost)
        data["shortfall"] = amount(result.shortfall)
    plan = result.plan
    starts = {p.item: p for p in result.phases}
    data["chosen"] = [] if plan is None else [
        {"id": result.display(i), "label": result.facts.label(i, lang),
         "cost": amount(by_id[i].cost), "benefit": amount(by_id[i].benefit),
         "scope": by_id[i].scope, "start": starts[i].start, "end": starts[i].end}
        for i in plan.chosen]
    data["cost"] = amount(plan.cost) if plan else None
    data["benefit"] = amount(plan.benefit) if plan else None
    data["slack"] = amount(result.frame - plan.cost) if plan else None
    data["optimal"] = plan.optimal if plan else None
    data["probability_within_frame"] = result.probability
    pre = result.prerequisites
    data["prerequisites"] = {
        result.display(i): {"explicit": _ids(result, pre.explicit.get(i, ())),
                            "derived": _ids(result, pre.derived.get(i, ())),
                            "groups": [_ids(result, g) for g in pre.groups.get(i, ())]}
        for i in sorted(result.estimates, key=result.display)}
    data["in_place"] = [{"item": result.display(p.item), "needed": p.needed.rsplit("/", 1)[-1],
                         "via": p.via} for p in pre.in_place]
    data["benefits"] = {
        result.display(i): {"value": float(value),
                            "derived": None if parts is None else {
                                "needs": parts.needs, "scenarios": parts.scenarios,
                                "pain_points": parts.pain_points, "reusers": parts.reusers}}
        for i, (value, parts) in sorted(result.benefits.items(),
                                        key=lambda kv: result.display(kv[0]))}

    def steps(which: Any) -> list[dict[str, Any]]:
        return [{"frame": amount(s.frame), "out": _ids(result, s.out),
                 "in": _ids(result, s.into), "cost": amount(s.solution.cost),
                 "benefit": amount(s.solution.benefit)} for s in which]

    data["cut_list"] = steps(result.cuts)
    data["plus_list"] = steps(result.pluses)
    data["frontier"] = [{"frame": amount(p.frame), "benefit": amount(p.benefit),
                         "items": p.chosen, "current": p.current} for p in result.frontier]
    data["phasing"] = [{"id": result.display(p.item), "start": p.start, "end": p.end,
                        "cost_by_year": {str(p.start + k): amount(c)
                                         for k, c in enumerate(p.cost)}}
                       for p in result.phases]
    data["years"] = {str(y): {"cost": amount(c), "capacity": amount(k)}
                     for y, (c, k) in yearly(result.phases).items()}
    data["coverage"] = {t: {"covered": len(c.covered), "total": len(c.covered) +
                            len(c.uncovered)} for t, c in result.coverage.items()}
    data["uncovered"] = {t: [i.rsplit("/", 1)[-1] for i in c.uncovered]
                         for t, c in result.coverage.items()}
    return data


def to_json(result: PlanResult, lang: str) -> str:
    return json.dumps(to_data(result, lang), ensure_ascii=False, indent=2) + "\n"


# -- text and Markdown --------------------------------------------------------------------------

def _lines(result: PlanResult, lang: str, md: bool) -> list[str]:
    w: Callable[[str], str] = lambda key: word(key, lang)  # noqa: E731
    head = (lambda t: f"## {t}") if md else (lambda t: f"{t}\n{'-' * len(t)}")
    bullet = "- " if md else "  "
    out = [f"# {w('title')}" if md else w("title").upper(), ""]
    frame_text = f"{result.request.frame.normalize():f}"
    out.append(f"{bullet}{w('frame')}: {frame_text} MNOK")
    plan = result.plan
    if result.needed is None or plan is None:
        return [*out, "", outcome_line(result, lang)]
    by_id = result.instance.by_id
    out.append(f"{bullet}{w('cost')}: {mnok(plan.cost)} MNOK")
    out.append(f"{bullet}{w('benefit')}: {mnok(plan.benefit)}"
               + ("" if plan.optimal else f" {w('not_optimal')}"))
    out.append(f"{bullet}{w('slack')}: {mnok(result.frame - plan.cost)} MNOK")
    chance = (f"{result.probability:.1%}" if result.probability is not None
              else f"- ({w('no_probability')})")
    out.append(f"{bullet}{w('probability')}: {chance}")
    starts = {p.item: p for p in result.phases}
    out += ["", head(f"{w('chosen')} ({len(plan.chosen)})"), ""]
    rows = [[result.display(i), result.facts.label(i, lang), mnok(by_id[i].cost),
             mnok(by_id[i].benefit), by_id[i].scope,
             f"{starts[i].start}-{starts[i].end}"] for i in plan.chosen]
    out += _table([w("item"), "", "MNOK", w("benefit"), w("scope"), w("years")], rows, md)
    for key, steps in (("cut_list", result.cuts), ("plus_list", result.pluses)):
        out += ["", head(w(key)), ""]
        rows = [[str(n), mnok(s.frame), ", ".join(_ids(result, s.out)) or "-",
                 ", ".join(_ids(result, s.into)) or "-", mnok(s.solution.benefit)]
                for n, s in enumerate(steps, 1)]
        out += _table(["#", f"{w('frame')} MNOK", w("out"), w("in"), w("benefit")], rows, md)
    out += ["", head(w("frontier")), ""]
    rows = [[mnok(p.frame) + (" *" if p.current else ""), mnok(p.benefit), str(p.chosen)]
            for p in result.frontier]
    out += _table([f"{w('frame')} MNOK", w("benefit"), w("items")], rows, md)
    out += ["", head(w("phasing")), ""]
    rows = [[str(y), mnok(c), mnok(k)] for y, (c, k) in yearly(result.phases).items()]
    out += _table([w("years"), "MNOK", w("person_years")], rows, md)
    out += ["", head(w("prerequisites")), ""]
    pre = result.prerequisites
    for i in sorted(result.estimates, key=result.display):
        groups = pre.groups.get(i, ())
        if not groups:
            continue
        parts = [" | ".join(_ids(result, g)) if len(g) == 1
                 else f"{w('any_of')} ({' | '.join(_ids(result, g))})" for g in groups]
        out.append(f"{bullet}{result.display(i)}: {'; '.join(parts)}")
    if pre.in_place:
        out += ["", head(w("in_place")), ""]
        out += [f"{bullet}{result.display(p.item)} {w('via_' + p.via)} "
                f"{p.needed.rsplit('/', 1)[-1]}" for p in pre.in_place]
    out += ["", head(w("coverage")), ""]
    for topic, cov in result.coverage.items():
        total = len(cov.covered) + len(cov.uncovered)
        out.append(f"{bullet}{w(topic)}: {len(cov.covered)}/{total}")
    out += ["", head(w("uncovered")), ""]
    for topic, cov in result.coverage.items():
        if cov.uncovered:
            names = ", ".join(result.facts.label(i, lang) for i in cov.uncovered)
            out.append(f"{bullet}{w(topic)}: {names}")
    return out


def _table(header: list[str], rows: list[list[str]], md: bool) -> list[str]:
    if not rows:
        return ["-"]
    if md:
        lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
        return lines + ["| " + " | ".join(c.replace("|", "\\|") for c in row) + " |"
                        for row in rows]
    widths = [max(len(str(r[k])) for r in [header, *rows]) for k in range(len(header))]
    return ["  ".join(c.ljust(widths[k]) for k, c in enumerate(row)).rstrip()
            for row in [header, *rows]]


def to_text(result: PlanResult, lang: str) -> str:
    return "\n".join(_lines(result, lang, md=False)) + "\n"


def to_markdown(result: PlanResult, lang: str) -> str:
    return "\n".join(_lines(result, lang, md=True)) + "\n"


# -- Turtle -------------------------------------------------------------------------------------

def _lit(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)


def to_turtle(result: PlanResult, lang: str) -> str:
    """The run as a ``prov:Activity`` that used the chosen items, each item's phase a
    sub-activity with its start and end (1 January of the first year, 31 December of the
    last), so a query can ask what starts when. The run's IRI is a hash of its inputs."""
    data = to_data(result, lang)
    digest = hashlib.sha256(json.dumps(data, sort_keys=True).encode("utf-8")).hexdigest()[:16]
    run = f"<https://w3id.org/samhandling/plan/{digest}>"
    label = word("title", lang)
    lines = [
        "@prefix prov: <http://www.w3.org/ns/prov#> .",
        "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .",
        "@prefix dcterms: <http://purl.org/dc/terms/> .",
        "@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .",
        "",
        f"{run} a prov:Activity ;",
        f"    rdfs:label {_lit(label)}@{lang} ;",
        f"    rdfs:comment {_lit(_summary(data))}@en ;",
    ]
    plan = result.plan
    used = [f"<{i}>" for i in plan.chosen] if plan else []
    if used:
        lines.append(f"    prov:used {', '.join(used)} ;")
    lines[-1] = lines[-1][:-2] + " ."
    for p in result.phases:
        node = f"<https://w3id.org/samhandling/plan/{digest}/{result.display(p.item)}>"
        lines += [
            "",
            f"{node} a prov:Activity ;",
            f"    dcterms:isPartOf {run} ;",
            f"    rdfs:label {_lit(result.facts.label(p.item, lang))}@{lang} ;",
            f"    prov:used <{p.item}> ;",
            f"    prov:startedAtTime \"{p.start}-01-01T00:00:00\"^^xsd:dateTime ;",
            f"    prov:endedAtTime \"{p.end}-12-31T23:59:59\"^^xsd:dateTime .",
        ]
    return "\n".join(lines) + "\n"


def _summary(data: dict[str, Any]) -> str:
    if data["status"] != "ok":
        return f"status {data['status']}; frame {data['frame']} MNOK"
    return (f"frame {data['frame']} MNOK; cost {data['cost']} MNOK; benefit "
            f"{data['benefit']}; slack {data['slack']} MNOK; {len(data['chosen'])} items")


RENDERERS: dict[str, Callable[[PlanResult, str], str]] = {
    "text": to_text, "md": to_markdown, "json": to_json, "ttl": to_turtle,
}


def render(result: PlanResult, fmt: str, lang: str) -> str:
    return RENDERERS[fmt](result, lang)


__all__ = ["EXTENSIONS", "FORMATS", "WORDS", "mnok", "outcome_line", "render", "status",
           "to_data", "word"]
