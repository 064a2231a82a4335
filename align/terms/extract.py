"""Glossary extraction: the recurring English terms of the memory with their Chinese renderings.

Candidates are English word n-grams (2–6 words, no function word at either edge) that occur in at
least `min_count` units, plus capitalised names (Belt and Road Initiative) seen at least once; an
n-gram inside a longer candidate that occurs just as often is dropped (the longer one is the term).
Each candidate's rendering is the best `lookup` answer above `min_score`, and the English of the pair
is the best `lookup` of that rendering back (so both sides are whole terms as the same sub-sentence
alignment cuts them: "Secretary Xi Jinping" → 习近平总书记 → "General Secretary Xi Jinping").
Single capitalised words inside sentences (Moses, Ukraine) are candidates when they recur.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from align.score.lexicon import STOPWORDS
from align.store.memory import Memory
from align.terms.links import shaped_like_term
from align.terms.lookup import Rendering, lookup

_WORD = re.compile(r"[A-Za-z][A-Za-z'-]*|\d+")
# words that may sit inside a term but never at its edge
_INNER = frozenset({"of", "and", "with", "for", "the", "a", "in", "on", "to"})


@dataclass(frozen=True)
class GlossaryEntry:
    english: str
    chinese: str
    frequency: int
    score: float
    example_en: str
    example_zh: str


def _is_name(words: list[str]) -> bool:
    content = [w for w in words if w.lower() not in _INNER]
    return len(content) >= 2 and all(w[0].isupper() for w in content)


def _candidates(texts: list[str], min_count: int, longest: int = 6) -> Counter:
    counts: Counter = Counter()
    names: set[str] = set()
    for text in texts:
        seen = set()
        for clause in re.split(r"[,.;:!?()\"“”]", text):
            words = _WORD.findall(clause)
            for start in range(len(words)):
                for end in range(start + 2, min(len(words), start + longest) + 1):
                    piece = words[start:end]
                    if piece[0].lower() in STOPWORDS or piece[-1].lower() in STOPWORDS:
                        continue
                    if any(w.lower() in STOPWORDS and w.lower() not in _INNER for w in piece) or not shaped_like_term(piece):
                        continue
                    phrase = " ".join(piece)
                    seen.add(phrase)
                    if _is_name(piece) and start > 0:  # a sentence-initial capital is not a name
                        names.add(phrase)
            for start, word in enumerate(words):
                if start > 0 and word[0].isupper() and word.lower() not in STOPWORDS:
                    seen.add(word)  # a recurring proper name
        counts.update(seen)
    kept = Counter({p: c for p, c in counts.items() if c >= min_count or p in names})
    # closedness: drop an n-gram when a longer kept n-gram containing it is just as frequent
    return Counter({p: c for p, c in kept.items()
                    if not any(c == kept[q] and len(q) > len(p) and f" {p} " in f" {q} " for q in kept)})


def extract_glossary(memory: Memory, min_count: int = 2, min_score: float = 0.3, limit: int = 200) -> list[GlossaryEntry]:
    """The recurring terms of the memory with their renderings, most frequent first (at most `limit`)."""
    texts = [unit.en for unit in memory.units()]
    entries: dict[tuple[str, str], GlossaryEntry] = {}
    for phrase, frequency in _candidates(texts, min_count).most_common():
        renderings: list[Rendering] = lookup(memory, phrase, limit=1)
        if not renderings or renderings[0].score < min_score:
            continue
        best = renderings[0]
        back = lookup(memory, best.text, limit=1)
        english = phrase
        whole = back[0].text if back and back[0].score >= min_score else phrase
        if (phrase.lower() in whole.lower() and whole.lower() != phrase.lower()  # only ever grows to the whole term
                and shaped_like_term(whole.split())):
            english = whole
            frequency = memory.count_matches(english)
        key = (english.lower(), best.text)
        if key not in entries or entries[key].score < best.score:
            entries[key] = GlossaryEntry(english, best.text, frequency, best.score, best.example.en, best.example.zh)
        if len(entries) >= limit:
            break
    return sorted(entries.values(), key=lambda e: (-e.frequency, -e.score, e.english.lower()))
