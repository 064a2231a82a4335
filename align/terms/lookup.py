"""Term lookup: the renderings of an English term in Chinese (or the reverse) found inside aligned units.

For every unit containing the term, candidate spans of the other side are runs of 1–5 jieba words
(Chinese) or 1–6 words (English). A span scores by consistency (share of the term's units that
contain it), specificity (the estimated share of the span's units that contain the term, against a
fixed random sample of the memory) and CC-CEDICT evidence (how much of the term its glosses cover,
minus words that translate nothing in the term).
"""

from __future__ import annotations

import math
import re
from collections import defaultdict
from dataclasses import dataclass

from align.errors import InputError
from align.ingest.language import han_ratio
from align.score.lexicon import STOPWORDS, cedict, english_stems, segmenter
from align.store.memory import Memory, StoredUnit

_EN_WORD = re.compile(r"[A-Za-z][A-Za-z'-]*|\d+")
_PUNCT_ZH = re.compile(r"^[\W_]+$")
# Particles and function words that never start or end a rendering.
_ZH_EDGE_WORDS = frozenset("的 了 是 在 和 与 也 就 都 而 及 或 之 其 这 那 有 为 以 于 把 被 让 给 对 向 从 到 已 将 并".split())


@dataclass(frozen=True)
class Rendering:
    text: str
    count: int
    score: float
    example: StoredUnit

    def as_dict(self) -> dict:
        return {"rendering": self.text, "count": self.count, "score": round(self.score, 3),
                "example": {"id": self.example.id, "en": self.example.en, "zh": self.example.zh,
                            "document": self.example.document, "confidence": self.example.confidence}}


def _zh_spans(text: str, longest: int = 5) -> set[str]:
    # quotation marks are transparent: 共建“一带一路”倡议 holds the span 一带一路倡议
    words = segmenter().lcut(re.sub(r"[“”‘’「」『』\"]", "", text))
    spans = set()
    for start in range(len(words)):
        for end in range(start + 1, min(len(words), start + longest) + 1):
            piece = words[start:end]
            if any(_PUNCT_ZH.match(w) or not w.strip() for w in piece):
                break
            if piece[0] in _ZH_EDGE_WORDS or piece[-1] in _ZH_EDGE_WORDS:
                continue  # 中国外交政策的 is not a rendering; 中国外交政策 is
            spans.add("".join(piece))
    return spans


def _en_spans(text: str, longest: int = 6) -> set[str]:
    spans = set()
    for clause in re.split(r"[,.;:!?()\"“”]", text):
        words = _EN_WORD.findall(clause)
        for start in range(len(words)):
            for end in range(start + 1, min(len(words), start + longest) + 1):
                # a rendering neither starts nor ends with a function word ("a", "of the")
                if words[start].lower() in STOPWORDS or words[end - 1].lower() in STOPWORDS:
                    continue
                spans.add(" ".join(words[start:end]))
    return spans


def _zh_glosses(span: str) -> list[frozenset[str]]:
    table = cedict()
    if span in table:  # a dictionary headword that jieba would split (一带一路)
        return [table[span]]
    return [table.get(w, frozenset()) for w in segmenter().lcut(span) if w.strip()]


def _evidence(term: str, span: str, term_is_english: bool) -> float:
    """How well the dictionary connects span and term: coverage of the term minus unexplained words."""
    english, chinese = (term, span) if term_is_english else (span, term)
    stems = english_stems(english)
    glosses = _zh_glosses(chinese)
    if not stems or not glosses:
        return 0.0
    covered = sum(1 for s in stems if any(s in g for g in glosses)) / len(stems)
    unexplained = sum(1 for g in glosses if g.isdisjoint(stems)) / len(glosses)
    return covered - 0.5 * unexplained


def lookup(memory: Memory, term: str, limit: int = 5, sample: int = 60, candidates: int = 15) -> list[Rendering]:
    """Renderings of `term`, best first. Works on a sample of the units holding the term (the first
    found), and scores the most frequent candidate spans of that sample. InputError for a term without
    a letter, digit or character (punctuation alone matches everything and means nothing)."""
    term = term.strip()
    if not re.search(r"[^\W_]", term):
        raise InputError(f"{term!r}: nothing to look up; give an English or Chinese word or phrase")
    term_is_english = han_ratio(term) <= 0.5
    units = memory.search(term, limit=sample, ranked=False)
    if not units:
        return []
    term_share = memory.count_matches(term) / max(1, memory.count())
    background = memory.sample()
    spans_of = _zh_spans if term_is_english else _en_spans
    containing: dict[str, list[StoredUnit]] = defaultdict(list)
    for unit in units:
        for span in spans_of(unit.zh if term_is_english else unit.en):
            containing[span].append(unit)
    scored = []
    for span, holders in containing.items():
        evidence = _evidence(term, span, term_is_english)
        if evidence > -0.5:
            scored.append((len(holders), evidence, span))
    scored.sort(key=lambda item: (-item[0], -item[1], item[2]))
    results = []
    for count, evidence, span in scored[:candidates]:
        consistency = count / len(units)
        # P(term | span) = P(span | term) P(term) / P(span), P(span) from the background sample
        in_background = sum(1 for u in background if span in (u.zh if term_is_english else u.en))
        span_share = (in_background + 0.5) / (len(background) + 1)
        specificity = min(1.0, consistency * term_share / span_share) if len(span) >= 2 else 0.1
        score = consistency * math.sqrt(specificity) * (1.0 + evidence) / 2
        if score <= 0:
            continue
        example = max(containing[span], key=lambda u: (u.confidence or 0.0, -len(u.en)))
        results.append(Rendering(span, count, min(1.0, score), example))
    results.sort(key=lambda r: (-r.score, -r.count, r.text))
    return results[:limit]
