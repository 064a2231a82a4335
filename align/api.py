"""The library face of the aligner: `align_texts` aligns an English and a Chinese text from Python.

Either give two lists of sentences (aligned as they are) or two raw texts (segmented exactly as
`python -m align run` segments a transcript, speaker turns included). Which side is Chinese is
detected; the beads keep the order of the arguments.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

from align.errors import InputError


@dataclass(frozen=True)
class AlignedBead:
    """Sentences `source_ids` of the first text joined with sentences `target_ids` of the second
    (either may be empty: a sentence left unpaired), their texts, and P(the bead is exactly right)."""

    source_ids: tuple[int, ...]
    target_ids: tuple[int, ...]
    source: str
    target: str
    confidence: float


def _language(side: str | Sequence[str], which: str) -> str:
    from align.ingest.language import han_ratio

    text = side if isinstance(side, str) else " ".join(side)
    if not any(ch.isalpha() for ch in text):
        raise InputError(f"{which} text: no words to align")
    return "zh" if han_ratio(text) > 0.25 else "en"


def _sentences(side: str | Sequence[str], lang: str, which: str):
    """The texts of the side's sentences, and the document when a raw text was segmented."""
    from align.ingest.load import document_from_text

    if isinstance(side, str):
        document = document_from_text(side, Path(f"<{which} text>"), lang)
        return document.texts, document
    return list(side), None


def align_texts(source: str | Sequence[str], target: str | Sequence[str], *, method: str | None = None) -> list[AlignedBead]:
    """Align an English and a Chinese text (in either order), each a list of sentences or a raw text.

    >>> beads = align_texts(["你好。", "谢谢！"], ["Hello.", "Thank you!"])
    >>> [(b.source_ids, b.target_ids) for b in beads]
    [((0,), (0,)), ((1,), (1,))]
    """
    from align.aligners import get_aligner
    from align.aligners.anchored import align_documents

    src_lang, tgt_lang = _language(source, "first"), _language(target, "second")
    if src_lang == tgt_lang:
        language = "English" if src_lang == "en" else "Chinese"
        raise InputError(f"both texts look {language}; give one English and one Chinese text")
    src, src_doc = _sentences(source, src_lang, "first")
    tgt, tgt_doc = _sentences(target, tgt_lang, "second")
    aligner = get_aligner(method)
    if src_doc is not None and tgt_doc is not None:
        zh, en = (src_doc, tgt_doc) if src_lang == "zh" else (tgt_doc, src_doc)
        beads = align_documents(zh, en, aligner)    # speaker turns as anchors, as `run` does
        if src_lang == "en":
            beads = [type(b)(b.tgt, b.src, b.confidence) for b in beads]
    else:
        beads = aligner.align(src, tgt, src_lang, tgt_lang)
    return [AlignedBead(b.src, b.tgt, _joined(src, b.src, src_lang), _joined(tgt, b.tgt, tgt_lang), b.confidence)
            for b in beads]


def _joined(sentences: list[str], ids: tuple[int, ...], lang: str) -> str:
    return ("" if lang == "zh" else " ").join(sentences[i] for i in ids)
