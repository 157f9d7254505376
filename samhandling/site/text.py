"""Every word the site's own pages say, in both languages, in one table.

Model content comes with its own labels; this table is the frame around it (headings, the
language switch, the search box). Kept apart from the templates so a Norwegian page is
Norwegian throughout and a missing translation is one ``KeyError`` in a test, not a mixed
page.
"""

from __future__ import annotations

LANGS = ("nb", "en")
LANG_NAMES = {"nb": "Norsk (bokmål)", "en": "English"}

#: key -> (nb, en)
_TEXT: dict[str, tuple[str, str]] = {
    "site_title": ("Målbilde for helhetlig samhandling",
                   "Target picture for holistic collaboration"),
    "home": ("Oversikt", "Overview"),
    "search": ("Søk", "Search"),
    "search_label": ("Søk i målbildet", "Search the target picture"),
    "search_placeholder": ("navn, kode eller definisjon", "name, code or definition"),
    "search_hits": ("treff", "results"),
    "search_none": ("Ingen treff.", "No results."),
    "search_needs_js": ("Søket trenger JavaScript.", "Search needs JavaScript."),
    "switch_to": ("In English", "På norsk"),
    "skip": ("Hopp til innholdet", "Skip to content"),
    "kinds": ("Innhold", "Contents"),
    "services_diagram": ("Gjenbruk mellom informasjonstjenestene",
                         "Reuse between the information services"),
    "diagram_help": ("Klikk en tjeneste for å åpne siden dens.",
                     "Click a service to open its page."),
    "diagram_missing": ("Diagrammet mangler: Graphviz (dot) var ikke tilgjengelig da nettstedet "
                        "ble bygd.", "The diagram is missing: Graphviz (dot) was not available "
                        "when the site was built."),
    "diagram_too_big": ("Modellen har for mange tjenester til ett diagram; se hver hovedgruppe.",
                        "The model has too many services for one diagram; see each main "
                        "group."),
    "focus_diagram": ("Gjenbruk rundt tjenesten", "Reuse around the service"),
    "reused_by": ("Gjenbrukes av", "Reused by"),
    "reuses": ("Gjenbruker", "Reuses"),
    "no_reuse": ("Ingen gjenbruk registrert.", "No reuse recorded."),
    "legend": ("Tegnforklaring", "Legend"),
    "maturity": ("Modenhet 2023 (kantlinje)", "Maturity 2023 (border)"),
    "facts": ("Fakta og relasjoner", "Facts and relations"),
    "incoming": ("Andre som viser hit", "Referred to by"),
    "relation": ("Relasjon", "Relation"),
    "value": ("Verdi", "Value"),
    "from": ("Fra", "From"),
    "where": ("Hvor i kildene", "Where in the sources"),
    "stated_by": ("Kilde for utsagnet", "Source of the statement"),
    "provenance": ("Proveniens", "Provenance"),
    "sources": ("Kilder", "Sources"),
    "derived_from": ("Avledet fra", "Derived from"),
    "defined_at": ("Registrert i", "Recorded in"),
    "no_sources": ("Ingen kilde oppgitt.", "No source given."),
    "interpretation": ("Tolkning", "Interpretation"),
    "interpretation_note": ("Dette er lest ut av en figur eller tolket, ikke sagt rett ut i "
                            "kilden.", "This is read from a figure or interpreted, not stated "
                            "outright in the source."),
    "definition": ("Definisjon", "Definition"),
    "alt_labels": ("Også kalt", "Also called"),
    "code": ("Kode", "Code"),
    "kind": ("Type", "Kind"),
    "note": ("Merknad", "Note"),
    "count": ("Antall", "Count"),
    "page": ("Side", "Page"),
    "of": ("av", "of"),
    "previous": ("Forrige", "Previous"),
    "next": ("Neste", "Next"),
    "reference": ("Referanse", "Reference"),
    "ontology": ("Ontologi", "Ontology"),
    "ontology_intro": ("Klassene og egenskapene modellen bruker, med definisjoner.",
                       "The classes and properties the model uses, with their definitions."),
    "classes": ("Klasser", "Classes"),
    "properties": ("Egenskaper", "Properties"),
    "term": ("Begrep", "Term"),
    "instances": ("Forekomster", "Instances"),
    "shapes": ("Regler (SHACL)", "Rules (SHACL)"),
    "shapes_intro": ("Hver regel modellen sjekkes mot, med alvorlighet og hvor mange noder den "
                     "slår ut på i dag.", "Every rule the model is checked against, with its "
                     "severity and how many nodes it flags today."),
    "rule": ("Regel", "Rule"),
    "applies_to": ("Gjelder", "Applies to"),
    "severity": ("Alvorlighet", "Severity"),
    "flags_today": ("Slår ut i dag", "Flags today"),
    "checks": ("Sjekker", "Checks"),
    "queries": ("Spørringer", "Queries"),
    "queries_intro": ("Spørringsbiblioteket (SPARQL), med dagens svar på modellen.",
                      "The query library (SPARQL), with today's answer on the model."),
    "parameters": ("Parametere", "Parameters"),
    "no_parameters": ("Ingen parametere.", "No parameters."),
    "result": ("Dagens svar", "Today's result"),
    "rows": ("rader", "rows"),
    "rows_shown": ("viser de første", "showing the first"),
    "not_run": ("Ikke kjørt: spørringen trenger en parameter.",
                "Not run: the query needs a parameter."),
    "query_failed": ("Spørringen feilet", "The query failed"),
    "ask_true": ("ja", "yes"),
    "ask_false": ("nei", "no"),
    "validation": ("Valideringsrapport", "Validation report"),
    "validation_intro": ("Resultatet av samhandling validate på modellen slik den er nå.",
                         "The result of samhandling validate on the model as it is now."),
    "focus": ("Gjelder", "Focus"),
    "message": ("Melding", "Message"),
    "no_results": ("Ingen funn: modellen oppfyller alle reglene.",
                   "Nothing found: the model meets every rule."),
    "Violation": ("Brudd", "Violation"),
    "Warning": ("Advarsel", "Warning"),
    "Info": ("Merknad", "Info"),
    "manual": ("Brukerveiledning", "Manual"),
    "manual_note": ("Veiledningen finnes bare på engelsk.",
                    "The manual is in English only."),
    "cli": ("Kommandolinjen", "Command line"),
    "generated": ("Generert fra modellen av samhandling docs.",
                  "Generated from the model by samhandling docs."),
    "all_of_kind": ("Alle", "All"),
    "hierarchy": ("Hierarki", "Hierarchy"),
    "showing": ("Viser de første", "Showing the first"),
    "findings": ("Funn fra valideringen", "What validation finds"),
    "group_services": ("Tjenestene i gruppen", "The group's services"),
}


def text(key: str, lang: str) -> str:
    """The site's word for ``key`` in ``lang`` (``nb`` or ``en``)."""
    nb, en = _TEXT[key]
    return nb if lang == "nb" else en


def keys() -> list[str]:
    return sorted(_TEXT)
