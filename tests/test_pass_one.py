"""Pass 1 of the default aligner on large inputs: a search in the boxes between confident anchors that
grows with the text and finds the route of the search over the whole matrix."""

import numpy as np
import pytest

from align.aligners import dp
from align.aligners.combined import ALL_KINDS, ANCHOR_WIDTH, CombinedCost, anchors, fitted_model, longest_increasing_chain
from align.aligners.spans import SpanFeatures
from conftest import BIBLE


def test_the_longest_increasing_chain_drops_the_pairs_out_of_order():
    pairs = [(0, 0), (1, 40), (2, 2), (3, 3), (4, 1), (5, 5), (6, 6), (7, 90), (8, 8)]
    assert longest_increasing_chain(pairs) == [(0, 0), (2, 2), (3, 3), (5, 5), (6, 6), (8, 8)]
    assert longest_increasing_chain([]) == []


def test_boxes_between_anchors_cover_every_cell_between_them_and_no_more_than_the_width_beyond():
    lo, hi = dp.band_of_boxes([(10, 20), (30, 25)], 40, 50, width=2)
    assert (lo[0], hi[0]) == (0, 22)                  # the box from (0, 0) to (10, 20), two wider
    assert (lo[20], hi[20]) == (18, 27)               # the box from (10, 20) to (30, 25)
    assert (lo[40], hi[40]) == (23, 50)               # the box from (30, 25) to the end
    assert all(lo[i] <= 20 <= hi[i] for i in range(8, 13))


def test_anchors_are_mutual_nearest_neighbours_in_order_and_a_sentence_without_counterpart_gets_none():
    rng = np.random.default_rng(5)
    en = rng.normal(size=(40, 64)).astype(np.float32)
    zh = en + rng.normal(scale=0.2, size=en.shape).astype(np.float32)
    zh = np.delete(zh, 17, axis=0)                     # English sentence 17 has no Chinese counterpart
    zh[30], zh[31] = zh[31].copy(), zh[30].copy()      # two sentences out of order
    points = anchors({"use": SpanFeatures(zh, en, 6, 6)})
    pairs = points[::2]
    assert all(j == i + (i >= 17) for i, j in pairs if i not in (30, 31))
    assert all(j != 17 for _, j in pairs)
    assert len([p for p in pairs if p[0] in (30, 31)]) == 1
    assert points[1::2] == [(i + 1, j + 1) for i, j in pairs]


@pytest.mark.skipif(not BIBLE.is_dir(), reason=f"Bible data not found at {BIBLE} (../shared is absent)")
def test_on_the_bible_pass_one_in_the_anchor_boxes_finds_the_route_of_the_search_over_the_whole_matrix():
    # the case where a cheaper pass 1 (fewer bead kinds) strayed from the text for 400 sentences
    from align.aligners.combined import length_model, span_features
    from align.ingest import read_lines
    from align.score.embed import get_encoder

    en, zh = read_lines(BIBLE / "en" / "001.en"), read_lines(BIBLE / "zh" / "001.zh")
    vectors = get_encoder("use").encode(zh + en)
    margins = {"use": span_features(vectors[:len(zh)], vectors[len(zh):])}
    rough = CombinedCost(margins, length_model(zh, en), fitted_model("combined").search())
    coarse = dp.band_of_boxes(anchors(margins), len(zh), len(en), ANCHOR_WIDTH)
    assert int((coarse[1] - coarse[0] + 1).sum()) < len(zh) * len(en) / 50
    assert dp.search(rough, ALL_KINDS, coarse) == dp.search(rough, ALL_KINDS)


def test_a_large_input_finds_its_anchors_once_for_the_length_model_and_pass_one(monkeypatch):
    # the demo transcript 28 times over: 728 × 644 sentences, beyond the full search (each text is encoded once)
    from align.aligners import combined
    from align.ingest.load import document_from_text
    from conftest import DEMO_EN, DEMO_ZH

    zh = document_from_text(DEMO_ZH.read_text(encoding="utf-8"), DEMO_ZH, "zh").texts * 28
    en = document_from_text(DEMO_EN.read_text(encoding="utf-8"), DEMO_EN, "en").texts * 28
    assert len(zh) * len(en) > combined.FULL_SEARCH_CELLS
    found, calls = combined.anchors, []
    monkeypatch.setattr(combined, "anchors", lambda margins: calls.append(len(margins)) or found(margins))
    combined.CombinedAligner().align(zh, en)
    assert calls == [1]
