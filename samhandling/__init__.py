"""samhandling: the target picture for holistic collaboration in Norwegian health and care,
as an RDF knowledge graph with SHACL validation, a SPARQL query library and graph analysis."""

__version__ = "0.1.0"
