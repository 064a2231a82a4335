"""Fuzzy matching against the memory: similarity and match percentages (`score`), candidates and
ranking (`search`), the leverage analysis of a new document (`analyze`) and its benchmark (`evaluate`)."""
