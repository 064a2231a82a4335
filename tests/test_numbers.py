"""Numbers as anchors: the quantity features of a bead (`align.aligners.numbers`)."""

from collections import Counter

import numpy as np

from align.aligners.combined import ALL_KINDS, band_reads
from align.aligners.numbers import QuantityAgreement, sentence_keys

ZH = ["2022年10月31日，双方签署了3项协议。", "他说了很多。", "贸易额增长了百分之五，达到1.2万亿元。", "一个人来了。",
      "第十六次会议在北京举行。"]
EN = ["On October 31, 2022 the two sides signed three agreements.", "He said a lot.",
      "Trade grew by 5% to 1.2 trillion yuan.", "A man came.", "The 16th meeting was held in Beijing."]


def test_equal_quantities_written_differently_are_matched():
    numbers = QuantityAgreement(ZH, EN)
    matched, unmatched = numbers.features(1, 1, 3, np.array([3]))
    assert (matched[0], unmatched[0]) == (2.0, 0.0)          # 百分之五 = 5%, 1.2万亿 = 1.2 trillion
    matched, unmatched = numbers.features(1, 1, 5, np.array([5]))
    assert (matched[0], unmatched[0]) == (1.0, 0.0)          # 第十六次 = 16th


def test_a_bead_whose_sides_state_different_quantities_is_all_unmatched():
    numbers = QuantityAgreement(ZH, EN)
    matched, unmatched = numbers.features(1, 1, 3, np.array([5]))   # 5%, 1.2 trillion against 16th
    assert (matched[0], unmatched[0]) == (0.0, 1.0)
    matched, unmatched = numbers.features(1, 1, 1, np.array([3]))   # date and 3 against 5% and 1.2 trillion
    assert (matched[0], unmatched[0]) == (0.0, 1.0)


def test_a_side_that_states_no_quantity_says_nothing():
    numbers = QuantityAgreement(ZH, EN)
    matched, unmatched = numbers.features(1, 1, 4, np.array([4, 2]))   # 一个 (one) against "A man", "He said…"
    assert matched.tolist() == [0.0, 0.0] and unmatched.tolist() == [0.0, 0.0]
    matched, unmatched = numbers.features(1, 1, 2, np.array([1]))      # "He said…" against the date, 2 and 3
    assert matched.tolist() == [0.0] and unmatched.tolist() == [0.0]


def test_a_bead_of_several_sentences_counts_every_pair_it_holds():
    numbers = QuantityAgreement(ZH, EN)
    # the date and 3 (and nothing) against the date, "the two sides" (2) and 3
    matched, unmatched = numbers.features(2, 1, 2, np.array([1]))
    assert matched[0] == 2.0 and unmatched[0] == 1 - 2 * 2 / (2 + 3)
    matched, unmatched = numbers.features(3, 3, 3, np.array([3]))
    assert matched[0] == 4.0 and unmatched[0] == 1 - 2 * 4 / (4 + 5)


def test_matched_quantities_never_exceed_what_one_side_states():
    numbers = QuantityAgreement(["两国签署了两项协议。", "两位部长出席。"], ["Two ministers attended."])
    matched, unmatched = numbers.features(2, 1, 2, np.array([1]))   # three 2s in Chinese, one in English
    assert matched[0] == 1.0 and unmatched[0] == 1 - 2 / 4


def test_a_one_to_one_beads_matches_are_the_multiset_intersection_of_its_quantities():
    rng = np.random.default_rng(3)
    chinese = ["3次", "5次", "12次", "2019年", "百分之五", "第二次"]
    english = ["3", "5", "12", "2019", "5%", "2nd"]
    picks = [rng.choice(len(chinese), size=rng.integers(0, 4)) for _ in range(24)]
    zh = ["数字" + "和".join(chinese[k] for k in p) + "。" for p in picks[:12]]
    en = ["Numbers " + " and ".join(english[k] for k in p) + "." for p in picks[12:]]
    zh_keys, en_keys = sentence_keys(zh, "zh"), sentence_keys(en, "en")
    numbers = QuantityAgreement(zh, en)
    for i in range(1, len(zh) + 1):
        matched, unmatched = numbers.features(1, 1, i, np.arange(1, len(en) + 1))
        for j, (got, share) in enumerate(zip(matched, unmatched)):
            z, e = zh_keys[i - 1], en_keys[j]
            assert got == sum((z & e).values())
            total = sum(z.values()) + sum(e.values())
            assert share == (1 - 2 * got / total if z and e else 0.0)


def test_inside_a_band_the_features_of_every_bead_kind_are_those_of_the_whole_matrix():
    # twice as many English sentences as Chinese: the band climbs two columns a row, and a 1-6 ending on its
    # lower edge reads columns a band of the cells' own columns does not hold
    zh, en = ZH * 2, (EN + ["Nothing here."] * 5) * 2
    n, m = len(zh), len(en)
    rows = np.arange(n + 1)
    band = (np.maximum(0, 2 * rows - 2), np.minimum(m, 2 * rows + 2))
    whole, banded = QuantityAgreement(zh, en), QuantityAgreement(zh, en, band_reads(band, n, m))
    for a, b in ((a, b) for a, b in ALL_KINDS if a and b):
        for i in range(a, n + 1):
            js = np.arange(max(b, band[0][i]), band[1][i] + 1)
            for got, want in zip(banded.features(a, b, i, js), whole.features(a, b, i, js)):
                assert got.tolist() == want.tolist(), (a, b, i)
