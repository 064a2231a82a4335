"""Work the bead costs no longer do, checked against the code that did it (kept here as the reference): a
feature of weight zero is not computed, bead blocks are summed in a compiled loop, sentence lengths are
counted without a loop over characters, hubness and nearest neighbours are read without copies of the
similarity matrix, the lexicon's counts are stored in the band only. Each gives the same numbers bit for bit
on real sentences."""

import numpy as np
import pytest

from align.aligners import combined, dp
from align.aligners.combined import ALL_KINDS, CombinedAligner, fitted_model
from align.aligners.spans import RowBand, SpanFeatures, block_sum
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
            assert np.array_equal(block_sum(hits, a, b, i, js, np.int64),
                                  reference_block_sum(np.asarray(hits), a, b, i, js, np.int64))
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


def reference_hubness_and_nearest(sim: np.ndarray, neighbours: int = 4) -> dict:
    """align/aligners/spans.py's SpanFeatures before: hubness from negated and partitioned copies of 256 rows
    (or transposed columns) at a time, nearest neighbours from a copy of 256 rows of margins at a time."""
    top_mean = lambda block, k: -np.partition(-block, k - 1, axis=1)[:, :k].mean(axis=1)
    n, m = sim.shape
    src_hub = np.concatenate([top_mean(sim[r:r + 256], min(neighbours, m)) for r in range(0, n, 256)])
    tgt_hub = np.concatenate([top_mean(np.ascontiguousarray(sim[:, c:c + 256].T), min(neighbours, n))
                              for c in range(0, m, 256)])
    nearest_src, best_src = np.zeros(n, dtype=np.int64), np.zeros(n, dtype=sim.dtype)
    nearest_tgt, best_tgt = np.zeros(m, dtype=np.int64), np.full(m, -np.inf, dtype=sim.dtype)
    for r in range(0, n, 256):
        margins = sim[r:r + 256] - src_hub[r:r + 256, None] / 2
        margins -= tgt_hub[None, :] / 2
        nearest_src[r:r + 256] = margins.argmax(axis=1)
        best_src[r:r + 256] = margins[np.arange(len(margins)), nearest_src[r:r + 256]]
        top = margins.argmax(axis=0)
        value = margins[top, np.arange(m)]
        better = value > best_tgt
        nearest_tgt[better], best_tgt[better] = top[better] + r, value[better]
    return {"src_hub_of": src_hub, "tgt_hub_of": tgt_hub, "nearest_src": nearest_src, "best_src": best_src,
            "nearest_tgt": nearest_tgt, "best_tgt": best_tgt}


@needs_mac_dev
def test_hubness_and_nearest_neighbours_equal_the_blocks_of_copies_they_replaced_bit_for_bit(chapter):
    zh, en = CombinedAligner().encode("use", chapter[0], chapter[1])
    for src, tgt in ((zh, en), (en, zh)):
        features = SpanFeatures(src, tgt, 6, 6)
        for name, wanted in reference_hubness_and_nearest(features.sim).items():
            got = getattr(features, name)
            assert got.dtype == wanted.dtype and np.array_equal(got, wanted), name


@needs_mac_dev
def test_lexical_counts_stored_in_the_band_give_the_bead_coverage_of_the_n_by_m_matrices_bit_for_bit(chapter):
    zh, en, cost = chapter
    band = dp.band_around([(i, round(i * len(en) / len(zh))) for i in range(len(zh) + 1)], len(zh), len(en), 8)
    banded = CombinedAligner._lexical(zh, en, combined.band_reads(band, len(zh), len(en)))
    assert isinstance(banded.zh_hits, RowBand) and len(banded.zh_hits.values) < len(zh) * len(en) / 2
    # before: n × m matrices, zero outside the band's cells
    dense = combined.LexicalCoverage(np.asarray(banded.zh_hits), np.asarray(banded.en_hits),
                                     np.diff(banded.zh_counts), np.diff(banded.en_counts))
    rows, columns = dp._Layout(dp.full_band(len(zh), len(en))).coordinates(0, len(zh) + 1)
    for a, b in ALL_KINDS:
        if not (a and b):
            continue
        valid = (rows >= a) & (columns >= b)
        got = banded.coverage(a, b, rows[valid], columns[valid])
        assert np.array_equal(got, dense.coverage(a, b, rows[valid], columns[valid])) and got.max() > 0


def test_a_band_reads_range_holds_every_sentence_pair_of_every_bead_ending_in_the_band():
    band = dp.band_around([(0, 0), (10, 14), (20, 22), (30, 40)], 30, 40, 3)
    first, stop = combined.band_reads(band, 30, 40)
    lo, hi = band
    for i in range(1, 31):
        for j in range(max(lo[i], 1), hi[i] + 1):
            for a, b in ALL_KINDS:
                for r in range(max(i - a, 0), i):
                    assert first[r] <= max(j - b, 0) and j <= stop[r], (i, j, a, b, r)
    assert (stop - first).max() < 40


@needs_mac_dev
def test_similarities_kept_in_a_band_give_every_beads_cosine_margin_and_weakest_of_the_n_by_m_matrix_bit_for_bit(chapter):
    zh, en, cost = chapter
    dense = cost.margins["use"]
    band = dp.band_around([(i, round(i * len(en) / len(zh))) for i in range(len(zh) + 1)], len(zh), len(en), 8)
    banded = combined.in_band({"use": dense}, band)["use"]
    assert isinstance(banded.sim, RowBand) and len(banded.sim.values) < len(zh) * len(en) / 4
    rows, columns = dp._Layout(band).coordinates(0, len(zh) + 1)
    for a, b in ALL_KINDS:
        if not (a and b):
            continue
        valid = (rows >= a) & (columns >= b)
        i, js = rows[valid], columns[valid]
        for name in ("cosine", "margin", "weakest"):
            assert np.array_equal(getattr(banded, name)(a, b, i, js), getattr(dense, name)(a, b, i, js)), (a, b, name)
    with pytest.raises(ValueError, match="outside the stored band"):
        banded.cosine(1, 1, len(zh), np.array([1]))


def reference_quantity_features(numbers, a: int, b: int, i, js: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """align/aligners/numbers.py's QuantityAgreement.features before: each side's counts gathered for every bead,
    then the block sums of the beads whose two sides both state quantities."""
    rows = np.broadcast_to(np.asarray(i, dtype=np.int64), np.shape(js))
    zh_n = numbers.zh_counts[rows] - numbers.zh_counts[rows - a]
    en_n = numbers.en_counts[js] - numbers.en_counts[js - b]
    matched, unmatched = np.zeros(len(js)), np.zeros(len(js))
    both = np.flatnonzero((zh_n > 0) & (en_n > 0))
    if len(both):
        found = np.minimum(block_sum(numbers.shared, a, b, rows[both], js[both]), np.minimum(zh_n[both], en_n[both]))
        matched[both] = found
        unmatched[both] = 1.0 - 2.0 * found / (zh_n[both] + en_n[both])
    return matched, unmatched


def test_quantity_features_bead_by_bead_equal_the_gathering_numpy_code_bit_for_bit_on_the_bible():
    from align.aligners.numbers import QuantityAgreement

    if not BIBLE.is_dir():
        pytest.skip("Bible data not found")
    zh, en = read_lines(BIBLE / "zh" / "001.zh")[:600], read_lines(BIBLE / "en" / "001.en")[:480]
    band = dp.band_around([(i, round(i * len(en) / len(zh))) for i in range(len(zh) + 1)], len(zh), len(en), 12)
    numbers = QuantityAgreement(zh, en, combined.band_reads(band, len(zh), len(en)))
    rows, columns = dp._Layout(band).coordinates(0, len(zh) + 1)
    stated = 0
    for a, b in ALL_KINDS:
        if not (a and b):
            continue
        valid = (rows >= a) & (columns >= b)
        got, wanted = numbers.features(a, b, rows[valid], columns[valid]), reference_quantity_features(
            numbers, a, b, rows[valid], columns[valid])
        assert all(np.array_equal(g, w) and np.array_equal(np.signbit(g), np.signbit(w)) for g, w in zip(got, wanted))
        stated += int((got[0] > 0).sum())
        one_row = numbers.features(a, b, 300, np.arange(b, len(en) + 1))
        assert all(np.array_equal(g, w) for g, w in zip(one_row, reference_quantity_features(
            numbers, a, b, 300, np.arange(b, len(en) + 1))))
    assert stated > 1000        # beads with matched quantities were compared, not only zeros


def test_cached_costs_in_their_own_order_are_the_table_itself_and_in_another_order_its_rows():
    from align.score.length import LengthModel

    class Lengths:
        model = LengthModel(np.array([10, 20, 30, 12, 7, 9, 40]), np.array([11, 19, 33, 10, 2, 8, 12, 30]))
        n_src, n_tgt = model.n_src, model.n_tgt

        def cost(self, a, b, i, js):
            return -self.model.log_match(a, b, i, js) + a + 2 * b

    cached = dp.CachedCost(Lengths())
    costs, _ = cached.tables(ALL_KINDS)
    again, _ = cached.tables(ALL_KINDS)
    reordered, _ = cached.tables(ALL_KINDS[::-1])
    assert again is costs and np.array_equal(reordered, costs[::-1])


def test_the_quantities_of_both_sides_of_the_bible_are_read_once_when_it_is_aligned_again():
    from align.aligners.numbers import sentence_keys
    from align.score import quantities

    if not BIBLE.is_dir():
        pytest.skip("Bible data not found")
    zh, en = read_lines(BIBLE / "zh" / "001.zh"), read_lines(BIBLE / "en" / "001.en")
    quantities._cached.cache_clear()
    first = sentence_keys(zh, "zh"), sentence_keys(en, "en")
    again = sentence_keys(zh, "zh"), sentence_keys(en, "en")
    read = quantities._cached.cache_info()
    assert again == first
    # each distinct sentence parsed once; every later request (its repeats, then the whole second reading) a hit
    assert read.misses == len(set(zh)) + len(set(en)) == 10_924
    assert read.hits == 2 * (len(zh) + len(en)) - read.misses


def test_bead_blocks_split_only_after_a_rows_last_bead_at_a_multiple_of_four_beads():
    row_ends = np.zeros(40, dtype=bool)
    row_ends[[2, 6, 9, 15, 22, 27, 31, 39]] = True        # rows of 3, 4, 3, 6, 7, 5, 4 and 8 beads
    assert dp.bead_blocks(row_ends, 5) == [(0, 16), (16, 28), (28, 40)]
    assert dp.bead_blocks(row_ends, 17) == [(0, 28), (28, 40)]
    assert dp.bead_blocks(row_ends, 40) == [(0, 40)]
    assert dp.bead_blocks(row_ends[:0], 5) == []


@pytest.fixture(scope="module")
def encoded_chapter():
    """MAC-Dev chapter 002 as the default aligner costs it with every span of up to 4 sentences encoded."""
    zh, en = read_lines(MAC_DEV / "zh" / "002.zh"), read_lines(MAC_DEV / "en" / "002.en")
    return zh, en, CombinedAligner().fitting_cost(zh, en)


@needs_mac_dev
@pytest.mark.parametrize("block", [4, 100, 1000])
def test_bead_costs_in_blocks_equal_one_scorer_call_per_kind_over_the_band_bit_for_bit(encoded_chapter, monkeypatch, block):
    """In a band over MAC-Dev chapter 002, every span encoded (so a row's span cosines are matrix products):
    the tables of `_cost_rows` against the code before blocks, one scorer call per kind."""
    zh, en, cost = encoded_chapter
    layout = dp._Layout(dp.band_around([(0, 0), (len(zh), len(en))], len(zh), len(en), 40))
    i, j = layout.coordinates(0, len(layout.lo))
    wanted = np.full((len(ALL_KINDS), len(i)), np.inf)
    wanted_opens = np.zeros((2, len(i)))
    for k, (a, b) in enumerate(ALL_KINDS):
        valid = (i >= a) & (j >= b)
        wanted[k, valid] = cost.cost(a, b, i[valid], j[valid])
        if not (a and b):
            wanted_opens[0 if a else 1, valid] = cost.opening(a, b, i[valid], j[valid])
    monkeypatch.setattr(dp, "BLOCK_BEADS", block)
    costs, opens = dp._cost_rows(cost, ALL_KINDS, layout, 0, len(layout.lo))
    assert np.array_equal(costs.view(np.int64), wanted.view(np.int64))
    assert np.array_equal(opens.view(np.int64), wanted_opens.view(np.int64))
