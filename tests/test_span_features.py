import numpy as np

from align.aligners.spans import SpanFeatures


def _unit(*directions: int, dim: int = 16) -> np.ndarray:
    vectors = np.zeros((len(directions), dim))
    vectors[np.arange(len(directions)), directions] = 1.0
    return vectors


def test_the_weakest_member_of_a_one_to_one_bead_is_its_margin():
    rng = np.random.default_rng(7)
    zh, en = rng.normal(size=(9, 16)), rng.normal(size=(11, 16))
    features = SpanFeatures(zh / np.linalg.norm(zh, axis=1, keepdims=True),
                            en / np.linalg.norm(en, axis=1, keepdims=True), 6, 6)
    js = np.arange(1, 12)
    for i in range(1, 10):
        assert np.allclose(features.weakest(1, 1, i, js), features.margin(1, 1, i, js))


def test_a_sentence_with_nothing_to_do_with_the_other_side_makes_a_large_bead_weak():
    # Chinese sentence 0 says what English 0 and 1 say together; English 2 is about something else.
    zh = _unit(0, 5, 6, 7) + _unit(1, 5, 6, 7) * 0.9
    en = np.vstack([_unit(0), _unit(1), _unit(9), _unit(5), _unit(6), _unit(7)])
    features = SpanFeatures(zh / np.linalg.norm(zh, axis=1, keepdims=True), en, 6, 6)
    two = features.weakest(1, 2, 1, np.array([2]))[0]
    three = features.weakest(1, 3, 1, np.array([3]))[0]
    margin_three = features.margin(1, 3, 1, np.array([3]))[0]
    assert two > 0.3
    assert three < 0.0 < margin_three    # the 1-3's summed margin alone still looks like a match
