"""Design-to-cost planning: the most benefit inside a binding cost frame.

Small modules, one job each: :mod:`.estimates` (the estimates file), :mod:`.facts` (what the
model says items deliver), :mod:`.prerequisites`, :mod:`.benefit`, :mod:`.instance` (the
problem as integers), :mod:`.solver` (CP-SAT), :mod:`.lists` (cut list, plus list,
frontier), :mod:`.phasing`, :mod:`.montecarlo`, :mod:`.coverage`, :mod:`.run` (one run),
:mod:`.report` and :mod:`.pictures` (the outputs).
"""
