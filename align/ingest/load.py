"""From a file path to a segmented Document: read, check the language, parse structure, split."""

from __future__ import annotations

import warnings
from pathlib import Path

from align.document import Document, Sentence
from align.errors import InputError
from align.ingest.decode import read_text
from align.ingest.language import detect_language
from align.ingest.transcript import parse_transcript
from align.segment import MAX_SENTENCE, split_overlong, split_sentences

LANG_NAMES = {"en": "English", "zh": "Chinese"}


def check_language(text: str, path: Path, expected: str) -> None:
    found = detect_language(text)
    if found is None:
        raise InputError(f"{path}: too little text to tell its language; is this the right file?")
    if found != expected:
        raise InputError(f"{path}: expected {LANG_NAMES[expected]} but the text is {LANG_NAMES[found]}")


def load_document(path: Path, lang: str) -> Document:
    """Read (any supported format) and segment one transcript. InputError on unreadable, empty or
    wrong-language input."""
    from align.ingest.formats import read_document

    return document_from_text(read_document(Path(path)), Path(path), lang)


def document_from_text(text: str, path: Path, lang: str) -> Document:
    """Segment the decoded text of a transcript (`path` names it in messages). InputError on a
    wrong-language text or one without sentences."""
    check_language(text, path, lang)
    paragraphs = parse_transcript(text, path, lang)
    sentences = []
    for number, paragraph in enumerate(paragraphs.items):
        for sentence in split_sentences(paragraph.text, lang):
            pieces = split_overlong(sentence, lang)
            if len(pieces) > 1:
                warnings.warn(f"{path}:{paragraph.line}: a sentence of {len(sentence):,} characters without a full stop "
                              f"was cut into {len(pieces)} pieces at clause or word boundaries (the encoder reads at "
                              f"most {MAX_SENTENCE[lang]:,} {LANG_NAMES[lang]} characters)", stacklevel=2)
            for piece in pieces:
                sentences.append(Sentence(piece, paragraph.turn, number, paragraph.speaker, paragraph.line))
    if not sentences:
        raise InputError(f"{path}: no sentences found (only labels or page residue); check the file")
    return Document(path, lang, tuple(sentences), paragraphs.title, paragraphs.dropped_lines)


def read_lines(path: Path) -> list[str]:
    """A one-sentence-per-line file, as is (no re-segmentation); blank lines are kept as sentences
    only if the file uses them, so ids match the file's line numbers."""
    return read_text(Path(path)).rstrip("\n").split("\n")
