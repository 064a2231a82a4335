"""The punctuation signal: questions, exclamations, quotations and trailing-off ellipses survive
translation, so a Chinese span and its English span carry about the same number of each.

Per sentence we count four marks on each side (Chinese ？！“”「」…… against English ?! quotes …);
a bead's signal is minus the L1 distance of its two spans' counts, capped, in O(1) per bead
through prefix sums (a compiled loop over the beads). It is strongest in dialogue, where a quote
opening or closing one sentence early or late is exactly the error the other signals miss.
"""

from __future__ import annotations

import re

import numpy as np
from numba import njit

from align.aligners.spans import bead_ends

# Chinese and English patterns of the same mark, in the same order.
_CHINESE_MARKS = (re.compile("[？?]"), re.compile("[！!]"), re.compile("[“”「」『』]"), re.compile("……|…"))
# An English single quote counts unless it sits between letters (an apostrophe: don't, Trinket's).
_ENGLISH_MARKS = (re.compile(r"\?"), re.compile("!"), re.compile(r"[\"“”‘’]|(?<![A-Za-z])'|'(?![A-Za-z])"),
                  re.compile(r"\.\s?\.\s?\.|…"))
# Beyond this many mismatched marks the evidence does not grow (long spans differ in a few anyway).
CAP = 3.0


def mark_counts(sentences: list[str], language: str) -> np.ndarray:
    """counts[s, k]: occurrences of mark k in sentence s."""
    patterns = _CHINESE_MARKS if language == "zh" else _ENGLISH_MARKS
    return np.array([[len(p.findall(s)) for p in patterns] for s in sentences], dtype=np.float64).reshape(
        len(sentences), len(patterns))


class PunctuationAgreement:
    """−min(CAP, Σ_k |zh_k − en_k|) for the bead joining zh sentences [i-a, i) and en sentences [j-b, j)."""

    def __init__(self, zh: list[str], en: list[str]):
        self.zh_prefix = np.vstack([np.zeros(len(_CHINESE_MARKS)), np.cumsum(mark_counts(zh, "zh"), axis=0)])
        self.en_prefix = np.vstack([np.zeros(len(_ENGLISH_MARKS)), np.cumsum(mark_counts(en, "en"), axis=0)])

    def agreement(self, a: int, b: int, i, js: np.ndarray) -> np.ndarray:
        """`i` one row or one per bead. The counts are whole numbers, so the compiled loop's sums are exact:
        the values of numpy's gathers and row sums it replaced (tests/test_cost_work.py keeps that code)."""
        rows, js = bead_ends(i, js)
        out = np.empty(len(js))
        _agreement(self.zh_prefix, self.en_prefix, a, b, rows, js, out)
        return out


@njit(cache=True)
def _agreement(zh_prefix, en_prefix, a, b, rows, columns, out):
    for k in range(len(columns)):
        i, j = rows[k], columns[k]
        total = 0.0
        for mark in range(zh_prefix.shape[1]):
            total += abs((en_prefix[j, mark] - en_prefix[j - b, mark]) - (zh_prefix[i, mark] - zh_prefix[i - a, mark]))
        out[k] = -min(total, CAP)
