"""OWL reasoning over ontology + model: is it consistent, and what does the reasoner add?

SHACL checks the data against closed-world rules; the OWL reasoner checks it against what the
ontology *means* (disjoint classes, irreflexive and functional properties, domains and
ranges). ``reason`` answers two questions: is ontology + model consistent, and which class
memberships does the reasoner infer that the model does not assert.

How: owlready2 (pinned to 0.49: 0.50/0.51 bundle a Pellet part built for Java 25, which fails
on Java 17) drives HermiT or Pellet in a Java subprocess. owlready2 cannot read Turtle, so the
ontology and the model are written as N-Triples into a private temporary folder. owlready2
also writes its own temporary copy of the world for Java and leaves it behind when the
reasoner fails; we point Python's temp folder at our private folder for the duration of the
call and remove the whole folder afterwards, whatever happened (SIGTERM included: it is turned
into ``SystemExit`` while the folder exists, see :func:`samhandling.atomic.terminate_as_exit`).

Every Java run goes through :func:`samhandling.process.run_bounded` (owlready2's own
``subprocess`` calls are routed there for the duration): one total time limit for the whole
command (``timeout``), the Java process group killed when it passes or when we are
interrupted, so no JVM outlives the command. A Java that exits 0 without an answer is an
error, never "consistent".

Trade-off: HermiT handles the seed model in a few seconds (mostly JVM start) but does not
scale (10k individuals: ~8 min); Pellet does (10k: ~2 s). When the model is inconsistent,
HermiT only says so; we then ask Pellet's ``explain`` for the axioms involved and name the
classes, properties and individuals they mention.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from rdflib import Graph, URIRef

from ..atomic import terminate_as_exit
from ..built import BuiltModel
from ..errors import SamhandlingError, ToolMissingError, UsageError
from ..namespaces import OWL, RDF
from ..process import Deadline, run_bounded
from ..vocabulary import label, ontology_graph

REASONERS = ("hermit", "pellet")
_NAMES = {"hermit": "HermiT", "pellet": "Pellet"}
_IGNORED_TYPES = {str(OWL.NamedIndividual), str(OWL.Thing), str(OWL.Ontology)}
#: Seconds the reasoner runs of one command (the explanation included) may take in total.
TIMEOUT = 600
_HINT = "give more time with --timeout, or try --reasoner pellet (scales better)"


@dataclass(frozen=True, order=True)
class Membership:
    """An individual the reasoner puts in a class the model does not assert for it."""

    individual: str
    cls: str


@dataclass(frozen=True)
class ReasoningResult:
    """What the reasoner found; ``labels`` maps each IRI mentioned to its label per language."""

    reasoner: str
    consistent: bool
    inferred: tuple[Membership, ...] = ()
    unsatisfiable: tuple[str, ...] = ()
    explanation: tuple[str, ...] = ()
    involved: tuple[str, ...] = ()
    seconds: float = 0.0
    labels: tuple[tuple[str, str, str], ...] = ()

    @property
    def ok(self) -> bool:
        """Consistent, and no class that can have no member."""
        return self.consistent and not self.unsatisfiable

    def label(self, iri: str, lang: str) -> str:
        for node, tag, text in self.labels:
            if node == iri and tag == lang:
                return text
        return iri.rstrip("/#").rsplit("/", 1)[-1].rsplit("#", 1)[-1]


def reason(model: BuiltModel, reasoner: str = "hermit", *, explain: bool = True,
           ontology: Graph | None = None, timeout: float = TIMEOUT) -> ReasoningResult:
    """Run ``reasoner`` (``hermit`` or ``pellet``) on the ontology plus ``model``.

    ``timeout`` bounds all Java runs of the call together (seconds).

    Raises ToolMissingError when Java is missing or the reasoner itself fails to run,
    TimeLimitError when it does not finish in time, SamhandlingError when it gives no answer.
    """
    if reasoner not in REASONERS:
        raise UsageError(f"unknown reasoner '{reasoner}'; valid: {', '.join(REASONERS)}")
    if not timeout > 0:
        raise UsageError(f"--timeout must be more than 0 seconds, got {timeout:g}")
    import owlready2
    from owlready2 import (
        OwlReadyInconsistentOntologyError,
        OwlReadyJavaError,
        sync_reasoner_hermit,
        sync_reasoner_pellet,
    )

    java = shutil.which(owlready2.JAVA_EXE)
    if java is None:
        raise ToolMissingError(f"{owlready2.JAVA_EXE} not found on PATH: samhandling reason "
                               "runs HermiT/Pellet on Java 11+ (apt-get install default-jre)")
    ontology = ontology if ontology is not None else ontology_graph()
    graph = model.graph
    started = time.perf_counter()
    deadline = Deadline(timeout)
    with terminate_as_exit(), _private_tempdir() as folder, \
            _bounded_java(deadline, _NAMES[reasoner]):
        data = folder / "model.nt"
        data.write_bytes(ontology.serialize(format="nt", encoding="utf-8") + model.ntriples())
        world = owlready2.World()
        world.get_ontology(data.as_uri()).load()
        run = sync_reasoner_hermit if reasoner == "hermit" else sync_reasoner_pellet
        try:
            run(world, debug=0)
        except OwlReadyInconsistentOntologyError:
            axioms = _pellet_explain(java, data, deadline) if explain else ()
            involved = _involved(axioms, graph + ontology) if axioms else ()
            return ReasoningResult(
                _NAMES[reasoner], False, explanation=axioms, involved=involved,
                seconds=time.perf_counter() - started,
                labels=_labels(graph + ontology, involved))
        except OwlReadyJavaError as exc:
            raise ToolMissingError(f"{_NAMES[reasoner]} failed under {java}: "
                                   f"{_first_line(str(exc))}") from None
        inferred = tuple(sorted(_inferred(world, graph)))
        unsatisfiable = tuple(sorted(c.iri for c in world.inconsistent_classes()))
    mentioned = [m.individual for m in inferred] + [m.cls for m in inferred] + list(unsatisfiable)
    return ReasoningResult(_NAMES[reasoner], True, inferred, unsatisfiable,
                           seconds=time.perf_counter() - started,
                           labels=_labels(graph + ontology, mentioned))


@contextmanager
def _private_tempdir() -> Iterator[Path]:
    """A private folder that also catches owlready2's own temp files, removed on every exit."""
    folder = Path(tempfile.mkdtemp(prefix="samhandling-reason-"))
    previous = tempfile.tempdir
    tempfile.tempdir = str(folder)
    try:
        yield folder
    finally:
        tempfile.tempdir = previous
        shutil.rmtree(folder, ignore_errors=True)


class _BoundedSubprocess:
    """Stands in for the ``subprocess`` module inside ``owlready2.reasoning``: its
    ``check_output`` and ``run`` calls go through :func:`run_bounded` under the command's
    deadline, and an exit status 0 without an answer raises instead of reading as
    "consistent, nothing inferred"."""

    CalledProcessError = subprocess.CalledProcessError
    PIPE = subprocess.PIPE
    STDOUT = subprocess.STDOUT
    DEVNULL = subprocess.DEVNULL

    def __init__(self, deadline: Deadline, name: str) -> None:
        self.deadline = deadline
        self.name = name

    def _run(self, command: list[str], merge: bool, check: bool
             ) -> subprocess.CompletedProcess[bytes]:
        try:
            proc = run_bounded(command, what=f"the reasoner ({self.name})",
                               deadline=self.deadline, merge_stderr=merge, hint=_HINT)
        except OSError as exc:
            raise ToolMissingError(f"cannot run {command[0]}: {exc.strerror or exc}") from None
        if proc.returncode != 0:
            if check:
                raise subprocess.CalledProcessError(proc.returncode, command, proc.stdout,
                                                    proc.stderr)
            return proc
        text = proc.stdout.decode("utf-8", "replace")
        if not text.strip() or (self.name == "HermiT" and not _HERMIT_ANSWER.search(text)):
            missing = "no output" if not text.strip() else "no class hierarchy in its output"
            raise SamhandlingError(f"the reasoner ({self.name}) exited without an answer "
                                   f"(status 0, {missing}) under {command[0]}")
        return proc

    def check_output(self, command: list[str], stderr: object = None, **_: object) -> bytes:
        return self._run(command, stderr is subprocess.STDOUT, True).stdout

    def run(self, command: list[str], check: bool = False, **_: object
            ) -> subprocess.CompletedProcess[bytes]:
        return self._run(command, False, check)


#: A line of HermiT's classification (``SubClassOf( <a> <b> )``): every real run prints some.
_HERMIT_ANSWER = re.compile(r"^[A-Za-z]+\( <[^>]+>", re.MULTILINE)


@contextmanager
def _bounded_java(deadline: Deadline, name: str) -> Iterator[None]:
    """Route owlready2's Java runs through :class:`_BoundedSubprocess` for the block."""
    import owlready2.reasoning as reasoning

    previous = reasoning.subprocess
    reasoning.subprocess = _BoundedSubprocess(deadline, name)
    try:
        yield
    finally:
        reasoning.subprocess = previous


def _inferred(world: object, graph: Graph) -> Iterator[Membership]:
    """rdf:type triples owlready2 put in its inference ontology and the model lacks."""
    import owlready2

    inferences = world.get_ontology("http://inferrences/")  # type: ignore[attr-defined]
    for s, _p, o in inferences.get_triples(None, owlready2.rdf_type, None):
        if not (isinstance(s, int) and isinstance(o, int) and s > 0 and o > 0):
            continue
        individual = world._unabbreviate(s)  # type: ignore[attr-defined]
        cls = world._unabbreviate(o)  # type: ignore[attr-defined]
        if cls in _IGNORED_TYPES or (URIRef(individual), RDF.type, URIRef(cls)) in graph:
            continue
        yield Membership(individual, cls)


def _pellet_explain(java: str, data: Path, deadline: Deadline) -> tuple[str, ...]:
    """The axioms Pellet names as the reason for the inconsistency (empty when it cannot)."""
    from owlready2.reasoning import _PELLET_CLASSPATH

    command = [java, "-Xmx2000M", "-cp", _PELLET_CLASSPATH, "pellet.Pellet", "explain",
               "--ignore-imports", str(data)]
    try:
        proc = run_bounded(command, what="Pellet explain", deadline=deadline,
                           hint=_HINT.replace(", or try", " or --no-explain; or try"))
    except OSError:
        return ()
    axioms: list[str] = []
    inside = False
    depth = 0
    for line in proc.stdout.decode("utf-8", "replace").splitlines():
        if line.startswith("Explanation"):
            inside = True
            continue
        if not inside or not line.strip():
            continue
        text = re.sub(r"^\s*\d+\)\s*", "", line).strip()
        if depth > 0:
            axioms[-1] += " " + text
        else:
            axioms.append(text)
        depth += text.count("(") - text.count(")")
    return tuple(axioms)


#: Words of Pellet's explanation syntax that are not names in the model.
_KEYWORDS = {"type", "subClassOf", "Irreflexive", "Functional", "InverseFunctional",
             "DisjointClasses", "DisjointWith", "EquivalentClasses", "domain", "range",
             "Thing", "Nothing", "and", "or", "not", "some", "only", "min", "max", "exactly",
             "value", "SameAs", "DifferentFrom", "Asymmetric", "Transitive", "Symmetric"}


def _involved(axioms: tuple[str, ...], graph: Graph) -> tuple[str, ...]:
    """The model's IRIs the explanation names: those in its assertions about individuals, or
    in every axiom when it has none (only names that map to one IRI)."""
    by_local: dict[str, set[str]] = {}
    for node in set(graph.subjects()) | set(graph.predicates()) | set(graph.objects()):
        if isinstance(node, URIRef):
            local = re.split(r"[/#]", str(node).rstrip("/#"))[-1]
            by_local.setdefault(local, set()).add(str(node))

    def names(axiom: str) -> set[str]:
        found = set()
        for token in re.findall(r"[\w.\-]+", axiom):
            candidates = by_local.get(token, set())
            if token not in _KEYWORDS and len(candidates) == 1:
                found |= candidates
        return found

    assertions = [a for a in axioms if re.match(r"^[\w.\-]+ ", a) and "(" not in a.split()[0]]
    found = set().union(*(names(a) for a in (assertions or axioms)))
    return tuple(sorted(found))


def shorten(axiom: str, keep: set[str], limit: int = 100) -> str:
    """A long axiom (a 27-class DisjointClasses) cut to the names in ``keep``."""
    if len(axiom) <= limit or "(" not in axiom:
        return axiom
    head, _, body = axiom.partition("(")
    members = body.rstrip(")").split()
    kept = [m for m in members if m in keep]
    rest = len(members) - len(kept)
    return f"{head}({' '.join(kept)}{f' ... +{rest}' if rest else ''})"


def _labels(graph: Graph, iris: list[str] | tuple[str, ...]) -> tuple[tuple[str, str, str], ...]:
    return tuple(sorted({(iri, lang, label(graph, URIRef(iri), lang))
                         for iri in iris for lang in ("nb", "en")}))


def _first_line(text: str) -> str:
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    meaningful = [line for line in lines if "error" in line.lower() or "exception" in line.lower()]
    return (meaningful or lines or ["no message"])[0]


__all__ = ["REASONERS", "Membership", "ReasoningResult", "reason", "shorten"]
