"""Validation for CI: SHACL shapes, OWL reasoning, source-pointing reports and a semantic diff.

Modules, one concern each (import the one you need; none imports pySHACL or owlready2 until
it runs):

* :mod:`.shacl`: :func:`~.shacl.validate_model`, the entry point; it picks the engine
* :mod:`.shapes`: the shapes, loaded and checked (refused with file and line)
* :mod:`.results`: :class:`~.results.ValidationReport` and its results, read from pySHACL
* :mod:`.report`: the report as text, JSON, JUnit XML or GitHub annotations
* :mod:`.display`: how a node, shape or path is named in results and refusals
* :mod:`.store_engine`: the fast engine, on the model's pyoxigraph store;
  :mod:`.store_sparql` runs its SHACL-SPARQL once, :mod:`.store_view` lets pySHACL read the store
* :mod:`.literals`: literals as written (what SHACL reads) and when the store would differ
* :mod:`.patterns`: ``sh:pattern`` as SPARQL REGEX on a linear-time engine
* :mod:`.offline`: the rdflib graph that refuses network SPARQL and parses each query once
* :mod:`.load`: model folder (built leniently for validation) or built graph file
* :mod:`.reason`: HermiT / Pellet through owlready2
* :mod:`.diff`: the semantic diff of two model versions
"""
