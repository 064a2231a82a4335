import numpy as np

from align.aligners.combined import CLAUSE_CROSS, CLAUSE_MARGIN, CombinedCost, Model, split_pairs
from align.score.clauses import ClauseCrossing
from align.score.length import LengthModel


class _TableCost:
    """Bead costs from a table {(a, b, i, j): cost}; any other bead costs 100."""

    def __init__(self, table):
        self.table = table

    def cost(self, a, b, i, js):
        rows = np.broadcast_to(i, np.shape(js))
        return np.array([self.table.get((a, b, int(r), int(j)), 100.0) for r, j in zip(rows, js)])


def test_pass_three_reads_the_route_s_two_twos_and_the_two_twos_nearly_chosen_over_two_one_to_ones():
    route = [((1, 1), 1, 1), ((1, 1), 2, 2), ((1, 1), 3, 3), ((2, 2), 5, 5)]
    # joining the first two 1-1s costs CLAUSE_MARGIN less a little more than they do; the next two, the margin more
    cost = _TableCost({(1, 1, 1, 1): -2.0, (1, 1, 2, 2): -2.0, (2, 2, 2, 2): -4.0 + CLAUSE_MARGIN - 0.1,
                       (1, 1, 3, 3): -2.0, (2, 2, 3, 3): -4.0 + CLAUSE_MARGIN})
    assert split_pairs(route, cost) == [((2, 2), 2, 2), ((2, 2), 5, 5)]


def test_a_one_one_and_a_one_two_nearly_joined_are_read_as_their_two_three():
    route = [((1, 1), 1, 1), ((1, 2), 2, 3)]
    cost = _TableCost({(1, 1, 1, 1): -2.0, (1, 2, 2, 3): -2.0, (2, 3, 2, 3): -4.0 + CLAUSE_MARGIN - 0.1})
    assert split_pairs(route, cost) == [((2, 3), 2, 3)]


def test_only_the_two_twos_read_get_the_clause_feature():
    length = LengthModel(np.array([10.0] * 4), np.array([10.0] * 4))
    cost = CombinedCost({}, length, Model({"clause_cross": 1.0}), None)
    read = ClauseCrossing(np.zeros(0, dtype=np.int64), np.zeros(0), stride=5)
    cost.clauses = ClauseCrossing(read.key(2, 2, 2, np.array([2])), np.array([0.25]), stride=5)
    assert cost.features(2, 2, 2, np.array([2, 3]))[:, CLAUSE_CROSS].tolist() == [0.25, 0.0]
    assert cost.features(1, 1, 2, np.array([2]))[:, CLAUSE_CROSS].tolist() == [0.0]
    assert cost.features(2, 3, 2, np.array([2]))[:, CLAUSE_CROSS].tolist() == [0.0]
