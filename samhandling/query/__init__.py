"""The SPARQL query library: find ``queries/*.rq``, bind parameters, run them, format results.

Modules, from the bottom up:

* :mod:`.terms` neutral RDF terms and results, so every engine's rows compare equal;
* :mod:`.sparqltext` a small SPARQL tokenizer (where the WHERE group opens, SERVICE, variables);
* :mod:`.library` the ``.rq`` files and their ``#+`` headers;
* :mod:`.params` parameter values: checked against the header, resolved, bound by ``VALUES``;
* :mod:`.embedded` (pyoxigraph, the default), :mod:`.reference` (rdflib, the reference in
  tests), :mod:`.remote` (any SPARQL 1.1 endpoint through SPARQLWrapper) run query text;
* :mod:`.push` loads the built model into a triple store (SPARQL 1.1 Graph Store Protocol);
* :mod:`.run` ties them together for the CLI; :mod:`.format` writes table, CSV, JSON, Markdown.

Importing this package is cheap: pyoxigraph, rdflib and SPARQLWrapper are imported only by
the engine that needs them, so ``samhandling query --list`` starts fast.
"""
