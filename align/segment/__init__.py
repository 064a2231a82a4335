"""Sentence segmentation: paragraphs → sentences, one module per language."""

from align.segment.chinese import split_chinese
from align.segment.english import split_english

__all__ = ["split_chinese", "split_english", "split_sentences"]


def split_sentences(text: str, lang: str) -> list[str]:
    return split_chinese(text) if lang == "zh" else split_english(text)
