"""Canonical blank-node labels: the same model gives the same bytes wherever it is built.

A passthrough file (Turtle, N-Triples, JSON-LD) may bring blank nodes, and their labels depend
on the parser and the order it read them in. :func:`canonical_blank_nodes` relabels them from
the graph alone before the build hands its triples on (see the function for how).
"""

from __future__ import annotations

import hashlib

from rdflib import Graph

from .built import Loc, Places, location
from .errors import ModelLoadError, Problem
from .terms import NtTriple, nt_term, rdflib_term

#: Blank nodes outside trees (shared, or in a cycle) that colour refinement cannot tell apart
#: and the exact canonicalisation takes:
#: rdflib's algorithm is quadratic at best and exponential on symmetric graphs, so more are
#: refused (a 64-node cycle of blank nodes takes it 4.6 s, 100 nodes 24 s). Trees (lists,
#: nested descriptions: what real files hold) have no bound.
MAX_NON_TREE_BLANK_NODES = 40
_BLANK_LABEL_HEX = 32


def _digest(*parts: str) -> str:
    return hashlib.sha256("\x00".join(parts).encode("utf-8")).hexdigest()[:_BLANK_LABEL_HEX]


def canonical_blank_nodes(triples: dict[NtTriple, Loc],
                          places: Places) -> dict[NtTriple, Loc]:
    """``triples`` with every blank node given a label that depends only on the graph, so
    the same model gives the same bytes wherever and however often it is built.

    Blank nodes in a tree (each the object of at most one triple, no cycle: RDF lists,
    nested ``[ ... ]`` descriptions, reifications) are labelled in linear time: bottom-up,
    a node's *content* is the hash of its sorted (predicate, object) pairs, a child blank
    node standing for its own content; top-down, a node's label is the hash of its parent's
    label (or the subject IRI pointing at a root), the predicate and its content. Siblings
    with the same label are identical subtrees, so swapping them is an automorphism and
    numbering them in any order gives the same output. The rest (shared or cyclic blank
    nodes) are told apart by colour refinement (:func:`_refined_labels`) when it can; what
    it cannot goes through rdflib's exact canonicalisation, bounded by
    :data:`MAX_NON_TREE_BLANK_NODES` (a 4,000-item list took over 30 minutes there).
    """
    out: dict[str, list[tuple[str, str]]] = {}
    incoming: dict[str, list[tuple[str, str]]] = {}
    blanks: list[str] = []
    seen: set[str] = set()
    for s, p, o in triples:
        if s[0] == "_":
            out.setdefault(s, []).append((p, o))
            if s not in seen:
                seen.add(s)
                blanks.append(s)
        if o[0] == "_":
            incoming.setdefault(o, []).append((s, p))
            if o not in seen:
                seen.add(o)
                blanks.append(o)
    if not blanks:
        return triples
    # connected components of blank nodes (through blank-to-blank triples), union-find
    parent_of = {b: b for b in blanks}

    def find(node: str) -> str:
        root = node
        while parent_of[root] != root:
            root = parent_of[root]
        while parent_of[node] != root:
            parent_of[node], node = root, parent_of[node]
        return root

    for s, _p, o in triples:
        if s[0] == "_" and o[0] == "_":
            a, b = find(s), find(o)
            if a != b:
                parent_of[a] = b
    members: dict[str, list[str]] = {}
    for b in blanks:
        members.setdefault(find(b), []).append(b)
    tree_nodes: set[str] = set()
    roots: list[str] = []
    for nodes in members.values():
        # n nodes, each the object of at most one triple: n - (roots) blank-to-blank edges,
        # so the component is a tree exactly when it has one root
        if any(len(incoming.get(b, ())) > 1 for b in nodes):
            continue
        own_roots = [b for b in nodes if not any(s[0] == "_" for s, _ in incoming.get(b, ()))]
        if len(own_roots) == 1:
            tree_nodes.update(nodes)
            roots.extend(own_roots)
    labels = _tree_labels(roots, out, incoming)
    others = [b for b in blanks if b not in tree_nodes]
    if others:
        refined = _refined_labels(others, out, incoming)
        if refined is not None:
            labels.update(refined)
            others = []
    if len(others) > MAX_NON_TREE_BLANK_NODES:
        ambiguous = set(others)
        first = next(loc for (s, _p, o), loc in triples.items()
                     if s in ambiguous or o in ambiguous)
        where = location(first, places)
        raise ModelLoadError([Problem(
            where.file, where.line,
            f"{len(others):,} blank nodes are shared or in a cycle and alike enough to need "
            f"the exact canonicalisation, which takes at most {MAX_NON_TREE_BLANK_NODES:,}: "
            "give them IRIs")])
    result: dict[NtTriple, Loc] = {}
    rest: list[tuple[NtTriple, Loc]] = []
    for (s, p, o), loc in triples.items():
        if (s[0] == "_" and s not in labels) or (o[0] == "_" and o not in labels):
            rest.append(((s, p, o), loc))
            continue
        result[(labels.get(s, s), p, labels.get(o, o))] = loc
    if rest:
        result.update(_exact_canonical(rest))
    return result


#: Work (node and edge visits) colour refinement may spend before it gives up.
_REFINE_BUDGET = 1_000_000


def _refined_labels(nodes: list[str], out: dict[str, list[tuple[str, str]]],
                    incoming: dict[str, list[tuple[str, str]]]) -> dict[str, str] | None:
    """Labels for blank nodes outside trees by colour refinement, or None.

    Each node starts with the colour of its ground neighbourhood (the IRIs and literals it
    points at or is pointed at from), then takes on, round by round, the colours of its blank
    neighbours, until no round splits a colour class. When every node ends with a colour of
    its own (the usual case for shared blank nodes that say different things), the colours are
    canonical labels: they are computed from the graph alone. When some stay alike (a cycle of
    identical blank nodes, whose nodes only an exhaustive search can tell apart), or the
    rounds would cost more than :data:`_REFINE_BUDGET`, None: rdflib's exact algorithm.
    """
    def neighbours(node: str, colour: dict[str, str]) -> list[str]:
        forward = sorted(f"+{p} {colour[o]}" for p, o in out.get(node, ()) if o[0] == "_")
        backward = sorted(f"-{p} {colour[s]}" for s, p in incoming.get(node, ()) if s[0] == "_")
        return [*forward, "|", *backward]

    colour = {}
    for node in nodes:
        ground_out = sorted(f"{p} {o}" for p, o in out.get(node, ()) if o[0] != "_")
        ground_in = sorted(f"{s} {p}" for s, p in incoming.get(node, ()) if s[0] != "_")
        colour[node] = _digest("ground", *ground_out, "|", *ground_in)
    classes = len(set(colour.values()))
    cost = len(nodes) + sum(len(out.get(n, ())) + len(incoming.get(n, ())) for n in nodes)
    budget = _REFINE_BUDGET
    while classes < len(nodes):
        budget -= cost
        if budget < 0:
            return None
        colour = {node: _digest(colour[node], *neighbours(node, colour)) for node in nodes}
        count = len(set(colour.values()))
        if count == classes:
            return None  # stable, and not every node told apart
        classes = count
    return {node: f"_:r{value}" for node, value in colour.items()}


def _tree_labels(roots: list[str], out: dict[str, list[tuple[str, str]]],
                 incoming: dict[str, list[tuple[str, str]]]) -> dict[str, str]:
    """Labels of the blank nodes in the trees under ``roots`` (see
    :func:`canonical_blank_nodes`), without recursion (an RDF list is as deep as it is long)."""
    content: dict[str, str] = {}
    for root in roots:
        stack = [(root, False)]
        while stack:
            node, done = stack.pop()
            if done:
                pairs = sorted(f"{p} {'[' + content[o] + ']' if o[0] == '_' else o}"
                               for p, o in out.get(node, ()))
                content[node] = _digest(*pairs)
                continue
            stack.append((node, True))
            stack.extend((o, False) for _p, o in out.get(node, ()) if o[0] == "_")
    labels: dict[str, str] = {}
    used: dict[str, int] = {}

    def name(key: str) -> str:
        count = used.get(key, 0)
        used[key] = count + 1
        return f"_:c{key}" if count == 0 else f"_:c{key}x{count}"

    # roots first, in an order that depends only on the graph
    keyed = []
    for root in roots:
        into = incoming.get(root)
        s, p = into[0] if into else ("", "")
        keyed.append((_digest("root", s, p, content[root]), root))
    keyed.sort()
    queue = []
    for key, root in keyed:
        labels[root] = name(key)
        queue.append(root)
    for node in queue:  # grows as it goes: breadth first
        children = sorted((_digest(labels[node], p, content[o]), o)
                          for p, o in out.get(node, ()) if o[0] == "_")
        for key, child in children:
            labels[child] = name(key)
            queue.append(child)
    return labels


def _exact_canonical(triples: list[tuple[NtTriple, Loc]]) -> dict[NtTriple, Loc]:
    """rdflib's canonical labels for the blank nodes that are not in a tree. Every triple
    gets the place of the first (rdflib's canonical graph does not say which became which)."""
    from rdflib.compare import to_canonical_graph

    graph = Graph()
    for (s, p, o), _loc in triples:
        graph.add((rdflib_term(s), rdflib_term(p), rdflib_term(o)))
    where = triples[0][1]
    return {(nt_term(s), nt_term(p), nt_term(o)): where for s, p, o in to_canonical_graph(graph)}


__all__ = ["MAX_NON_TREE_BLANK_NODES", "canonical_blank_nodes"]
