"""The fitting scripts' bookkeeping (scripts/fit_confidence.py, scripts/fit_aligner.py,
scripts/confidence_candidates.py): which of the aligner's calls made a transcript's beads, what a wrong bead costs
in the fit's loss, a coefficient held while the others are fitted, and which clauses a candidate input reads."""

import importlib

import numpy as np
import pytest

from align.aligners import anchored
from align.aligners.combined import ALL_KINDS
from align.document import Bead
from align.ingest.load import document_from_text
from conftest import DEMO_EN, DEMO_ZH, ROOT


def _script(monkeypatch, name: str):
    monkeypatch.syspath_prepend(str(ROOT / "scripts"))
    return importlib.import_module(name)


@pytest.fixture
def fit_confidence(monkeypatch):
    return _script(monkeypatch, "fit_confidence")


@pytest.fixture
def fit_aligner(monkeypatch):
    return _script(monkeypatch, "fit_aligner")


@pytest.fixture
def candidates(monkeypatch):
    return _script(monkeypatch, "confidence_candidates")


def _demo_documents():
    return (document_from_text(DEMO_ZH.read_text(encoding="utf-8"), DEMO_ZH, "zh"),
            document_from_text(DEMO_EN.read_text(encoding="utf-8"), DEMO_EN, "en"))


def _in_ids(segments) -> list[tuple[tuple[int, ...], tuple[int, ...]]]:
    return [(tuple(range(i - a, i)), tuple(range(j - b, j))) for route, *_ in segments for (a, b), i, j in route]


def test_the_turn_calls_of_a_transcript_are_placed_whether_or_not_a_whole_call_came_first(fit_confidence, monkeypatch):
    # the demo's three turns pair in order: aligned whole, then turn by turn; beyond the whole check turn by turn only
    zh, en = _demo_documents()
    checked = fit_confidence._Recorder()
    beads = anchored.align_documents(zh, en, checked)
    monkeypatch.setattr(anchored, "WHOLE_CHECK_CELLS", len(zh.sentences) * len(en.sentences) - 1)
    unchecked = fit_confidence._Recorder()
    assert anchored.align_documents(zh, en, unchecked) == beads
    assert (len(checked.calls), len(unchecked.calls)) == (4, 3)
    placed = fit_confidence._placed(unchecked.calls, beads)
    assert placed == fit_confidence._placed(checked.calls, beads)
    assert [len(route) for route, *_ in placed] == [len(route) for route, *_ in checked.calls[1:]]
    assert _in_ids(placed) == [(b.src, b.tgt) for b in beads]


def test_a_text_aligned_in_one_call_is_placed_as_that_call(fit_confidence):
    zh, en = _demo_documents()
    recorder = fit_confidence._Recorder()
    beads = recorder.align(zh.texts, en.texts, "zh", "en")
    placed = fit_confidence._placed(recorder.calls, beads)
    assert placed == recorder.calls
    assert _in_ids(placed) == [(b.src, b.tgt) for b in beads]


def test_a_wrong_bead_counts_one_and_per_extra_sentence_one_when_it_glues_an_orphan_else_the_plain_share(fit_aligner):
    # Chinese 1 and English 2 have no counterpart; 5 Chinese and 4 English sentences
    gold = [Bead((0,), (0,)), Bead((1,), ()), Bead((2, 3), (1,)), Bead((), (2,)), Bead((4,), (3,))]
    loss, plain = fit_aligner._loss(gold, 5, 4), 1 + fit_aligner.PLAIN_SHARE
    assert list(loss) == ALL_KINDS
    assert (loss[(2, 1)][4, 2], loss[(2, 1)][2, 1], loss[(2, 1)][5, 3]) == (plain, 2.0, 2.0)  # none, Chinese 1, English 2
    assert (loss[(1, 2)][1, 2], loss[(1, 2)][5, 4]) == (plain, 2.0)
    # a 6-1 is longer than the Chinese: only the English orphan is glued, with English 2 as its last sentence
    assert loss[(6, 1)].tolist() == [[1 + 5 * fit_aligner.PLAIN_SHARE] * 3 + [6.0, 1 + 5 * fit_aligner.PLAIN_SHARE]] * 6
    assert all((loss[kind] == 1.0).all() for kind in [(1, 1), (1, 0), (0, 1)])
    assert {value.shape for value in loss.values()} == {(6, 5)}


def _diagonal_chapter(fit_aligner):
    """A 3 × 3 text whose gold is three 1-1s, with features made by hand instead of encoded: `margin_use` −0.5 on
    the gold beads and 0 on every other paired bead (so that the starting weights prefer a wrong route), `bias` 1
    and `extra_sentences` a + b − 2 on every paired bead, `skip` 1 on every 1-0 / 0-1."""
    from align.aligners.combined import FEATURES

    chapter = fit_aligner.Chapter.__new__(fit_aligner.Chapter)
    chapter.zh, chapter.en = ["甲。", "乙。", "丙。"], ["A.", "B.", "C."]
    chapter.gold = [Bead((k,), (k,)) for k in range(3)]
    margin, bias, extra, skip = (FEATURES.index(name) for name in ("margin_use", "bias", "extra_sentences", "skip"))
    features, openings = {}, {}
    for a, b in ALL_KINDS:
        x = np.zeros((4, 4, len(FEATURES)), dtype=np.float32)
        if a and b:
            x[..., bias], x[..., extra] = 1.0, a + b - 2
            if (a, b) == (1, 1):
                x[[1, 2, 3], [1, 2, 3], margin] = -0.5
        else:
            x[..., skip] = 1.0
            openings[(a, b)] = np.zeros_like(x)
        features[(a, b)] = x
    chapter.by_spans, chapter.openings = {False: features}, {False: openings}
    chapter.route = [(1, 1, k, k) for k in (1, 2, 3)]
    chapter.loss = fit_aligner._loss(chapter.gold, 3, 3)
    return chapter


def test_a_held_weight_keeps_its_value_while_the_others_are_learned(fit_aligner):
    from align.aligners.combined import FEATURES

    chapter = _diagonal_chapter(fit_aligner)
    free = dict(zip(FEATURES, fit_aligner.fit([chapter], ("use",), spans=False)))
    held = dict(zip(FEATURES, fit_aligner.fit([chapter], ("use",), spans=False, held={"bias": -0.25})))
    assert free["bias"] != fit_aligner.START["bias"]
    assert held["bias"] == -0.25
    assert held["margin_use"] != 6.0 and held["extra_sentences"] != fit_aligner.START["extra_sentences"]


def test_a_held_confidence_coefficient_keeps_its_value_and_the_others_are_fitted_beside_it(fit_confidence):
    rows = ((-2, 0), (-1, 1), (0, 0), (1, 1), (2, 0), (3, 1), (0.5, 0), (-0.5, 1))
    x = np.array([[1.0, odds, many] for odds, many in rows])
    y = np.array([0, 0, 1, 0, 1, 1, 1, 0], dtype=float)

    def gradient(w):
        return x.T @ (1 / (1 + np.exp(-(x @ w))) - y) + 1e-2 * w

    free = fit_confidence.fit_logistic(x, y)
    held = fit_confidence.fit_logistic(x, y, held={1: 0.5})
    assert np.abs(gradient(free)).max() < 1e-9
    assert held[1] == 0.5
    assert np.abs(gradient(held)[[0, 2]]).max() < 1e-9
    assert abs(gradient(held)[1]) > 0.1


def test_a_line_value_sets_the_weight_of_pass_3_and_scales_its_twin_of_the_passes_before_by_the_same_factor(fit_aligner):
    from align.aligners.combined import Model

    model = Model({"extra_margin": 1.0, "bias": 0.5}, 0.75, {"extra_margin": 0.8, "bias": 0.4})
    moved = fit_aligner.with_weight(model, "extra_margin", 1.5)
    assert moved.weights == {"extra_margin": 1.5, "bias": 0.5}
    assert moved.search_weights == {"extra_margin": 1.2, "bias": 0.4}
    assert moved.temperature == 0.75


def test_a_line_value_of_sure_boundary_sets_pass_3s_weight_alone(fit_aligner):
    from align.aligners.combined import Model

    model = Model({"extra_margin": 1.0}, 0.75, {"extra_margin": 0.8})
    moved = fit_aligner.with_weight(model, "sure_boundary", 0.2)
    assert moved.weights == {"extra_margin": 1.0, "sure_boundary": 0.2}
    assert moved.search_weights == {"extra_margin": 0.8}


def test_the_line_objective_is_mac_devs_strict_f1_or_with_press_the_mean_of_both(fit_aligner):
    from align.evaluate import Scores

    mac_dev = Scores(0.9, 0.9, 0.90, 1.0, 1.0, 1.0, 0.9, 6, 100)
    press = Scores(0.98, 0.98, 0.98, 1.0, 1.0, 1.0, 0.9, 62, 900)
    assert fit_aligner.objective(mac_dev, None) == 0.90
    assert fit_aligner.objective(mac_dev, press) == pytest.approx(0.94)


def test_the_line_objective_with_the_bible_is_the_mean_of_the_corpora_given_each_once(fit_aligner):
    from align.evaluate import Scores

    mac_dev = Scores(0.9, 0.9, 0.90, 1.0, 1.0, 1.0, 0.9, 6, 100)
    press = Scores(0.98, 0.98, 0.98, 1.0, 1.0, 1.0, 0.9, 62, 900)
    bible = Scores(0.92, 0.92, 0.92, 1.0, 1.0, 1.0, 0.9, 1, 2400)
    assert fit_aligner.objective(mac_dev, press, bible) == pytest.approx(2.8 / 3)
    assert fit_aligner.objective(mac_dev, None, bible) == pytest.approx(0.91)


def test_the_line_search_takes_the_best_value_and_of_tied_ones_the_nearest_to_the_shipped(fit_aligner):
    assert fit_aligner.nearest_best({0.9: 0.90, 1.3: 0.91, 1.4: 0.905}, 1.17) == 1.3
    assert fit_aligner.nearest_best({1.0: 0.91, 1.2: 0.91, 1.6: 0.91}, 1.17) == 1.2


def test_a_sentence_is_cut_into_clauses_at_its_marks_and_a_piece_too_short_joins_the_next(candidates):
    assert candidates.clauses("我说，既然我是假的，你信我干吗。", zh=True) == ["我说，既然我是假的，", "你信我干吗。"]
    assert candidates.clauses("In any case, slapping me was unfair.", zh=False) == ["In any case,", "slapping me was unfair."]
    assert candidates.clauses("Then, he let me go.", zh=False) == ["Then, he let me go."]


def test_with_conjunctions_an_english_clause_also_starts_before_one_unless_the_piece_before_is_too_short(candidates):
    assert candidates.clauses("It was late, but she stayed.", zh=False, conjunctions=True) == ["It was late,", "but she stayed."]
    assert candidates.clauses("She stayed there but he left.", zh=False, conjunctions=True) == ["She stayed there",
                                                                                              "but he left."]
    assert candidates.clauses("She stayed but he left.", zh=False, conjunctions=True) == ["She stayed but he left."]


def test_a_boundary_reads_each_edge_clause_against_the_sentence_across_its_own_units_and_the_counterpart_across(
        candidates, fit_confidence):
    zh = ["但我只是看着他，像公猫看母猫一样看他。", "把他看到没了脾气，就让我走了。"]
    en = ["I just looked at him like a male cat staring at a female one, until his anger vanished under my stare.",
          "Then he let me go."]
    path = [((1, 1), 1, 1), ((1, 1), 2, 2)]
    unit = fit_confidence.Judged("mac-dev", [], False, False, False, path, [1.0, 1.0], 0, zh, en)
    forward, backward = candidates._moved_clauses(unit, 1, conjunctions=False)
    # the English after the boundary is one clause: the last Chinese clause before it is read alone
    assert forward == [("像公猫看母猫一样看他。", en[1], en[0], True, en[1], "until his anger vanished under my stare.", zh[1],
                        zh[0], -1, "但我只是看着他，")]
    assert backward == [("把他看到没了脾气，", en[0], en[1], True, "until his anger vanished under my stare.", en[1], zh[0],
                         zh[1], 0, "就让我走了。"),
                        ("until his anger vanished under my stare.", zh[1], zh[0], False, "把他看到没了脾气，",
                         "像公猫看母猫一样看他。", en[1], en[0], -1,
                         "I just looked at him like a male cat staring at a female one,")]


def test_an_edge_clause_composed_from_its_sentence_is_near_its_own_encoding_and_a_whole_sentence_is_exact(candidates):
    from align.score.embed import get_encoder

    encoder = get_encoder("use")
    sentence = "I just looked at him like a male cat staring at a female one, until his anger vanished under my stare."
    first = "I just looked at him like a male cat staring at a female one,"
    last = "until his anger vanished under my stare."
    composed = candidates.composed_edge_clauses(encoder, {first: (sentence, 0), last: (sentence, -1)})
    own = dict(zip([first, last], encoder.encode([first, last])))
    # the tokens within REACH of the cut read the rest of the sentence: near the clause's own encoding, not equal
    assert 0.9 < float(composed[first] @ own[first]) < 0.9999
    assert 0.9 < float(composed[last] @ own[last]) < 0.9999
    whole = candidates.composed_edge_clauses(encoder, {sentence: (sentence, 0)})[sentence]
    assert float(whole @ encoder.encode([sentence])[0]) > 0.99999


def test_a_boundary_has_a_live_rival_when_its_joined_bead_costs_within_the_margin_under_either_pass(
        candidates, fit_confidence):
    zh, en = ["甲。", "乙。", "丙。"], ["A.", "B.", "C.", "D."]
    path = [((1, 1), 1, 1), ((1, 1), 2, 2), ((1, 2), 3, 4)]
    record = {"sentences": (zh, en), "segments": [(path, [1.0] * 3, [1.0] * 3)],
              "gaps": {(("甲。",), ("A.",), ("乙。",), ("B.",)): (2.5, 4.0),
                       (("乙。",), ("B.",), ("丙。",), ("C.", "D.")): (0.5, 0.7)}}
    unit = fit_confidence.Judged("mac-dev", [], True, False, True, path, [1.0] * 3, 1, list(zh), list(en))
    assert candidates.LiveRival([record], 3)(unit, 0)
    assert not candidates.LiveRival([record], 2.5)(unit, 0)
    # the 1-2 beside it: a 2-2 gate never reads that boundary, a merge gate does
    assert not candidates.LiveRival([record], 3)(unit, 2)
    assert candidates.LiveRival([record], 3, merges=True)(unit, 2)


def test_on_its_own_route_no_joined_bead_costs_less_than_the_two_it_joins_under_the_final_pass(candidates, monkeypatch):
    from align.aligners import dp

    monkeypatch.setattr(dp, "Posteriors", candidates._KeptPosteriors)
    zh, en = _demo_documents()
    recorder = candidates._RivalRecorder()
    beads = recorder.align([s.text for s in zh.sentences], [s.text for s in en.sentences], "zh", "en")
    pairs = sum(len(a.src) * len(a.tgt) * len(b.src) * len(b.tgt) > 0
                and (len(a.src) + len(b.src), len(a.tgt) + len(b.tgt)) in ALL_KINDS for a, b in zip(beads, beads[1:]))
    assert pairs > 0 and len(recorder.gaps) == pairs
    assert all(len(gap) == 2 and gap[1] >= -1e-9 for gap in recorder.gaps.values())
