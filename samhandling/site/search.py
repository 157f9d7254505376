"""The search index: one record per page, in both languages, written as a script.

A page opened from ``file://`` may not ``fetch`` a JSON file (the browser refuses), but it
may load a script; so the index is ``assets/search-index.js``, which sets one global that the
search page hands to MiniSearch (vendored in ``assets/``). Fields: labels, alternative labels,
codes and definitions in both languages; a hit links to the page in the reader's language.
"""

from __future__ import annotations

import json

from ..schema import NODE_KINDS_BY_NAME
from .data import SiteData

#: Fields MiniSearch indexes (the search page names the same ones).
FIELDS = ("label_nb", "label_en", "alt", "code", "definition_nb", "definition_en")


def index_records(data: SiteData) -> list[dict[str, str | int]]:
    """One record per entity, sorted by path, numbered from 0."""
    records: list[dict[str, str | int]] = []
    for number, entity in enumerate(sorted(data.entities.values(), key=lambda e: e.path)):
        kind = NODE_KINDS_BY_NAME[entity.kind]
        records.append({
            "id": number,
            "path": entity.path,
            "kind_nb": kind.nb,
            "kind_en": kind.en,
            "label_nb": entity.label("nb"),
            "label_en": entity.label("en"),
            "alt": " ; ".join(entity.alt_labels),
            "code": entity.code,
            "definition_nb": entity.definitions.get("nb", ""),
            "definition_en": entity.definitions.get("en", ""),
        })
    return records


def index_script(data: SiteData) -> bytes:
    """``assets/search-index.js``: the records as one JSON value behind a global name."""
    body = json.dumps(index_records(data), ensure_ascii=False, separators=(",", ":"),
                      sort_keys=True)
    body = body.replace("</", "<\\/")  # harmless in a .js file, safe if ever inlined
    return f"window.SAMHANDLING_INDEX = {body};\n".encode()
