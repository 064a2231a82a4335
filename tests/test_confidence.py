from align.score.confidence import (AUTOMATIC_MAX, LOG_ODDS_LIMIT, bead_confidence, best_merges, neighbour_merges,
                                    route_confidences, route_features)

ALL = [(1, 1), (1, 2), (2, 1), (2, 2), (2, 3), (3, 2), (1, 0), (0, 1)]


def test_confidence_rises_with_the_posterior_odds_and_stays_a_probability():
    values = [bead_confidence(odds) for odds in (-LOG_ODDS_LIMIT, -2.0, 0.0, 2.0, LOG_ODDS_LIMIT)]
    assert values == sorted(values) and len(set(values)) == len(values)
    assert all(0.0 <= v <= AUTOMATIC_MAX for v in values)


def test_odds_beyond_the_limit_add_no_confidence():
    assert bead_confidence(LOG_ODDS_LIMIT) == bead_confidence(10 * LOG_ODDS_LIMIT)


def test_a_unit_the_two_passes_disagree_on_lies_between_agreement_either_way():
    sure, doubted, rejected = (bead_confidence(10.0, 10.0), bead_confidence(10.0, -10.0), bead_confidence(-10.0, -10.0))
    assert rejected < doubted < sure
    assert bead_confidence(10.0) == sure    # one search only: its odds stand for both


def test_a_likely_merge_with_a_neighbour_makes_a_unit_less_sure():
    alone, rival = bead_confidence(3.0, merged_log_odds=None), bead_confidence(3.0, merged_log_odds=1.0)
    assert rival < alone
    assert alone == bead_confidence(3.0, merged_log_odds=-LOG_ODDS_LIMIT)   # no merge reads as the least likely


def test_each_unit_is_read_by_its_odds_under_both_passes_its_kind_and_its_best_merge():
    kinds = [(1, 1), (1, 0), (2, 2), (1, 1), (0, 1)]
    odds = [4.0, -1.0, 1.0, 30.0, -3.0]
    features = route_features(kinds, odds, [2.0, 0.0, 1.5, 3.0, 0.0], [-1.0, None, None, 40.0, None])
    assert features[1] is None and features[4] is None          # unpaired sentences have no confidence
    # bias, own odds (clipped), pass 2's, many-to-many, best merge (clipped; none: the lower limit)
    assert features[0] == [1.0, 4.0, 2.0, 0.0, -1.0]
    assert features[2] == [1.0, 1.0, 1.5, 1.0, -LOG_ODDS_LIMIT]
    assert features[3] == [1.0, LOG_ODDS_LIMIT, 3.0, 0.0, LOG_ODDS_LIMIT]


def test_a_one_to_one_is_merged_with_each_paired_neighbour_into_a_searched_kind():
    # 1-1, 1-1, 1-2, 0-1, 1-1, 2-3: (kind, i_end, j_end)
    path = [((1, 1), 1, 1), ((1, 1), 2, 2), ((1, 2), 3, 4), ((0, 1), 3, 5), ((1, 1), 4, 6), ((2, 3), 6, 9)]
    assert neighbour_merges(path, ALL) == [
        (0, ((2, 2), 2, 2)), (1, ((2, 2), 2, 2)),      # the two 1-1s into a 2-2, a rival of each
        (1, ((2, 3), 3, 4)),                           # the second 1-1 with the 1-2 after it
    ]                                                  # not across the 0-1, and 3-4 is not searched
    assert neighbour_merges(path, [(1, 1), (1, 2)]) == []


def test_each_beads_best_merge_is_the_likeliest_of_its_rivals():
    merges = [(0, ((2, 2), 2, 2)), (1, ((2, 2), 2, 2)), (1, ((2, 3), 3, 4))]
    assert best_merges(3, merges, [-4.0, -4.0, -1.5]) == [-4.0, -1.5, None]


def test_a_units_confidence_does_not_depend_on_how_sure_the_aligner_is_of_its_neighbours():
    doubtful = route_confidences([(1, 1), (1, 2), (1, 1)], [-6.0, -4.0, 5.0])
    sure = route_confidences([(1, 1), (2, 1), (1, 1)], [9.0, 10.0, 5.0])
    assert doubtful[2] == sure[2] == bead_confidence(5.0)


def test_a_route_gets_each_units_confidence_and_zero_for_an_unpaired_sentence():
    kinds, odds = [(1, 1), (0, 1), (2, 1)], [5.0, -2.0, 1.0]
    assert route_confidences(kinds, odds, merged_odds=[-3.0, None, None]) == [
        bead_confidence(5.0, 5.0, merged_log_odds=-3.0), 0.0, bead_confidence(1.0, 1.0)]
    assert route_confidences([(2, 2)], [3.0]) == [bead_confidence(3.0, 3.0, many_to_many=True)]


def test_the_aligner_reads_a_merge_rival_off_the_same_posteriors_as_the_units():
    from align.aligners import dp
    from align.aligners.combined import confidence_inputs
    from test_dp import _TableCost

    # two 1-1s at 0.5 each, or one 2-2 at 3.0: the split is e^2 likelier, the merge its only rival
    cost = _TableCost(2, 2, {(1, 1, 1, 1): 0.5, (1, 1, 2, 2): 0.5, (2, 2, 2, 2): 3.0})
    path = dp.search(cost, [(1, 1), (2, 2)])
    kinds, odds, first_odds, merged = confidence_inputs(path, dp.Posteriors(cost, [(1, 1), (2, 2)]))
    assert kinds == [(1, 1), (1, 1)] and odds == first_odds
    assert [round(o, 6) for o in odds] == [2.0, 2.0] and [round(m, 6) for m in merged] == [-2.0, -2.0]
