"""Leverage analysis of a new document against the memory: how many segments and words fall in each
match band, as CAT tools report it (Trados "Analyze Files", memoQ statistics).

The new document is a transcript (segmented as `run` segments it) or a bilingual file a CAT tool
hands out: a TMX file (the segments of its header's source language) or an XLIFF file (its <source>
segments), each segment as it is.

A segment that occurred earlier in the same file is a *repetition* (whatever its match: it is
translated once); every other segment falls in the band of its best fuzzy match. English counts
words, Chinese characters (a Latin word or a number inside Chinese counts as one); punctuation counts
nothing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from align.document import Document, Sentence
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


def _bilingual_kind(path: Path) -> str | None:
    """'tmx' or 'xliff' when the file is one (by its root element, whatever its name), else None."""
    try:
        with open(path, "rb") as handle:
            head = handle.read(4096).decode("utf-8", "ignore").lower()
    except OSError:
        return None  # read_text says what is wrong
    head = re.sub(r"<\?xml[^>]*\?>|<!--.*?-->|<!doctype[^>]*>", "", head, flags=re.S).lstrip("\ufeff \r\n\t")
    return next((kind for kind in ("tmx", "xliff") if head.startswith(f"<{kind}")), None)


def _source_segments(path: Path, kind: str) -> list[tuple[int, str]]:
    """(line, text) of the source segments of a TMX (the header's srclang side) or XLIFF (<source>) file."""
    from lxml import etree

    try:
        root = etree.parse(str(path), etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True)).getroot()
    except etree.XMLSyntaxError as exc:
        raise InputError(f"{path}:{exc.lineno}: not well-formed XML: {exc.msg}") from None
    if kind == "xliff":
        return [(e.sourceline, "".join(e.itertext())) for e in root.iter("{*}source")]
    header = root.find("header")
    source = (header.get("srclang", "") if header is not None else "").lower()
    found = []
    for tu in root.iter("tu"):
        variants = [(tuv.get("{http://www.w3.org/XML/1998/namespace}lang", tuv.get("lang", "")).lower(), tuv)
                    for tuv in tu.iter("tuv")]
        chosen = next((tuv for lang, tuv in variants if lang == source), None)
        if chosen is None:  # srclang *all* or another spelling: the first language of the pair (en-US ~ en)
            chosen = next((tuv for lang, tuv in variants if lang.split("-")[0] == source.split("-")[0]),
                          variants[0][1] if variants else None)
        seg = chosen.find("seg") if chosen is not None else None
        if seg is not None:
            found.append((seg.sourceline, "".join(seg.itertext())))
    return found


def load_new_document(path: Path) -> Document:
    """The document at `path` in its language (detected), segmented exactly as `run` segments it; a
    TMX or XLIFF file as its source segments, one sentence each. InputError when it cannot be read,
    holds no source text or its language cannot be told."""
    from align.ingest import detect_language, document_from_text
    from align.ingest.formats import read_document

    path = Path(path)
    kind = _bilingual_kind(path)
    if kind:
        segments = [(line, normalize(text)) for line, text in _source_segments(path, kind) if text.strip()]
        lang = detect_language(" ".join(text for _, text in segments))
        if lang is None:
            raise InputError(f"{path}: a {kind.upper()} file without enough source text to tell its language; "
                             "give a TMX or XLIFF file with English or Chinese source segments")
        return Document(path, lang, tuple(Sentence(text, line=line) for line, text in segments))
    text = read_document(path)    # .txt, .html, .docx or .pdf, read once
    lang = detect_language(text)
    if lang is None:
        raise InputError(f"{path}: too little text to tell its language; give an English or Chinese transcript")
    return document_from_text(text, path, lang)


def analyze(memory: Memory, document: Document, *, similarity: str = DEFAULT_SIMILARITY) -> Analysis:
    """Every segment of `document` in its band, and the segments and words per band."""
    seen: set[str] = set()
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
                                  lang=document.lang)
            match = found[0] if found else None
        segments.append(Segment(sentence.line, sentence.text, words, band_of(match.percent if match else None), match))
    bands = tuple(Band(name, sum(1 for s in segments if s.band == name), sum(s.words for s in segments if s.band == name))
                  for name, _, _ in BANDS)
    return Analysis(str(document.path), document.lang, "characters" if document.lang == "zh" else "words", bands,
                    tuple(segments))
