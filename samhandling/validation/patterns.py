"""``sh:pattern`` evaluated as SHACL says, as SPARQL ``REGEX``, on a linear-time engine.

pySHACL compiles each ``sh:pattern`` with Python's ``re``, a backtracking matcher: a custom
shape with ``^(a+)+$`` over a long label runs for hours, and a pattern ``re`` rejects
escapes as a traceback. SHACL defines ``sh:pattern`` (with ``sh:flags``) by SPARQL's
``REGEX`` function, and pyoxigraph, already loaded for the store route, implements that
function on Rust's ``regex`` crate, which never backtracks: time is linear in the text for
any pattern, and an over-large compiled pattern is refused, not run. So instead of a time
limit (an answer that depends on the machine) or a list of banned constructs (nested
quantifiers are one of several ways to blow up a backtracking matcher), every pattern is
judged by that engine, on both validation engines:

- :func:`check_pattern` rejects a pattern (or flags) the engine cannot compile; the
  shapes loader names the file and line.
- :func:`install` replaces pySHACL's ``PatternConstraintComponent`` compile and match steps
  (its messages, results and everything else stay pySHACL's); all strings of one
  evaluation go to the engine in one query.

The store route's pre-filter uses the same ``REGEX`` on the store, so pre-filter and judge
agree by construction.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache
from typing import Any

from rdflib import BNode, Literal

from ..namespaces import SH
from ..terms import nt_term

#: SPARQL REGEX flags (XPath ``fn:matches``).
FLAGS = frozenset("smixq")


@lru_cache(maxsize=256)
def pattern_problem(pattern: str, flags: str = "") -> str | None:
    """Why ``pattern`` with ``flags`` is not a usable SPARQL regular expression, or None."""
    import pyoxigraph as ox

    bad = sorted(set(flags) - FLAGS)
    if bad:
        return f"unknown regular expression flag(s) {''.join(bad)!r} (allowed: s, m, i, x, q)"
    query = (f"SELECT ?ok WHERE {{ BIND(REGEX(\"\", {_term(pattern)}, {_term(flags)}) "
             f"AS ?ok) }}")
    result = ox.Store().query(query)
    row = next(iter(result), None)  # type: ignore[arg-type]
    if row is None or row[0] is None:
        return "not a valid regular expression (SPARQL REGEX syntax, linear-time engine)"
    return None


def matching(pattern: str, flags: str, texts: Iterable[str]) -> set[str]:
    """The texts ``REGEX(text, pattern, flags)`` is true for (one query for all)."""
    import pyoxigraph as ox

    distinct = sorted(set(texts))
    if not distinct:
        return set()
    values = " ".join(_term(t) for t in distinct)
    query = (f"SELECT ?t WHERE {{ VALUES ?t {{ {values} }} "
             f"FILTER(REGEX(?t, {_term(pattern)}, {_term(flags)})) }}")
    return {row[0].value for row in ox.Store().query(query)}  # type: ignore[union-attr]


def _term(text: str) -> str:
    return nt_term(Literal(text))


def _flags(component: Any) -> str:
    flags = getattr(component, "flags", None)
    return str(flags) if flags is not None else ""


def _init(self: Any, shape: Any) -> None:
    """pySHACL's constructor, with each pattern checked by the SPARQL engine instead of
    compiled by ``re`` (``compiled_cache`` is left empty: :func:`_evaluate` never reads it)."""
    from pyshacl.constraints.core.string_based_constraints import StringBasedConstraintBase
    from pyshacl.errors import ConstraintLoadError

    StringBasedConstraintBase.__init__(self, shape)
    link = "https://www.w3.org/TR/shacl/#PatternConstraintComponent"
    patterns = list(self.shape.objects(SH.pattern))
    if not patterns:
        raise ConstraintLoadError(
            "PatternConstraintComponent must have at least one sh:pattern predicate.", link)
    for pattern in patterns:
        if not isinstance(pattern, Literal):
            raise ConstraintLoadError(
                "PatternConstraintComponent sh:pattern must be a RDF Literal node.", link)
    self.string_rules = patterns
    self.flags = next(iter(set(self.shape.objects(SH.flags))), None)
    self.compiled_cache = {}
    for pattern in patterns:
        problem = pattern_problem(str(pattern), _flags(self))
        if problem is not None:
            raise ConstraintLoadError(f"sh:pattern {str(pattern)!r}: {problem}", link)


def _evaluate(self: Any, r: Any, target_graph: Any, f_v_dict: Any) -> tuple[bool, list[Any]]:
    """pySHACL's ``_evaluate_string_rule`` with one SPARQL REGEX query for all values."""
    texts = {v: self.value_node_to_string(v) for values in f_v_dict.values() for v in values
             if not isinstance(v, BNode)}
    matched = matching(str(r), _flags(self), texts.values())
    reports = []
    non_conformant = False
    for f, value_nodes in f_v_dict.items():
        for v in value_nodes:
            if isinstance(v, BNode) or texts[v] not in matched:
                non_conformant = True
                reports.append(self.make_v_result(target_graph, f, value_node=v))
    return non_conformant, reports


def install() -> None:
    """Make pySHACL's ``sh:pattern`` use SPARQL REGEX on pyoxigraph (idempotent)."""
    from pyshacl.constraints.core.string_based_constraints import PatternConstraintComponent

    cls: Any = PatternConstraintComponent
    if getattr(cls, "_samhandling_regex", False):
        return
    cls.__init__ = _init
    cls._evaluate_string_rule = _evaluate
    cls._samhandling_regex = True


__all__ = ["FLAGS", "install", "matching", "pattern_problem"]
