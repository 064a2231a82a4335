from pathlib import Path

from align.document import Sentence
from align.export.review import review_tsv
from align.pipeline import review_items, unpaired_blocks
from align.store.alignments import StoredAlignment
from align.store.edits import Alignment, StoredBead

# Chinese: a title, a question (turn 1), an answer of two sentences (turn 2), a question (turn 3).
ZH = (Sentence("例行记者会", 0, 0, None, 1), Sentence("问：中方有何评论？", 1, 1, "问", 3),
      Sentence("答：我们注意到有关报道。", 2, 2, "答", 5), Sentence("中方立场是一贯的。", 2, 2, "答", 5),
      Sentence("问：还有问题吗？", 3, 3, "问", 7))
EN = (Sentence("Regular Press Conference", 0, 0, None, 1), Sentence("Q: Any more questions?", 1, 1, "Q", 3))


def _alignment(beads):
    return Alignment(ZH, EN, tuple(StoredBead(zh, en, c) for zh, en, c in beads))


def _stored(alignment):
    return StoredAlignment("x", "x.en.txt", "x.zh.txt", "", "", "test", "en-US", "zh-CN", 0, "", alignment)


def test_a_question_and_its_answer_missing_from_the_english_are_one_block_named_by_its_turns():
    alignment = _alignment([((0,), (0,), 0.99), ((1,), (), 0.0), ((2,), (), 0.0), ((3,), (), 0.0), ((4,), (1,), 0.98)])
    [block] = unpaired_blocks(alignment)
    assert (block.side, block.sentences, block.first_line, block.last_line) == ("zh", (1, 2, 3), 3, 5)
    assert block.describe() == "Chinese lines 3–5 (a question and its answer) have no English counterpart"


def test_one_answer_alone_and_part_of_a_turn_are_described_as_such():
    answer = _alignment([((0,), (0,), 0.99), ((1,), (), 0.0), ((2,), (), 0.0), ((3,), (), 0.0), ((4,), (1,), 0.98)])
    only_answer = _alignment([((0,), (0,), 0.99), ((1, 4), (1,), 0.5), ((2,), (), 0.0), ((3,), (), 0.0)])
    part = _alignment([((0,), (0,), 0.99), ((1, 2), (1,), 0.5), ((3,), (), 0.0), ((4,), (), 0.0)])
    assert unpaired_blocks(answer)[0].turns == ("question", "answer")
    assert [b.describe() for b in unpaired_blocks(only_answer)] == [
        "Chinese line 5 (one answer) has no English counterpart"]
    assert [b.describe() for b in unpaired_blocks(part)] == [
        "Chinese lines 5–7 (2 sentences) have no English counterpart"]


def test_the_review_file_lists_a_block_of_unpaired_sentences_as_one_item_and_doubtful_units_apart():
    alignment = _alignment([((0,), (0,), 0.99), ((1,), (), 0.0), ((2,), (), 0.0), ((3,), (), 0.0), ((4,), (1,), 0.3)])
    items = review_items(_stored(alignment), 0.5)
    assert [(i.reason, i.zh_lines, i.zh_text, i.en_text) for i in items] == [
        ("unpaired", "3,5", "问：中方有何评论？答：我们注意到有关报道。中方立场是一贯的。", ""),
        ("low-confidence", "7", "问：还有问题吗？", "Q: Any more questions?")]
    assert review_tsv(items).count("\n") == 3
