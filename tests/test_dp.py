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
        rows = np.broadcast_to(i, np.shape(js))
        return np.array([self.table.get((a, b, int(r), int(j)), 1e6) for r, j in zip(rows, js)])


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


class _GapCost:
    """Random bead costs with a gap-opening cost: a run of k skips costs `open` once and k extensions."""

    def __init__(self, n_src, n_tgt, kinds, open_cost, seed):
        rng = np.random.default_rng(seed)
        self.n_src, self.n_tgt, self.open_cost = n_src, n_tgt, open_cost
        self.table = {kind: rng.uniform(0.0, 3.0, size=(n_src + 1, n_tgt + 1)) for kind in kinds}

    def cost(self, a, b, i, js):
        return self.table[(a, b)][i, js]

    def opening(self, a, b, i, js):
        return np.full(len(js), self.open_cost)


def _routes(n, m, kinds):
    """Every bead sequence from (0, 0) to (n, m)."""
    if n == 0 and m == 0:
        return [[]]
    out = []
    for a, b in kinds:
        if a <= n and b <= m:
            out += [route + [((a, b), n, m)] for route in _routes(n - a, m - b, kinds)]
    return out


def _route_cost(cost, route):
    total, previous = 0.0, None
    for (a, b), i, j in route:
        total += cost.cost(a, b, i, np.array([j]))[0]
        if not (a and b) and (a, b) != previous:
            total += cost.open_cost
        previous = (a, b)
    return total


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_with_a_gap_opening_cost_search_and_posteriors_equal_the_enumeration_of_every_route(seed):
    kinds = [(1, 1), (1, 2), (2, 1), (1, 0), (0, 1)]
    cost = _GapCost(4, 5, kinds, open_cost=2.0, seed=seed)
    routes = _routes(4, 5, kinds)
    costs = np.array([_route_cost(cost, r) for r in routes])
    assert dp.search(cost, kinds) == routes[int(costs.argmin())]
    weights = np.exp(-(costs - costs.min()) / 0.7)
    path = routes[int(costs.argmin())]
    wanted = [sum(w for w, r in zip(weights, routes) if bead in r) / weights.sum() for bead in path]
    odds = dp.Posteriors(cost, kinds, temperature=0.7).log_odds(path)
    assert 1 / (1 + np.exp(-odds)) == pytest.approx(wanted, abs=1e-9)


def test_a_run_of_skips_pays_one_opening_so_a_block_stays_unpaired_where_single_skips_would_be_glued():
    # four target sentences with no counterpart between two 1-1 beads: gluing them into a 1-5 costs 3.0;
    # leaving them unpaired costs 1.0 + 4 × 0.4 = 2.6 as one run, 4 × 1.4 = 5.6 if every skip paid the opening
    kinds = [(1, 1), (1, 5), (1, 0), (0, 1)]

    class Cost(_TableCost):
        def opening(self, a, b, i, js):
            return np.full(len(js), 1.0)

    cost = Cost(2, 6, {(1, 1, 1, 1): 0.0, (1, 1, 2, 6): 0.0, (1, 5, 2, 6): 3.0, **{(0, 1, 1, j): 0.4 for j in range(2, 6)}})
    assert [kind for kind, _, _ in dp.search(cost, kinds)] == [(1, 1), (0, 1), (0, 1), (0, 1), (0, 1), (1, 1)]
    cost.table[(1, 5, 2, 6)] = 2.5
    assert [kind for kind, _, _ in dp.search(cost, kinds)] == [(1, 1), (1, 5)]


def test_the_expected_ratio_leaves_out_a_block_only_one_side_has_before_the_first_sure_pair():
    # a Chinese question of three sentences (30 + 20 + 15 characters) the English lacks, then the answer,
    # whose two sentences surely correspond (the first sure pair starts at (3, 0)): 192 / 64 = 3.0
    zh, en = [30, 20, 15, 40, 24], [120, 72]
    assert LengthModel(np.array(zh, dtype=float), np.array(en, dtype=float), first=(3, 0), last=(5, 2)).ratio == 3.0
    # counted, the question would make the English look a third as long as it is
    assert LengthModel(np.array(zh, dtype=float), np.array(en, dtype=float)).ratio == 192 / 129


def test_the_expected_ratio_leaves_out_a_block_only_one_side_has_after_the_last_sure_pair():
    # the English has a last paragraph (90 + 60 characters) the Chinese lacks after the last sure pair (2, 2)
    zh, en = [20, 30], [55, 95, 90, 60]
    assert LengthModel(np.array(zh, dtype=float), np.array(en, dtype=float), first=(0, 0), last=(2, 2)).ratio == 3.0


def test_text_on_both_sides_outside_the_sure_pairs_counts_towards_the_expected_ratio():
    # both sides have a sentence before the first sure pair, which starts at (1, 1): 180 / 60
    zh, en = [10, 20, 30], [80, 100]
    model = LengthModel(np.array(zh, dtype=float), np.array(en, dtype=float), first=(1, 1), last=(3, 2))
    assert model.ratio == 3.0


def test_the_length_deviation_is_negative_for_a_target_too_short_and_its_size_is_z():
    # ratio 1.0 (100 + 100 characters a side); the first pair's English is short, the second's long by as much
    model = LengthModel(np.array([50.0, 50.0]), np.array([30.0, 70.0]))
    short, long = model.deviation(1, 1, 1, np.array([1]))[0], model.deviation(1, 1, 2, np.array([2]))[0]
    assert short < 0 < long
    assert model.z(1, 1, 1, np.array([1]))[0] == -short
    assert model.deviation(2, 2, 2, np.array([2]))[0] == 0.0      # the two together are as long as expected


def test_a_replacing_cost_table_gives_the_named_cells_their_new_costs_and_leaves_the_rest():
    class Flat:
        n_src, n_tgt = 3, 3

        def cost(self, a, b, i, js):
            return np.full(len(js), float(a + b))

    cached = dp.CachedCost(Flat())
    kinds = [(1, 1), (1, 0), (0, 1)]
    cell = cached.layout.index(np.array([2]), np.array([2]))
    replaced = cached.replacing(kinds, {(1, 1): (cell, np.array([1.5]))})
    assert replaced.cost(1, 1, 2, np.array([1, 2, 3])).tolist() == [2.0, 1.5, 2.0]
    assert cached.cost(1, 1, 2, np.array([2])).tolist() == [2.0]
