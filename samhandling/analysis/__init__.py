"""Dependency and coverage analysis of the model with NetworkX.

:mod:`.index` reads the RDF model once and :mod:`.graphs` cuts NetworkX graphs from it; each
other module is one family of algorithms on those graphs (:mod:`.build_order`,
:mod:`.centrality`, :mod:`.impact`, :mod:`.coverage`, :mod:`.orphans`), :mod:`.views` cuts a
graph down to a picture and :mod:`.report` renders the results as text, JSON or Markdown.
"""

from __future__ import annotations

from .build_order import BuildOrder, Cycle, build_order
from .centrality import Centrality, dependency_centrality, dependent_counts, nothing_depends_on
from .coverage import Coverage, Share, coverage
from .graphs import ModelGraphs, model_graphs
from .impact import Impact, impact, resolve_service
from .orphans import orphans, orphans_by_kind
from .report import Report, analyze, render_impact, render_report
from .views import VIEWS, view_graph

__all__ = ["VIEWS", "BuildOrder", "Centrality", "Coverage", "Cycle", "Impact", "ModelGraphs",
           "Report", "Share", "analyze", "build_order", "coverage", "dependency_centrality",
           "dependent_counts", "impact", "model_graphs", "nothing_depends_on", "orphans",
           "orphans_by_kind", "render_impact", "render_report", "resolve_service", "view_graph"]
