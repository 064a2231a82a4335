"""Numbers as anchors: how far the quantities of a bead's two sides agree, for the bead cost.

Each sentence's quantities are read once by `align.score.quantities` (1.2万 = 12,000, 第十六次 = 16th,
二〇二二年十月三十一日 = October 31, 2022 …) and kept as a multiset of keys. For the sentence pairs a search
can put in one bead (the columns of its band, or every pair of a small input) that share a key, the size of
their keys' multiset intersection is kept in a sparse table; no n × m array is made, and the work grows
with the pairs of quantity-bearing sentences inside the band, not with the text's square. A bead's
`matched` quantities are the sum of that table over its at most 6 × 6 sentence pairs (capped by each
side's count: the multiset intersection of the two sides, but for a key repeated on both sides over
several sentences); `unmatched` is the share of the bead's quantities without an equal on the other side,
counted only when both sides state some (a Chinese 一个 is often an English "a"; a sentence that states no
number says nothing).
"""

from __future__ import annotations

from collections import Counter
from decimal import Decimal

import numpy as np
from numba import njit

from align.aligners.spans import RowBand, band_block, bead_ends, prefix1d
from align.score.quantities import Quantity, quantities


def key(quantity: Quantity) -> tuple:
    """What two quantities share when they are the same (`quantities.same`; a date's year is left out, so a
    date with a year and one without agree): a number, a percentage and an ordinal of one value are one key."""
    if quantity.kind == "date":
        return ("date", *quantity.value[1:])
    return ("value", Decimal(quantity.value).normalize())


def sentence_keys(sentences: list[str], lang: str) -> list[Counter]:
    """The multiset of quantity keys of each sentence."""
    return [Counter(key(q) for q in quantities(s, lang)) for s in sentences]


class QuantityAgreement:
    """The quantities of both sides (Chinese first): each side's running count of quantities and, for the
    sentence pairs of `columns` (each row's English sentences [first, stop), a band; None: every pair), the size
    of their keys' multiset intersection, stored over those columns only (`shared`, a `spans.RowBand`)."""

    def __init__(self, zh: list[str], en: list[str], columns: tuple[np.ndarray, np.ndarray] | None = None):
        zh_keys, en_keys = sentence_keys(zh, "zh"), sentence_keys(en, "en")
        n, m = len(zh), len(en)
        self.zh_counts = prefix1d(np.array([sum(k.values()) for k in zh_keys], dtype=float))
        self.en_counts = prefix1d(np.array([sum(k.values()) for k in en_keys], dtype=float))
        self.shared = RowBand.over(columns, n, m, np.float32)
        listed: dict[tuple, list[int]] = {}
        for j, keys in enumerate(en_keys):
            for k in keys:
                listed.setdefault(k, []).append(j)
        stating = {k: np.array(js, dtype=np.int64) for k, js in listed.items()}   # English sentences, in order
        values, first, stop, offset = self.shared.values, self.shared.first, self.shared.stop, self.shared.offset
        for i, keys in enumerate(zh_keys):
            for k in keys:
                stated = stating.get(k)
                if stated is None:
                    continue
                for j in stated[np.searchsorted(stated, first[i]):np.searchsorted(stated, stop[i])].tolist():
                    values[offset[i] + j - first[i]] = sum((keys & en_keys[j]).values())

    def features(self, a: int, b: int, i, js: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(matched, unmatched) for every bead [i-a, i) × [j-b, j), j in js (`i` one row or one per bead):
        how many of the bead's quantities have an equal on its other side, and the share of its quantities
        without one when both sides state some (else 0)."""
        rows, js = bead_ends(i, js)
        matched, unmatched = np.zeros(len(js)), np.zeros(len(js))
        shared = self.shared
        _features(self.zh_counts, self.en_counts, shared.values, shared.first, shared.offset, a, b, rows, js,
                  matched, unmatched)
        return matched, unmatched


@njit(cache=True)
def _features(zh_counts, en_counts, values, first, offset, a, b, rows, columns, matched, unmatched):
    """`QuantityAgreement.features` bead by bead: the float64 operations of the numpy code it replaced
    (tests/test_cost_work.py keeps it), which gathered the beads whose two sides state quantities first."""
    for k in range(len(columns)):
        i, j = rows[k], columns[k]
        zh_n = zh_counts[i] - zh_counts[i - a]
        en_n = en_counts[j] - en_counts[j - b]
        if zh_n > 0 and en_n > 0:
            found, _ = band_block(values, first, offset, a, b, i, j, 0.0)
            found = min(found, min(zh_n, en_n))
            matched[k] = found
            unmatched[k] = 1.0 - 2.0 * found / (zh_n + en_n)
