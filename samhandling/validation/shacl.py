"""Validate a built model against the SHACL shapes: the one entry point, which picks the engine.

:func:`validate_model` is all the CLI, the benchmarks and other callers need: it takes a built
model and the shapes (:mod:`.shapes` loads and checks them) and gives a
:class:`~.results.ValidationReport` (:mod:`.results`), which :mod:`.report` writes in each
format. Which engine ran is the report's business only for ``--verbose``:

* ``fast`` (the default): SPARQL on the model's pyoxigraph store picks the focus nodes that may
  fail, pySHACL's own constraint components judge those (:mod:`.store_engine`). It steps aside
  for the reference engine when the store would not keep a literal as written
  (:mod:`.literals`) or the shapes use what no store query can stand for, and says why.
* ``reference``: pySHACL with ``inference="none"`` and ``advanced=False`` over the model's rdflib
  graph, its SPARQL parsed once per text and kept off the network (:mod:`.offline`). The model
  asserts every class a record has (the build writes the kind's class and the type column's
  class), so RDFS inference would only cost time, and the shapes use SHACL Core and
  SHACL-SPARQL only (no SHACL-AF rules or targets, which would make pySHACL copy the data).

Both give pySHACL's results exactly; ``tests/test_fast_validation.py`` and
``tests/test_bulk_validation.py`` hold one against the other. pySHACL is imported inside
:func:`validate_model`, so commands that never validate do not pay for it.
"""

from __future__ import annotations

from rdflib import Graph

from ..built import BuiltModel
from ..errors import UsageError
from .display import SHAPES_NS, error_text
from .literals import as_written, store_rewrite
from .offline import NetworkRefusedError, OfflineGraph
from .patterns import install as install_patterns
from .results import (
    FAIL_ON,
    SEVERITIES,
    Check,
    ValidationReport,
    ValidationResult,
    list_checks,
    read_results,
)
from .shapes import load_shapes, ontology_classes

#: ``fast``: SPARQL on the model's pyoxigraph store picks the focus nodes that may fail, pySHACL
#: judges those (:mod:`.store_engine`); ``reference``: default pySHACL over an rdflib graph.
ENGINES = ("fast", "reference")
#: Environment variable that picks the engine when the caller does not (for comparisons).
ENGINE_ENV = "SAMHANDLING_VALIDATE_ENGINE"


def validate_model(model: BuiltModel, shapes: Graph | None = None, *,
                   with_checks: bool = False, engine: str | None = None) -> ValidationReport:
    """Validate ``model`` against ``shapes`` (default: the bundled shapes).

    ``with_checks`` also lists every (shape, focus node) pair checked, for JUnit output.
    ``engine`` is ``fast`` (default) or ``reference`` (see :data:`ENGINES`; the environment
    variable ``SAMHANDLING_VALIDATE_ENGINE`` sets it when left out); both give the same results,
    SHACL's on the literals as written (:mod:`.literals`): the fast engine steps aside for
    the reference one when the store would rewrite a literal, and says so in
    :attr:`ValidationReport.fallback`. ``sh:pattern`` runs as SPARQL REGEX on a linear-time
    engine on both (:mod:`.patterns`). Raises UsageError when the shapes are unusable
    (pySHACL's ValidationFailure), a query would reach the network, or the engine is unknown.
    """
    import os

    engine = engine or os.environ.get(ENGINE_ENV) or "fast"
    if engine not in ENGINES:
        raise UsageError(f"unknown validation engine '{engine}'; valid: {', '.join(ENGINES)}")
    if shapes is None:
        shapes = load_shapes()
    install_patterns()
    _quiet_pyshacl()
    with as_written():
        return _validate(model, shapes, with_checks, engine)


def _quiet_pyshacl() -> None:
    """pySHACL's ``validate`` logs every error it raises to standard error itself (a
    ``ConstraintLoadError: ...`` paragraph before our one ``error:`` line); the exception
    reaches the user through :class:`UsageError`, so its log records are dropped."""
    import logging

    log = logging.getLogger("pyshacl-validate")
    if not any(isinstance(f, _DropAll) for f in log.filters):
        log.addFilter(_DropAll())


class _DropAll:
    """A logging filter that drops every record."""

    def filter(self, record: object) -> bool:
        return False


def _validate(model: BuiltModel, shapes: Graph, with_checks: bool,
              engine: str) -> ValidationReport:
    from pyshacl import validate
    from pyshacl.errors import ReportableRuntimeError, ValidationFailure

    report: Graph | None = None
    fallback = ""
    try:
        if engine == "fast":
            fallback = _store_rewrite_reason(model, shapes)
            if not fallback:
                from .store_engine import store_report
                from .store_view import store_graph

                report, fallback = store_report(model.store, shapes)
                data = store_graph(model.store, like=model.built_graph)
        if report is None:
            data = model.graph
            _conforms, report, _text = validate(OfflineGraph(data), shacl_graph=shapes,
                                                inference="none", advanced=False,
                                                allow_warnings=True, allow_infos=True)
    except NetworkRefusedError:
        raise
    except (ValidationFailure, ReportableRuntimeError) as exc:
        raise UsageError(f"shapes: {error_text(exc)}") from exc
    except RecursionError as exc:
        raise UsageError("shapes: too deeply nested to validate (recursion limit)") from exc
    if isinstance(report, ValidationFailure):
        raise UsageError(f"shapes: {error_text(report)}")
    results = read_results(report, model, shapes, data)
    checks = tuple(sorted(list_checks(shapes, model, data))) if with_checks else ()
    ran = "fast" if engine == "fast" and not fallback else "reference"
    return ValidationReport(results, checks, engine=ran, fallback=fallback)


def _store_rewrite_reason(model: BuiltModel, shapes: Graph) -> str:
    """Why the store cannot stand for the data as written ("" when it can)."""
    rewrite = store_rewrite(model, shapes)
    return f"the store would not keep a literal as written ({rewrite})" if rewrite else ""


# The public names of validation, in one place for callers (their homes are the modules
# above: the result values in :mod:`.results`, the shapes in :mod:`.shapes`).
__all__ = ["ENGINES", "ENGINE_ENV", "FAIL_ON", "SEVERITIES", "SHAPES_NS", "Check",
           "ValidationReport", "ValidationResult", "load_shapes", "ontology_classes",
           "validate_model"]
