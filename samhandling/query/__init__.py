"""The SPARQL query library: find ``queries/*.rq``, bind parameters, run them, format results.

Modules, from the bottom up:

* :mod:`.terms` neutral RDF terms and results, so every engine's rows compare equal;
* :mod:`.sparqltext` a small SPARQL tokenizer (where the WHERE group opens, variables);
* :mod:`.network` whether a query would call out (SERVICE), decided on rdflib's parsed algebra;
* :mod:`.sandbox` each local query in a child process: a total time limit that really stops
  it, and no network unless allowed;
* :mod:`.transport` one HTTP exchange with a total deadline, a size cap and no credentials
  across origins;
* :mod:`.library` the ``.rq`` files and their ``#+`` headers;
* :mod:`.params` parameter values: checked against the header, resolved, bound by ``VALUES``;
* :mod:`.embedded` (pyoxigraph, the default), :mod:`.reference` (rdflib, the reference in
  tests), :mod:`.remote` (any SPARQL 1.1 endpoint, SPARQL 1.1 Protocol) run query text;
* :mod:`.push` loads the built model into a triple store (SPARQL 1.1 Graph Store Protocol);
* :mod:`.run` ties them together for the CLI; :mod:`.format` writes table, CSV, JSON, Markdown.

Importing this package is cheap: pyoxigraph and rdflib are imported only by
the engine that needs them, so ``samhandling query --list`` starts fast.
"""
