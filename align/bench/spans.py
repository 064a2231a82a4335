"""`bench spans`: USE encodings of multi-sentence spans composed from the sentence pass
(`score/use_network.py`) against the package's own encoding of the joined texts, and the tokens the default
aligner runs through USE on the Bible set.

Agreement: every span of 2–4 sentences of MAC-Dev's chapters and of the Bible set, each side joined as the
aligner joins it (Chinese without a space, English with one); the cosine of the composed vector to the
package's, its minimum, 1st percentile and median, beside the same figures for the sum of the sentences'
token features with the joins ignored. Work: the Bible aligned as `bench speed` aligns it (English first),
the tokens of its sentence pass and of pass 3's spans run through the network, beside the tokens of those
span texts (what encoding them as texts ran), and the strict F1 of that alignment against the verse gold.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

from align.aligners import get_aligner
from align.aligners.ladder import read_ladder
from align.errors import InputError
from align.evaluate import Scores, score_alignments
from align.ingest import read_lines

SIZES = (2, 3, 4)


@dataclass(frozen=True)
class Agreement:
    """Cosines of composed span vectors to the package's encodings of the same texts (and of the sums of
    the sentences' features with the joins ignored)."""

    corpus: str
    side: str
    spans: int
    cosines: tuple[float, float, float]          # min, 1st percentile, median
    joins_ignored: tuple[float, float, float]

    def as_dict(self) -> dict:
        return {"corpus": self.corpus, "side": self.side, "spans": self.spans,
                "cosine_min_p1_median": [round(c, 7) for c in self.cosines],
                "joins_ignored_min_p1_median": [round(c, 7) for c in self.joins_ignored]}


@dataclass(frozen=True)
class SpansReport:
    agreement: tuple[Agreement, ...]
    sentence_tokens: int        # the Bible's sentence pass
    span_text_tokens: int       # the span texts pass 3 asked for, as texts
    span_tokens: int            # what composing them ran
    scores: Scores

    def as_dict(self) -> dict:
        return {"agreement": [a.as_dict() for a in self.agreement],
                "bible_sentence_tokens": self.sentence_tokens, "bible_pass3_span_text_tokens": self.span_text_tokens,
                "bible_pass3_tokens_run": self.span_tokens,
                "bible_pass3_tokens_ratio": round(self.span_text_tokens / max(1, self.span_tokens), 2),
                "bible_scores": self.scores.as_dict()}


def _figures(cosines: np.ndarray) -> tuple[float, float, float]:
    return float(cosines.min()), float(np.percentile(cosines, 1)), float(np.median(cosines))


def agreement(corpus: str, documents: list[tuple[list[str], list[str]]]) -> list[Agreement]:
    """Composed against the package's encodings for every span of SIZES sentences of each side of
    `documents` (Chinese, English)."""
    from align.score.embed import USEEncoder

    encoder = USEEncoder()
    rows = []
    for side, joiner in (("zh", ""), ("en", " ")):
        spans, texts = [], []
        for document in documents:
            sentences = document[side == "en"]
            parts = encoder.encode_parts(sentences)[1]
            for n in SIZES:
                for k in range(len(sentences) - n + 1):
                    spans.append(parts[k:k + n])
                    texts.append(joiner.join(sentences[k:k + n]))
        composed = encoder.compose_spans(spans, texts)
        package = np.concatenate([encoder.package.encode(texts[i:i + 256]) for i in range(0, len(texts), 256)])
        ignored = encoder.network.finish(np.array([sum(p.sums.sum(axis=0) for p in span) for span in spans]),
                                         np.array([sum(len(p.ids) for p in span) for span in spans]))
        rows.append(Agreement(corpus, side, len(spans), _figures((composed * package).sum(axis=1)),
                              _figures((ignored * package).sum(axis=1))))
    return rows


def spans(data: Path) -> SpansReport:
    """Agreement on MAC-Dev and the Bible set, and the Bible's tokens and strict F1 (read from `data`)."""
    mac_dev, bible = data / "mac-dev", data / "bible"
    if not (mac_dev / "gold").is_dir() or not (bible / "gold").is_dir():
        raise InputError(f"{data}: MAC-Dev or the Bible set not found (expected mac-dev/gold/ and bible/gold/)")
    from align.score.embed import forget_vectors, get_encoder

    chapters = [(read_lines(mac_dev / "zh" / f"{g.stem}.zh"), read_lines(mac_dev / "en" / f"{g.stem}.en"))
                for g in sorted((mac_dev / "gold").glob("*.align"))]
    en, zh = read_lines(bible / "en" / "001.en"), read_lines(bible / "zh" / "001.zh")
    rows = agreement("mac-dev", chapters) + agreement("bible", [(zh, en)])

    forget_vectors()
    network = get_encoder("use").encoder.network
    before = network.sentence_tokens, network.span_text_tokens, network.span_tokens
    beads = get_aligner(None).align(en, zh, "en", "zh")
    after = network.sentence_tokens, network.span_text_tokens, network.span_tokens
    scores = score_alignments([(read_ladder(bible / "gold" / "001.align"), beads)])
    return SpansReport(tuple(rows), *(b - a for a, b in zip(before, after)), scores)
