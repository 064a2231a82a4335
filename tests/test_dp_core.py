"""The compiled DP core against the row-vectorised numpy code it replaced (kept here, and only here, as
the reference): the same route, costs and posteriors within 1e-9, on random cost matrices and on a real
MAC-Dev chapter."""

from typing import Sequence

import numpy as np
import pytest

from align.aligners import dp
from align.aligners.dp import IN_SRC_GAP, IN_TGT_GAP, PAIRED, SKIP_SRC, SKIP_TGT, BeadCost, Kind
from conftest import MAC_DEV, needs_mac_dev


# ---- the reference: align/aligners/dp.py before the compiled core (numpy over the cells of a row) ----

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


def reference_search(scorer: BeadCost, kinds: Sequence[Kind], band: tuple[np.ndarray, np.ndarray] | None = None) -> list[tuple[Kind, int, int]]:
    """Cheapest bead sequence from (0, 0) to (n_src, n_tgt). Returns (kind, i_end, j_end) per bead.

    A state machine over three states per cell (PAIRED, IN_SRC_GAP, IN_TGT_GAP): a paired bead leads to
    PAIRED from any state; a 1-0 bead leads to IN_SRC_GAP and costs its `opening` as well unless it comes
    from IN_SRC_GAP; the same for 0-1 and IN_TGT_GAP."""
    n, m = scorer.n_src, scorer.n_tgt
    lo, hi = band if band is not None else dp.full_band(n, m)
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
            opened = other + dp.opening(scorer, 1, 0, i, js)
            total[IN_SRC_GAP].rows[i][:] = np.minimum(stay, opened) + extend
            came_from[IN_SRC_GAP].rows[i][:] = np.where(stay <= opened, IN_SRC_GAP, other_state)
        if SKIP_TGT in kinds and j1 > j0:
            # a run of 0-1 beads along the row: prefix sums of the extensions turn it into a running minimum
            js = np.arange(j0 + 1, j1 + 1)
            extend = scorer.cost(0, 1, i, js)
            prefix = np.concatenate(([0.0], np.cumsum(extend)))
            left_paired, left_src = total[PAIRED].rows[i][:-1], total[IN_SRC_GAP].rows[i][:-1]
            opened = np.minimum(left_paired, left_src) + dp.opening(scorer, 0, 1, i, js)
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


class ReferenceCachedCost:
    """A scorer whose bead costs are computed once per (kind, row) over the row's band, so the
    search and the posteriors over the same band share one evaluation of every bead, and keep the
    costs of the moment they were computed."""

    def __init__(self, scorer: BeadCost, band: tuple[np.ndarray, np.ndarray] | None = None):
        self.scorer, self.n_src, self.n_tgt = scorer, scorer.n_src, scorer.n_tgt
        self.lo, self.hi = band if band is not None else dp.full_band(self.n_src, self.n_tgt)
        self.rows: dict[tuple[int, int, int], tuple[int, np.ndarray]] = {}

    def opening(self, a: int, b: int, i: int, js: np.ndarray) -> np.ndarray:
        return dp.opening(self.scorer, a, b, i, js)

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


class ReferencePosteriors:
    """The distribution over all bead sequences in the band with P(sequence) ∝ exp(−cost / temperature),
    summed by forward–backward over the states of `search`, so a bead with a close rival anywhere gets low
    odds. `log_odds` reads each bead's own cost from the scorer again: to judge a later pass's route by this
    pass's model, give a `CachedCost`, which keeps the costs it computed."""

    def __init__(self, scorer: BeadCost, kinds: Sequence[Kind], band: tuple[np.ndarray, np.ndarray] | None = None,
                 temperature: float = 1.0):
        self.scorer, self.temperature = scorer, temperature
        n, m = scorer.n_src, scorer.n_tgt
        lo, hi = band if band is not None else dp.full_band(n, m)
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
        return -dp.opening(self.scorer, a, b, i, js) / self.temperature

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


# ---- the tests ----

ALL = [(1, 1), (1, 2), (2, 1), (2, 2), (1, 3), (3, 1), (2, 3), (3, 2), (1, 4), (4, 1), (1, 0), (0, 1)]


class _RandomCost:
    """Independent random costs per kind and cell, a random opening per cell: no two routes tie."""

    def __init__(self, n_src, n_tgt, kinds, seed):
        rng = np.random.default_rng(seed)
        self.n_src, self.n_tgt = n_src, n_tgt
        self.table = {kind: rng.uniform(-2.0, 4.0, size=(n_src + 1, n_tgt + 1)) for kind in kinds}
        self.opens = {kind: rng.uniform(0.0, 3.0, size=(n_src + 1, n_tgt + 1)) for kind in (SKIP_SRC, SKIP_TGT)}

    def cost(self, a, b, i, js):
        return self.table[(a, b)][i, js]

    def opening(self, a, b, i, js):
        return self.opens[(a, b)][i, js]


def _every_bead(n, m, kinds, band):
    lo, hi = band if band is not None else dp.full_band(n, m)
    return [((a, b), i, j) for a, b in kinds for i in range(a, n + 1) for j in range(max(b, lo[i]), hi[i] + 1)
            if lo[i - a] <= j - b <= hi[i - a]]


def _route_cost(scorer, route):
    return sum(scorer.cost(a, b, i, np.array([j]))[0] for (a, b), i, j in route)


def _agree(scorer, kinds, band, temperature, every_bead=True, reference_scorer=None):
    """The compiled search and posteriors against the reference on one scorer (the reference's own, if given:
    a cache of costs computed a row at a time) and band."""
    route = dp.search(scorer, kinds, band)
    reference_scorer = reference_scorer or scorer
    wanted = reference_search(reference_scorer, kinds, band)
    assert route == wanted
    assert _route_cost(scorer, route) == pytest.approx(_route_cost(scorer, wanted), abs=1e-9)
    posteriors = dp.Posteriors(scorer, kinds, band, temperature)
    reference = ReferencePosteriors(reference_scorer, kinds, band, temperature)
    assert posteriors.total == pytest.approx(reference.total, abs=1e-9)
    beads = _every_bead(scorer.n_src, scorer.n_tgt, kinds, band) if every_bead else route
    got, expected = posteriors.log_odds(beads), reference.log_odds(beads)
    finite = np.isfinite(expected)
    assert np.array_equal(finite, np.isfinite(got))
    assert np.abs(got[finite] - expected[finite]).max() <= 1e-9
    return route


@pytest.mark.parametrize("seed", range(6))
def test_the_compiled_search_and_posteriors_equal_the_numpy_reference_on_random_costs(seed):
    n, m = 23 + seed, 31 - seed
    scorer = _RandomCost(n, m, ALL, seed)
    _agree(scorer, ALL, None, temperature=0.7 + 0.1 * seed)


@pytest.mark.parametrize("seed", range(3))
def test_the_compiled_core_equals_the_reference_in_a_band_and_with_some_kinds_missing(seed):
    n, m = 60, 75
    kinds = [ALL, [(1, 1), (1, 2), (2, 1), (0, 1)], [(1, 1), (1, 2), (1, 0)]][seed]
    scorer = _RandomCost(n, m, kinds, 10 + seed)
    diagonal = [(i, round(i * m / n)) for i in range(n + 1)]
    band = dp.band_around(diagonal, n, m, width=6)
    _agree(scorer, kinds, band, temperature=1.3)
    cached = dp.CachedCost(scorer, band)
    assert dp.search(cached, kinds, band) == reference_search(scorer, kinds, band)


def test_a_search_that_streams_its_costs_a_few_rows_at_a_time_finds_the_same_route(monkeypatch):
    scorer = _RandomCost(50, 64, ALL, 7)
    whole = dp.search(scorer, ALL)
    monkeypatch.setattr(dp, "CHUNK_CELLS", 100)
    assert dp._Layout(dp.full_band(50, 64)).chunks(100)[:2] == [(0, 1), (1, 2)]
    assert dp.search(scorer, ALL) == whole == reference_search(scorer, ALL)


@pytest.fixture(scope="module")
def mac_dev_chapter():
    from align.aligners.combined import CombinedAligner
    from align.ingest import read_lines

    zh, en = read_lines(MAC_DEV / "zh" / "006.zh"), read_lines(MAC_DEV / "en" / "006.en")
    return CombinedAligner().fitting_cost(zh, en, spans=True)


@needs_mac_dev
def test_bead_costs_computed_for_the_whole_band_at_once_equal_those_computed_row_by_row(mac_dev_chapter):
    from align.aligners.combined import ALL_KINDS, GAP_OPEN

    scorer = mac_dev_chapter
    layout = dp._Layout(dp.full_band(scorer.n_src, scorer.n_tgt))
    costs, opens = dp.CachedCost(scorer).tables(ALL_KINDS)
    for i in range(scorer.n_src + 1):
        row = slice(layout.offset[i], layout.offset[i + 1])
        for k, (a, b) in enumerate(ALL_KINDS):
            if a <= i:
                js = np.arange(b, scorer.n_tgt + 1)
                assert np.abs(costs[k, row][b:] - scorer.cost(a, b, i, js)).max() <= 1e-12
        gap_open = -scorer.w[GAP_OPEN]     # text without speaker turns: the opening is the gap opening alone
        assert (opens[0, row] == (gap_open if i else 0.0)).all() and (opens[1, row][1:] == gap_open).all()


@needs_mac_dev
def test_on_a_mac_dev_chapter_the_compiled_core_finds_the_reference_route_and_posteriors(mac_dev_chapter):
    from align.aligners.combined import ALL_KINDS

    # as the aligner runs them: costs cached over the band, the reference's a row at a time (a bead's encoded
    # span cosine is a float32 product whose last bits depend on how many beads share the call)
    scorer = mac_dev_chapter
    full = dp.full_band(scorer.n_src, scorer.n_tgt)
    route = _agree(dp.CachedCost(scorer), ALL_KINDS, full, 1.0, every_bead=False, reference_scorer=ReferenceCachedCost(scorer))
    band = dp.band_around(dp.path_points(route), scorer.n_src, scorer.n_tgt, 16)
    assert _agree(dp.CachedCost(scorer, band), ALL_KINDS, band, 1.0, reference_scorer=ReferenceCachedCost(scorer, band)) == route
