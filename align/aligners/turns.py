"""Speaker turns as evidence for the bead cost: what the turn structure of both sides says about a bead.

A transcript's sentences carry the index of their speaker turn (`Sentence.turn`); an aligner is given one id
per sentence and side (None for plain text). `TurnBoundaries` reads from them, for every bead the search
scores: whether the bead's sentences cross a turn boundary on one side but not on the other (`cut`: a
paired bead gluing the end of an answer to the next question on one side only), whether its first
sentences start a turn on one side only (`start_mismatch`), whether a run of 1-0 / 0-1 beads starts inside
a turn (`opens_inside`, paid with the gap opening: a whole question or answer left out starts at a turn's
start) and whether a skipped sentence ends its turn (`ends_turn`: a run that ends where a turn ends).
"""

from __future__ import annotations

from typing import Sequence

import numpy as np

from align.aligners.spans import prefix1d


def _starts(turns: Sequence[int]) -> np.ndarray:
    """1.0 where a sentence starts a turn (the first sentence does), else 0.0."""
    ids = np.asarray(turns)
    return np.concatenate(([1.0], (ids[1:] != ids[:-1]).astype(float))) if len(ids) else np.zeros(0)


class TurnBoundaries:
    """The turn starts of both sides (Chinese, or the source, first) and their running counts."""

    def __init__(self, src_turns: Sequence[int], tgt_turns: Sequence[int]):
        self.src_starts, self.tgt_starts = _starts(src_turns), _starts(tgt_turns)
        self._src_count, self._tgt_count = prefix1d(self.src_starts), prefix1d(self.tgt_starts)
        # a sentence ends its turn when the next one starts another (the last sentence does)
        self.src_ends = np.concatenate((self.src_starts[1:], [1.0]))
        self.tgt_ends = np.concatenate((self.tgt_starts[1:], [1.0]))

    def cut(self, a: int, b: int, i, js: np.ndarray) -> np.ndarray:
        """1.0 for a bead [i-a, i) × [j-b, j) whose sentences cross a turn boundary on exactly one side."""
        src = (self._src_count[i] - self._src_count[i - a + 1]) > 0
        tgt = (self._tgt_count[js] - self._tgt_count[js - b + 1]) > 0
        return (src != tgt).astype(float)

    def start_mismatch(self, a: int, b: int, i, js: np.ndarray) -> np.ndarray:
        """1.0 for a bead whose first sentence starts a turn on exactly one side."""
        return (self.src_starts[i - a] != self.tgt_starts[js - b]).astype(float)

    def opens_inside(self, a: int, i, js: np.ndarray) -> np.ndarray:
        """1.0 for a 1-0 (a = 1) or 0-1 bead ending at (i, j) that opens a gap inside a turn."""
        return 1.0 - _of_skipped(self.src_starts, self.tgt_starts, a, i, js)

    def ends_turn(self, a: int, i, js: np.ndarray) -> np.ndarray:
        """1.0 for a 1-0 / 0-1 bead whose sentence is the last of its turn."""
        return _of_skipped(self.src_ends, self.tgt_ends, a, i, js)


def _of_skipped(src: np.ndarray, tgt: np.ndarray, a: int, i, js: np.ndarray) -> np.ndarray:
    """The value of the sentence a 1-0 (a = 1: `src`'s) or 0-1 bead ending at (i, j) leaves out, per j in js."""
    return src[np.broadcast_to(np.asarray(i) - 1, np.shape(js))] if a else tgt[js - 1]


def turn_boundaries(src_turns: Sequence[int] | None, tgt_turns: Sequence[int] | None,
                    n_src: int, n_tgt: int) -> TurnBoundaries | None:
    """The turn evidence of a pair, or None (every turn feature zero) unless both sides have turn ids and one
    of them more than one turn (a single question and answer whose question one version lacks still tells
    where the question ends); ValueError when a side's ids are not one per sentence."""
    if src_turns is None or tgt_turns is None:
        return None
    if len(src_turns) != n_src or len(tgt_turns) != n_tgt:
        raise ValueError(f"turn ids for {len(src_turns)} + {len(tgt_turns)} sentences, given {n_src} + {n_tgt}")
    if len(set(src_turns)) < 2 and len(set(tgt_turns)) < 2:
        return None
    return TurnBoundaries(src_turns, tgt_turns)
