"""ArchiMate Open Exchange Format 3.1: export the model to Archi and other tools, import their
models back (issue 15).

One table (:mod:`.mapping`) says what becomes what; :mod:`.exchange` reads and writes the XML;
:mod:`.export` and :mod:`.importer` go from the model to an exchange and back; :mod:`.views`
lays the views out with the picture's engine; :mod:`.passthrough` keeps what has no kind of
ours as ``am:`` triples; :mod:`.describe` generates the manual's table and the ontology's
alignment annotations from the table.
"""
