"""Speaker turns and paragraphs as evidence for the bead cost: what the structure of both sides says about a bead.

A transcript's sentences carry the index of their speaker turn (`Sentence.turn`) and of their paragraph
(`Sentence.paragraph`); an aligner is given one id per sentence and side (None for plain text). `Boundaries`
reads from one kind of id, for every bead the search scores: whether the bead's sentences cross a boundary on
one side but not on the other (`cut`: a paired bead gluing the end of an answer to the next question on one
side only) or stays inside one turn or paragraph on both sides (`inside`), whether its first sentences start a turn or paragraph on one side only (`start_mismatch`),
whether a run of 1-0 / 0-1 beads starts inside one (`opens_inside`, paid with the gap opening: a whole
question, answer or paragraph left out starts at its start) and whether a skipped sentence ends its turn or
paragraph (`skip_ends`: a run that ends where it ends), and whether a bead that crosses a boundary on one side only
holds a whole turn or paragraph of that side and none of the other (`glues_whole`: a paragraph one version lacks,
glued to a piece of its neighbour, where a break one version leaves out or moves holds both or none). `Roles` reads the roles of the turns' sentences: a
sentence asks when it or a later sentence of its turn ends with a question mark (a journalist's context and
question; `asking`), the others answer or speak (an answer, an announcement, and what follows a turn's last
question); a paired bead whose sentences all ask on one side and none on the other pairs a question with an
answer (`mismatch`, counted per sentence). Question marks survive translation, so both versions of a question
ask, whatever their speaker labels say.

Turns are evidence when one side has more than one (`turn_boundaries`), and so are paragraphs, unless a side
reads as one sentence a line (`paragraph_boundaries`): there every sentence is a paragraph, and its boundaries
say nothing that the sentences do not.
"""

from __future__ import annotations

from collections import Counter
from typing import Sequence

import numpy as np

from align.aligners.spans import prefix1d

# What may close a sentence after its question mark: quotes and brackets.
_CLOSING = "\"'”’)）」』》 \t"


def _starts(ids: Sequence[int]) -> np.ndarray:
    """1.0 where a sentence starts a turn or paragraph (the first sentence does), else 0.0."""
    ids = np.asarray(ids)
    return np.concatenate(([1.0], (ids[1:] != ids[:-1]).astype(float))) if len(ids) else np.zeros(0)


class Boundaries:
    """The turn (or paragraph) starts of both sides (Chinese, or the source, first) and their running counts."""

    def __init__(self, src_ids: Sequence[int], tgt_ids: Sequence[int]):
        self.src_starts, self.tgt_starts = _starts(src_ids), _starts(tgt_ids)
        self._src_count, self._tgt_count = prefix1d(self.src_starts), prefix1d(self.tgt_starts)
        # a sentence ends its turn when the next one starts another (the last sentence does)
        self.src_ends = np.concatenate((self.src_starts[1:], [1.0]))
        self.tgt_ends = np.concatenate((self.tgt_starts[1:], [1.0]))
        self._src_next, self._src_stop = _next_starts(self.src_starts)
        self._tgt_next, self._tgt_stop = _next_starts(self.tgt_starts)

    def _crossing(self, a: int, b: int, i, js: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Whether a bead [i-a, i) × [j-b, j)'s sentences cross a boundary on the source side, and on the target's."""
        return ((self._src_count[i] - self._src_count[i - a + 1]) > 0,
                (self._tgt_count[js] - self._tgt_count[js - b + 1]) > 0)

    def cut(self, a: int, b: int, i, js: np.ndarray) -> np.ndarray:
        """1.0 for a bead [i-a, i) × [j-b, j) whose sentences cross a boundary on exactly one side."""
        src, tgt = self._crossing(a, b, i, js)
        return (src != tgt).astype(float)

    def inside(self, a: int, b: int, i, js: np.ndarray) -> np.ndarray:
        """1.0 for a bead [i-a, i) × [j-b, j) whose sentences cross no boundary on either side, else 0.0."""
        src, tgt = self._crossing(a, b, i, js)
        return (~src & ~tgt).astype(float)

    def glues_whole(self, a: int, b: int, i, js: np.ndarray) -> np.ndarray:
        """1.0 for a bead [i-a, i) × [j-b, j) that crosses a boundary on one side only, holds a whole turn
        (paragraph) of that side and none of the other: a block one version lacks glued to a piece of the turn
        (paragraph) beside it. A bead that joins two whole paragraphs of one side to a whole one of the other
        (a paragraph break one version leaves out) and one that moves a break by a sentence hold none or both."""
        src_whole = _holds_whole(self._src_next, self._src_stop, np.asarray(i) - a, np.asarray(i))
        tgt_whole = _holds_whole(self._tgt_next, self._tgt_stop, js - b, js)
        src_cross, tgt_cross = self._crossing(a, b, i, js)
        return ((src_cross & ~tgt_cross & src_whole & ~tgt_whole) |
                (tgt_cross & ~src_cross & tgt_whole & ~src_whole)).astype(float)

    def start_mismatch(self, a: int, b: int, i, js: np.ndarray) -> np.ndarray:
        """1.0 for a bead whose first sentence starts a turn (paragraph) on exactly one side."""
        return (self.src_starts[i - a] != self.tgt_starts[js - b]).astype(float)

    def opens_inside(self, a: int, i, js: np.ndarray) -> np.ndarray:
        """1.0 for a 1-0 (a = 1) or 0-1 bead ending at (i, j) that opens a gap inside a turn (paragraph)."""
        return 1.0 - _of_skipped(self.src_starts, self.tgt_starts, a, i, js)

    def skip_ends(self, a: int, i, js: np.ndarray) -> np.ndarray:
        """1.0 for a 1-0 / 0-1 bead whose sentence is the last of its turn (paragraph)."""
        return _of_skipped(self.src_ends, self.tgt_ends, a, i, js)


def _next_starts(starts: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """For each position k (0 … n), the first turn (paragraph) start at or after k (n if none), and for each
    sentence the position after the last sentence of its turn (paragraph)."""
    n = len(starts)
    first = np.full(n + 1, n, dtype=np.int64)
    for k in range(n - 1, -1, -1):
        first[k] = k if starts[k] else first[k + 1]
    stop = np.empty(n + 1, dtype=np.int64)
    stop[n] = n + 1   # no sentence there: never a whole unit
    following = n
    for k in range(n - 1, -1, -1):
        stop[k] = following
        if starts[k]:
            following = k
    return first, stop


def _holds_whole(first: np.ndarray, stop: np.ndarray, lo, hi) -> np.ndarray:
    """Whether the sentences [lo, hi) hold a whole turn (paragraph): the first one starting in them ends in them
    (the later ones start after it, so they end later)."""
    start = first[lo]
    return (start < hi) & (stop[start] <= hi)


def _of_skipped(src: np.ndarray, tgt: np.ndarray, a: int, i, js: np.ndarray) -> np.ndarray:
    """The value of the sentence a 1-0 (a = 1: `src`'s) or 0-1 bead ending at (i, j) leaves out, per j in js."""
    return src[np.broadcast_to(np.asarray(i) - 1, np.shape(js))] if a else tgt[js - 1]


def asks(sentence: str) -> bool:
    """Whether a sentence ends with a question mark (half- or full-width, before closing quotes or brackets)."""
    return sentence.rstrip(_CLOSING).endswith(("?", "？"))


def asking(texts: Sequence[str], turns: Sequence[int]) -> np.ndarray:
    """1.0 for each sentence that is part of a question: a sentence of its turn, it or one after it, ends with a
    question mark (a question's context and the question itself; what follows the turn's last question, an
    answer whose speaker label was lost, is not), else 0.0."""
    flags = np.zeros(len(texts))
    for k in range(len(texts) - 1, -1, -1):
        later = k + 1 < len(texts) and turns[k + 1] == turns[k] and flags[k + 1]
        flags[k] = float(asks(texts[k]) or later)
    return flags


class Roles:
    """Which sentences of each side (Chinese, or the source, first) ask (`asking`), as running counts."""

    def __init__(self, src_asking: np.ndarray, tgt_asking: np.ndarray):
        self._src_count, self._tgt_count = prefix1d(src_asking), prefix1d(tgt_asking)

    def mismatch(self, a: int, b: int, i, js: np.ndarray) -> np.ndarray:
        """For a bead [i-a, i) × [j-b, j) whose sentences all ask on one side and none on the other, its number of
        sentences (a + b: each is paired with the wrong role), else 0.0."""
        src = self._src_count[i] - self._src_count[i - a]
        tgt = self._tgt_count[js] - self._tgt_count[js - b]
        return (((src == a) & (tgt == 0)) | ((src == 0) & (tgt == b))) * float(a + b)


def turn_roles(src: Sequence[str], tgt: Sequence[str], src_turns: Sequence[int] | None,
               tgt_turns: Sequence[int] | None) -> Roles | None:
    """The role evidence of a pair, or None (the role feature zero) where turns are no evidence
    (`turn_boundaries`) or no sentence of either side asks."""
    if turn_boundaries(src_turns, tgt_turns, len(src), len(tgt)) is None:
        return None
    src_asking, tgt_asking = asking(src, src_turns), asking(tgt, tgt_turns)
    if not src_asking.any() and not tgt_asking.any():
        return None
    return Roles(src_asking, tgt_asking)


def unpaired_in_turn(route: Sequence[tuple[tuple[int, int], int, int]], src_turns: Sequence[int] | None,
                     tgt_turns: Sequence[int] | None) -> list[float]:
    """For each paired bead of a route (beads as ((a, b), i, j)), the largest share, over the speaker turns its
    sentences lie in on either side, of the turn's other sentences that the route leaves unpaired; 0 for an
    unpaired bead, and for every bead where turns are no evidence (`turn_boundaries`). A unit whose turn has
    otherwise no counterpart is one sentence of a question, answer or conference the other version lacks, paired
    with a neighbour across the gap (a whole conference missing from one side left one such unit at 0.97)."""
    if turn_boundaries(src_turns, tgt_turns, len(src_turns or ()), len(tgt_turns or ())) is None:
        return [0.0] * len(route)
    sides = []   # per side: each sentence's turn, each turn's size, each turn's unpaired sentences
    for turns, side in ((src_turns, 0), (tgt_turns, 1)):
        paired = {x for kind, *ends in route if all(kind) for x in range(ends[side] - kind[side], ends[side])}
        sides.append((turns, Counter(turns), Counter(t for x, t in enumerate(turns) if x not in paired)))
    out = []
    for kind, i, j in route:
        share = 0.0
        if all(kind):
            for (turns, size, unpaired), (count, end) in zip(sides, ((kind[0], i), (kind[1], j))):
                for turn, mine in Counter(turns[x] for x in range(end - count, end)).items():
                    if size[turn] > mine:
                        share = max(share, unpaired[turn] / (size[turn] - mine))
        out.append(share)
    return out


def _checked(src_ids: Sequence[int] | None, tgt_ids: Sequence[int] | None, n_src: int, n_tgt: int, what: str) -> bool:
    """Whether both sides have ids; ValueError when a side's ids are not one per sentence."""
    if src_ids is None or tgt_ids is None:
        return False
    if len(src_ids) != n_src or len(tgt_ids) != n_tgt:
        raise ValueError(f"{what} ids for {len(src_ids)} + {len(tgt_ids)} sentences, given {n_src} + {n_tgt}")
    return True


def turn_boundaries(src_turns: Sequence[int] | None, tgt_turns: Sequence[int] | None,
                    n_src: int, n_tgt: int) -> Boundaries | None:
    """The turn evidence of a pair, or None (every turn feature zero) unless both sides have turn ids and one
    of them more than one turn (a single question and answer whose question one version lacks still tells
    where the question ends); ValueError when a side's ids are not one per sentence."""
    if not _checked(src_turns, tgt_turns, n_src, n_tgt, "turn"):
        return None
    if len(set(src_turns)) < 2 and len(set(tgt_turns)) < 2:
        return None
    return Boundaries(src_turns, tgt_turns)


# A side reads as one sentence a line when more than this share of its sentences start a paragraph. Text
# written one sentence a line still has a few lines that the segmenter cuts in two: read as `run` reads them,
# MAC-Dev's sides have 0.89–1.00 paragraphs per sentence, the Bible's 1.00; press-dev's transcripts and their
# variants without a paragraph 0.20–0.75 where they have more than one paragraph and not one sentence each
# (what the paragraph features give: `python -m align bench press`, the rows with a paragraph removed).
LINE_PER_SENTENCE = 0.8


def _one_sentence_a_line(ids: Sequence[int]) -> bool:
    """Several sentences, more than LINE_PER_SENTENCE of them starting a paragraph."""
    return len(ids) > 1 and float(_starts(ids).mean()) > LINE_PER_SENTENCE


def paragraph_boundaries(src_paragraphs: Sequence[int] | None, tgt_paragraphs: Sequence[int] | None,
                         n_src: int, n_tgt: int) -> Boundaries | None:
    """The paragraph evidence of a pair, or None (every paragraph feature zero) unless both sides have paragraph
    ids, one of them more than one paragraph, and neither side reads as one sentence a line; ValueError when a
    side's ids are not one per sentence."""
    if not _checked(src_paragraphs, tgt_paragraphs, n_src, n_tgt, "paragraph"):
        return None
    if len(set(src_paragraphs)) < 2 and len(set(tgt_paragraphs)) < 2:
        return None
    if _one_sentence_a_line(src_paragraphs) or _one_sentence_a_line(tgt_paragraphs):
        return None
    return Boundaries(src_paragraphs, tgt_paragraphs)


def structure_evidence(src_turns: Sequence[int] | None, tgt_turns: Sequence[int] | None,
                       src_paragraphs: Sequence[int] | None, tgt_paragraphs: Sequence[int] | None,
                       n_src: int, n_tgt: int) -> dict[str, Boundaries]:
    """The boundaries that are evidence for the pair, by kind ("turn", "paragraph"; none for plain text)."""
    found = {"turn": turn_boundaries(src_turns, tgt_turns, n_src, n_tgt),
             "paragraph": paragraph_boundaries(src_paragraphs, tgt_paragraphs, n_src, n_tgt)}
    return {kind: boundaries for kind, boundaries in found.items() if boundaries is not None}
