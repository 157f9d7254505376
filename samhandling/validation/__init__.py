"""Validation for CI: SHACL shapes, OWL reasoning, source-pointing reports and a semantic diff.

Modules, one concern each (import the one you need; none imports pySHACL or owlready2 until
it runs):

* :mod:`.shacl`: :func:`~.shacl.validate_model` -> :class:`~.shacl.ValidationReport`
* :mod:`.report`: the report as text, JSON, JUnit XML or GitHub annotations
* :mod:`.load`: model folder (built leniently for validation) or built graph file
* :mod:`.offline`: the rdflib graph that refuses network SPARQL and parses each query once
* :mod:`.reason`: HermiT / Pellet through owlready2
* :mod:`.diff`: the semantic diff of two model versions
"""
