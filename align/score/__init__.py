"""Signals that say how likely two spans are translations: length, lexicon, embeddings; and their combination."""
