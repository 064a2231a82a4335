"""The encoder signals of `SpanFeatures` against the whole-matrix code they replaced (kept here, and only here,
as the reference): hubness, nearest neighbours and best margins bit for bit, bead cosines within 1e-12, with
the similarity matrix read a few rows at a time and no n × m array beyond it."""

import numpy as np
import pytest

from align.aligners import spans
from align.aligners.spans import SpanFeatures, centre, prefix1d
from conftest import MAC_DEV, needs_mac_dev


def reference_features(src_vectors: np.ndarray, tgt_vectors: np.ndarray, neighbours: int = 4) -> dict:
    """align/aligners/spans.py's SpanFeatures before: 2-D prefix sums of the whole similarity matrix,
    hubness and best margins over all of it at once."""
    src_vectors, tgt_vectors = centre(src_vectors), centre(tgt_vectors)
    sim = src_vectors @ tgt_vectors.T
    prefix = np.zeros((sim.shape[0] + 1, sim.shape[1] + 1))
    np.cumsum(np.cumsum(sim, axis=0, dtype=np.float64), axis=1, out=prefix[1:, 1:])
    k_rows, k_cols = min(neighbours, len(tgt_vectors)), min(neighbours, len(src_vectors))
    src_hub = -np.partition(-sim, k_rows - 1, axis=1)[:, :k_rows].mean(axis=1)
    tgt_hub = -np.partition(-sim, k_cols - 1, axis=0)[:k_cols, :].mean(axis=0)
    sim -= src_hub[:, None] / 2
    sim -= tgt_hub[None, :] / 2
    nearest_src, nearest_tgt = sim.argmax(axis=1), sim.argmax(axis=0)
    return {"prefix": prefix, "src_hub": prefix1d(src_hub), "tgt_hub": prefix1d(tgt_hub),
            "nearest_src": nearest_src, "nearest_tgt": nearest_tgt,
            "best_src": sim[np.arange(len(sim)), nearest_src], "best_tgt": sim[nearest_tgt, np.arange(sim.shape[1])]}


def assert_same_as_reference(src_vectors: np.ndarray, tgt_vectors: np.ndarray) -> None:
    features = SpanFeatures(src_vectors, tgt_vectors, max_src=6, max_tgt=6)
    wanted = reference_features(src_vectors, tgt_vectors)
    for name in ("src_hub", "tgt_hub", "nearest_src", "nearest_tgt", "best_src", "best_tgt"):
        assert np.array_equal(getattr(features, name), wanted[name]), name
    prefix = wanted["prefix"]
    for a, b in [(1, 1), (1, 2), (2, 1), (2, 2), (1, 3), (3, 1), (2, 3), (3, 2), (1, 6), (6, 1)]:
        for i in range(a, features.n_src + 1, 5):
            js = np.arange(b, features.n_tgt + 1)
            if not len(js):
                continue
            dot = prefix[i, js] - prefix[i - a, js] - prefix[i, js - b] + prefix[i - a, js - b]
            summed = dot / (features.src_norms[a, i] * features.tgt_norms[b, js])
            assert np.abs(features.cosine(a, b, i, js) - summed).max() <= 1e-12


@pytest.mark.parametrize("seed", [7, 64, 256])
def test_hubness_nearest_neighbours_and_cosines_equal_the_whole_matrix_code_on_random_vectors(seed):
    generator = np.random.default_rng(seed)
    shared = generator.normal(size=(150, 48))
    src = (shared + 0.8 * generator.normal(size=shared.shape)).astype(np.float32)
    tgt = np.concatenate([shared[:90], generator.normal(size=(30, 48)), shared[90:]])
    tgt = (tgt + 0.8 * generator.normal(size=tgt.shape)).astype(np.float32)
    tgt[40] = tgt[41]          # a tie: the first of two equal neighbours is kept, as argmax does
    assert_same_as_reference(src, tgt)


def test_a_document_of_one_sentence_on_a_side_still_gets_its_features():
    generator = np.random.default_rng(1)
    assert_same_as_reference(generator.normal(size=(1, 8)).astype(np.float32),
                             generator.normal(size=(5, 8)).astype(np.float32))


@needs_mac_dev
def test_on_a_mac_dev_chapter_the_features_equal_the_whole_matrix_code():
    from align.aligners.combined import CombinedAligner
    from align.ingest import read_lines

    zh, en = read_lines(MAC_DEV / "zh" / "002.zh"), read_lines(MAC_DEV / "en" / "002.en")
    assert_same_as_reference(*CombinedAligner().encode("use", zh, en))


def test_the_features_of_a_large_pair_keep_and_make_no_n_by_m_array_but_the_similarities():
    import tracemalloc

    generator = np.random.default_rng(2)
    src, tgt = (generator.normal(size=(size, 16)).astype(np.float32) for size in (1500, 1800))
    similarities = 1500 * 1800 * 4                     # bytes of the float32 similarity matrix
    tracemalloc.start()
    features = SpanFeatures(src, tgt, max_src=6, max_tgt=6)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    kept = [name for name, value in vars(features).items() if isinstance(value, np.ndarray) and value.size >= 1500 * 1800]
    assert kept == ["sim"]
    assert peak < 1.5 * similarities     # before: 7.0× (2-D prefix sums in float64, copies of the whole matrix)


@pytest.fixture(scope="module")
def chapter_cost():
    """MAC-Dev chapter 006's bead costs with every span encoded (the weights are set by each test)."""
    from align.aligners.combined import CombinedAligner
    from align.ingest import read_lines

    zh, en = read_lines(MAC_DEV / "zh" / "006.zh"), read_lines(MAC_DEV / "en" / "006.en")
    return CombinedAligner().fitting_cost(zh, en, spans=True)


@needs_mac_dev
@pytest.mark.parametrize("seed", [None, 1, 2, 3])
def test_on_a_mac_dev_chapter_any_weights_give_the_route_costs_and_posteriors_of_the_prefix_sums(
        monkeypatch, chapter_cost, seed):
    """The shipped weights (seed None) and random ones: the same route, costs and posteriors within 1e-9 as with
    bead sums read from 2-D prefix sums of the whole similarity matrix."""
    from align.aligners import dp
    from align.aligners.combined import ALL_KINDS, FEATURES, Model, fitted_model

    model = fitted_model("combined")
    if seed is not None:
        generator = np.random.default_rng(seed)
        model = Model({name: float(generator.normal(0, 5)) for name in FEATURES}, float(generator.uniform(0.3, 2)))
    scorer = chapter_cost
    monkeypatch.setattr(scorer, "w", model.vector())

    def run() -> tuple:
        cached = dp.CachedCost(scorer)
        costs, _ = cached.tables(ALL_KINDS)
        path = dp.search(cached, ALL_KINDS)
        return costs, path, dp.Posteriors(cached, ALL_KINDS, None, model.temperature).log_odds(path)

    costs, path, odds = run()
    prefixes = {}

    def prefix_block_sum(matrix, a, b, i, js, dtype=np.float64, strict=False):
        if id(matrix) not in prefixes:
            prefix = np.zeros((matrix.shape[0] + 1, matrix.shape[1] + 1), dtype=dtype)
            np.cumsum(np.cumsum(matrix, axis=0, dtype=dtype), axis=1, out=prefix[1:, 1:])
            prefixes[id(matrix)] = prefix
        prefix = prefixes[id(matrix)]
        return prefix[i, js] - prefix[i - a, js] - prefix[i, js - b] + prefix[i - a, js - b]

    monkeypatch.setattr(spans, "block_sum", prefix_block_sum)
    monkeypatch.setattr("align.aligners.combined.block_sum", prefix_block_sum)
    wanted_costs, wanted_path, wanted_odds = run()
    assert path == wanted_path
    finite = np.isfinite(wanted_costs)
    assert np.array_equal(finite, np.isfinite(costs)) and np.abs(costs[finite] - wanted_costs[finite]).max() <= 1e-9
    assert np.abs(odds - wanted_odds).max() <= 1e-9


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


def test_each_sentences_margin_to_the_other_side_and_the_weakest_of_them():
    # Chinese sentence 0 says what English 0 and 1 say together; English 2 is about something else.
    zh = _unit(0, 5, 6, 7) + _unit(1, 5, 6, 7) * 0.9
    en = np.vstack([_unit(0), _unit(1), _unit(9), _unit(5), _unit(6), _unit(7)])
    features = SpanFeatures(zh / np.linalg.norm(zh, axis=1, keepdims=True), en, 6, 6)
    each = features.sentence_margins(1, 3, 1, np.array([3]))[:, 0]   # Chinese 0, then English 2, 1, 0
    assert each.shape == (4,)
    assert each[0] > 0 and each[2] > 0 and each[3] > 0 > each[1]
    assert features.weakest(1, 3, 1, np.array([3]))[0] == each[1]


def test_a_beads_extra_margin_is_what_its_sentences_beyond_the_best_of_each_side_gain_over_their_best_match_elsewhere():
    from align.aligners.combined import FEATURES, CombinedCost, Model, margins_beyond_elsewhere
    from align.score.length import LengthModel

    # English sentence k translates Chinese sentence k (the last two English ones, the last Chinese one)
    rng = np.random.default_rng(11)
    zh = rng.normal(size=(9, 16))
    en = zh[np.minimum(np.arange(11), 8)] + 0.5 * rng.normal(size=(11, 16))
    features = SpanFeatures(zh / np.linalg.norm(zh, axis=1, keepdims=True),
                            en / np.linalg.norm(en, axis=1, keepdims=True), 6, 6)
    cost = CombinedCost({"use": features}, LengthModel(np.full(9, 20.0), np.full(11, 30.0)),
                        Model({"margin_use": 8.0, "extra_margin": 2.0}))
    column = FEATURES.index("extra_margin")
    for a, b in ((1, 1), (1, 2), (2, 2), (2, 3), (6, 1)):
        js = np.arange(b, 12)
        expected = margins_beyond_elsewhere(features.sentence_margins(a, b, 6, js), features.elsewhere(a, b, 6, js), a)
        assert np.array_equal(cost.features(a, b, 6, js)[:, column], expected)
    assert (cost.features(1, 1, 6, np.arange(1, 12))[:, column] == 0).all()
    # [4, 6) × [4, 6), two translations a side, gains; [4, 6) × [0, 2), far off the diagonal, loses
    assert cost.features(2, 2, 6, np.array([6]))[0, column] > 0 > cost.features(2, 2, 6, np.array([2]))[0, column]
    assert (cost.features(1, 0, 6, np.arange(0, 12))[:, column] == 0).all()


def test_a_sentence_without_counterpart_costs_a_bead_what_it_fails_to_match_and_one_matching_elsewhere_what_it_loses():
    from align.aligners.combined import margins_beyond_elsewhere

    # one column per bead, one row per sentence (the source's first): a Chinese sentence with two English ones
    margins = np.array([[0.4], [0.3], [-0.2]])
    assert margins_beyond_elsewhere(margins, np.full((3, 1), -np.inf), 1).tolist() == [-0.2]  # matches nothing
    assert margins_beyond_elsewhere(margins, np.array([[0.1], [0.0], [-0.5]]), 1).tolist() == [-0.2]
    # the weaker English sentence matches a sentence outside the bead better: it counts the difference
    assert margins_beyond_elsewhere(margins, np.array([[0.0], [0.0], [0.1]]), 1).tolist() == [-0.30000000000000004]
    # a 1-1 has no sentence beyond the best of each side
    assert margins_beyond_elsewhere(np.array([[0.4], [0.3]]), np.array([[0.9], [0.9]]), 1).tolist() == [0.0]


def test_a_beads_extra_margin_is_zero_where_it_crosses_a_turn_or_paragraph_boundary():
    from align.aligners.combined import FEATURES, CombinedCost, Model, margins_beyond_elsewhere
    from align.aligners.structure import Boundaries
    from align.score.length import LengthModel

    # Chinese: a question (0) and an answer (1-3); English: the answer only, two paragraphs (0-1, 2-3), each English
    # sentence a translation of the Chinese one after it
    rng = np.random.default_rng(11)
    zh = rng.normal(size=(4, 16))
    en = zh[[1, 2, 3, 3]] + 0.1 * rng.normal(size=(4, 16))
    features = SpanFeatures(zh / np.linalg.norm(zh, axis=1, keepdims=True),
                            en / np.linalg.norm(en, axis=1, keepdims=True), 6, 6)
    structure = {"turn": Boundaries([0, 1, 1, 1], [1, 1, 1, 1]), "paragraph": Boundaries([0, 1, 1, 1], [0, 0, 1, 1])}
    cost = CombinedCost({"use": features}, LengthModel(np.full(4, 20.0), np.full(4, 30.0)),
                        Model({"margin_use": 8.0, "extra_margin": 2.0}), structure=structure)
    column = FEATURES.index("extra_margin")
    inside = cost.features(2, 2, 3, np.array([2]))[0, column]     # Chinese 1-2 with English 0-1
    assert inside == margins_beyond_elsewhere(features.sentence_margins(2, 2, 3, np.array([2])),
                                              features.elsewhere(2, 2, 3, np.array([2])), 2)[0] != 0
    assert cost.features(2, 2, 2, np.array([2]))[0, column] == 0   # the question with the answer's first sentence
    assert cost.features(1, 2, 3, np.array([3]))[0, column] == 0   # English 1-2 crosses a paragraph boundary


# The two sentences of a turn of a real ministry announcement and of its English (centred, each side is two opposite
# vectors), which a paragraph removed from the English leaves as a turn of two sentences a side.
TURN_ZH = ["2020年度“一带一路”国际合作高峰论坛咨询委员会会议将于12月18日晚以视频形式举行,王毅国务委员兼外长将出席开幕式并致辞。",
           "咨询委员会由包括前政要和专家学者在内的国际知名人士组成,主要职能是为“一带一路”国际合作高峰论坛及相关国际合作提供智力支持。"]
TURN_EN = ["The Advisory Council is composed of international dignitaries from all over the world, including former "
           "statesmen, scholars and experts, etc.",
           "The main function of the body is to provide intelligence support for the BRF and relevant international "
           "cooperation."]


@pytest.mark.parametrize("nudge", [0.0, 1e-7, -1e-7])
def test_a_bead_spanning_the_whole_of_a_short_turn_has_a_cosine_of_zero_not_float_noise(nudge):
    from align.aligners.combined import CombinedAligner

    zh, en = CombinedAligner().encode("use", TURN_ZH, TURN_EN)
    features = SpanFeatures(zh + np.float32(nudge), en - np.float32(nudge), max_src=6, max_tgt=6)
    assert features.cosine(2, 2, 2, np.array([2])).tolist() == [0.0]
    assert features.cosine(1, 2, 2, np.array([2])).tolist() == [0.0]


def test_spans_whose_vectors_do_not_cancel_keep_their_cosine():
    from align.aligners.combined import CombinedAligner

    zh, en = CombinedAligner().encode("use", TURN_ZH + ["今天凌晨,嫦娥五号完成月球表面采样后顺利返回地球。"],
                                      TURN_EN + ["In the early hours of December 17, Chang’e 5 lunar mission returned to "
                                                 "Earth after collecting moon samples."])
    features = SpanFeatures(zh, en, max_src=6, max_tgt=6)
    assert np.isfinite(features.src_norms[2, 2:]).all() and np.isfinite(features.tgt_norms[2, 2:]).all()
    assert 0 < features.cosine(2, 2, 2, np.array([2]))[0] < 1


def test_a_sentences_best_match_elsewhere_is_its_best_csls_margin_to_any_sentence_outside_the_bead():
    rng = np.random.default_rng(5)
    zh, en = rng.normal(size=(9, 16)), rng.normal(size=(11, 16))
    features = SpanFeatures(zh / np.linalg.norm(zh, axis=1, keepdims=True),
                            en / np.linalg.norm(en, axis=1, keepdims=True), 6, 6)
    margins = reference_features(zh / np.linalg.norm(zh, axis=1, keepdims=True),
                                 en / np.linalg.norm(en, axis=1, keepdims=True))
    sim = centre(zh / np.linalg.norm(zh, axis=1, keepdims=True)) @ centre(en / np.linalg.norm(en, axis=1, keepdims=True)).T
    src_hub, tgt_hub = np.diff(margins["src_hub"]), np.diff(margins["tgt_hub"])
    csls = (sim - src_hub[:, None] / 2) - tgt_hub[None, :] / 2
    for a, b, i in ((1, 1, 3), (2, 3, 5), (6, 1, 9), (3, 6, 7)):
        js = np.arange(b, 12)
        found = features.elsewhere(a, b, i, js)
        for k, j in enumerate(js):
            for r in range(1, a + 1):
                outside = [c for c in range(11) if not j - b <= c < j]
                assert found[r - 1, k] == pytest.approx(max(csls[i - r, outside], default=-np.inf), abs=1e-6)
            for c in range(1, b + 1):
                outside = [r for r in range(9) if not i - a <= r < i]
                assert found[a + c - 1, k] == pytest.approx(max(csls[outside, j - c], default=-np.inf), abs=1e-6)
