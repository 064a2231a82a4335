"""The lexicon's pair counts (a compiled loop over stem ids marked with bitsets of words) against the set
arithmetic they replaced, kept here as the reference."""

import numpy as np

from align.score.lexicon import chinese_words, english_stems, pair_counts
from conftest import MAC_DEV, needs_mac_dev


def _reference_pair_counts(zh_words, en_stems, cells=None):
    n, m = len(zh_words), len(en_stems)
    zh_hits = np.zeros((n, m), dtype=np.int16)
    en_hits = np.zeros((n, m), dtype=np.int16)
    rows = cells if cells is not None else ((i, np.arange(m)) for i in range(n))
    for i, columns in rows:
        words = zh_words[i]
        if not words:
            continue
        union = frozenset().union(*words)
        for j in columns:
            stems = en_stems[j]
            if not stems:
                continue
            zh_hits[i, j] = sum(1 for w in words if not w.isdisjoint(stems))
            en_hits[i, j] = len(stems & union)
    return zh_hits, en_hits


def test_a_chinese_word_counts_once_however_many_of_its_glosses_the_english_has():
    zh_words = [chinese_words("我们发展经济。"), [], chinese_words("人民")]
    en_stems = [english_stems("We develop the economy and its development."), set(), english_stems("the people")]
    zh_hits, en_hits = map(np.asarray, pair_counts(zh_words, en_stems))
    assert zh_hits[0, 0] == 2 and en_hits[0, 0] == 2           # 发展 → develop(ment), 经济 → economy
    assert zh_hits[1].tolist() == [0, 0, 0] and zh_hits[:, 1].tolist() == [0, 0, 0]
    assert (zh_hits[2, 2], en_hits[2, 2]) == (1, 1)
    assert all(np.array_equal(x, y) for x, y in zip((zh_hits, en_hits), _reference_pair_counts(zh_words, en_stems)))


def test_a_chinese_sentence_of_more_than_64_words_counts_each_word_with_a_translation_once():
    """A sentence's words are bitsets of 64 per block: words 0, 70 and 140 of a 150-word sentence."""
    words = [frozenset({f"filler{k}"}) for k in range(150)]
    words[0], words[70], words[140] = frozenset({"peace", "calm"}), frozenset({"peace"}), frozenset({"river"})
    zh_words = [words, words[60:80]]
    en_stems = [{"peace"}, {"river", "calm", "peace"}, {"boat"}]
    zh_hits, en_hits = map(np.asarray, pair_counts(zh_words, en_stems))
    assert zh_hits.tolist() == [[2, 3, 0], [1, 1, 0]] and en_hits.tolist() == [[1, 3, 0], [1, 1, 0]]
    assert all(np.array_equal(x, y) for x, y in zip((zh_hits, en_hits), _reference_pair_counts(zh_words, en_stems)))


@needs_mac_dev
def test_on_a_mac_dev_chapter_the_counts_equal_the_set_arithmetic_over_the_whole_matrix_and_in_a_band():
    from align.ingest import read_lines

    zh_words = [chinese_words(s) for s in read_lines(MAC_DEV / "zh" / "004.zh")]
    en_stems = [english_stems(s) for s in read_lines(MAC_DEV / "en" / "004.en")]
    for got, wanted in zip(pair_counts(zh_words, en_stems), _reference_pair_counts(zh_words, en_stems)):
        assert np.array_equal(np.asarray(got), wanted) and wanted.sum() > 1000
    rows = np.arange(len(zh_words))
    first, stop = np.maximum(0, rows - 10), np.minimum(len(en_stems), rows + 30)
    band = [(i, np.arange(first[i], stop[i])) for i in rows]
    for got, wanted in zip(pair_counts(zh_words, en_stems, (first, stop)), _reference_pair_counts(zh_words, en_stems, band)):
        assert np.array_equal(np.asarray(got), wanted) and len(got.values) == sum(len(c) for _, c in band)


@needs_mac_dev
def test_a_beads_lexical_coverage_sums_its_sentence_pairs_as_the_two_dimensional_prefix_sums_did():
    from align.aligners.combined import ALL_KINDS, LexicalCoverage
    from align.aligners.spans import prefix1d
    from align.ingest import read_lines

    def prefix2d(matrix: np.ndarray) -> np.ndarray:
        out = np.zeros((matrix.shape[0] + 1, matrix.shape[1] + 1), dtype=np.int32)
        np.cumsum(np.cumsum(matrix, axis=0, dtype=np.int32), axis=1, out=out[1:, 1:])
        return out

    def block_sum(prefix: np.ndarray, a: int, b: int, i: int, js: np.ndarray) -> np.ndarray:
        return prefix[i, js] - prefix[i - a, js] - prefix[i, js - b] + prefix[i - a, js - b]

    zh_words = [chinese_words(s) for s in read_lines(MAC_DEV / "zh" / "004.zh")]
    en_stems = [english_stems(s) for s in read_lines(MAC_DEV / "en" / "004.en")]
    zh_hits, en_hits = pair_counts(zh_words, en_stems)
    zh_counts, en_counts = np.array([len(w) for w in zh_words]), np.array([len(s) for s in en_stems])
    coverage = LexicalCoverage(zh_hits, en_hits, zh_counts, en_counts)
    zh_prefix, en_prefix = prefix2d(np.asarray(zh_hits)), prefix2d(np.asarray(en_hits))
    zh_cum, en_cum = prefix1d(zh_counts), prefix1d(en_counts)
    for a, b in [kind for kind in ALL_KINDS if kind[0] and kind[1]]:
        for i in range(a, len(zh_words) + 1, 7):
            js = np.arange(b, len(en_stems) + 1)
            zh = block_sum(zh_prefix, a, b, i, js) / np.maximum(1.0, zh_cum[i] - zh_cum[i - a])
            en = block_sum(en_prefix, a, b, i, js) / np.maximum(1.0, en_cum[js] - en_cum[js - b])
            assert np.array_equal(coverage.coverage(a, b, i, js), (np.minimum(zh, 1.0) + np.minimum(en, 1.0)) / 2)
