from dataclasses import astuple
from pathlib import Path

import numpy as np
import pytest

from align.aligners.anchored import align_documents, pairs_turns_in_order, turns_match
from align.aligners.structure import (Boundaries, Roles, asking, asks, paragraph_boundaries, turn_boundaries, turn_roles,
                                      unpaired_in_turn)
from align.document import Bead, Document, Sentence

# Chinese: a question (0), an answer of three sentences (1, 2, 3), a question (4); English: the same without
# the answer's last sentence.
ZH_TURNS = [1, 2, 2, 2, 3]
EN_TURNS = [1, 2, 2, 3]
TURNS = Boundaries(ZH_TURNS, EN_TURNS)


def test_a_bead_crossing_a_turn_boundary_on_one_side_only_is_a_cut():
    # [3, 5) × [2, 4): the answer's end and the next question in Chinese, one answer sentence and that question
    # in English: both sides cross; [3, 5) × [3, 4): only the Chinese crosses
    assert TURNS.cut(2, 2, 5, np.array([4])).tolist() == [0.0]
    assert TURNS.cut(2, 1, 5, np.array([4])).tolist() == [1.0]
    assert TURNS.cut(1, 2, 1, np.array([2])).tolist() == [1.0]     # the question with the answer's first sentence
    assert TURNS.cut(1, 1, np.array([1, 2]), np.array([1, 2])).tolist() == [0.0, 0.0]


def test_a_bead_is_inside_only_when_it_crosses_no_turn_boundary_on_either_side():
    # [1, 3) × [1, 3): two answer sentences a side; [3, 5) × [2, 4): both sides cross into the next question;
    # [0, 2) × [1, 2): the Chinese question with the answer's first sentence, only the Chinese crosses
    assert TURNS.inside(2, 2, 3, np.array([3])).tolist() == [1.0]
    assert TURNS.inside(2, 2, 5, np.array([4])).tolist() == [0.0]
    assert TURNS.inside(2, 1, 2, np.array([2])).tolist() == [0.0]
    assert TURNS.inside(1, 1, np.array([1, 5]), np.array([1, 4])).tolist() == [1.0, 1.0]


def test_a_bead_whose_first_sentence_starts_a_turn_on_one_side_only_is_a_start_mismatch():
    # Chinese 4 (a question) with English 2 (inside the answer), then with English 3 (the question)
    assert TURNS.start_mismatch(1, 1, 5, np.array([3, 4])).tolist() == [1.0, 0.0]


def test_a_gap_opened_at_a_turn_start_is_not_inside_a_turn_and_its_last_sentence_ends_the_turn():
    # 1-0 beads ending after Chinese sentence 1 (the answer's first) and 3 (its last)
    assert TURNS.opens_inside(1, np.array([2, 4]), np.array([2, 3])).tolist() == [0.0, 1.0]
    assert TURNS.skip_ends(1, np.array([2, 4]), np.array([2, 3])).tolist() == [0.0, 1.0]
    # 0-1 beads ending after English sentence 2 (inside the answer) and 3 (the question)
    assert TURNS.opens_inside(0, 5, np.array([3, 4])).tolist() == [1.0, 0.0]
    assert TURNS.skip_ends(0, 5, np.array([3, 4])).tolist() == [1.0, 1.0]


def test_a_whole_paragraph_of_one_side_glued_to_part_of_a_paragraph_of_the_other_glues_a_whole_one():
    # Chinese: two sentences (0, 1), a one-sentence greeting (2), a paragraph of two (3, 4); English: the same
    # without the greeting, so the English paragraphs are [0, 1] and [2, 3]
    greeting = Boundaries([0, 0, 1, 2, 2], [0, 0, 1, 1])
    # the greeting with the next paragraph's first sentence, against that sentence's English: glued
    assert greeting.glues_whole(2, 1, 4, np.array([3])).tolist() == [1.0]
    # the right 1-1s beside it, and the greeting with the paragraph before it against [0, 1]'s last sentence,
    # which crosses a boundary too but holds a whole paragraph and a piece of another, not whole on the other side
    assert greeting.glues_whole(1, 1, np.array([2, 4]), np.array([2, 3])).tolist() == [0.0, 0.0]
    assert greeting.glues_whole(2, 1, 3, np.array([2])).tolist() == [1.0]
    # a paragraph break one version leaves out: two whole English paragraphs with a whole Chinese one
    merged = Boundaries([0, 1], [0, 1, 2])
    assert merged.glues_whole(1, 2, 2, np.array([3])).tolist() == [0.0]
    # a break moved by a sentence: the Chinese crosses with pieces of two paragraphs, no whole one
    moved = Boundaries([0, 0, 1, 1], [0, 0, 0, 1])
    assert moved.glues_whole(2, 1, 3, np.array([3])).tolist() == [0.0]


def test_plain_text_or_one_turn_on_both_sides_gives_no_turn_evidence():
    assert turn_boundaries(None, EN_TURNS, 5, 4) is None
    assert turn_boundaries([0] * 5, [0] * 4, 5, 4) is None
    assert turn_boundaries([0] * 5, EN_TURNS, 5, 4) is not None   # a question one side lacks still ends there
    with pytest.raises(ValueError, match="turn ids for 5 \\+ 4 sentences, given 5 \\+ 3"):
        turn_boundaries(ZH_TURNS, EN_TURNS, 5, 3)


def test_a_unit_reads_the_unpaired_share_of_the_rest_of_its_turn_on_the_side_where_it_is_largest():
    # Chinese: a question (turn 0), an answer of three sentences (turn 1); English: the question, the answer's first
    # sentence (turn 1); the route pairs the question, leaves the answer's last two Chinese sentences unpaired
    route = [((1, 1), 1, 1), ((1, 1), 2, 2), ((1, 0), 3, 2), ((1, 0), 4, 2)]
    assert unpaired_in_turn(route, [0, 1, 1, 1], [0, 1]) == [0.0, 1.0, 0.0, 0.0]
    # one of the answer's two other sentences paired elsewhere: half of the rest is unpaired
    route = [((1, 1), 1, 1), ((1, 1), 2, 2), ((1, 0), 3, 2), ((1, 1), 4, 3)]
    assert unpaired_in_turn(route, [0, 1, 1, 1], [0, 1, 1]) == [0.0, 0.5, 0.0, 0.5]
    # no turns, or one turn a side: no evidence
    assert unpaired_in_turn(route, None, None) == [0.0] * 4
    assert unpaired_in_turn(route, [0, 0, 0, 0], [0, 0, 0]) == [0.0] * 4


def test_paragraphs_are_evidence_unless_a_side_reads_as_one_sentence_a_line():
    assert paragraph_boundaries([0, 0, 1], [0, 1, 1, 1], 3, 4) is not None
    assert paragraph_boundaries([0, 0, 0], [0, 1, 1, 1], 3, 4) is not None   # a paragraph one side lacks
    assert paragraph_boundaries([0], [0, 0, 1], 1, 3) is not None            # one sentence is no line-per-sentence text
    assert paragraph_boundaries([0, 0, 0], [0, 0, 0, 0], 3, 4) is None       # one paragraph a side
    assert paragraph_boundaries([0, 1, 2], [0, 1, 1, 1], 3, 4) is None       # every Chinese sentence its own line
    # a line the segmenter cut in two: more than 4 in 5 sentences still start a paragraph
    assert paragraph_boundaries([0, 1, 2, 3, 4, 4], [0, 1, 1, 1], 6, 4) is None
    assert paragraph_boundaries([0, 1, 2, 3, 3], [0, 1, 1, 1], 5, 4) is not None
    assert paragraph_boundaries(None, [0, 1, 1, 1], 3, 4) is None
    with pytest.raises(ValueError, match="paragraph ids for 3 \\+ 4 sentences, given 3 \\+ 5"):
        paragraph_boundaries([0, 0, 1], [0, 1, 1, 1], 3, 5)


def test_a_sentence_asks_when_it_ends_with_a_question_mark_before_closing_quotes():
    assert asks("中方有何评论？") and asks("Do you have a comment?") and asks("他问：“你会来吗？”")
    assert not asks("我们欢迎这一决定。") and not asks("Is it? We think not.")


def test_a_questions_context_and_the_question_ask_and_what_follows_the_turns_last_question_does_not():
    # turn 1: a journalist's context sentence and two questions; turn 2: an answer; turn 3: a question whose
    # speaker's answer lost its label (the answer's sentence follows the last question inside the turn)
    texts = ["据报道，双方发表了联合声明。", "中方对此持何立场？", "有何期待？", "我们注意到有关报道。", "还有问题吗？", "没有了。"]
    assert asking(texts, [1, 1, 1, 2, 3, 3]).tolist() == [1.0, 1.0, 1.0, 0.0, 1.0, 0.0]


def test_a_bead_pairing_question_sentences_with_answer_sentences_costs_one_role_mismatch_a_sentence():
    # Chinese: a question of two sentences (0, 1), an answer (2); English: the question (0), the answer (1, 2)
    roles = Roles(np.array([1.0, 1.0, 0.0]), np.array([1.0, 0.0, 0.0]))
    assert roles.mismatch(2, 1, 2, np.array([1, 2])).tolist() == [0.0, 3.0]   # the question with the question / the answer
    assert roles.mismatch(1, 2, 3, np.array([3])).tolist() == [0.0]           # the answer with the answer
    assert roles.mismatch(2, 1, 3, np.array([1])).tolist() == [0.0]           # half question, half answer: a cut, not a role
    # no evidence without turns, or when no turn of either side asks
    assert turn_roles(["问？", "答。"], ["Q?", "A."], None, [1, 2]) is None
    assert turn_roles(["甲。", "乙。"], ["A.", "B."], [1, 2], [1, 2]) is None
    assert turn_roles(["问？", "答。"], ["A."], [1, 2], [1]) is not None


class _Recording:
    name, progress = "recording", False

    def __init__(self):
        self.calls = []

    def align(self, src, tgt, src_lang, tgt_lang, *, src_turns=None, tgt_turns=None, src_paragraphs=None,
              tgt_paragraphs=None):
        self.calls.append((len(src), len(tgt), src_turns, tgt_turns, src_paragraphs, tgt_paragraphs))
        return [Bead((i,), (i,)) for i in range(min(len(src), len(tgt)))]


def _document(lang: str, turns: list[int], paragraphs: list[int] | None = None) -> Document:
    paragraphs = paragraphs or [0] * len(turns)
    return Document(None, lang, tuple(Sentence(f"{lang} {k}", turn=t, paragraph=p)
                                      for k, (t, p) in enumerate(zip(turns, paragraphs))))


def test_documents_whose_turns_differ_are_aligned_whole_with_each_sentences_turn():
    aligner = _Recording()
    align_documents(_document("zh", ZH_TURNS), _document("en", [1, 2, 2, 2]), aligner)
    assert [call[:4] for call in aligner.calls] == [(5, 4, ZH_TURNS, [1, 2, 2, 2])]
    # the same number of turns and a whole alignment that pairs them in order: whole, then turn by turn, each
    # turn's sentences without turn ids
    aligner = _Recording()
    align_documents(_document("zh", [1, 2, 2, 3]), _document("en", EN_TURNS), aligner)
    assert [call[:4] for call in aligner.calls] == [(4, 4, [1, 2, 2, 3], EN_TURNS), (1, 1, None, None),
                                                    (2, 2, None, None), (1, 1, None, None)]


def test_equal_turn_counts_are_not_paired_by_position_when_the_whole_alignment_pairs_them_otherwise():
    # three turns a side; Chinese sentence 2 (second turn) paired with English sentence 2 (third turn): the second
    # Chinese turn is linked as much to the third English turn as to the second, not mostly to its namesake
    zh, en = _document("zh", [1, 2, 2, 3]), _document("en", [1, 2, 3, 3])
    beads = [Bead((0,), (0,)), Bead((1,), (1,)), Bead((2,), (2,)), Bead((3,), (3,))]
    assert not pairs_turns_in_order(beads, zh, en)
    assert pairs_turns_in_order([Bead((0,), (0,)), Bead((1, 2), (1,)), Bead((3,), (2, 3))], zh, en)
    aligner = _Recording()
    align_documents(zh, en, aligner)
    assert [call[:2] for call in aligner.calls] == [(4, 4)]


def test_a_document_beyond_the_whole_check_goes_turn_by_turn_unchecked(monkeypatch):
    from align.aligners import anchored

    monkeypatch.setattr(anchored, "WHOLE_CHECK_CELLS", 15)      # 4 × 4 sentences are beyond it
    aligner = _Recording()
    align_documents(_document("zh", [1, 2, 2, 3]), _document("en", [1, 2, 3, 3]), aligner)
    assert [call[:4] for call in aligner.calls] == [(1, 1, None, None), (2, 1, None, None), (1, 2, None, None)]


def test_equal_turn_counts_do_not_match_when_a_question_faces_an_answer():
    # Chinese: a question and an answer; English: the answer and the next question (its question lost, the
    # next one kept): two turns a side, one asking each, at other places
    def doc(lang, texts):
        return Document(None, lang, tuple(Sentence(text, turn=k + 1) for k, text in enumerate(texts)))

    zh, en = doc("zh", ["中方有何评论？", "我们欢迎这一决定。"]), doc("en", ["We welcome the decision.", "Any more questions?"])
    assert not turns_match(zh, en)
    assert turns_match(zh, doc("en", ["Do you have a comment?", "We welcome the decision."]))


def test_the_aligner_gets_each_sentences_paragraph_whole_and_within_each_turn():
    # the answer is two paragraphs in Chinese (sentences 1 | 2, 3), one in English
    zh, en = _document("zh", ZH_TURNS, [0, 1, 2, 2, 3]), _document("en", [1, 2, 2, 2], [0, 1, 1, 1])
    aligner = _Recording()
    align_documents(zh, en, aligner)
    assert [call[4:] for call in aligner.calls] == [([0, 1, 2, 2, 3], [0, 1, 1, 1])]
    aligner = _Recording()
    align_documents(_document("zh", [1, 2, 2, 3], [0, 1, 1, 2]), _document("en", EN_TURNS, [0, 1, 1, 2]), aligner)
    assert [call[4:] for call in aligner.calls] == [([0, 1, 1, 2], [0, 1, 1, 2]), ([0], [0]), ([1, 1], [1, 1]),
                                                    ([2], [2])]


PRESS_DEV = Path(__file__).resolve().parent.parent.parent / "shared" / "data" / "press-dev"


@pytest.mark.skipif(not PRESS_DEV.is_dir(), reason=f"press-dev not found at {PRESS_DEV} (../shared is absent)")
def test_a_question_and_answer_the_english_lacks_stay_unpaired_when_the_aligner_reads_the_speaker_turns():
    from align.aligners import get_aligner
    from align.bench.omissions import align_variant, held_out_variants, judge

    # four held-out conferences of 2018 back to back, English sentences 11–16 (a question and its answer) removed
    variant = held_out_variants(PRESS_DEV.parent)[2]
    assert variant.name == "press-dev/mfa-2018-08-24+3 without English 11–16 (question and answer)"
    aligner = get_aligner()
    with_turns = judge(variant, align_variant(aligner, variant))
    assert (with_turns.orphans, with_turns.unpaired, with_turns.glued) == (5, 5, ())
    # the same texts read as plain text: one Chinese sentence of the question is glued to a neighbour
    plain = judge(variant, aligner.align(list(variant.zh), list(variant.en), "zh", "en"))
    assert (plain.unpaired, len(plain.glued)) == (4, 1)


def _removed_paragraph(name: str):
    """`bench press`'s variant `name` of a press-dev conference (one paragraph of one side removed), read as `run`
    reads the transcripts, and a function scoring `align_documents` on any such documents against its gold."""
    import random

    from align.aligners import get_aligner
    from align.bench.press import SEED, cases, gapped, score_by_text
    from align.ingest.load import document_from_text

    case = next(cut for _, cut in gapped(cases(PRESS_DEV), random.Random(SEED)) if cut.name == name)
    aligner = get_aligner()

    def scored(zh, en):
        beads = align_documents(zh, en, aligner)
        return score_by_text(case.name, list(case.gold), list(case.zh), list(case.en), beads, zh.texts, en.texts)

    return document_from_text(case.zh_text, Path("zh.txt"), "zh"), document_from_text(case.en_text, Path("en.txt"), "en"), scored


def _total_length_ratio(monkeypatch) -> None:
    """The aligner's length model with the whole text's ratio (`length.paired_ratio` without sure pairs)."""
    from align.aligners import combined

    total = combined.length_model
    monkeypatch.setattr(combined, "length_model", lambda src, tgt, sure=(): total(src, tgt))


@pytest.mark.skipif(not PRESS_DEV.is_dir(), reason=f"press-dev not found at {PRESS_DEV} (../shared is absent)")
def test_a_chinese_question_the_english_lacks_stays_unpaired_when_the_aligner_reads_the_paragraphs(monkeypatch):
    from dataclasses import replace

    # a held-out conference (bench.press.halves) without the English question's paragraph, so the three sentences
    # of the Chinese question have no counterpart; the answer is one sentence
    zh, en, scored = _removed_paragraph("mfa-2022-07-29 without en line 1")

    def one_paragraph(doc):
        return replace(doc, sentences=tuple(replace(s, paragraph=0) for s in doc.sentences))

    # as `run` reads the transcripts: the question stays unpaired, the answer is its own unit
    with_paragraphs = scored(zh, en)
    assert (with_paragraphs.unpaired_gold, with_paragraphs.unpaired_inside) == (3, 0)
    assert (with_paragraphs.units, with_paragraphs.exact) == (1, 1)
    # the same sentences in one paragraph a side (speaker turns as before): the expected length ratio, which
    # leaves out the question before the first sure pair, still keeps it unpaired
    plain = scored(one_paragraph(zh), one_paragraph(en))
    assert (plain.unpaired_inside, plain.exact) == (0, 1)
    # with the whole text's ratio too, the question stays unpaired once the aligner reads this page's Traditional
    # characters as Simplified (read as they are, the encoder matched the answer so poorly that the question was
    # glued to it)
    _total_length_ratio(monkeypatch)
    plain = scored(one_paragraph(zh), one_paragraph(en))
    assert (plain.unpaired_inside, plain.exact) == (0, 1)
    from align.aligners import combined

    monkeypatch.setattr(combined, "to_simplified", lambda sentence: sentence)
    plain = scored(one_paragraph(zh), one_paragraph(en))
    assert (plain.unpaired_inside, plain.exact) == (3, 0)


@pytest.mark.skipif(not PRESS_DEV.is_dir(), reason=f"press-dev not found at {PRESS_DEV} (../shared is absent)")
def test_an_english_question_the_chinese_lacks_at_the_end_stays_unpaired_when_the_length_ratio_leaves_it_out(monkeypatch):
    # a conference of the training half (bench.press.halves): two announcements, then a journalist's question of
    # three sentences whose Chinese paragraph is removed
    zh, en, scored = _removed_paragraph("mfa-2025-07-08 without zh line 5")
    # the expected length ratio leaves out the question after the last sure pair: it stays unpaired
    paired_ratio = scored(zh, en)
    assert (paired_ratio.unpaired_gold, paired_ratio.unpaired_inside) == (3, 0)
    assert (paired_ratio.units, paired_ratio.exact) == (2, 2)
    # with the whole text's ratio a 1-4 unit is the one of the expected length: the question is glued to it
    _total_length_ratio(monkeypatch)
    total_ratio = scored(zh, en)
    assert (total_ratio.unpaired_inside, total_ratio.exact) == (3, 1)


@pytest.mark.skipif(not PRESS_DEV.is_dir(), reason=f"press-dev not found at {PRESS_DEV} (../shared is absent)")
def test_an_answer_the_english_lacks_stays_unpaired_when_equal_turn_counts_are_a_coincidence():
    from align.aligners import get_aligner
    from align.bench.omissions import documents, judge, press_sources, remove_beads

    # four conferences back to back (2020-10-16 …), the English without Zhao Lijian's first answer: both sides
    # have eight turns, because the Chinese reads the next announcement and question as one turn and the English
    # as two, so turn 2 of each side is another turn
    variant = remove_beads(press_sources(PRESS_DEV)[1], "press-dev", 3, 3, "en")
    assert variant.name == "press-dev/mfa-2020-10-16+3 without English 4–4"
    zh, en = documents(variant)
    aligner = get_aligner()
    assert turns_match(zh, en)
    whole = aligner.align(zh.texts, en.texts, "zh", "en", src_turns=[s.turn for s in zh.sentences],
                          tgt_turns=[s.turn for s in en.sentences])
    assert not pairs_turns_in_order(whole, zh, en)
    # so the whole alignment stands: the Chinese-only answer is left unpaired, not glued into turn 2's unit
    scores = judge(variant, align_documents(zh, en, aligner))
    assert (scores.orphans, scores.unpaired, scores.glued) == (1, 1, ())


def _without(monkeypatch, feature: str) -> None:
    """The fitted model of every method with the weight of `feature` zero."""
    from align.aligners import combined

    fitted = combined.fitted_model

    def zeroed(method):
        model = fitted(method)
        return combined.Model({**model.weights, feature: 0.0}, model.temperature,
                              {**model.search_weights, feature: 0.0} if model.search_weights else None)

    monkeypatch.setattr(combined, "fitted_model", zeroed)


@pytest.mark.skipif(not PRESS_DEV.is_dir(), reason=f"press-dev not found at {PRESS_DEV} (../shared is absent)")
def test_a_chinese_question_the_english_lacks_stays_unpaired_when_the_aligner_reads_the_turns_roles(monkeypatch):
    # a held-out conference (bench.press.halves): the English without the journalist's question (its one line),
    # so the Chinese question's two sentences have no counterpart and the English is the answer alone: each unit
    # is a gold unit and no question sentence is inside one
    zh, en, scored = _removed_paragraph("mfa-2024-04-29 without en line 1")
    with_roles = scored(zh, en)
    assert (with_roles.unpaired_gold, with_roles.unpaired_inside, with_roles.units, with_roles.exact) == (2, 0, 2, 2)
    # without the role feature the question is glued to the answer's first sentence
    _without(monkeypatch, "turn_role")
    without_roles = scored(zh, en)
    assert (without_roles.unpaired_inside, without_roles.exact) == (2, 1)


@pytest.mark.skipif(not PRESS_DEV.is_dir(), reason=f"press-dev not found at {PRESS_DEV} (../shared is absent)")
def test_a_chinese_greeting_the_english_lacks_stays_unpaired_when_a_glued_whole_paragraph_costs(monkeypatch):
    # a conference of the training half (bench.press.halves), not among the second stage's texts, without its
    # third English line: the Chinese vocative "记者朋友们、各位来宾," (a paragraph of its own) has no counterpart
    zh, en, scored = _removed_paragraph("mfa-2013-spokesperson-30th without en line 3")
    # it stays unpaired, and each of the six units is a gold unit (units, exact, gold units, gold sentences cut
    # otherwise, wrong units touching them, gold-unpaired sentences, of them inside units)
    assert astuple(scored(zh, en))[1:8] == (6, 6, 6, 0, 0, 1, 0)
    # without the feature the greeting is glued to the next paragraph's first sentence in a 2-1 unit
    _without(monkeypatch, "paragraph_glued")
    assert astuple(scored(zh, en))[1:8] == (6, 5, 6, 0, 0, 1, 1)
