"""The dynamic programme every aligner shares: a banded, row-vectorised search over beads.

Rows are source positions; within a row all target positions of the band are relaxed at once with
numpy. The recursion is a state machine of three states per cell (after a paired bead, inside a run
of 1-0 beads, inside a run of 0-1 beads), so that a gap of k missing sentences costs one opening and
k extensions (Vecalign's deletion penalty, hunalign's 1-0 beads, with a gap-open cost as in sequence
alignment). Beads that consume a source sentence read finished rows; the 0-1 bead (skip a target
sentence) reads the same row and is folded in with a running minimum over prefix sums, so no
Python loop runs over cells. Large inputs are aligned coarse-to-fine (Vecalign): blocks of
sentences are aligned first, and the fine search runs in a band around the projected path.
"""

from __future__ import annotations

from typing import Protocol, Sequence

import numpy as np

Kind = tuple[int, int]


class BeadCost(Protocol):
    """Cost of beads; lower is better. `cost(a, b, i, js)` is the cost of the bead covering
    source sentences [i-a, i) and target sentences [j-b, j) for every j in `js`."""

    n_src: int
    n_tgt: int

    def cost(self, a: int, b: int, i: int, js: np.ndarray) -> np.ndarray: ...


def full_band(n_src: int, n_tgt: int) -> tuple[np.ndarray, np.ndarray]:
    return np.zeros(n_src + 1, dtype=np.int64), np.full(n_src + 1, n_tgt, dtype=np.int64)


def band_around(path: Sequence[tuple[int, int]], n_src: int, n_tgt: int, width: int) -> tuple[np.ndarray, np.ndarray]:
    """Per-row [lo, hi] target range covering every path point (i, j) widened by `width` cells."""
    lo = np.full(n_src + 1, n_tgt, dtype=np.int64)
    hi = np.zeros(n_src + 1, dtype=np.int64)
    for i, j in path:
        r0, r1 = max(0, i - width), min(n_src, i + width)
        lo[r0:r1 + 1] = np.minimum(lo[r0:r1 + 1], max(0, j - width))
        hi[r0:r1 + 1] = np.maximum(hi[r0:r1 + 1], min(n_tgt, j + width))
    # keep the band monotone so every row can reach the next
    lo = np.minimum.accumulate(lo[::-1])[::-1]
    hi = np.maximum.accumulate(hi)
    lo[0], hi[-1] = 0, n_tgt
    return lo, hi


SKIP_SRC, SKIP_TGT = (1, 0), (0, 1)
# The search's states: after a paired bead (or at the start), inside a run of 1-0 beads, inside a run of 0-1 beads.
PAIRED, IN_SRC_GAP, IN_TGT_GAP = 0, 1, 2


def opening(scorer: BeadCost, a: int, b: int, i: int, js: np.ndarray) -> np.ndarray:
    """The extra cost of a 1-0 / 0-1 bead that starts a run of them (a gap), on top of `cost`: a run of k
    missing sentences costs one opening and k extensions. Zero for scorers that have no `opening`."""
    if hasattr(scorer, "opening"):
        return scorer.opening(a, b, i, js)
    return np.zeros(len(js))


class _BandedRows:
    """One float row per source position, holding only that row's band [lo, hi]; `fill` outside it."""

    def __init__(self, lo: np.ndarray, hi: np.ndarray, fill: float = -np.inf, dtype=np.float64):
        self.lo, self.hi, self.fill = lo, hi, fill
        self.rows = [np.full(int(h - l + 1), fill, dtype=dtype) for l, h in zip(lo, hi)]

    def read(self, i: int, js: np.ndarray) -> np.ndarray:
        out = np.full(len(js), self.fill)
        inside = (js >= self.lo[i]) & (js <= self.hi[i])
        out[inside] = self.rows[i][js[inside] - self.lo[i]]
        return out


def search(scorer: BeadCost, kinds: Sequence[Kind], band: tuple[np.ndarray, np.ndarray] | None = None) -> list[tuple[Kind, int, int]]:
    """Cheapest bead sequence from (0, 0) to (n_src, n_tgt). Returns (kind, i_end, j_end) per bead.

    A state machine over three states per cell (PAIRED, IN_SRC_GAP, IN_TGT_GAP): a paired bead leads to
    PAIRED from any state; a 1-0 bead leads to IN_SRC_GAP and costs its `opening` as well unless it comes
    from IN_SRC_GAP; the same for 0-1 and IN_TGT_GAP."""
    n, m = scorer.n_src, scorer.n_tgt
    lo, hi = band if band is not None else full_band(n, m)
    total = [_BandedRows(lo, hi, np.inf) for _ in range(3)]
    came_from = [_BandedRows(lo, hi, -1, np.int8) for _ in range(3)]   # the state before the last bead
    kind_of = _BandedRows(lo, hi, -1, np.int16)                          # the paired bead's kind
    best, best_state = _BandedRows(lo, hi, np.inf), _BandedRows(lo, hi, -1, np.int8)   # over the three states
    total[PAIRED].rows[0][0] = 0.0
    paired = [(k, a, b) for k, (a, b) in enumerate(kinds) if a > 0 and b > 0]
    for i in range(n + 1):
        j0, j1 = int(lo[i]), int(hi[i])
        row, row_from, row_kind = total[PAIRED].rows[i], came_from[PAIRED].rows[i], kind_of.rows[i]
        for k, a, b in paired:
            if a > i or max(j0, b) > j1:
                continue
            js = np.arange(max(j0, b), j1 + 1)
            candidate = best.read(i - a, js - b) + scorer.cost(a, b, i, js)
            cells = slice(js[0] - j0, None)
            better = candidate < row[cells]
            row[cells][better], row_kind[cells][better] = candidate[better], k
            row_from[cells][better] = best_state.read(i - a, js - b)[better]
        if SKIP_SRC in kinds and i > 0:
            js = np.arange(j0, j1 + 1)
            extend = scorer.cost(1, 0, i, js)
            stay = total[IN_SRC_GAP].read(i - 1, js)
            other = np.minimum(total[PAIRED].read(i - 1, js), total[IN_TGT_GAP].read(i - 1, js))
            other_state = np.where(total[PAIRED].read(i - 1, js) <= total[IN_TGT_GAP].read(i - 1, js), PAIRED, IN_TGT_GAP)
            opened = other + opening(scorer, 1, 0, i, js)
            total[IN_SRC_GAP].rows[i][:] = np.minimum(stay, opened) + extend
            came_from[IN_SRC_GAP].rows[i][:] = np.where(stay <= opened, IN_SRC_GAP, other_state)
        if SKIP_TGT in kinds and j1 > j0:
            # a run of 0-1 beads along the row: prefix sums of the extensions turn it into a running minimum
            js = np.arange(j0 + 1, j1 + 1)
            extend = scorer.cost(0, 1, i, js)
            prefix = np.concatenate(([0.0], np.cumsum(extend)))
            left_paired, left_src = total[PAIRED].rows[i][:-1], total[IN_SRC_GAP].rows[i][:-1]
            opened = np.minimum(left_paired, left_src) + opening(scorer, 0, 1, i, js)
            gap = np.full(j1 - j0 + 1, np.inf)
            gap[1:] = np.minimum.accumulate(opened - prefix[:-1]) + prefix[1:]
            total[IN_TGT_GAP].rows[i][:] = gap
            came_from[IN_TGT_GAP].rows[i][1:] = np.where(gap[:-1] <= opened, IN_TGT_GAP,
                                                         np.where(left_paired <= left_src, PAIRED, IN_SRC_GAP))
        states = np.stack([t.rows[i] for t in total])
        best_state.rows[i][:] = states.argmin(axis=0)
        best.rows[i][:] = states.min(axis=0)
    ends = [t.read(n, np.array([m]))[0] for t in total]
    if not np.isfinite(min(ends)):
        raise RuntimeError("alignment search found no path (band too narrow)")
    beads = []
    i, j, state = n, m, int(np.argmin(ends))
    while i > 0 or j > 0:
        if state == PAIRED:
            a, b = kinds[int(kind_of.read(i, np.array([j]))[0])]
        else:
            a, b = SKIP_SRC if state == IN_SRC_GAP else SKIP_TGT
        beads.append(((a, b), i, j))
        state = int(came_from[state].read(i, np.array([j]))[0])
        i, j = i - a, j - b
    beads.reverse()
    return beads


def path_points(beads: list[tuple[Kind, int, int]]) -> list[tuple[int, int]]:
    return [(0, 0)] + [(i, j) for _, i, j in beads]


class CachedCost:
    """A scorer whose bead costs are computed once per (kind, row) over the row's band, so the
    search and the posteriors over the same band share one evaluation of every bead, and keep the
    costs of the moment they were computed."""

    def __init__(self, scorer: BeadCost, band: tuple[np.ndarray, np.ndarray] | None = None):
        self.scorer, self.n_src, self.n_tgt = scorer, scorer.n_src, scorer.n_tgt
        self.lo, self.hi = band if band is not None else full_band(self.n_src, self.n_tgt)
        self.rows: dict[tuple[int, int, int], tuple[int, np.ndarray]] = {}

    def opening(self, a: int, b: int, i: int, js: np.ndarray) -> np.ndarray:
        return opening(self.scorer, a, b, i, js)

    def cost(self, a: int, b: int, i: int, js: np.ndarray) -> np.ndarray:
        key = (a, b, i)
        if key not in self.rows:
            start = max(int(self.lo[i]), b)
            self.rows[key] = (start, self.scorer.cost(a, b, i, np.arange(start, max(start, int(self.hi[i]) + 1))))
        start, values = self.rows[key]
        offsets = js - start
        inside = (offsets >= 0) & (offsets < len(values))
        if inside.all():
            return values[offsets]
        out = np.empty(len(js))
        out[inside] = values[offsets[inside]]
        out[~inside] = self.scorer.cost(a, b, i, js[~inside])
        return out


class Posteriors:
    """The distribution over all bead sequences in the band with P(sequence) ∝ exp(−cost / temperature),
    summed by forward–backward over the states of `search`, so a bead with a close rival anywhere gets low
    odds. `log_odds` reads each bead's own cost from the scorer again: to judge a later pass's route by this
    pass's model, give a `CachedCost`, which keeps the costs it computed."""

    def __init__(self, scorer: BeadCost, kinds: Sequence[Kind], band: tuple[np.ndarray, np.ndarray] | None = None,
                 temperature: float = 1.0):
        self.scorer, self.temperature = scorer, temperature
        n, m = scorer.n_src, scorer.n_tgt
        lo, hi = band if band is not None else full_band(n, m)
        paired = [(a, b) for a, b in kinds if a > 0 and b > 0]
        skip_src, skip_tgt = SKIP_SRC in kinds, SKIP_TGT in kinds
        score, opens = self._score, self._opening

        self.forward = forward = [_BandedRows(lo, hi) for _ in range(3)]
        self.any = any_state = _BandedRows(lo, hi)      # summed over the three states
        forward[PAIRED].rows[0][0] = 0.0
        for i in range(n + 1):
            j0, j1 = int(lo[i]), int(hi[i])
            row = forward[PAIRED].rows[i]
            for a, b in paired:
                if a <= i and max(j0, b) <= j1:
                    js = np.arange(max(j0, b), j1 + 1)
                    cells = row[js[0] - j0:]
                    np.logaddexp(cells, any_state.read(i - a, js - b) + score(a, b, i, js), out=cells)
            if skip_src and i > 0:
                js = np.arange(j0, j1 + 1)
                other = np.logaddexp(forward[PAIRED].read(i - 1, js), forward[IN_TGT_GAP].read(i - 1, js))
                forward[IN_SRC_GAP].rows[i][:] = np.logaddexp(forward[IN_SRC_GAP].read(i - 1, js),
                                                              other + opens(1, 0, i, js)) + score(1, 0, i, js)
            if skip_tgt and j1 > j0:
                # a run of 0-1 beads along the row: prefix sums turn it into one cumulative log-sum-exp
                js = np.arange(j0 + 1, j1 + 1)
                prefix = np.concatenate(([0.0], np.cumsum(score(0, 1, i, js))))
                opened = np.logaddexp(row[:-1], forward[IN_SRC_GAP].rows[i][:-1]) + opens(0, 1, i, js)
                forward[IN_TGT_GAP].rows[i][1:] = np.logaddexp.accumulate(opened - prefix[:-1]) + prefix[1:]
            any_state.rows[i][:] = np.logaddexp.reduce([f.rows[i] for f in forward], axis=0)

        self.backward = backward = [_BandedRows(lo, hi) for _ in range(3)]
        for i in range(n, -1, -1):
            j0, j1 = int(lo[i]), int(hi[i])
            common = np.full(j1 - j0 + 1, -np.inf)     # a paired bead next, from whatever state
            if i == n and j0 <= m <= j1:
                common[m - j0] = 0.0                    # the end
            for a, b in paired:
                # beads from this row's cells that end inside the band of row i + a
                first, last = (max(j0, int(lo[i + a]) - b), min(j1, int(hi[i + a]) - b)) if i + a <= n else (1, 0)
                if first <= last:
                    js = np.arange(first, last + 1)
                    cells = common[first - j0:last - j0 + 1]
                    np.logaddexp(cells, backward[PAIRED].read(i + a, js + b) + score(a, b, i + a, js + b), out=cells)
            src_extend = src_open = np.full(j1 - j0 + 1, -np.inf)   # a 1-0 bead next
            if skip_src and i < n:
                js = np.arange(j0, j1 + 1)
                src_extend = backward[IN_SRC_GAP].read(i + 1, js) + score(1, 0, i + 1, js)
                src_open = src_extend + opens(1, 0, i + 1, js)
            tgt_open = np.full(j1 - j0 + 1, -np.inf)                # a 0-1 bead next, opening a gap
            if skip_tgt and j1 > j0:
                js = np.arange(j0 + 1, j1 + 1)
                steps = score(0, 1, i, js)
                # inside a gap: the cheapest way on is another 0-1 bead or anything else (a suffix log-sum-exp)
                rest = np.logaddexp(common, src_open)
                suffix = np.concatenate((np.cumsum(steps[::-1])[::-1], [0.0]))
                in_gap = np.logaddexp.accumulate((rest - suffix)[::-1])[::-1] + suffix
                backward[IN_TGT_GAP].rows[i][:] = in_gap
                tgt_open[:-1] = in_gap[1:] + steps + opens(0, 1, i, js)
            elif skip_tgt:
                backward[IN_TGT_GAP].rows[i][:] = np.logaddexp(common, src_open)
            backward[PAIRED].rows[i][:] = np.logaddexp.reduce([common, src_open, tgt_open], axis=0)
            backward[IN_SRC_GAP].rows[i][:] = np.logaddexp.reduce([common, src_extend, tgt_open], axis=0)
        self.total = backward[PAIRED].rows[0][0 - int(lo[0])]

    def _score(self, a: int, b: int, i: int, js: np.ndarray) -> np.ndarray:
        return -self.scorer.cost(a, b, i, js) / self.temperature

    def _opening(self, a: int, b: int, i: int, js: np.ndarray) -> np.ndarray:
        return -opening(self.scorer, a, b, i, js) / self.temperature

    def _log_p(self, a: int, b: int, i: int, j: int) -> float:
        """log P(the alignment has the bead (a, b) ending at (i, j))."""
        at = np.array([j])
        if a and b:
            before = self.any.read(i - a, at - b)[0]
            after = self.backward[PAIRED].read(i, at)[0]
        else:
            same, other = (IN_SRC_GAP, IN_TGT_GAP) if a else (IN_TGT_GAP, IN_SRC_GAP)
            before = np.logaddexp(self.forward[same].read(i - a, at - b)[0],
                                  np.logaddexp(self.forward[PAIRED].read(i - a, at - b)[0],
                                               self.forward[other].read(i - a, at - b)[0]) + self._opening(a, b, i, at)[0])
            after = self.backward[same].read(i, at)[0]
        return before + self._score(a, b, i, at)[0] + after - self.total

    def log_odds(self, beads: list[tuple[Kind, int, int]]) -> np.ndarray:
        """Log-odds that each bead (kind, i_end, j_end) is part of the alignment."""
        log_p = np.array([self._log_p(a, b, i, j) for (a, b), i, j in beads])
        log_p = np.minimum(log_p, -1e-12)
        return log_p - np.log(-np.expm1(log_p))
