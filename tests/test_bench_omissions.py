from align.aligners.anchored import turns_match
from align.bench.omissions import Source, documents, judge, pooled, remove_beads, window
from align.document import Bead

SOURCE = Source("t", ("一。", "二。", "三。", "四。", "五。"), ("One.", "Two.", "Three", "three.", "Four.", "Five."),
                (Bead((0,), (0,)), Bead((1,), (1,)), Bead((2,), (2, 3)), Bead((3,), (4,)), Bead((4,), (5,))))


def test_removing_english_beads_leaves_their_chinese_as_orphans_in_the_gold():
    variant = remove_beads(SOURCE, "test", 1, 2, "en")
    assert variant.en == ("One.", "Four.", "Five.")
    assert variant.orphans == {("zh", 1), ("zh", 2)}
    assert list(variant.gold) == [Bead((0,), (0,)), Bead((1,), ()), Bead((2,), ()), Bead((3,), (1,)), Bead((4,), (2,))]
    assert variant.name == "t without English 1–3"


def test_a_variant_keeps_the_turns_and_paragraphs_of_the_sentences_left():
    source = Source(SOURCE.name, SOURCE.zh, SOURCE.en, SOURCE.gold, (1, 1, 2, 2, 3), (1, 1, 2, 2, 2, 3), (0, 1, 2, 2, 3),
                    (0, 1, 2, 2, 3, 4))
    variant = remove_beads(source, "test", 1, 2, "en")
    assert (variant.zh_turns, variant.en_turns) == ((1, 1, 2, 2, 3), (1, 2, 3))
    assert (variant.zh_paragraphs, variant.en_paragraphs) == ((0, 1, 2, 2, 3), (0, 3, 4))


def test_orphans_output_unpaired_count_and_a_glued_unit_is_counted_with_its_confidence():
    variant = remove_beads(SOURCE, "test", 1, 2, "en")
    perfect = judge(variant, list(variant.gold))
    glued = judge(variant, [Bead((0,), (0,), 0.9), Bead((1, 2, 3), (1,), 0.85), Bead((4,), (2,), 0.9)])
    assert (perfect.orphan_recall, perfect.glued, perfect.strict_f1) == (1.0, (), 1.0)
    assert (glued.orphan_recall, glued.glued, glued.glued_at_least(0.8)) == (0.0, (0.85,), 1)
    # the rest: 2 units, both right; 2 of the 3 gold pairs found
    assert glued.strict_f1 == 2 * 1.0 * (2 / 3) / (1.0 + 2 / 3)
    assert pooled([perfect, glued], "all").orphan_recall == 0.5


def test_a_window_is_renumbered_from_zero():
    part = window(SOURCE, 2, 3)
    assert (part.zh, part.en) == (("三。", "四。"), ("Three", "three.", "Four."))
    assert list(part.gold) == [Bead((0,), (0, 1)), Bead((1,), (2,))]


def test_a_text_reads_as_run_reads_it_each_sentence_with_its_turn_and_paragraph():
    source = Source(SOURCE.name, SOURCE.zh, SOURCE.en, SOURCE.gold, (1, 1, 2, 2, 3), (1, 1, 2, 2, 2, 3), (0, 1, 2, 2, 3),
                    (0, 1, 2, 2, 3, 4))
    zh, en = documents(source)
    assert (zh.lang, zh.texts, en.lang, en.texts) == ("zh", list(SOURCE.zh), "en", list(SOURCE.en))
    assert [(s.turn, s.paragraph) for s in en.sentences] == [(1, 0), (1, 1), (2, 2), (2, 2), (2, 3), (3, 4)]
    assert turns_match(zh, en)                                   # three turns a side: `run` aligns turn by turn
    assert not turns_match(*documents(remove_beads(source, "test", 4, 4, "en")))


def test_a_plain_text_reads_as_one_turn_and_one_paragraph():
    zh, en = documents(SOURCE)
    assert {(s.turn, s.paragraph) for s in zh.sentences + en.sentences} == {(0, 0)}
