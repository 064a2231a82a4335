"""Span-level features from sentence-level matrices, summed over each bead's at most 6 × 6 sentence pairs.

A bead joins source sentences [i-a, i) with target sentences [j-b, j). Its embedding similarity
is the cosine of the two span sums (so multi-sentence spans need no extra encoder pass), its
lexical coverage the pooled hit counts over the block, its CSLS margin the cosine minus the mean
neighbourhood similarity of its sentences. The sentence similarity matrix is the one n × m array made; what
is read from all of it (each sentence's hubness and nearest neighbour) is computed in compiled passes over
it, so no other n × m array is made, and a search in a band reads the band's similarities only, kept apart
(`SpanFeatures.in_band`). Counts that are zero outside a band (the lexicon's) are stored in the band only
(`RowBand`).
"""

from __future__ import annotations

import copy
from dataclasses import dataclass

import numpy as np
from numba import njit


def prefix1d(values: np.ndarray) -> np.ndarray:
    return np.concatenate(([0.0], np.cumsum(values, dtype=np.float64)))


@dataclass(frozen=True)
class RowBand:
    """An n × m matrix that is zero outside a band: row r stores only its columns first[r] .. first[r] +
    (offset[r + 1] - offset[r]) - 1, one after the other in `values` from offset[r]. Memory and work grow with
    the band, not with n × m (a dense matrix numpy backs with huge pages is resident and zeroed whole, however
    few of its cells are written)."""

    values: np.ndarray
    first: np.ndarray
    offset: np.ndarray
    shape: tuple[int, int]

    @classmethod
    def zeros(cls, first: np.ndarray, stop: np.ndarray, n_columns: int, dtype) -> "RowBand":
        """Row r's columns [first[r], stop[r]) stored, all zero."""
        first = np.asarray(first, dtype=np.int64)
        offset = np.concatenate(([0], np.cumsum(np.maximum(np.asarray(stop, dtype=np.int64) - first, 0)))).astype(np.int64)
        return cls(np.zeros(int(offset[-1]), dtype=dtype), first, offset, (len(first), n_columns))

    @classmethod
    def over(cls, columns: tuple[np.ndarray, np.ndarray] | None, n_rows: int, n_columns: int, dtype) -> "RowBand":
        """Zeros over each row's columns [first, stop) of `columns` (a band), or over every cell when None."""
        if columns is None:
            columns = np.zeros(n_rows, dtype=np.int64), np.full(n_rows, n_columns, dtype=np.int64)
        return cls.zeros(*columns, n_columns, dtype)

    @property
    def stop(self) -> np.ndarray:
        """Each row's end: its stored columns are [first, stop)."""
        return self.first + np.diff(self.offset)

    @classmethod
    def of(cls, dense: np.ndarray, first: np.ndarray, stop: np.ndarray) -> "RowBand":
        """Row r's columns [first[r], stop[r]) of `dense`, copied."""
        band = cls.zeros(first, stop, dense.shape[1], dense.dtype)
        band.values[:] = dense[band.cells()]
        return band

    def cells(self) -> tuple[np.ndarray, np.ndarray]:
        """Row and column of every stored cell, in the order of `values`."""
        widths = np.diff(self.offset)
        rows = np.repeat(np.arange(len(self.first), dtype=np.int64), widths)
        return rows, np.arange(len(self.values), dtype=np.int64) - np.repeat(self.offset[:-1] - self.first, widths)

    def __array__(self, dtype=None, copy=None) -> np.ndarray:
        dense = np.zeros(self.shape, dtype=dtype or self.values.dtype)
        dense[self.cells()] = self.values
        return dense


def bead_ends(i, js) -> tuple[np.ndarray, np.ndarray]:
    """Each bead's end row and end column (`i` one row or one per bead, `js` the columns) as contiguous int64
    arrays of one length: the one signature the compiled loops over beads are built for."""
    js = np.ascontiguousarray(js, dtype=np.int64)
    return np.ascontiguousarray(np.broadcast_to(np.asarray(i, dtype=np.int64), js.shape)), js


def block_sum(matrix, a: int, b: int, i, js: np.ndarray, dtype=np.float64, strict: bool = False) -> np.ndarray:
    """matrix[i-a:i, j-b:j].sum() for every j in js (`i` one row or one per j), summed in `dtype` over the
    block's a × b entries: as exact as 2-D prefix sums (integers: the same; floats: closer to the true sum),
    and no n × m prefix matrix to build. A compiled loop adds the entries in the order of the numpy code it
    replaced (rows i-1 .. i-a, in each the columns j-1 .. j-b; tests/test_cost_work.py keeps that code), with
    no gathered copy of each entry. `matrix` is an array or a `RowBand` (whose cells outside the band add
    nothing: the same sums for integers; with `strict` an entry outside them raises)."""
    rows, js = bead_ends(i, js)
    total = np.zeros(len(js), dtype=dtype)
    if isinstance(matrix, RowBand):
        outside = _add_band_blocks(matrix.values, matrix.first, matrix.offset, a, b, rows, js, total)
        if outside and strict:
            raise ValueError(f"{outside} entries of {a}-{b} beads lie outside the stored band")
    else:
        _add_blocks(matrix, a, b, rows, js, total)
    return total


@njit(cache=True)
def _add_blocks(matrix, a, b, rows, columns, total):
    for k in range(len(columns)):
        value = total[k]
        for r in range(1, a + 1):
            for c in range(1, b + 1):
                value += matrix[rows[k] - r, columns[k] - c]
        total[k] = value


@njit(cache=True)
def _add_band_blocks(values, first, offset, a, b, rows, columns, total):
    """`_add_blocks` over a RowBand's stored cells; returns how many entries lay outside them (added as 0)."""
    outside = 0
    for k in range(len(columns)):
        total[k], missed = band_block(values, first, offset, a, b, rows[k], columns[k], total[k])
        outside += missed
    return outside


@njit(cache=True, inline="always")     # inlined into the loops over beads: no call per bead
def band_block(values, first, offset, a, b, i, j, value):
    """`value` plus the RowBand's stored entries of the block [i-a, i) × [j-b, j), added rows i-1 .. i-a, in each
    the columns j-1 .. j-b; and how many entries of the block lie outside the stored cells (added as 0)."""
    outside = 0
    for r in range(1, a + 1):
        row = i - r
        start, width = first[row], offset[row + 1] - offset[row]
        for c in range(1, b + 1):
            column = j - c - start
            if 0 <= column < width:
                value += values[offset[row] + column]
            else:
                outside += 1
    return value, outside


def hubness(sim: np.ndarray, k_rows: int, k_cols: int) -> tuple[np.ndarray, np.ndarray]:
    """The mean of the k_rows largest values of each row of `sim` and of the k_cols largest of each column, in one
    compiled pass over `sim` (`_top_means`), with no copy of it. Each mean is the float32 sum of the k values from
    the largest down, divided by k: the arithmetic of `-np.partition(-rows, k - 1, axis=1)[:, :k].mean(axis=1)`,
    whose partition leaves the k in that order (numpy 2.4), so the same values bit for bit
    (tests/test_cost_work.py and tests/test_span_features.py keep the partitioning code)."""
    n, m = sim.shape
    src_hub, tgt_hub = np.empty(n, dtype=sim.dtype), np.empty(m, dtype=sim.dtype)
    if n and m:
        _top_means(sim, k_rows, k_cols, src_hub, tgt_hub)
    return src_hub, tgt_hub


@njit(cache=True)
def _top_means(sim, k_rows, k_cols, src_hub, tgt_hub):
    n, m = sim.shape
    row_top = np.empty(k_rows, dtype=sim.dtype)
    column_top = np.full((m, k_cols), -np.inf, dtype=sim.dtype)
    for r in range(n):
        row_top[:] = -np.inf
        for c in range(m):
            value = sim[r, c]
            if value > row_top[k_rows - 1]:
                _insert_descending(row_top, value)
            if value > column_top[c, k_cols - 1]:
                _insert_descending(column_top[c], value)
        src_hub[r] = _sum_in_order(row_top) / np.float32(k_rows)
    for c in range(m):
        tgt_hub[c] = _sum_in_order(column_top[c]) / np.float32(k_cols)


@njit(cache=True)
def _insert_descending(top, value):
    """Put `value` into `top` (sorted from the largest down), dropping its last value."""
    t = len(top) - 1
    while t > 0 and top[t - 1] < value:
        top[t] = top[t - 1]
        t -= 1
    top[t] = value


@njit(cache=True)
def _sum_in_order(values):
    total = values[0]
    for t in range(1, len(values)):
        total += values[t]
    return total


# How many of each sentence's best matches `SpanFeatures.elsewhere` keeps: one more than a bead's largest side.
TOP_ELSEWHERE = 7


def _empty_top(count: int, dtype) -> np.ndarray:
    return np.full((count, TOP_ELSEWHERE), -np.inf, dtype=dtype)


@njit(cache=True)
def _top_margins(sim, src_half_hub, tgt_half_hub, top_src, top_src_at, top_tgt, top_tgt_at):
    """Each row's and each column's largest CSLS margins (sim - src_hub / 2) - tgt_hub / 2, from the largest
    down, and where they lie (of equal ones, the first found first), in one pass over `sim`: float32 operations as
    numpy did them on blocks of rows (tests/test_cost_work.py); the arrays come in at -inf / -1."""
    n, m = sim.shape
    for r in range(n):
        hub = src_half_hub[r]
        for c in range(m):
            value = (sim[r, c] - hub) - tgt_half_hub[c]
            if value > top_src[r, -1]:
                _insert_at(top_src[r], top_src_at[r], value, c)
            if value > top_tgt[c, -1]:
                _insert_at(top_tgt[c], top_tgt_at[c], value, r)


@njit(cache=True)
def _insert_at(top, at, value, where):
    """Put `value` (found at `where`) into `top` (sorted from the largest down, `at` beside it), dropping the last."""
    t = len(top) - 1
    while t > 0 and top[t - 1] < value:
        top[t], at[t] = top[t - 1], at[t - 1]
        t -= 1
    top[t], at[t] = value, where


@njit(cache=True)
def _best_outside(top, top_at, sentence, first, stop, out):
    """out[k]: the best of sentence[k]'s margins in `top` (sorted from the largest down) whose place in `top_at`
    lies outside [first[k], stop[k]): the first such, since they are sorted; -inf when every one lies inside."""
    for k in range(len(sentence)):
        best = -np.inf
        for t in range(top.shape[1]):
            where = top_at[sentence[k], t]
            if where < first[k] or where >= stop[k]:
                best = top[sentence[k], t]
                break
        out[k] = best


# The squared norm below which a sum of (unit) sentence vectors counts as zero.
VANISHED = 1e-6


def span_norms(vectors: np.ndarray, max_span: int) -> np.ndarray:
    """norms[k, e] = ‖sum of vectors[e-k:e]‖ for spans of k sentences ending before e (0 where invalid, infinite
    where the vectors cancel)."""
    n = len(vectors)
    norms = np.zeros((max_span + 1, n + 1))
    # dots[d][p] = v_p · v_{p+d}
    dots = [np.einsum("ij,ij->i", vectors[: n - d], vectors[d:]) if d < n else np.zeros(0) for d in range(max_span)]
    for k in range(1, max_span + 1):
        if k > n:
            break
        squared = np.zeros(n - k + 1)
        for d in range(k):
            window = k - d  # pairs (p, p+d) inside a span of k: k-d of them
            cums = prefix1d(dots[d])
            squared += (1 if d == 0 else 2) * (cums[window: window + n - k + 1] - cums[: n - k + 1])
        # A span whose vectors cancel has no direction: a side of two sentences, centred (`centre`), is two
        # opposite vectors, and a cosine over their sum's norm of ~1e-6 was float noise (from -1,863 to 4,657 for
        # a 2-2 over a two-sentence turn, so that the route depended on what the process had encoded before). An
        # infinite norm gives such a span a cosine of 0.
        norms[k, k:] = np.where(squared > VANISHED, np.sqrt(np.maximum(squared, VANISHED)), np.inf)
    return norms


def centre(vectors: np.ndarray, mean: np.ndarray | None = None) -> np.ndarray:
    """Remove the document's mean direction and renormalise: e5 vectors share a large common
    component (raw cosines of unrelated sentences are ~0.75), which makes span sums look alike."""
    if mean is None:
        if len(vectors) < 2:
            return vectors
        mean = vectors.mean(axis=0)
    centred = vectors - mean
    return centred / np.maximum(np.linalg.norm(centred, axis=1, keepdims=True), 1e-9)


class EncodedSpans:
    """Real encodings of some multi-sentence spans of one side: vectors[n][start] where known[n][start]."""

    def __init__(self, sentence_vectors: np.ndarray, max_span: int):
        self.mean = sentence_vectors.mean(axis=0) if len(sentence_vectors) > 1 else np.zeros(sentence_vectors.shape[1])
        count, dim = sentence_vectors.shape
        self.vectors = {1: centre(sentence_vectors, self.mean)}
        self.known = {1: np.ones(count, dtype=bool)}
        for n in range(2, max_span + 1):
            self.vectors[n] = np.zeros((max(count - n + 1, 0), dim), dtype=np.float32)
            self.known[n] = np.zeros(max(count - n + 1, 0), dtype=bool)

    def add(self, n: int, starts: list[int], vectors: np.ndarray) -> None:
        self.vectors[n][starts] = centre(vectors, self.mean)
        self.known[n][starts] = True


class SpanFeatures:
    """Everything a bead scorer needs, precomputed for one document pair."""

    def __init__(self, src_vectors: np.ndarray, tgt_vectors: np.ndarray, max_src: int, max_tgt: int,
                 neighbours: int = 4):
        self.n_src, self.n_tgt = len(src_vectors), len(tgt_vectors)
        src_vectors, tgt_vectors = centre(src_vectors), centre(tgt_vectors)
        self.sim = sim = src_vectors @ tgt_vectors.T
        self.src_norms = span_norms(src_vectors, max_src)
        self.tgt_norms = span_norms(tgt_vectors, max_tgt)
        n, m = self.n_src, self.n_tgt
        src_hub, tgt_hub = hubness(sim, min(neighbours, m), min(neighbours, n))
        self.src_hub, self.tgt_hub = prefix1d(src_hub), prefix1d(tgt_hub)
        self.src_hub_of, self.tgt_hub_of = src_hub, tgt_hub
        # each sentence's TOP_ELSEWHERE best CSLS margins to single sentences of the other side, from the best
        # down, and where they lie (-inf / -1 beyond the other side's length): `elsewhere` reads them
        self.top_src, self.top_src_at = _empty_top(n, sim.dtype), np.full((n, TOP_ELSEWHERE), -1, dtype=np.int64)
        self.top_tgt, self.top_tgt_at = _empty_top(m, sim.dtype), np.full((m, TOP_ELSEWHERE), -1, dtype=np.int64)
        # each sentence's best of them, and where it lies (the first best where several are equal): low for a
        # sentence the other version lacks
        self.nearest_src, self.best_src = np.zeros(n, dtype=np.int64), np.zeros(n, dtype=sim.dtype)
        self.nearest_tgt, self.best_tgt = np.zeros(m, dtype=np.int64), np.full(m, -np.inf, dtype=sim.dtype)
        if n and m:
            _top_margins(sim, src_hub / 2, tgt_hub / 2, self.top_src, self.top_src_at, self.top_tgt, self.top_tgt_at)
            self.nearest_src[:], self.best_src[:] = self.top_src_at[:, 0], self.top_src[:, 0]
            self.nearest_tgt[:], self.best_tgt[:] = self.top_tgt_at[:, 0], self.top_tgt[:, 0]
        self.src_spans: EncodedSpans | None = None
        self.tgt_spans: EncodedSpans | None = None

    def in_band(self, first: np.ndarray, stop: np.ndarray) -> "SpanFeatures":
        """These features with the similarities of row r's columns [first[r], stop[r]) only (a `RowBand`; a bead
        that reads outside them raises): a band's beads read its few cells close together instead of one
        cache line per row of a large matrix, and once no one keeps the whole, the n × m array is let go. The
        same values, so the same sums."""
        banded = copy.copy(self)
        banded.sim = RowBand.of(np.asarray(self.sim), first, stop)
        return banded

    def use_encoded_spans(self, src_spans: EncodedSpans, tgt_spans: EncodedSpans) -> None:
        """From now on, a bead whose two spans both have real encodings is scored with those."""
        self.src_spans, self.tgt_spans = src_spans, tgt_spans

    def cosine(self, a: int, b: int, i, js: np.ndarray) -> np.ndarray:
        """`i` one row or one per bead (rows in increasing order, as a band's cells come)."""
        dot = block_sum(self.sim, a, b, i, js, strict=True)
        summed = dot / (self.src_norms[a, i] * self.tgt_norms[b, js])
        src, tgt = self.src_spans, self.tgt_spans
        if src is None or a not in src.known or b not in tgt.known or (a == 1 and b == 1):
            return summed
        rows = np.broadcast_to(i, np.shape(js))
        known = src.known[a][rows - a] & tgt.known[b][js - b]
        if not known.any():
            return summed
        # one product per source span over its row's cells, as when rows came one at a time (same float32 sums)
        out = summed.copy()
        row_starts = np.flatnonzero(np.r_[True, rows[1:] != rows[:-1]])
        for start, end in zip(row_starts, np.r_[row_starts[1:], len(rows)]):
            if known[start:end].any():
                row = int(rows[start])
                encoded = tgt.vectors[b][js[start:end] - b] @ src.vectors[a][row - a]
                out[start:end] = np.where(known[start:end], encoded, summed[start:end])
        return out

    def margin(self, a: int, b: int, i: int, js: np.ndarray) -> np.ndarray:
        hub = ((self.src_hub[i] - self.src_hub[i - a]) / a + (self.tgt_hub[js] - self.tgt_hub[js - b]) / b) / 2
        return self.cosine(a, b, i, js) - hub

    def weakest(self, a: int, b: int, i, js: np.ndarray) -> np.ndarray:
        """The lowest margin of one of the bead's sentences to the whole other side of the bead
        (`sentence_margins`): low when a sentence of a 1-6 / 6-1 bead has nothing to do with the other side,
        the margin itself for a 1-1."""
        return self.sentence_margins(a, b, i, js).min(axis=0)

    def sentence_margins(self, a: int, b: int, i, js: np.ndarray) -> np.ndarray:
        """Each of the bead's sentences' margin to the whole other side of the bead (its cosine to the other
        span's vector sum, minus the two sides' hubness): one row per sentence, the `a` source sentences first
        (last one first), then the `b` target sentences (last one first); one column per bead."""
        src_hub = (self.src_hub[i] - self.src_hub[i - a]) / a
        tgt_hub = (self.tgt_hub[js] - self.tgt_hub[js - b]) / b
        out = np.empty((a + b,) + np.shape(js))
        for r in range(1, a + 1):
            cos = block_sum(self.sim, 1, b, i - r + 1, js, strict=True) / self.tgt_norms[b, js]
            out[r - 1] = cos - (self.src_hub_of[i - r] + tgt_hub) / 2
        for c in range(1, b + 1):
            cos = block_sum(self.sim, a, 1, i, js - c + 1, strict=True) / self.src_norms[a, i]
            out[a + c - 1] = cos - (src_hub + self.tgt_hub_of[js - c]) / 2
        return out

    def elsewhere(self, a: int, b: int, i, js: np.ndarray) -> np.ndarray:
        """Each of the bead's sentences' best CSLS margin to a single sentence of the other side outside the bead
        (-inf where the other side has none), in the rows of `sentence_margins`: what the sentence would match if it
        were not in this bead. A bead holds at most TOP_ELSEWHERE - 1 sentences a side, so one of each sentence's
        TOP_ELSEWHERE best lies outside it."""
        js = np.asarray(js)
        shape = js.shape
        rows = np.ascontiguousarray(np.broadcast_to(i, shape)).ravel()
        js = np.ascontiguousarray(js).ravel()
        out = np.empty((a + b, js.size))
        for r in range(1, a + 1):
            _best_outside(self.top_src, self.top_src_at, rows - r, js - b, js, out[r - 1])
        for c in range(1, b + 1):
            _best_outside(self.top_tgt, self.top_tgt_at, js - c, rows - a, rows, out[a + c - 1])
        return out.reshape((a + b,) + shape)
