"""Leverage analysis of a new document against the memory: how many segments and words fall in each
match band, as CAT tools report it (Trados "Analyze Files", memoQ statistics).

A segment that occurred earlier in the same file is a *repetition* (whatever its match: it is
translated once); every other segment falls in the band of its best fuzzy match. English counts
words, Chinese characters (a Latin word or a number inside Chinese counts as one); punctuation counts
nothing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from align.document import Document
from align.errors import InputError
from align.match.score import DEFAULT_SIMILARITY, normalize, tokens
from align.match.search import FuzzyMatch, fuzzy_matches
from align.store.memory import Memory

# (name, lowest percent, highest percent); the two without a range are decided otherwise
BANDS = (("repetitions", None, None), ("100%", 100, 100), ("95-99%", 95, 99), ("85-94%", 85, 94),
         ("75-84%", 75, 84), ("50-74%", 50, 74), ("no match", None, None))
LOWEST = 50
_WORD = re.compile(r"[^\W_]")


def band_of(percent: int | None) -> str:
    """The name of the band a match percentage falls in ('no match' for None or under 50)."""
    for name, low, high in BANDS:
        if low is not None and percent is not None and low <= percent <= high:
            return name
    return "no match"


def count_words(text: str, lang: str) -> int:
    """Words (English) or characters (Chinese; a Latin word or number counts as one) of `text`."""
    return sum(1 for token in tokens(text, lang) if _WORD.search(token))


@dataclass(frozen=True)
class Band:
    name: str
    segments: int
    words: int

    def as_dict(self) -> dict:
        return {"name": self.name, "segments": self.segments, "words": self.words}


@dataclass(frozen=True)
class Segment:
    """One segment of the new document with its band and best match (None for a repetition or no match)."""

    line: int
    text: str
    words: int
    band: str
    match: FuzzyMatch | None

    def as_dict(self) -> dict:
        return {"line": self.line, "text": self.text, "words": self.words, "band": self.band,
                "match": self.match.as_dict() if self.match else None}


@dataclass(frozen=True)
class Analysis:
    path: str
    lang: str
    unit: str                  # "words" (English) or "characters" (Chinese)
    bands: tuple[Band, ...]
    segments: tuple[Segment, ...]

    @property
    def total(self) -> Band:
        return Band("total", sum(b.segments for b in self.bands), sum(b.words for b in self.bands))

    def as_dict(self, details: bool = False) -> dict:
        result = {"path": self.path, "lang": self.lang, "unit": self.unit,
                  "bands": [b.as_dict() for b in self.bands], "total": self.total.as_dict()}
        if details:
            result["segments"] = [s.as_dict() for s in self.segments]
        return result


def load_new_document(path: Path) -> Document:
    """The document at `path` in its language (detected), segmented exactly as `run` segments it.
    InputError when it cannot be read or its language cannot be told."""
    from align.ingest import detect_language, document_from_text
    from align.ingest.formats import read_document

    path = Path(path)
    text = read_document(path)    # .txt, .html, .docx or .pdf, read once
    lang = detect_language(text)
    if lang is None:
        raise InputError(f"{path}: too little text to tell its language; give an English or Chinese transcript")
    return document_from_text(text, path, lang)


def analyze(memory: Memory, document: Document, *, similarity: str = DEFAULT_SIMILARITY) -> Analysis:
    """Every segment of `document` in its band, and the segments and words per band."""
    seen: set[str] = set()
    counts: dict = {}  # token frequencies, shared by all the document's searches
    segments = []
    for sentence in document.sentences:
        key = normalize(sentence.text)
        words = count_words(sentence.text, document.lang)
        if key in seen:
            segments.append(Segment(sentence.line, sentence.text, words, "repetitions", None))
            continue
        seen.add(key)
        match = None
        if _WORD.search(sentence.text):
            found = fuzzy_matches(memory, sentence.text, min_score=LOWEST, limit=1, similarity=similarity,
                                  lang=document.lang, counts=counts)
            match = found[0] if found else None
        segments.append(Segment(sentence.line, sentence.text, words, band_of(match.percent if match else None), match))
    bands = tuple(Band(name, sum(1 for s in segments if s.band == name), sum(s.words for s in segments if s.band == name))
                  for name, _, _ in BANDS)
    return Analysis(str(document.path), document.lang, "characters" if document.lang == "zh" else "words", bands,
                    tuple(segments))
