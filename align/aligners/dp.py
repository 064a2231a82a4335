"""The dynamic programme every aligner shares: a banded search over beads, compiled with numba.

Rows are source positions; each row keeps only its band [lo, hi] of target positions, and the cells of
all rows lie in one flat array (`_Layout`). The recursion is a state machine of three states per cell
(after a paired bead, inside a run of 1-0 beads, inside a run of 0-1 beads), so that a gap of k missing
sentences costs one opening and k extensions (Vecalign's deletion penalty, hunalign's 1-0 beads, with a
gap-open cost as in sequence alignment). Bead costs are computed first, for every kind over the whole
band in vectorised calls of the scorer on blocks of beads (`CachedCost`, `_cost_rows`); the Viterbi search and the
forward-backward sums then run cell by cell in compiled loops, in the same order of floating-point
operations as the row-vectorised numpy code they replaced (tests/test_dp_core.py keeps that code and
checks the two agree). Large inputs are searched in a band around a coarse route (`band_around`,
`band_of_boxes`).
"""

from __future__ import annotations

import math
from typing import Protocol, Sequence

import numpy as np
from numba import njit

Kind = tuple[int, int]

# Rows of bead costs are computed this many cells at a time when a search streams them (no `CachedCost`):
# the scorer's temporaries stay near 25 MB whatever the input.
CHUNK_CELLS = 1 << 18


class BeadCost(Protocol):
    """Cost of beads; lower is better. `cost(a, b, i, js)` is the cost of the bead covering
    source sentences [i-a, i) and target sentences [j-b, j) for every j in `js`; `i` is one row
    or an array of rows as long as `js` (one bead per pair)."""

    n_src: int
    n_tgt: int

    def cost(self, a: int, b: int, i, js: np.ndarray) -> np.ndarray: ...


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


def band_of_boxes(anchors: Sequence[tuple[int, int]], n_src: int, n_tgt: int, width: int) -> tuple[np.ndarray, np.ndarray]:
    """Per-row [lo, hi] covering the whole box between each two consecutive anchors (increasing in both
    coordinates; (0, 0) and (n_src, n_tgt) are added), widened by `width` cells: any route through the
    anchors lies inside, and where anchors are missing (a block one side lacks) the box is simply larger."""
    points = [(0, 0)] + [tuple(p) for p in anchors] + [(n_src, n_tgt)]
    lo = np.full(n_src + 1, n_tgt, dtype=np.int64)
    hi = np.zeros(n_src + 1, dtype=np.int64)
    for (i0, j0), (i1, j1) in zip(points, points[1:]):
        r0, r1 = max(0, i0 - width), min(n_src, i1 + width)
        lo[r0:r1 + 1] = np.minimum(lo[r0:r1 + 1], max(0, j0 - width))
        hi[r0:r1 + 1] = np.maximum(hi[r0:r1 + 1], min(n_tgt, j1 + width))
    return lo, hi


SKIP_SRC, SKIP_TGT = (1, 0), (0, 1)
# The search's states: after a paired bead (or at the start), inside a run of 1-0 beads, inside a run of 0-1 beads.
PAIRED, IN_SRC_GAP, IN_TGT_GAP = 0, 1, 2


def opening(scorer: BeadCost, a: int, b: int, i, js: np.ndarray) -> np.ndarray:
    """The extra cost of a 1-0 / 0-1 bead that starts a run of them (a gap), on top of `cost`: a run of k
    missing sentences costs one opening and k extensions. Zero for scorers that have no `opening`."""
    if hasattr(scorer, "opening"):
        return scorer.opening(a, b, i, js)
    return np.zeros(len(js))


class _Layout:
    """The cells of a band in one flat array: row i's cells j = lo[i] .. hi[i] start at offset[i]."""

    def __init__(self, band: tuple[np.ndarray, np.ndarray]):
        self.lo, self.hi = (np.ascontiguousarray(x, dtype=np.int64) for x in band)
        widths = np.maximum(self.hi - self.lo + 1, 0)
        self.offset = np.concatenate(([0], np.cumsum(widths))).astype(np.int64)
        self.cells = int(self.offset[-1])

    def same(self, band: tuple[np.ndarray, np.ndarray]) -> bool:
        return np.array_equal(self.lo, band[0]) and np.array_equal(self.hi, band[1])

    def coordinates(self, r0: int, r1: int) -> tuple[np.ndarray, np.ndarray]:
        """Row and column of every cell of rows [r0, r1), in order."""
        rows = np.arange(r0, r1)
        widths = self.offset[r0 + 1:r1 + 1] - self.offset[r0:r1]
        i = np.repeat(rows, widths)
        j = np.arange(self.offset[r0], self.offset[r1]) - np.repeat(self.offset[r0:r1] - self.lo[r0:r1], widths)
        return i, j

    def chunks(self, limit: int = CHUNK_CELLS) -> list[tuple[int, int]]:
        """Consecutive row ranges of about `limit` cells each."""
        bounds, r = [0], 0
        n_rows = len(self.lo)
        while r < n_rows:
            r = max(r + 1, int(np.searchsorted(self.offset, self.offset[r] + limit, side="right")) - 1)
            bounds.append(min(r, n_rows))
            r = bounds[-1]
        return list(zip(bounds, bounds[1:]))

    def index(self, i: np.ndarray, j: np.ndarray) -> np.ndarray:
        """The flat cell of each (i, j), -1 outside the band."""
        inside = (j >= self.lo[i]) & (j <= self.hi[i])
        return np.where(inside, self.offset[i] + j - self.lo[i], -1)


def _cost_rows(scorer: BeadCost, kinds: Sequence[Kind], layout: _Layout, r0: int, r1: int) -> tuple[np.ndarray, np.ndarray]:
    """costs[k, cell] of a bead of kinds[k] ending at each cell of rows [r0, r1) (inf where none can end),
    and opens[0 / 1, cell], the opening cost of a 1-0 / 0-1 bead ending there; the scorer is called per kind on
    blocks of about BLOCK_BEADS beads (`bead_blocks`), so its temporaries do not grow with the band."""
    i, j = layout.coordinates(r0, r1)
    costs = np.full((len(kinds), len(i)), np.inf)
    opens = np.zeros((2, len(i)))
    row_ends = np.r_[i[1:] != i[:-1], True]
    for k, (a, b) in enumerate(kinds):
        valid = np.flatnonzero((i >= a) & (j >= b))
        for start, stop in bead_blocks(row_ends[valid], BLOCK_BEADS):
            cells = valid[start:stop]
            costs[k, cells] = scorer.cost(a, b, i[cells], j[cells])
            if (a, b) in (SKIP_SRC, SKIP_TGT):
                opens[0 if a else 1, cells] = opening(scorer, a, b, i[cells], j[cells])
    return costs, opens


# The scorer is called on blocks of about this many beads: its features matrix (25 float64 a bead, 3.1 MiB) and
# its temporaries stay in the cache whatever the band's size (on the whole Bible one call per kind made a 70 MiB
# matrix of fresh pages, written a column at a time, and a bead's cost grew with the text).
BLOCK_BEADS = 1 << 14


def bead_blocks(row_ends: np.ndarray, size: int) -> list[tuple[int, int]]:
    """[start, stop) of consecutive blocks of beads (`row_ends[k]`: bead k is its row's last), each of at least
    `size` but the last, split only after a row's last bead and at a multiple of 4 beads: a row's span cosines
    are one matrix product as before (`SpanFeatures.cosine`), and BLAS's matrix-vector product handles each
    bead within the same group of 4 as when the scorer saw all of them at once, so the costs are the same bit
    for bit (tests/test_cost_work.py)."""
    n = len(row_ends)
    splits = np.flatnonzero(row_ends[3::4]) * 4 + 4      # after bead 4q+3, the last of its row
    bounds, start = [], 0
    while n - start > size:
        at = int(np.searchsorted(splits, start + size))
        if at == len(splits) or splits[at] >= n:
            break
        bounds.append((start, int(splits[at])))
        start = int(splits[at])
    return bounds + [(start, n)] if n else bounds


class CachedCost:
    """A scorer whose bead costs are computed once for every kind over the whole band (vectorised calls of the
    scorer on blocks of beads, `_cost_rows`), so the search and the posteriors over the same band share one
    evaluation of every bead, and keep the costs of the moment they were computed. Beads outside the band ask
    the scorer."""

    def __init__(self, scorer: BeadCost, band: tuple[np.ndarray, np.ndarray] | None = None):
        self.scorer, self.n_src, self.n_tgt = scorer, scorer.n_src, scorer.n_tgt
        self.layout = _Layout(band if band is not None else full_band(self.n_src, self.n_tgt))
        self._kinds: list[Kind] = []
        self._costs = np.zeros((0, self.layout.cells))
        self._opens = np.zeros((2, self.layout.cells))

    def tables(self, kinds: Sequence[Kind]) -> tuple[np.ndarray, np.ndarray]:
        """costs[k, cell] for `kinds` over the band and the opening costs (see `_cost_rows`)."""
        missing = [kind for kind in dict.fromkeys(kinds) if kind not in self._kinds]
        if missing:
            costs, opens = _cost_rows(self.scorer, missing, self.layout, 0, len(self.layout.lo))
            self._costs = np.concatenate((self._costs, costs)) if self._kinds else costs
            self._costs.flags.writeable = False     # handed out without a copy below
            self._kinds += missing
            for row, kind in ((0, SKIP_SRC), (1, SKIP_TGT)):
                if kind in missing:
                    self._opens[row] = opens[row]
        if list(kinds) == self._kinds:
            return self._costs, self._opens     # no copy of the kinds × cells table
        return self._costs[[self._kinds.index(kind) for kind in kinds]], self._opens

    def replacing(self, kinds: Sequence[Kind], changes: dict[Kind, tuple[np.ndarray, np.ndarray]]) -> "CachedCost":
        """A copy holding the tables of `kinds` (computed once, here), in which the cells of `changes[kind]` (flat
        cells inside the band, their new costs) cost what it gives."""
        kinds = list(kinds)
        costs, opens = self.tables(kinds)
        changed = CachedCost(self.scorer, (self.layout.lo, self.layout.hi))
        changed._kinds, changed._costs, changed._opens = kinds, costs.copy(), opens.copy()
        for kind, (cells, values) in changes.items():
            changed._costs[kinds.index(kind), cells] = values
        changed._costs.flags.writeable = False
        return changed

    def _table(self, kind: Kind) -> np.ndarray:
        if kind not in self._kinds:
            self.tables([kind])
        return self._costs[self._kinds.index(kind)]

    def _lookup(self, table: np.ndarray, fallback, a: int, b: int, i, js: np.ndarray) -> np.ndarray:
        i = np.broadcast_to(np.asarray(i, dtype=np.int64), np.shape(js))
        cells = self.layout.index(i, js)
        inside = cells >= 0
        if inside.all():
            return table[cells]
        out = np.empty(len(js))
        out[inside] = table[cells[inside]]
        out[~inside] = fallback(self.scorer, a, b, i[~inside], js[~inside])
        return out

    def cost(self, a: int, b: int, i, js: np.ndarray) -> np.ndarray:
        return self._lookup(self._table((a, b)), lambda s, *bead: s.cost(*bead), a, b, i, js)

    def opening(self, a: int, b: int, i, js: np.ndarray) -> np.ndarray:
        self._table((a, b))
        return self._lookup(self._opens[0 if a else 1], opening, a, b, i, js)


def _cached(scorer: BeadCost, band: tuple[np.ndarray, np.ndarray]) -> CachedCost | None:
    """`scorer` itself when it already holds this band's costs."""
    return scorer if isinstance(scorer, CachedCost) and scorer.layout.same(band) else None


def _kind_arrays(kinds: Sequence[Kind]):
    paired = np.array([k for k, (a, b) in enumerate(kinds) if a > 0 and b > 0], dtype=np.int64)
    a = np.array([kind[0] for kind in kinds], dtype=np.int64)
    b = np.array([kind[1] for kind in kinds], dtype=np.int64)
    skip = lambda kind: kinds.index(kind) if kind in kinds else -1
    return paired, a, b, skip(SKIP_SRC), skip(SKIP_TGT)


def search(scorer: BeadCost, kinds: Sequence[Kind], band: tuple[np.ndarray, np.ndarray] | None = None) -> list[tuple[Kind, int, int]]:
    """Cheapest bead sequence from (0, 0) to (n_src, n_tgt). Returns (kind, i_end, j_end) per bead.

    A state machine over three states per cell (PAIRED, IN_SRC_GAP, IN_TGT_GAP): a paired bead leads to
    PAIRED from any state; a 1-0 bead leads to IN_SRC_GAP and costs its `opening` as well unless it comes
    from IN_SRC_GAP; the same for 0-1 and IN_TGT_GAP. Costs come from `scorer` when it is a `CachedCost`
    of this band, otherwise they are computed a chunk of rows at a time and forgotten."""
    kinds = list(kinds)
    n, m = scorer.n_src, scorer.n_tgt
    band = band if band is not None else full_band(n, m)
    layout, cached = _Layout(band), _cached(scorer, band)
    paired, ka, kb, skip_src, skip_tgt = _kind_arrays(kinds)
    total = np.full((3, layout.cells), np.inf)
    came_from = np.full((3, layout.cells), -1, dtype=np.int8)     # the state before the last bead
    kind_of = np.full(layout.cells, -1, dtype=np.int16)             # the paired bead's kind
    best = np.full(layout.cells, np.inf)                            # over the three states
    best_state = np.full(layout.cells, -1, dtype=np.int8)
    if layout.cells:
        total[PAIRED, 0] = 0.0
    if cached is not None:
        chunks = [(0, len(layout.lo), *cached.tables(kinds))]
    else:
        chunks = [(r0, r1, *_cost_rows(scorer, kinds, layout, r0, r1)) for r0, r1 in layout.chunks()]
    for r0, r1, costs, opens in chunks:
        _viterbi_rows(r0, r1, layout.lo, layout.hi, layout.offset, costs, opens, paired, ka, kb, skip_src, skip_tgt,
                      total, came_from, kind_of, best, best_state)
        del costs, opens
    end = layout.index(np.array([n]), np.array([m]))[0]
    ends = total[:, end] if end >= 0 else np.full(3, np.inf)
    if not np.isfinite(ends.min()):
        raise RuntimeError("alignment search found no path (band too narrow)")
    beads = []
    i, j, state = n, m, int(np.argmin(ends))
    while i > 0 or j > 0:
        cell = layout.index(np.array([i]), np.array([j]))[0]
        if state == PAIRED:
            a, b = kinds[int(kind_of[cell])]
        else:
            a, b = SKIP_SRC if state == IN_SRC_GAP else SKIP_TGT
        beads.append(((a, b), i, j))
        state = int(came_from[state, cell])
        i, j = i - a, j - b
    beads.reverse()
    return beads


def path_points(beads: list[tuple[Kind, int, int]]) -> list[tuple[int, int]]:
    return [(0, 0)] + [(i, j) for _, i, j in beads]


class Posteriors:
    """The distribution over all bead sequences in the band with P(sequence) ∝ exp(−cost / temperature),
    summed by forward–backward over the states of `search`, so a bead with a close rival anywhere gets low
    odds. `log_odds` reads each bead's own cost from the scorer again: to judge a later pass's route by this
    pass's model, give a `CachedCost`, which keeps the costs it computed."""

    def __init__(self, scorer: BeadCost, kinds: Sequence[Kind], band: tuple[np.ndarray, np.ndarray] | None = None,
                 temperature: float = 1.0):
        kinds = list(kinds)
        self.temperature = temperature
        band = band if band is not None else full_band(scorer.n_src, scorer.n_tgt)
        self.scorer = _cached(scorer, band) or CachedCost(scorer, band)
        self.layout = layout = self.scorer.layout
        costs, opens = self.scorer.tables(kinds)
        paired, ka, kb, skip_src, skip_tgt = _kind_arrays(kinds)
        self.forward = np.full((3, layout.cells), -np.inf)
        self.any = np.full(layout.cells, -np.inf)          # summed over the three states
        self.backward = np.full((3, layout.cells), -np.inf)
        self.total = -np.inf
        if not layout.cells:
            return
        args = (layout.lo, layout.hi, layout.offset, costs, opens, paired, ka, kb, skip_src, skip_tgt, float(temperature))
        _forward(*args, self.forward, self.any)
        _backward(*args, scorer.n_src, scorer.n_tgt, self.backward)
        self.total = self.backward[PAIRED, 0]

    def _read(self, table: np.ndarray, i: np.ndarray, j: np.ndarray) -> np.ndarray:
        cells = self.layout.index(i, j)
        return np.where(cells >= 0, table[np.maximum(cells, 0)], -np.inf)

    def log_odds(self, beads: list[tuple[Kind, int, int]]) -> np.ndarray:
        """Log-odds that each bead (kind, i_end, j_end) is part of the alignment: log P(the alignment has the
        bead) from the forward sums before it, its own score and the backward sums after it."""
        if not beads:
            return np.zeros(0)
        a, b, i, j = (np.array(column, dtype=np.int64).reshape(-1) for column in
                      zip(*[(a, b, i, j) for (a, b), i, j in beads]))
        score, open_score = np.zeros(len(beads)), np.zeros(len(beads))
        for kind in set(zip(a.tolist(), b.tolist())):
            sel = (a == kind[0]) & (b == kind[1])
            score[sel] = -self.scorer.cost(*kind, i[sel], j[sel]) / self.temperature
            if not (kind[0] and kind[1]):
                open_score[sel] = -opening(self.scorer, *kind, i[sel], j[sel]) / self.temperature
        before_i, before_j = i - a, j - b
        paired = (a > 0) & (b > 0)
        same = np.where(a > 0, np.where(b > 0, PAIRED, IN_SRC_GAP), IN_TGT_GAP)
        other = np.where(a > 0, IN_TGT_GAP, IN_SRC_GAP)
        forward_at = np.stack([self._read(f, before_i, before_j) for f in self.forward])
        rows = np.arange(len(beads))
        skip_before = np.logaddexp(forward_at[same, rows], np.logaddexp(forward_at[PAIRED], forward_at[other, rows]) + open_score)
        before = np.where(paired, self._read(self.any, before_i, before_j), skip_before)
        after = np.stack([self._read(f, i, j) for f in self.backward])[same, rows]
        log_p = before + score + after - self.total
        log_p = np.minimum(log_p, -1e-12)
        return log_p - np.log(-np.expm1(log_p))


# --- the compiled recursions; each follows the order of operations of the numpy code it replaced ---

_LOG2 = math.log(2.0)


@njit(cache=True)
def _logaddexp(x, y):
    """numpy's logaddexp, operation for operation (adding exp(-inf) gives the other term exactly)."""
    if y == -np.inf:
        return x
    if x == -np.inf:
        return y
    if x == y:
        return x + _LOG2
    d = x - y
    if d > 0:
        return x + math.log1p(math.exp(-d))
    if d <= 0:
        return y + math.log1p(math.exp(d))
    return d


@njit(cache=True)
def _at(values, lo, hi, offset, i, j, fill):
    if j < lo[i] or j > hi[i]:
        return fill
    return values[offset[i] + j - lo[i]]


@njit(cache=True)
def _bead_starts(i, a, b, lo, hi, offset):
    """The columns j of row i whose a-b bead starts inside the band of row i - a, and the shift that turns such
    a j into the flat index of the bead's start: (first, last, shift); none (first > last) when a > i."""
    if a > i:
        return 1, 0, 0
    first, last = max(lo[i], b, lo[i - a] + b), min(hi[i], hi[i - a] + b)
    return first, last, offset[i - a] - lo[i - a] - b


@njit(cache=True)
def _viterbi_rows(r0, r1, lo, hi, offset, costs, opens, paired, ka, kb, skip_src, skip_tgt,
                  total, came_from, kind_of, best, best_state):
    """Rows [r0, r1) of the search; costs/opens hold those rows' cells, from offset[r0]."""
    base = offset[r0]
    inf = np.inf
    for i in range(r0, r1):
        j0, j1, o = lo[i], hi[i], offset[i]
        for k in paired:
            # cells whose bead starts inside the band of row i - a (elsewhere the start is unreachable)
            first, last, shift = _bead_starts(i, ka[k], kb[k], lo, hi, offset)
            for j in range(first, last + 1):
                c = o + j - j0
                candidate = best[shift + j] + costs[k, c - base]
                if candidate < total[0, c]:
                    total[0, c] = candidate
                    kind_of[c] = k
                    came_from[0, c] = best_state[shift + j]
        if skip_src >= 0 and i > 0:
            for j in range(j0, j1 + 1):
                c = o + j - j0
                stay = _at(total[1], lo, hi, offset, i - 1, j, inf)
                from_paired = _at(total[0], lo, hi, offset, i - 1, j, inf)
                from_tgt = _at(total[2], lo, hi, offset, i - 1, j, inf)
                other = min(from_paired, from_tgt)
                opened = other + opens[0, c - base]
                total[1, c] = min(stay, opened) + costs[skip_src, c - base]
                if stay <= opened:
                    came_from[1, c] = 1
                elif from_paired <= from_tgt:
                    came_from[1, c] = 0
                else:
                    came_from[1, c] = 2
        if skip_tgt >= 0 and j1 > j0:
            # a run of 0-1 beads along the row, as a running minimum over prefix sums of the extensions
            prefix = 0.0
            running = inf
            for k in range(j1 - j0):
                left, c = o + k, o + k + 1
                opened = min(total[0, left], total[1, left]) + opens[1, c - base]
                running = min(running, opened - prefix)
                prefix = prefix + costs[skip_tgt, c - base]
                total[2, c] = running + prefix
                if total[2, left] <= opened:
                    came_from[2, c] = 2
                elif total[0, left] <= total[1, left]:
                    came_from[2, c] = 0
                else:
                    came_from[2, c] = 1
        for c in range(o, offset[i + 1]):
            value, state = total[0, c], 0
            if total[1, c] < value:
                value, state = total[1, c], 1
            if total[2, c] < value:
                value, state = total[2, c], 2
            best[c], best_state[c] = value, state


@njit(cache=True)
def _forward(lo, hi, offset, costs, opens, paired, ka, kb, skip_src, skip_tgt, temperature, forward, any_state):
    ninf = -np.inf
    forward[0, 0] = 0.0
    for i in range(len(lo)):
        j0, j1, o = lo[i], hi[i], offset[i]
        for k in paired:
            # beads that start outside the band of row i - a add exp(-inf): nothing
            first, last, shift = _bead_starts(i, ka[k], kb[k], lo, hi, offset)
            for j in range(first, last + 1):
                c = o + j - j0
                forward[0, c] = _logaddexp(forward[0, c], any_state[shift + j] + -costs[k, c] / temperature)
        if skip_src >= 0 and i > 0:
            for j in range(j0, j1 + 1):
                c = o + j - j0
                other = _logaddexp(_at(forward[0], lo, hi, offset, i - 1, j, ninf), _at(forward[2], lo, hi, offset, i - 1, j, ninf))
                forward[1, c] = _logaddexp(_at(forward[1], lo, hi, offset, i - 1, j, ninf),
                                           other + -opens[0, c] / temperature) + -costs[skip_src, c] / temperature
        if skip_tgt >= 0 and j1 > j0:
            prefix = 0.0
            running = ninf
            for k in range(j1 - j0):
                left, c = o + k, o + k + 1
                opened = _logaddexp(forward[0, left], forward[1, left]) + -opens[1, c] / temperature
                term = opened - prefix
                running = term if k == 0 else _logaddexp(running, term)
                prefix = prefix + -costs[skip_tgt, c] / temperature
                forward[2, c] = running + prefix
        for c in range(o, offset[i + 1]):
            any_state[c] = _logaddexp(_logaddexp(forward[0, c], forward[1, c]), forward[2, c])


@njit(cache=True)
def _backward(lo, hi, offset, costs, opens, paired, ka, kb, skip_src, skip_tgt, temperature, n, m, backward):
    ninf = -np.inf
    for i in range(n, -1, -1):
        j0, j1, o = lo[i], hi[i], offset[i]
        w = j1 - j0 + 1
        common = np.full(w, ninf)           # a paired bead next, from whatever state
        if i == n and j0 <= m <= j1:
            common[m - j0] = 0.0            # the end
        for k in paired:
            a, b = ka[k], kb[k]
            if i + a > n:
                continue
            # beads from this row's cells that end inside the band of row i + a
            shift = offset[i + a] - lo[i + a] + b
            for j in range(max(j0, lo[i + a] - b), min(j1, hi[i + a] - b) + 1):
                c = shift + j
                common[j - j0] = _logaddexp(common[j - j0], backward[0, c] + -costs[k, c] / temperature)
        src_extend = np.full(w, ninf)       # a 1-0 bead next
        src_open = np.full(w, ninf)
        if skip_src >= 0 and i < n:
            for jj in range(w):
                j = j0 + jj
                if j < lo[i + 1] or j > hi[i + 1]:
                    continue
                c = offset[i + 1] + j - lo[i + 1]
                src_extend[jj] = backward[1, c] + -costs[skip_src, c] / temperature
                src_open[jj] = src_extend[jj] + -opens[0, c] / temperature
        tgt_open = np.full(w, ninf)         # a 0-1 bead next, opening a gap
        if skip_tgt >= 0 and w > 1:
            # inside a gap: another 0-1 bead or anything else, a suffix log-sum-exp over suffix sums
            suffix = np.zeros(w)
            for jj in range(w - 2, -1, -1):
                suffix[jj] = suffix[jj + 1] + -costs[skip_tgt, o + jj + 1] / temperature
            running = 0.0
            for jj in range(w - 1, -1, -1):
                term = _logaddexp(common[jj], src_open[jj]) - suffix[jj]
                running = term if jj == w - 1 else _logaddexp(running, term)
                backward[2, o + jj] = running + suffix[jj]
            for jj in range(w - 1):
                c = o + jj + 1
                tgt_open[jj] = backward[2, c] + -costs[skip_tgt, c] / temperature + -opens[1, c] / temperature
        elif skip_tgt >= 0:
            for jj in range(w):
                backward[2, o + jj] = _logaddexp(common[jj], src_open[jj])
        for jj in range(w):
            backward[0, o + jj] = _logaddexp(_logaddexp(common[jj], src_open[jj]), tgt_open[jj])
            backward[1, o + jj] = _logaddexp(_logaddexp(common[jj], src_extend[jj]), tgt_open[jj])
