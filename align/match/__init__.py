"""Fuzzy matching against the memory: similarity and match percentages (`score`), candidates and
ranking (`search`) and the leverage analysis of a new document (`analyze`); its benchmark is
align.bench.fuzzy."""
