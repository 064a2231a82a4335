"""The length signal: Gale–Church's normal model of how span lengths correspond across languages.

Lengths are characters of the text without white space; the expected ratio between the sides is
the document's own ratio, so the model needs no per-language-pair constant: its total ratio, or, given the
first and last sentence pairs that surely correspond, the ratio of the text between them and of the text
outside them that has something on the other side there (`paired_ratio`).
"""

from __future__ import annotations

import numpy as np

# Gale & Church (1993): variance of the target length per source unit.
VARIANCE = 6.8


def log_erfc(x: np.ndarray) -> np.ndarray:
    """log(erfc(x)) for x ≥ 0, without underflow (Numerical Recipes' erfcc, rel. error < 1.2e-7)."""
    x = np.asarray(x, dtype=np.float64)
    t = 1.0 / (1.0 + 0.5 * x)
    poly = -1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806 + t * (
        0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277))))))))
    return np.log(t) - x * x + poly


def text_length(text: str) -> int:
    """Characters other than white space (str.split's white space is str.isspace's)."""
    return len("".join(text.split()))


def paired_ratio(src_cum: np.ndarray, tgt_cum: np.ndarray, first: tuple[int, int] | None = None,
                 last: tuple[int, int] | None = None) -> float:
    """The expected target length per source character: the total ratio of both sides' cumulative lengths
    (`src_cum`, `tgt_cum`, starting at 0), without the text before `first` (the start (i, j) of the first
    pair of sentences that surely correspond) when only one side has text there, and likewise after `last`
    (the end of the last such pair). A paragraph or an answer one version lacks at the start or the end of a
    short text is a large share of one side: counted, it makes a unit that glues it to its neighbour the one
    of the expected length, and the right units look too short. 1.0 when a side is empty."""
    start, stop = [0, 0], [len(src_cum) - 1, len(tgt_cum) - 1]
    if first is not None and (first[0] == 0) != (first[1] == 0):
        start = list(first)
    if last is not None and (last[0] == stop[0]) != (last[1] == stop[1]):
        stop = list(last)
    src, tgt = src_cum[stop[0]] - src_cum[start[0]], tgt_cum[stop[1]] - tgt_cum[start[1]]
    return tgt / src if src and tgt else 1.0


class LengthModel:
    """Cumulative lengths of both sides plus the ratio (`paired_ratio`, given the first and last sure pairs);
    scores spans in vectorised form."""

    def __init__(self, src_lengths: np.ndarray, tgt_lengths: np.ndarray, variance: float = VARIANCE,
                 first: tuple[int, int] | None = None, last: tuple[int, int] | None = None):
        self.src_cum = np.concatenate(([0.0], np.cumsum(src_lengths, dtype=np.float64)))
        self.tgt_cum = np.concatenate(([0.0], np.cumsum(tgt_lengths, dtype=np.float64)))
        self.ratio = paired_ratio(self.src_cum, self.tgt_cum, first, last)
        self.variance = variance
        self.n_src, self.n_tgt = len(src_lengths), len(tgt_lengths)

    def spans(self, a: int, b: int, i: int, js: np.ndarray) -> tuple[float, np.ndarray]:
        src = self.src_cum[i] - self.src_cum[i - a]
        tgt = self.tgt_cum[js] - self.tgt_cum[js - b]
        return src, tgt

    def deviation(self, a: int, b: int, i: int, js: np.ndarray) -> np.ndarray:
        """Standardised deviation of the target span's length from the expected length: below 0 when the
        target is shorter than the source predicts."""
        src, tgt = self.spans(a, b, i, js)
        expected_src = (src + tgt / self.ratio) / 2.0
        return (tgt - src * self.ratio) / np.sqrt(self.variance * self.ratio * np.maximum(expected_src, 1.0))

    def z(self, a: int, b: int, i: int, js: np.ndarray) -> np.ndarray:
        """Standardised length deviation of the target span from the expected length, either way."""
        return np.abs(self.deviation(a, b, i, js))

    def log_match(self, a: int, b: int, i: int, js: np.ndarray) -> np.ndarray:
        """log P(|δ| ≥ observed): the two-sided tail of the standard normal."""
        return log_erfc(self.z(a, b, i, js) / np.sqrt(2.0))
