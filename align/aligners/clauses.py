"""A clause moved across a sentence boundary in translation, as evidence for a 2-2 bead against the two 1-1s that
split it (issue 17): the clauses of a sentence, and the crossing gain of chosen 2-2 beads (`ClauseCrossing`), read by
`combined.CombinedCost` as the feature `clause_cross`.

A 2-2 bead zh_0 zh_1 ↔ en_0 en_1 whose translation moved a clause across the boundary (把他看到没了脾气 ends the
English sentence before) is split by every sentence- and span-level signal: each piece translates its counterpart
well. What tells it is at clause level: the last clause of zh_0 matches en_1 better than en_0, or the first clause of
zh_1 matches en_0 better than en_1 (and the same of the English edge clauses against the Chinese sentences).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Callable, Sequence

import numpy as np

# Chinese clauses end at ，；：, English ones at , ; : and dashes; with conjunctions, an English clause also starts
# before one of these words. A piece shorter than the least of its language is joined to the next (the last to
# the one before): 他说， or "Then," carries nothing of its own to match.
_ZH_MARKS = re.compile(r"(?<=[，；：,;:])")
_EN_MARKS = re.compile(r"(?<=[,;:—])\s*")
_EN_CONJUNCTIONS = re.compile(r"(?<=[,;:—])\s*|\s+(?=(?:but|until|because|while|then|so)\b)")
ZH_LEAST, EN_LEAST = 4, 3     # characters, words


def clauses(sentence: str, zh: bool, conjunctions: bool = False) -> list[str]:
    """The clauses of a sentence, in order (`_ZH_MARKS`, `_EN_MARKS` / `_EN_CONJUNCTIONS`), short pieces joined."""
    pattern = _ZH_MARKS if zh else _EN_CONJUNCTIONS if conjunctions else _EN_MARKS
    size = (lambda t: len(re.sub(r"\W", "", t))) if zh else (lambda t: len(re.findall(r"\w+", t)))
    least = ZH_LEAST if zh else EN_LEAST
    out: list[str] = []
    carried = ""
    for piece in (p for p in pattern.split(sentence) if p.strip()):
        carried = carried + ("" if zh or not carried else " ") + piece.strip()
        if size(carried) >= least:
            out.append(carried)
            carried = ""
    if carried:
        if out:
            out[-1] += ("" if zh else " ") + carried
        else:
            out.append(carried)
    return out


@dataclass(frozen=True)
class ClauseCrossing:
    """The clause crossing gain of chosen 2-2 beads: `values[k]` for the bead [i-2, i) × [j-2, j) whose
    i · stride + j is `keys[k]` (sorted); zero for every other bead."""

    keys: np.ndarray
    values: np.ndarray
    stride: int

    def crossing(self, i, js: np.ndarray) -> np.ndarray:
        """The gain of each 2-2 bead ending at (i, j), j in js (`i` one row or one per j)."""
        wanted = np.asarray(i, dtype=np.int64) * self.stride + js
        if not len(self.keys):
            return np.zeros(np.shape(wanted))
        at = np.minimum(np.searchsorted(self.keys, wanted), len(self.keys) - 1)
        return np.where(self.keys[at] == wanted, self.values[at], 0.0)


def _edges(zh: Sequence[str], en: Sequence[str], i: int, j: int) -> list[tuple[str, bool, int, int]]:
    """The edge clauses of the 2-2 bead ending at (i, j) that may have moved, as (clause, Chinese?, the sentence
    across the boundary on the other side, its own unit's sentence there), for each edge sentence of more than one
    clause: the last clause of the first sentence, the first clause of the second."""
    out = []
    for sentence, zh_side, at, toward, own in ((zh[i - 2], True, -1, j - 1, j - 2), (zh[i - 1], True, 0, j - 2, j - 1),
                                               (en[j - 2], False, -1, i - 1, i - 2), (en[j - 1], False, 0, i - 2, i - 1)):
        parts = clauses(sentence, zh_side)
        if len(parts) > 1:
            out.append((parts[at], zh_side, toward, own))
    return out


def clause_crossing(zh: Sequence[str], en: Sequence[str], vectors: tuple[np.ndarray, np.ndarray],
                    ends: Sequence[tuple[int, int]], encode: Callable[[list[str]], np.ndarray]) -> ClauseCrossing:
    """The crossing gain of the 2-2 beads ending at `ends`: the largest, over its edge clauses (`_edges`), of a
    clause's cosine with the sentence across the boundary on the other side less its cosine with its own unit's
    sentence there, floored at 0; `vectors` are the sentences' unit vectors (Chinese, English) and `encode` gives
    the clauses' (one call)."""
    found = {end: _edges(zh, en, *end) for end in ends}
    texts = sorted({clause for edges in found.values() for clause, *_ in edges})
    clause_vectors = dict(zip(texts, encode(texts))) if texts else {}
    gains: dict[int, float] = {}
    stride = len(en) + 1
    for (i, j), edges in found.items():
        best = 0.0
        for clause, zh_side, toward, own in edges:
            other = vectors[1] if zh_side else vectors[0]
            c = clause_vectors[clause]
            best = max(best, float(c @ other[toward] - c @ other[own]))
        if best > 0:
            gains[i * stride + j] = best
    keys = np.array(sorted(gains), dtype=np.int64)
    return ClauseCrossing(keys, np.array([gains[k] for k in keys.tolist()]), stride)
