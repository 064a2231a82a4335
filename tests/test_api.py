"""`from align import align_texts`: the aligner as a Python library."""

import pytest

from align import AlignedBead, align_texts
from align.errors import InputError
from align.ingest import load_document
from align.aligners import get_aligner
from align.aligners.anchored import align_documents

from conftest import DEMO_EN, DEMO_ZH

ZH = ["你问到中国外交政策的目标。", "我们的宗旨非常明确。", "谢谢！"]
EN = ["You asked about the goal of China's foreign policy.", "Our purpose is quite clear.", "Thank you!"]


def test_two_lists_of_sentences_give_beads_with_ids_texts_and_confidences():
    beads = align_texts(ZH, EN, method="fast")
    assert [(b.source_ids, b.target_ids) for b in beads] == [((0,), (0,)), ((1,), (1,)), ((2,), (2,))]
    assert beads[2] == AlignedBead((2,), (2,), "谢谢！", "Thank you!", beads[2].confidence)
    assert all(0.0 <= b.confidence <= 1.0 for b in beads)


def test_english_first_gives_the_same_beads_in_the_order_of_the_arguments():
    forward, backward = align_texts(ZH, EN, method="fast"), align_texts(EN, ZH, method="fast")
    assert [(b.target_ids, b.source_ids, b.confidence) for b in backward] == \
        [(b.source_ids, b.target_ids, b.confidence) for b in forward]


def test_raw_texts_are_segmented_and_aligned_as_run_does():
    beads = align_texts(DEMO_EN.read_text(encoding="utf-8"), DEMO_ZH.read_text(encoding="utf-8"), method="fast")
    en, zh = load_document(DEMO_EN, "en"), load_document(DEMO_ZH, "zh")
    expected = align_documents(zh, en, get_aligner("fast"))
    assert [(b.target_ids, b.source_ids) for b in beads] == [(b.src, b.tgt) for b in expected]
    assert beads[0].source == " ".join(en.texts[i] for i in beads[0].source_ids)


def test_two_texts_in_the_same_language_are_refused_with_one_line():
    with pytest.raises(InputError, match="both texts look English"):
        align_texts(EN, EN)


def test_a_text_without_words_is_refused():
    with pytest.raises(InputError, match="second text: no words"):
        align_texts(ZH, ["…", "!"])
