"""Work the bead costs no longer do, checked against the code that did it (kept here as the reference): a
feature of weight zero is not computed, bead blocks are summed in a compiled loop, sentence lengths are
counted without a loop over characters. Each gives the same numbers bit for bit on real sentences."""

import numpy as np
import pytest

from align.aligners import combined, dp
from align.aligners.combined import ALL_KINDS, CombinedAligner, fitted_model
from align.aligners.spans import block_sum
from align.ingest import read_lines
from align.score.length import text_length
from conftest import BIBLE, MAC_DEV, needs_mac_dev


def reference_block_sum(matrix: np.ndarray, a: int, b: int, i, js: np.ndarray, dtype=np.float64) -> np.ndarray:
    """align/aligners/spans.py's block_sum before: one gathered copy of the block's entries per (r, c)."""
    total = np.zeros(len(js), dtype=dtype)
    for r in range(1, a + 1):
        for c in range(1, b + 1):
            total += matrix[i - r, js - c]
    return total


@pytest.fixture(scope="module")
def chapter():
    """MAC-Dev chapter 003 as the default aligner and `fast` cost it (Chinese first, no span encodings)."""
    zh, en = read_lines(MAC_DEV / "zh" / "003.zh"), read_lines(MAC_DEV / "en" / "003.en")
    return zh, en, CombinedAligner(refine=False).fitting_cost(zh, en, spans=False)


@needs_mac_dev
def test_bead_block_sums_of_similarities_and_lexical_counts_equal_the_numpy_loop_bit_for_bit(chapter):
    _, _, cost = chapter
    similarities, hits = cost.margins["use"].sim, cost.lexical.zh_hits
    for a, b in ALL_KINDS:
        if not (a and b):
            continue
        for i in range(a, cost.n_src + 1, 7):
            js = np.arange(b, cost.n_tgt + 1)
            assert np.array_equal(block_sum(similarities, a, b, i, js), reference_block_sum(similarities, a, b, i, js))
            assert np.array_equal(block_sum(hits, a, b, i, js, np.int64), reference_block_sum(hits, a, b, i, js, np.int64))
        # one row per bead, as a band's cells come
        rows, columns = dp._Layout(dp.full_band(cost.n_src, cost.n_tgt)).coordinates(a, cost.n_src + 1)
        rows, columns = rows[columns >= b], columns[columns >= b]
        assert np.array_equal(block_sum(similarities, a, b, rows, columns),
                              reference_block_sum(similarities, a, b, rows, columns))


@needs_mac_dev
@pytest.mark.parametrize("method", ["fast", "combined"])
def test_a_beads_cost_skips_the_features_of_weight_zero_and_equals_the_full_weighted_sum_bit_for_bit(chapter, method):
    _, _, cost = chapter
    cost.w = fitted_model(method).vector()
    zero = {name for name, w in zip(combined.FEATURES, cost.w) if w == 0}
    assert method != "fast" or {"weakest", "skip_match", "gap_open"} <= zero
    for a, b in ALL_KINDS:
        for i in range(a, cost.n_src + 1, 5):
            js = np.arange(b, cost.n_tgt + 1)
            assert np.array_equal(cost.cost(a, b, i, js), -(cost.features(a, b, i, js) @ cost.w))


@needs_mac_dev
def test_a_features_row_leaves_the_signals_not_wanted_at_zero(chapter):
    _, _, cost = chapter
    wanted = np.ones(len(combined.FEATURES), dtype=bool)
    wanted[combined.FEATURES.index("weakest")] = False
    js = np.arange(2, cost.n_tgt + 1)
    full, part = cost.features(2, 2, 10, js), cost.features(2, 2, 10, js, wanted)
    assert (part[:, ~wanted] == 0).all() and (full[:, ~wanted] != 0).any()
    assert np.array_equal(part[:, wanted], full[:, wanted])


@needs_mac_dev
def test_sentence_lengths_count_the_characters_that_are_not_white_space():
    texts = read_lines(MAC_DEV / "zh" / "003.zh") + read_lines(MAC_DEV / "en" / "003.en")
    texts += ["全角\u3000空格", "no-break\xa0space", "tab\tand\nnewline", "", "   "]
    if BIBLE.is_dir():
        texts += read_lines(BIBLE / "zh" / "001.zh")[:2000] + read_lines(BIBLE / "en" / "001.en")[:2000]
    assert [text_length(t) for t in texts] == [sum(1 for ch in t if not ch.isspace()) for t in texts]


def reference_agreement(punctuation, a: int, b: int, i, js: np.ndarray) -> np.ndarray:
    """align/score/punctuation.py's agreement before: numpy's gathers of the prefix rows and row sums."""
    zh = punctuation.zh_prefix[i] - punctuation.zh_prefix[i - a]
    en = punctuation.en_prefix[js] - punctuation.en_prefix[js - b]
    return -np.minimum(np.abs(en - zh).sum(axis=1), 3.0)


@needs_mac_dev
def test_punctuation_agreement_equals_the_numpy_code_it_replaced_bit_for_bit(chapter):
    from align.score.punctuation import PunctuationAgreement

    zh, en, cost = chapter
    punctuation = PunctuationAgreement(zh, en)
    for a, b in ALL_KINDS:
        if not (a and b):
            continue
        rows, columns = dp._Layout(dp.full_band(cost.n_src, cost.n_tgt)).coordinates(a, cost.n_src + 1)
        rows, columns = rows[columns >= b], columns[columns >= b]
        wanted = reference_agreement(punctuation, a, b, rows, columns)
        assert np.array_equal(punctuation.agreement(a, b, rows, columns), wanted)
        assert np.array_equal(np.signbit(punctuation.agreement(a, b, rows, columns)), np.signbit(wanted))
        assert np.array_equal(punctuation.agreement(a, b, a + 3, np.arange(b, cost.n_tgt + 1)),
                              reference_agreement(punctuation, a, b, a + 3, np.arange(b, cost.n_tgt + 1)))
