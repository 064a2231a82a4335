"""A clause moved across the sentence boundary in translation: evidence, below the sentence, that a unit is a
piece of a many-to-many the route split.

A translator often moves a clause from the end of one sentence to the start of the next (把他看到没了脾气 ends
the Chinese sentence before; "… until his anger vanished under my stare." ends the English one): the gold then
has a 2-2, and the route, whose every sentence-level signal finds each piece a fair translation of its
counterpart, two 1-1s. The clause itself shows it. `clauses` cuts a sentence at its clause marks; for a unit
and each paired neighbour, `moved_clause_gain` reads the clause at the boundary of each of the four sentences
there (the last of the earlier unit's, the first of the later's) and how much better it matches the sentence
across the boundary on the other side (where it would stand had it moved) than its own unit's sentence, by the
encoder's cosine; the unit's reading is the largest. `route_clause_gains` reads every doubtful unit of a route
(final posterior log-odds under `GATE`; a sure unit, or one without a paired neighbour, reads 0), encoding the
clauses through the aligner's encoder (its cache holds the sentences already). Measured as a confidence input
(docs/aligner.md, "Confidence calibration").
"""

from __future__ import annotations

import re
from typing import Callable, NamedTuple, Sequence

import numpy as np

# The units read: those the final search is less sure of than this (log-odds). Every wrong unit of MAC-Dev,
# the Bible and the omission variants has final log-odds under 6; 4 keeps the encoding to the doubtful half.
GATE = 4.0
# Chinese clauses end at ，；：, English ones at , ; : and dashes. A piece shorter than the least of its language
# is joined to the next (the last to the one before): 他说， or "Then," carries nothing of its own to match.
_ZH_MARKS = re.compile(r"(?<=[，；：,;:])")
_EN_MARKS = re.compile(r"(?<=[,;:—])\s*")
ZH_LEAST, EN_LEAST = 4, 3     # characters, words

Unit = tuple[tuple[int, ...], tuple[int, ...]]
Route = Sequence[tuple[tuple[int, int], int, int]]


def clauses(sentence: str, zh: bool, marks: re.Pattern | None = None) -> list[str]:
    """The clauses of a sentence, in order, cut where `marks` matches (default `_ZH_MARKS` / `_EN_MARKS`),
    pieces under `ZH_LEAST` characters / `EN_LEAST` words joined to the next (the last to the one before)."""
    size = (lambda t: len(re.sub(r"\W", "", t))) if zh else (lambda t: len(re.findall(r"\w+", t)))
    least = ZH_LEAST if zh else EN_LEAST
    marks = marks or (_ZH_MARKS if zh else _EN_MARKS)
    out: list[str] = []
    carried = ""
    for piece in (p for p in marks.split(sentence) if p.strip()):
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


class Move(NamedTuple):
    """An edge clause that may have moved: the clause, the sentence on the other side across the boundary that
    would hold it (`toward`), and the sentence on the other side of its own unit (`own`)."""

    clause: str
    toward: str
    own: str


def unit_of(route: Route, k: int) -> Unit:
    (a, b), i, j = route[k]
    return tuple(range(i - a, i)), tuple(range(j - b, j))


def paired_neighbours(route: Route, k: int) -> list[int]:
    return [m for m in (k - 1, k + 1) if 0 <= m < len(route) and all(route[m][0])]


def moves(zh: Sequence[str], en: Sequence[str], earlier: Unit, later: Unit) -> list[Move]:
    """The edge clauses at the boundary between two consecutive paired units, each a `Move`: the earlier
    Chinese sentence's last clause toward the later English sentence (its own: the earlier English), the
    later English sentence's first clause toward the earlier Chinese, and the same two the other way round.
    A sentence of one clause gives none."""
    ze, zl, ee, el = zh[earlier[0][-1]], zh[later[0][0]], en[earlier[1][-1]], en[later[1][0]]
    out = []
    for sentence, at, toward, own, is_zh in ((ze, -1, el, ee, True), (el, 0, ze, zl, False),
                                             (zl, 0, ee, el, True), (ee, -1, zl, ze, False)):
        parts = clauses(sentence, is_zh)
        if len(parts) > 1:
            out.append(Move(parts[at], toward, own))
    return out


def unit_moves(zh: Sequence[str], en: Sequence[str], route: Route, k: int) -> list[Move]:
    """The `moves` at both boundaries of paired unit `k` with its paired neighbours."""
    found = []
    for m in paired_neighbours(route, k):
        first, second = sorted((k, m))
        found += moves(zh, en, unit_of(route, first), unit_of(route, second))
    return found


def moved_clause_gain(found: list[Move], vector: Callable[[str], np.ndarray]) -> float:
    """The largest cosine gain of a moved clause: with the sentence across the boundary, less with its own
    unit's sentence (unit vectors from `vector`); 0 without an edge clause."""
    return max((float(vector(m.clause) @ vector(m.toward) - vector(m.clause) @ vector(m.own)) for m in found),
               default=0.0)


def route_clause_gains(zh: Sequence[str], en: Sequence[str], route: Route, odds: Sequence[float],
                       encode: Callable[[list[str]], np.ndarray], gate: float = GATE) -> list[float]:
    """`moved_clause_gain` of each paired unit of `route` (beads as ((a, b), i, j) over `zh` / `en`) whose final
    log-odds are under `gate`, 0 for the others; `encode` gives unit vectors of texts (one call)."""
    read = {k: unit_moves(zh, en, route, k) for k, ((a, b), _, _) in enumerate(route)
            if a and b and odds[k] < gate}
    texts = sorted({t for found in read.values() for m in found for t in m})
    vectors = dict(zip(texts, encode(texts))) if texts else {}
    return [moved_clause_gain(read[k], vectors.__getitem__) if k in read else 0.0 for k in range(len(route))]
