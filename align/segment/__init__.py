"""Sentence segmentation: paragraphs → sentences, one module per language; over-long "sentences"
(a page without punctuation) cut into pieces the encoder can read."""

import re

from align.segment.chinese import split_chinese
from align.segment.english import split_english

__all__ = ["split_chinese", "split_english", "split_sentences", "split_overlong", "MAX_SENTENCE"]

# The encoder (multilingual-e5-small) reads 512 tokens: about 500 Chinese characters, or 2,000
# English ones at ~4 characters a token. Longest sentence of MAC-Dev, the Bible set and the demo:
# 437 English and 142 Chinese characters (both MAC-Dev), so real sentences are not cut.
MAX_SENTENCE = {"en": 1500, "zh": 500}
_CLAUSE_END = re.compile(r"[,;:，；：、]\s*")


def split_sentences(text: str, lang: str) -> list[str]:
    return split_chinese(text) if lang == "zh" else split_english(text)


def split_overlong(sentence: str, lang: str, limit: int | None = None) -> list[str]:
    """`sentence` cut into pieces of at most `limit` characters, at the last clause boundary
    (comma, semicolon, colon) before the limit, else the last space, else at the limit. A sentence
    within the limit comes back whole; no non-space character is lost."""
    limit = limit or MAX_SENTENCE[lang]
    pieces = []
    rest = sentence
    while len(rest) > limit:
        window = rest[:limit]
        cut = max((m.end() for m in _CLAUSE_END.finditer(window) if m.end() > limit // 2), default=0)
        if not cut:
            space = window.rfind(" ")
            cut = space + 1 if space > limit // 2 else limit
        pieces.append(rest[:cut].strip())
        rest = rest[cut:]
    pieces.append(rest.strip())
    return [piece for piece in pieces if piece]
