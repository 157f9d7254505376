"""A bilingual static website of the model, its checks and the manual (``samhandling docs``).

=================== ==========================================================================
:mod:`.generate`    gathers everything and writes the folder as a whole
:mod:`.data`        the model read once into entities with facts in both directions
:mod:`.vocab`       the ontology's classes and properties with labels and definitions
:mod:`.reference`   the shapes in plain language, the query library's answers
:mod:`.diagram`     the services picture and each service's focus picture as linked SVG
:mod:`.search`      the search index, written as a script so search works from ``file://``
:mod:`.render`      pages through the Jinja2 templates in ``templates/``
:mod:`.manual`      the manual (``docs/manual/*.md``) and the generated CLI reference
:mod:`.serve`       ``docs --serve``: a local preview that rebuilds on change
:mod:`.text`        every word of the site's frame, in nb and en
=================== ==========================================================================
"""

from .generate import MARKER, SiteSummary, build_site

__all__ = ["MARKER", "SiteSummary", "build_site"]
