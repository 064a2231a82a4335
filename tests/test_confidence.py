from align.score.confidence import AUTOMATIC_MAX, LOG_ODDS_LIMIT, bead_confidence, route_confidences, route_features


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


def test_each_unit_is_read_by_its_own_odds_under_both_passes_and_its_kind():
    kinds = [(1, 1), (1, 0), (2, 2), (1, 1), (0, 1)]
    odds = [4.0, -1.0, 1.0, 30.0, -3.0]
    features = route_features(kinds, odds, [2.0, 0.0, 1.5, 3.0, 0.0])
    assert features[1] is None and features[4] is None          # unpaired sentences have no confidence
    # bias, own odds (clipped), pass 2's, many-to-many, moved-clause gain and unpaired turn share (none given: 0)
    assert features[0] == [1.0, 4.0, 2.0, 0.0, 0.0, 0.0]
    assert features[2] == [1.0, 1.0, 1.5, 1.0, 0.0, 0.0]
    assert features[3] == [1.0, 10.0, 3.0, 0.0, 0.0, 0.0]


def test_a_clause_that_moved_across_the_units_boundary_lowers_its_confidence():
    assert bead_confidence(2.0, 2.0, clause_moved=0.3) < bead_confidence(2.0, 2.0) < bead_confidence(2.0, 2.0, clause_moved=-0.1)
    features = route_features([(1, 1), (1, 1)], [2.0, 5.0], None, [0.3, 0.0])
    assert [f[4] for f in features] == [0.3, 0.0]


def test_a_unit_whose_speaker_turn_is_otherwise_unpaired_looks_doubtful():
    assert bead_confidence(3.0, 3.0, turn_unpaired=1.0) < 0.5 < bead_confidence(3.0, 3.0, turn_unpaired=0.0)
    features = route_features([(1, 1), (1, 0), (1, 1)], [3.0, 0.0, 5.0], None, None, [1.0, 0.0, 0.0])
    assert [f and f[5] for f in features] == [1.0, None, 0.0]


def test_a_units_confidence_does_not_depend_on_how_sure_the_aligner_is_of_its_neighbours():
    doubtful = route_confidences([(1, 1), (1, 2), (1, 1)], [-6.0, -4.0, 5.0])
    sure = route_confidences([(1, 1), (2, 1), (1, 1)], [9.0, 10.0, 5.0])
    assert doubtful[2] == sure[2] == bead_confidence(5.0)


def test_a_route_gets_each_units_confidence_and_zero_for_an_unpaired_sentence():
    kinds, odds = [(1, 1), (0, 1), (2, 1)], [5.0, -2.0, 1.0]
    assert route_confidences(kinds, odds) == [bead_confidence(5.0, 5.0), 0.0, bead_confidence(1.0, 1.0)]
    assert route_confidences([(2, 2)], [3.0]) == [bead_confidence(3.0, 3.0, many_to_many=True)]
