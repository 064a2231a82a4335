"""Pass 3 beside a gap: the beads next to a run of unpaired sentences get rivals that let the gap grow or
shrink by up to two sentences, so a sentence glued next to a gap can leave the bead."""

import numpy as np
import pytest

from align.aligners.combined import CombinedAligner

from conftest import BIBLE

# Chinese 0–2, English 0–4: two sure 1-1 beads, an English gap of two sentences, a sure 1-1 bead.
PATH = [((1, 1), 1, 1), ((1, 1), 2, 2), ((0, 1), 2, 3), ((0, 1), 2, 4), ((1, 1), 3, 5)]
SURE = [5.0] * len(PATH)


def test_sure_one_to_one_beads_beside_a_gap_are_looked_at_again_reaching_two_sentences_at_the_gap():
    # (src_start, src_end, tgt_start, tgt_end, reach of the start, reach of the end); the first bead is
    # away from the gap and sure: looked at only as the paired neighbour of the second, its end reaching one
    assert CombinedAligner._uncertain(PATH, SURE) == [(1, 2, 1, 2, 1, 2), (0, 1, 0, 1, 0, 1), (2, 3, 4, 5, 2, 1)]


def test_the_paired_neighbours_of_an_unsure_bead_follow_it_reaching_one_sentence_at_the_shared_boundary():
    # a sure 1-1, an unsure 1-3, a sure 1-1 (Genesis 1:11-12 as pass 2 read it: 事就这样成了 went to the 1-3)
    path = [((1, 1), 1, 1), ((3, 1), 4, 2), ((1, 1), 5, 3)]
    assert CombinedAligner._uncertain(path, [0.3, 0.3, 5.0]) == [(1, 4, 1, 2, 1, 1), (0, 1, 0, 1, 0, 1),
                                                                 (4, 5, 2, 3, 1, 0)]
    # the first 1-1 with the unsure bead's first Chinese sentence: [0, 2) is among its rivals
    assert (2, 0) in CombinedAligner._rival_spans(0, 1, 6, 0, 1)


def test_the_rivals_of_a_bead_before_a_gap_include_the_bead_with_the_next_sentence_and_without_its_last_two():
    # the English side of the bead [2, 6) before a gap: its end may move two sentences either way
    rivals = CombinedAligner._rival_spans(2, 6, 10, 1, 2)
    assert {(2, 2), (3, 3), (4, 2), (4, 3)} <= rivals    # [2, 4), [3, 6), [2, 6), [3, 7)
    assert (4, 4) not in rivals                           # [4, 8): the start moves by two, away from the gap
    # away from a gap, one sentence either way, as before
    assert (2, 2) not in CombinedAligner._rival_spans(2, 6, 10)


@pytest.mark.skipif(not BIBLE.is_dir(), reason=f"the Bible set not found at {BIBLE} (../shared is absent)")
def test_a_chinese_sentence_beside_an_english_gap_joins_its_verse_and_the_english_orphan_stays_unpaired():
    from align.aligners import get_aligner
    from align.bench.omissions import align_variant, judge, variants

    # Leviticus 19 without the Chinese of verses 17–20; 我是耶和华 ends verse 16 (English 15). Pass 2 read it
    # as a sure 1-1 with the orphan "Ye shall keep my statutes." inside the English gap, and pass 3 never
    # encoded the Chinese verse whole: the unit was glued, at confidence 0.77.
    variant = next(v for v in variants(BIBLE.parent) if v.name == "bible/Lev:19 without Chinese 23–27")
    assert variant.zh[22] == "我是耶和华。" and variant.en[18] == "Ye shall keep my statutes."
    beads = align_variant(get_aligner(), variant)
    assert ((21, 22), (15,)) in {(b.src, b.tgt) for b in beads}
    scores = judge(variant, beads)
    assert (scores.orphans, scores.unpaired, scores.glued) == (4, 4, ())


def _genesis_1_10_to_13():
    from align.ingest import read_lines

    # English 9–13 (Genesis 1:10–13) and their Chinese 11–18; pass 2 reads 事就这样成了。 (Chinese 14, the end of
    # verse 11) into a 1-3 with verse 12 beside a sure 1-1 of verse 11's first sentence
    en = read_lines(BIBLE / "en" / "001.en")[9:14]
    zh = read_lines(BIBLE / "zh" / "001.zh")[11:19]
    assert zh[3] == "事就这样成了。"
    return en, zh


def _with_sure_boundary(weight):
    from align.aligners.combined import Model, fitted_model

    model = fitted_model("combined")
    return Model({**model.weights, "sure_boundary": weight}, model.temperature, model.search_weights)


class _WithoutNeighbours(CombinedAligner):
    """Pass 3 without the neighbour rule: `_uncertain`'s entries for paired neighbours (a reach of 0) left out."""

    @staticmethod
    def _uncertain(path, log_odds):
        return [bead for bead in CombinedAligner._uncertain(path, log_odds) if 0 not in bead[4:]]


@pytest.mark.skipif(not BIBLE.is_dir(), reason=f"the Bible set not found at {BIBLE} (../shared is absent)")
def test_at_sure_boundary_zero_a_neighbours_reading_that_is_cheaper_moves_the_boundary_pass_2_was_sure_of():
    en, zh = _genesis_1_10_to_13()
    beads = {(b.src, b.tgt) for b in CombinedAligner(model=_with_sure_boundary(0.0)).align(en, zh, "en", "zh")}
    assert {((2,), (2, 3)), ((3,), (4, 5))} <= beads         # verses 11 and 12 as the gold reads them


@pytest.mark.skipif(not BIBLE.is_dir(), reason=f"the Bible set not found at {BIBLE} (../shared is absent)")
def test_at_a_large_sure_boundary_pass_3_aligns_as_without_the_neighbour_rule_confidences_too():
    en, zh = _genesis_1_10_to_13()
    kept = CombinedAligner(model=_with_sure_boundary(100.0)).align(en, zh, "en", "zh")
    without = _WithoutNeighbours(model=_with_sure_boundary(0.0)).align(en, zh, "en", "zh")
    assert kept == without
    assert ((2,), (2,)) in {(b.src, b.tgt) for b in kept} and ((3,), (3, 4, 5)) in {(b.src, b.tgt) for b in kept}
