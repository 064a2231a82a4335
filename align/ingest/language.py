"""Which language a text is in (English or Chinese), and Traditional → Simplified for matching.

The TMX always keeps the user's own characters; `to_simplified` is only used to compare text
against the dictionary and the other side.
"""

from __future__ import annotations

import re
from functools import lru_cache

_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_LATIN = re.compile(r"[A-Za-z]")


def han_ratio(text: str) -> float:
    """Share of Han characters among Han + Latin letters (0 for pure English, 1 for pure Chinese)."""
    han = len(_HAN.findall(text))
    latin = len(_LATIN.findall(text))
    return han / (han + latin) if han + latin else 0.0


def detect_language(text: str) -> str | None:
    """'zh', 'en', or None when the text has too few letters to tell."""
    han = len(_HAN.findall(text))
    latin = len(_LATIN.findall(text))
    if han + latin < 5:
        return None
    # A Chinese page still carries Latin names (COVID-19, G20); an English one almost no Han.
    return "zh" if han / (han + latin) > 0.25 else "en"


@lru_cache(maxsize=1)
def _converter():
    import opencc

    return opencc.OpenCC("t2s")


def to_simplified(text: str) -> str:
    """Traditional characters mapped to Simplified (identity on Simplified text)."""
    return _converter().convert(text)
