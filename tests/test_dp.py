import pytest
import numpy as np

from align.aligners import dp
from align.aligners.gale_church import KINDS, _GaleChurchCost
from align.score.length import LengthModel


def _length_cost(src_lengths, tgt_lengths):
    model = LengthModel(np.array(src_lengths, dtype=float), np.array(tgt_lengths, dtype=float))
    return _GaleChurchCost(model, len(src_lengths), len(tgt_lengths))


def test_search_finds_the_obvious_merge_and_split():
    cost = _length_cost([10, 40, 12, 30], [10, 20, 20, 12, 15, 15])
    path = dp.search(cost, KINDS)
    assert [(kind, i, j) for kind, i, j in path] == [((1, 1), 1, 1), ((1, 2), 2, 3), ((1, 1), 3, 4), ((1, 2), 4, 6)]


def test_a_band_around_the_best_path_gives_the_same_path():
    rng = np.random.default_rng(3)
    src = rng.integers(5, 60, size=120)
    tgt = np.concatenate([[s // 2, s - s // 2] if k % 7 == 0 else [s] for k, s in enumerate(src)])
    cost = _length_cost(src, tgt)
    full = dp.search(cost, KINDS)
    band = dp.band_around(dp.path_points(full), len(src), len(tgt), width=3)
    assert dp.search(cost, KINDS, band) == full
    assert int((band[1] - band[0]).max()) < len(tgt) // 4   # the band really is narrow


def test_every_sentence_is_covered_once_in_order():
    cost = _length_cost([3, 50, 7, 7, 20], [25, 25, 14, 20, 1, 1])
    path = dp.search(cost, KINDS)
    assert path[-1][1:] == (5, 6)
    ends = [(0, 0)] + [(i, j) for _, i, j in path]
    assert all(i1 - i0 == a and j1 - j0 == b for ((a, b), i1, j1), (i0, j0) in zip(path, ends))


class _TableCost:
    """Bead costs from a table {(a, b, i, j): cost}; any other bead is impossible."""

    def __init__(self, n_src, n_tgt, table):
        self.n_src, self.n_tgt, self.table = n_src, n_tgt, table

    def cost(self, a, b, i, js):
        return np.array([self.table.get((a, b, i, int(j)), 1e6) for j in js])


def test_two_equally_good_routes_each_get_even_odds():
    # 2-2 in one bead, or 1-1 then 1-1, at the same total cost
    cost = _TableCost(2, 2, {(2, 2, 2, 2): 1.0, (1, 1, 1, 1): 0.5, (1, 1, 2, 2): 0.5})
    path = dp.search(cost, [(1, 1), (2, 2), (1, 0), (0, 1)])
    assert dp.Posteriors(cost, [(1, 1), (2, 2), (1, 0), (0, 1)]).log_odds(path) == pytest.approx([0.0] * len(path), abs=1e-9)


def test_a_route_far_better_than_any_rival_is_near_certain():
    cost = _TableCost(2, 2, {(2, 2, 2, 2): 6.0, (1, 1, 1, 1): 0.5, (1, 1, 2, 2): 0.5})
    path = dp.search(cost, [(1, 1), (2, 2)])
    odds = dp.Posteriors(cost, [(1, 1), (2, 2)]).log_odds(path)
    assert len(path) == 2 and all(o == pytest.approx(5.0, abs=1e-6) for o in odds)   # log(e^-1 / e^-6)


def test_posteriors_in_a_band_around_the_path_equal_those_of_the_full_search():
    cost = _length_cost([10, 40, 12, 30, 22, 8, 16], [10, 20, 20, 12, 15, 15, 22, 4, 4, 16])
    path = dp.search(cost, KINDS)
    full = dp.Posteriors(cost, KINDS).log_odds(path)
    band = dp.band_around(dp.path_points(path), 7, 10, width=4)
    assert dp.Posteriors(cost, KINDS, band).log_odds(path) == pytest.approx(full, abs=1e-6)


def test_cached_costs_give_the_same_route_and_posteriors():
    cost = _length_cost([10, 40, 12, 30, 22, 8, 16], [10, 20, 20, 12, 15, 15, 22, 4, 4, 16])
    path = dp.search(cost, KINDS)
    band = dp.band_around(dp.path_points(path), 7, 10, width=2)
    cached = dp.CachedCost(cost, band)
    assert dp.search(cached, KINDS, band) == dp.search(cost, KINDS, band)
    assert dp.Posteriors(cached, KINDS, band).log_odds(path) == pytest.approx(dp.Posteriors(cost, KINDS, band).log_odds(path))
