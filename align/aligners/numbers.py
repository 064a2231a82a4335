"""Numbers as anchors: whether the quantities of a bead's two sides agree, for the bead cost.

Each sentence's quantities are read once by `align.score.quantities` (1.2万 = 12,000, 第十六次 = 16th,
二〇二二年十月三十一日 = October 31, 2022 …). For every pair of a Chinese and an English sentence the counts of
each one's quantities that the other states too are kept (only sentences with quantities can have any), and a
bead's counts are summed over its at most 6 × 6 sentence pairs, like the lexicon's. A bead's quantities
`agree` when both sides state some and every one of them has its partner on the other side, `disagree` when
both sides state some and one has none; a bead where a side states nothing is neither.
"""

from __future__ import annotations

from decimal import Decimal

import numpy as np

from align.aligners.spans import block_sum, prefix1d
from align.score.quantities import Quantity, quantities


def _key(quantity: Quantity) -> tuple:
    """What two quantities must share to be the same (`quantities.same`, a date's year left out: a date
    with a year and one without still agree)."""
    if quantity.kind == "date":
        return ("date", *quantity.value[1:])
    return ("value", Decimal(quantity.value).normalize())


class QuantityAgreement:
    """The quantities of both sides (Chinese first) and, per sentence pair, how many of each side's have a
    partner in the other sentence (int16 matrices, zero where a sentence states none)."""

    def __init__(self, zh: list[str], en: list[str]):
        zh_keys = [[_key(q) for q in quantities(s, "zh")] for s in zh]
        en_keys = [[_key(q) for q in quantities(s, "en")] for s in en]
        self.zh_counts = prefix1d(np.array([len(k) for k in zh_keys], dtype=float))
        self.en_counts = prefix1d(np.array([len(k) for k in en_keys], dtype=float))
        self.zh_hits = np.zeros((len(zh), len(en)), dtype=np.int16)
        self.en_hits = np.zeros((len(zh), len(en)), dtype=np.int16)
        stating: dict[tuple, set[int]] = {}
        for j, keys in enumerate(en_keys):
            for key in keys:
                stating.setdefault(key, set()).add(j)
        for i, keys in enumerate(zh_keys):
            for key in keys:
                for j in stating.get(key, ()):
                    self.zh_hits[i, j] += 1
            stated = set(keys)
            for j in set().union(*(stating.get(key, set()) for key in stated)):
                self.en_hits[i, j] = sum(key in stated for key in en_keys[j])

    def features(self, a: int, b: int, i, js: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(agree, disagree) as 0.0 / 1.0 for every bead [i-a, i) × [j-b, j), j in js."""
        zh_n = self.zh_counts[i] - self.zh_counts[i - a]
        en_n = self.en_counts[js] - self.en_counts[js - b]
        zh_hit = block_sum(self.zh_hits, a, b, i, js, np.int64)
        en_hit = block_sum(self.en_hits, a, b, i, js, np.int64)
        both = (zh_n > 0) & (en_n > 0)
        agree = both & (zh_hit >= zh_n) & (en_hit >= en_n)
        return agree.astype(float), (both & ~agree).astype(float)
