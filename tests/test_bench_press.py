import random

import pytest

from align.bench.press import (Case, back_to_back, in_traditional, normalise, overlay, score_by_text, sentence_paragraphs,
                               without_middle, without_paragraph, without_turns)
from align.document import Bead
from conftest import SHARED

PRESS_DEV = SHARED / "data" / "press-dev"

GOLD_ZH = ["汪文斌：今天我们宣布一件事。", "谢谢。"]
GOLD_EN = ["Wang Wenbin: We announce one thing today.", "It is important.", "Thank you."]
GOLD = [Bead((0,), (0, 1)), Bead((1,), (2,))]


def test_text_is_compared_without_punctuation_spaces_case_or_width():
    assert normalise("Q: Ｈｅｌｌｏ, World！") == "qhelloworld"
    assert normalise("“三十而立”。") == "三十而立"


def test_a_gold_sentence_with_its_speaker_label_is_one_of_our_sentences_without_it():
    of_ours, of_gold = overlay(GOLD_ZH, ["今天我们宣布一件事。", "谢谢。"])
    assert (of_ours, of_gold) == ([{0}, {1}], [{0}, {1}])


def test_a_gold_sentence_we_cut_in_two_maps_to_both_of_our_pieces():
    of_ours, of_gold = overlay(GOLD_EN, ["We announce one thing today.", "It is", "important.", "Thank you."])
    assert of_ours == [{0}, {1}, {1}, {2}]
    assert of_gold == [{0}, {1, 2}, {3}]


def test_a_gold_sentence_is_in_the_paragraph_of_the_raw_line_it_lies_on():
    text = "Wang Wenbin: We announce one thing today. It is important.\n\nThank you.\n"
    assert sentence_paragraphs(GOLD_EN, text) == [0, 0, 1]
    # a sentence on no line (here: not in the text) keeps the paragraph before it
    assert sentence_paragraphs(GOLD_EN + ["Next question."], text) == [0, 0, 1, 1]


def test_a_unit_is_exact_when_its_text_is_a_gold_units_text_whatever_our_sentences():
    zh = ["今天我们宣布一件事。", "谢谢。"]
    en = ["We announce one thing today.", "It is", "important.", "Thank you."]
    right = score_by_text("t", GOLD, GOLD_ZH, GOLD_EN, [Bead((0,), (0, 1, 2)), Bead((1,), (3,))], zh, en)
    assert (right.exact, right.units, right.gold_units, right.f1) == (2, 2, 2, 1.0)
    assert (right.cut_otherwise, right.wrong_segmentation) == (1, 0)
    short = score_by_text("t", GOLD, GOLD_ZH, GOLD_EN, [Bead((0,), (0, 1)), Bead((1,), (2, 3))], zh, en)
    assert (short.exact, short.wrong_segmentation) == (0, 2)


def test_a_gold_unpaired_sentence_inside_a_unit_is_counted_with_the_unit_and_whether_it_looks_sure():
    gold = [Bead((0,), (0, 1)), Bead((), (2,)), Bead((1,), ())]
    glued = score_by_text("t", gold, GOLD_ZH, GOLD_EN, [Bead((0,), (0, 1, 2), 0.9), Bead((1,), ())], GOLD_ZH, GOLD_EN)
    assert (glued.unpaired_gold, glued.unpaired_inside, glued.exact, glued.units, glued.gold_units) == (2, 1, 0, 1, 1)
    assert (glued.glued, glued.glued_sure) == (1, 1)
    doubtful = score_by_text("t", gold, GOLD_ZH, GOLD_EN, [Bead((0,), (0, 1, 2), 0.7)], GOLD_ZH, GOLD_EN)
    assert (doubtful.glued, doubtful.glued_sure) == (1, 0)


def test_removing_a_paragraph_makes_the_partners_of_its_sentences_unpaired():
    case = Case("t", "汪文斌：今天我们宣布一件事。\n\n谢谢。\n", "Wang Wenbin: We announce one thing today. It is important.\n\n"
                "Thank you.\n", tuple(GOLD_ZH), tuple(GOLD_EN), tuple(GOLD))
    first, last = without_paragraph(case, "en", random.Random(1)), without_paragraph(case, "en", random.Random(0))
    assert (first.name, first.en, first.en_text) == ("t without en line 1", ("Thank you.",), "\nThank you.\n")
    assert list(first.gold) == [Bead((0,), ()), Bead((1,), (0,))]
    assert (last.name, last.en) == ("t without en line 3", tuple(GOLD_EN[:2]))
    assert list(last.gold) == [Bead((0,), (0, 1)), Bead((1,), ())]
    cut = first
    assert cut.zh == case.zh and cut.zh_text == case.zh_text


def test_removing_a_speaker_turn_removes_its_label_line_and_the_paragraphs_up_to_the_next_label_or_two_turns_in_a_row():
    # a question of one sentence, an answer of two paragraphs (three sentences), a closing question
    zh = ("问：你有何评论？", "答：我们欢迎这一决定。", "这符合各方利益。", "谢谢。", "问：还有问题吗？")
    en = ("Q: Do you have a comment?", "A: We welcome the decision.", "It serves all sides.", "Thank you.",
          "Q: Any more questions?")
    gold = tuple(Bead((k,), (k,)) for k in range(5))
    case = Case("t", "\n\n".join(("问：你有何评论？", "答：我们欢迎这一决定。这符合各方利益。", "谢谢。", "问：还有问题吗？")),
                "\n\n".join(("Q: Do you have a comment?", "A: We welcome the decision. It serves all sides.", "Thank you.",
                             "Q: Any more questions?")), zh, en, gold)
    cuts = without_turns(case, "en")
    assert [cut.name for cut in cuts] == ["t without en turn at line 1", "t without en turn at line 3",
                                          "t without en turn at line 7", "t without en turns at line 1 and the next",
                                          "t without en turns at line 3 and the next"]
    assert cuts[3].en == (en[4],) and list(cuts[3].gold)[:2] == [Bead((0,), ()), Bead((1,), ())]
    answer = cuts[1]
    assert answer.en == (en[0], en[4]) and answer.en_text == "Q: Do you have a comment?\n\n\n\nQ: Any more questions?"
    assert list(answer.gold) == [Bead((0,), (0,)), Bead((1,), ()), Bead((2,), ()), Bead((3,), ()), Bead((4,), (1,))]
    assert answer.zh == zh and answer.zh_text == case.zh_text


@pytest.mark.skipif(not (PRESS_DEV / "gold").is_dir(), reason=f"press-dev not found at {PRESS_DEV} (../shared is absent)")
def test_our_segmenter_cuts_every_press_dev_transcript_as_the_gold_does():
    from align.ingest import document_from_text, read_lines
    from align.pipeline import find_pairs, read_texts

    for pair in find_pairs(PRESS_DEV / "corpora"):
        en_text, zh_text = read_texts(pair)
        for lang, text in (("zh", zh_text), ("en", en_text)):
            gold = read_lines(PRESS_DEV / lang / f"{pair.stem}.{lang}")
            ours = document_from_text(text, pair.en if lang == "en" else pair.zh, lang).texts
            of_ours, of_gold = overlay(gold, ours)
            assert all(len(g) == 1 for g in of_ours) and all(len(o) == 1 for o in of_gold), (pair.stem, lang)


def test_three_conferences_back_to_back_lose_the_middle_one_on_one_side_and_its_partners_become_unpaired():
    first = Case("a", "问：你好吗？\n\n答：很好。\n", "Q: How are you?\n\nA: Fine.\n", ("问：你好吗？", "答：很好。"),
                 ("Q: How are you?", "A: Fine."), (Bead((0,), (0,)), Bead((1,), (1,))))
    middle = Case("b", "谢谢。\n", "Thank you. Goodbye.\n", ("谢谢。",), ("Thank you.", "Goodbye."),
                  (Bead((0,), (0, 1)),))
    last = Case("c", "再见。", "See you.", ("再见。",), ("See you.",), (Bead((0,), (0,)),))
    joined = back_to_back([first, middle, last])
    assert joined.zh_text == "问：你好吗？\n\n答：很好。\n\n谢谢。\n\n再见。"
    assert list(joined.gold) == [Bead((0,), (0,)), Bead((1,), (1,)), Bead((2,), (2, 3)), Bead((3,), (4,))]
    cut = without_middle([first, middle, last], "en")
    assert cut.name == "a+b+c without en conference b (line 5 on)"
    assert cut.en == ("Q: How are you?", "A: Fine.", "See you.") and cut.zh == joined.zh
    assert cut.en_text == "Q: How are you?\n\nA: Fine.\n\n\nSee you."
    assert list(cut.gold) == [Bead((0,), (0,)), Bead((1,), (1,)), Bead((2,), ()), Bead((3,), (2,))]


def test_a_pair_in_traditional_characters_keeps_its_english_and_gold():
    case = Case("t", "汪文斌：今天我们宣布一件事。\n\n谢谢。\n", "Wang Wenbin: We announce one thing today. It is important.\n\n"
                "Thank you.\n", tuple(GOLD_ZH), tuple(GOLD_EN), tuple(GOLD))
    [(pair, traditional)] = in_traditional([("pair", case)])
    assert pair == "pair" and traditional.name == "t in Traditional"
    assert traditional.zh == ("汪文斌：今天我們宣佈一件事。", "謝謝。")
    assert traditional.zh_text == "汪文斌：今天我們宣佈一件事。\n\n謝謝。\n"
    assert (traditional.en, traditional.en_text, traditional.gold) == (case.en, case.en_text, case.gold)
