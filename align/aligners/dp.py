"""The dynamic programme every aligner shares: a banded, row-vectorised search over beads.

Rows are source positions; within a row all target positions of the band are relaxed at once with
numpy. Beads that consume a source sentence read finished rows; the 0-1 bead (skip a target
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


def search(scorer: BeadCost, kinds: Sequence[Kind], band: tuple[np.ndarray, np.ndarray] | None = None) -> list[tuple[Kind, int, int]]:
    """Cheapest bead sequence from (0, 0) to (n_src, n_tgt). Returns (kind, i_end, j_end) per bead."""
    n, m = scorer.n_src, scorer.n_tgt
    lo, hi = band if band is not None else full_band(n, m)
    total = np.full((n + 1, m + 1), np.inf)
    back = np.full((n + 1, m + 1), -1, dtype=np.int16)
    total[0, 0] = 0.0
    skip_kind = kinds.index((0, 1)) if (0, 1) in kinds else None
    consuming = [(k, a, b) for k, (a, b) in enumerate(kinds) if a > 0]
    for i in range(n + 1):
        j0, j1 = int(lo[i]), int(hi[i])
        row = total[i, j0:j1 + 1]
        row_back = back[i, j0:j1 + 1]
        for k, a, b in consuming:
            if a > i:
                continue
            start = max(j0, b)
            if start > j1:
                continue
            js = np.arange(start, j1 + 1)
            candidate = total[i - a, js - b] + scorer.cost(a, b, i, js)
            offset = start - j0
            better = candidate < row[offset:]
            row[offset:][better] = candidate[better]
            row_back[offset:][better] = k
        if skip_kind is not None and j1 > j0:
            js = np.arange(j0 + 1, j1 + 1)
            step = np.concatenate(([0.0], scorer.cost(0, 1, i, js)))
            prefix = np.cumsum(step)
            relaxed = np.minimum.accumulate(row - prefix) + prefix
            better = relaxed < row - 1e-12
            row[better] = relaxed[better]
            row_back[better] = skip_kind
    if not np.isfinite(total[n, m]):
        raise RuntimeError("alignment search found no path (band too narrow)")
    beads = []
    i, j = n, m
    while i > 0 or j > 0:
        k = int(back[i, j])
        a, b = kinds[k]
        beads.append(((a, b), i, j))
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


class _BandedRows:
    """One float row per source position, holding only that row's band [lo, hi]; -inf outside it."""

    def __init__(self, lo: np.ndarray, hi: np.ndarray):
        self.lo, self.hi = lo, hi
        self.rows = [np.full(int(h - l + 1), -np.inf) for l, h in zip(lo, hi)]

    def read(self, i: int, js: np.ndarray) -> np.ndarray:
        out = np.full(len(js), -np.inf)
        inside = (js >= self.lo[i]) & (js <= self.hi[i])
        out[inside] = self.rows[i][js[inside] - self.lo[i]]
        return out


class Posteriors:
    """The distribution over all bead sequences in the band with P(sequence) ∝ exp(−cost / temperature),
    summed by forward–backward, so a bead with a close rival anywhere gets low odds. `log_odds` reads
    each bead's own cost from the scorer again: to judge a later pass's route by this pass's model,
    give a `CachedCost`, which keeps the costs it computed."""

    def __init__(self, scorer: BeadCost, kinds: Sequence[Kind], band: tuple[np.ndarray, np.ndarray] | None = None,
                 temperature: float = 1.0):
        self.scorer, self.temperature = scorer, temperature
        n, m = scorer.n_src, scorer.n_tgt
        lo, hi = band if band is not None else full_band(n, m)
        consuming = [(a, b) for a, b in kinds if a > 0]
        skips = (0, 1) in kinds
        score = self._score

        self.forward = forward = _BandedRows(lo, hi)
        forward.rows[0][0] = 0.0
        for i in range(n + 1):
            j0, j1, row = int(lo[i]), int(hi[i]), forward.rows[i]
            for a, b in consuming:
                if a <= i and max(j0, b) <= j1:
                    js = np.arange(max(j0, b), j1 + 1)
                    cells = row[js[0] - j0:]
                    np.logaddexp(cells, forward.read(i - a, js - b) + score(a, b, i, js), out=cells)
            if skips and j1 > j0:
                # a run of 0-1 beads along the row: prefix sums turn it into one cumulative log-sum-exp
                prefix = np.concatenate(([0.0], np.cumsum(score(0, 1, i, np.arange(j0 + 1, j1 + 1)))))
                row[:] = np.logaddexp.accumulate(row - prefix) + prefix

        self.backward = backward = _BandedRows(lo, hi)
        backward.rows[n][m - int(lo[n])] = 0.0
        for i in range(n, -1, -1):
            j0, j1, row = int(lo[i]), int(hi[i]), backward.rows[i]
            for a, b in consuming:
                # beads from this row's cells that end inside the band of row i + a
                first, last = (max(j0, int(lo[i + a]) - b), min(j1, int(hi[i + a]) - b)) if i + a <= n else (1, 0)
                if first <= last:
                    js = np.arange(first, last + 1)
                    cells = row[first - j0:last - j0 + 1]
                    np.logaddexp(cells, backward.read(i + a, js + b) + score(a, b, i + a, js + b), out=cells)
            if skips and j1 > j0:
                steps = score(0, 1, i, np.arange(j0 + 1, j1 + 1))
                suffix = np.concatenate((np.cumsum(steps[::-1])[::-1], [0.0]))
                row[:] = np.logaddexp.accumulate((row - suffix)[::-1])[::-1] + suffix
        self.total = forward.rows[n][m - int(lo[n])]

    def _score(self, a: int, b: int, i: int, js: np.ndarray) -> np.ndarray:
        return -self.scorer.cost(a, b, i, js) / self.temperature

    def log_odds(self, beads: list[tuple[Kind, int, int]]) -> np.ndarray:
        """Log-odds that each bead (kind, i_end, j_end) is part of the alignment."""
        log_p = np.array([self.forward.read(i - a, np.array([j - b]))[0] + self._score(a, b, i, np.array([j]))[0]
                          + self.backward.read(i, np.array([j]))[0] - self.total for (a, b), i, j in beads])
        log_p = np.minimum(log_p, -1e-12)
        return log_p - np.log(-np.expm1(log_p))
