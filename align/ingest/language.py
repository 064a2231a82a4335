"""Which language a text is in (English or Chinese), and Traditional → Simplified for matching.

The TMX always keeps the user's own characters; `to_simplified` is only used to compare text
against the dictionary and the other side, and as the search key that makes the memory's
Simplified and Traditional units one memory (`script_variants`, `script`).
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


def _opencc_table(name: str) -> dict:
    """One of OpenCC's character tables: each character to its first mapping."""
    from pathlib import Path

    import opencc

    table = Path(opencc.__file__).parent / "dictionary" / name
    return {key: value.split()[0] for key, _, value in (line.partition("\t") for line in
                                                        table.read_text(encoding="utf-8").splitlines()) if value}


def _simplified_standard(char: str) -> bool:
    """Whether a character is in GB 2312, the Simplified national character set (抬, 著, 台 are; 衞, 説 are not)."""
    try:
        char.encode("gb2312")
    except UnicodeEncodeError:
        return False
    return True


@lru_cache(maxsize=1)
def _regional_variants() -> dict:
    """Hong Kong and Taiwan variant characters OpenCC's t2s leaves as they are, each to its standard Traditional
    form (衞 → 衛, 説 → 說, 眾 → 衆), from OpenCC's HKVariantsRev and TWVariantsRev tables. A character of the
    Simplified standard is never one (OpenCC's hk2s and tw2s would turn 抬 into 擡 and 著 into 着)."""
    converter = _converter()
    variants = {}
    for name in ("HKVariantsRev.txt", "TWVariantsRev.txt"):
        for char, standard in _opencc_table(name).items():
            if len(char) == 1 and not _simplified_standard(char) and converter.convert(char) == char:
                variants.setdefault(char, standard)
    return variants


@lru_cache(maxsize=1)
def _traditional_characters() -> frozenset:
    """Every character OpenCC's t2s table changes, and the regional variants: text without one of them is
    left as it is."""
    return frozenset(_opencc_table("TSCharacters.txt")) | frozenset(_regional_variants())


@lru_cache(maxsize=65536)
def to_simplified(text: str) -> str:
    """Traditional characters mapped to Simplified, Hong Kong and Taiwan variant characters too (衞生 → 卫生);
    identity on Simplified text."""
    if _traditional_characters().isdisjoint(text):
        return text
    variants = _regional_variants()
    if not variants.keys().isdisjoint(text):
        text = "".join(variants.get(char, char) for char in text)
    return _converter().convert(text)


@lru_cache(maxsize=4)
def _to(config: str):
    import opencc

    return opencc.OpenCC(config)


def script(text: str, tag: str | None = None) -> str:
    """'Traditional' when OpenCC changes at least a tenth of `text`'s Han characters into Simplified;
    'Simplified' otherwise (a Simplified text keeps the odd Traditional form: 回覆, 摺); text written
    with characters common to both goes by its language tag (zh-TW, zh-HK, zh-MO, zh-Hant: Traditional)."""
    simplified = to_simplified(text)
    if simplified != text and len(simplified) == len(text):
        changed = sum(1 for a, b in zip(text, simplified) if a != b)
        if changed >= 0.1 * max(1, len(_HAN.findall(text))):
            return "Traditional"
    elif simplified != text:
        return "Traditional"
    if tag and (tag.lower().replace("_", "-").split("-")[-1] in {"tw", "hk", "mo", "hant"}):
        return "Traditional"
    return "Simplified"


def script_variants(text: str) -> tuple[str, ...]:
    """`text` in both scripts, itself first: as typed, in Simplified, and in the Traditional of
    Taiwan, Hong Kong and OpenCC's standard form (distinct ones only): a query in either script
    finds the units of both."""
    if not _HAN.search(text):
        return (text,)
    simplified = to_simplified(text)
    forms = [text, simplified] + [_to(config).convert(simplified) for config in ("s2t", "s2tw", "s2hk")]
    return tuple(dict.fromkeys(forms))
