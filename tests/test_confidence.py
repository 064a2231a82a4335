from align.score.confidence import LOG_ODDS_LIMIT, bead_confidence


def test_confidence_rises_with_the_posterior_odds_and_stays_a_probability():
    values = [bead_confidence(odds) for odds in (-LOG_ODDS_LIMIT, -2.0, 0.0, 2.0, LOG_ODDS_LIMIT)]
    assert values == sorted(values) and len(set(values)) == len(values)
    assert all(0.0 <= v <= 1.0 for v in values)


def test_odds_beyond_the_limit_add_no_confidence():
    assert bead_confidence(LOG_ODDS_LIMIT) == bead_confidence(10 * LOG_ODDS_LIMIT)


def test_a_unit_the_two_passes_disagree_on_lies_between_agreement_either_way():
    sure, doubted, rejected = (bead_confidence(10.0, 10.0), bead_confidence(10.0, -10.0), bead_confidence(-10.0, -10.0))
    assert rejected < doubted < sure
    assert bead_confidence(10.0) == sure    # one search only: its odds stand for both
