"""Chinese names written in pinyin: which characters of a Chinese text spell a romanized name of the English.

An English term that holds a Chinese person's or place's name in pinyin (Liu Yongtan, Nie Haisheng) says how many
characters its rendering must hold for the name and which: each character has its readings in CC-CEDICT (the
bracketed pinyin of every entry, read character by character, tones left out). `spelled_runs` finds where in a
Chinese text characters spell a run of the term's name words, and `spelled_rendering` uses it to take a rendering
to the whole name it cuts or overruns (刘永 → 刘永坦 for "Liu Yongtan"; 聂海胜担任 → 聂海胜 for "Nie Haisheng").
A name that no characters of the unit spell (Hong Kong → 香港, Mattarella → 马塔雷拉) is left to the other checks.
"""

from __future__ import annotations

import re
from functools import lru_cache

from align.ingest.language import to_simplified
from align.score.lexicon import cedict_entries
from align.terms.evidence import dictionary_words
from align.terms.links import HAN_CHAR, TITLE_ABBREVIATIONS, strip_quotes

# a capitalised word, hyphenated parts and apostrophes inside it (Xi'an)
_WORD = re.compile(r"[A-Za-z]+(?:['’-][A-Za-z]+)*")


@lru_cache(maxsize=1)
def readings() -> dict[str, frozenset[str]]:
    """Simplified character → its toneless pinyin readings in small letters (ü as u and v), from every CC-CEDICT
    entry whose reading has one syllable per character."""
    table: dict[str, set[str]] = {}
    for word, reading, _ in cedict_entries():
        syllables = reading.split()
        if len(syllables) != len(word):
            continue
        for character, syllable in zip(word, syllables):
            plain = re.sub(r"\d", "", syllable.lower())
            if HAN_CHAR.match(character) and (plain.isalpha() or "u:" in plain):
                table.setdefault(character, set()).update({plain.replace("u:", "u"), plain.replace("u:", "v")})
    return {character: frozenset(found) for character, found in table.items()}


def _spells(characters: str, letters: str) -> bool:
    """Whether the characters, read one syllable each, spell the letters exactly."""
    if not characters:
        return not letters
    return any(letters.startswith(reading) and _spells(characters[1:], letters[len(reading):])
               for reading in readings().get(characters[0], ()))


def name_runs(english: str) -> list[str]:
    """The runs of the term's consecutive capitalised words that the dictionary does not know as English words
    (Liu Yongtan; not China, Foreign or Minister, nor a title such as Mr. before a name), in small letters without
    spaces, hyphens or apostrophes."""
    runs, current = [], []
    for word in _WORD.findall(english) + [""]:
        parts = re.split(r"['’-]", word) if word else []
        if parts and word not in TITLE_ABBREVIATIONS and all(
                p[:1].isupper() and not p.isupper() and p.lower() not in dictionary_words() for p in parts):
            current.append("".join(parts).lower())
            continue
        if current:
            runs.append("".join(current))
        current = []
    return runs


def spelled_runs(letters: str, text: str, longest: int = 6) -> list[tuple[int, int]]:
    """(start, end) of every run of two to `longest` Han characters of the text that spells the letters: one syllable
    is no evidence (Qiang, Wang, Yi: many characters spell it)."""
    return [(start, end) for start in range(len(text)) for end in range(start + 2, min(len(text), start + longest) + 1)
            if HAN_CHAR.match(text[end - 1]) and _spells(text[start:end], letters)]


def spelled_rendering(english: str, rendering: str, unit_zh: str) -> str | None:
    """The rendering taken to the whole of every pinyin name of the term that characters of the unit spell: grown over
    a spelled name it cuts (刘永 → 刘永坦), and, when the term is that name alone, cut back to it (聂海胜担任 → 聂海胜);
    the rendering as it is when the term holds no such name, the unit spells none or the rendering does not stand in
    the unit; None when a spelled name lies outside the rendering."""
    text = strip_quotes(to_simplified(unit_zh))
    rendering = strip_quotes(to_simplified(rendering))
    start = text.find(rendering)
    runs = name_runs(english)
    if start < 0 or not runs:
        return rendering
    end = start + len(rendering)
    names = []
    for letters in runs:
        places = spelled_runs(letters, text)
        if not places:
            continue
        touching = [(a, b) for a, b in places if a < end and start < b]
        if not touching:
            return None  # the name the unit spells stands outside the rendering
        names.append(touching[0])
    if not names:
        return rendering
    start, end = min([start] + [a for a, _ in names]), max([end] + [b for _, b in names])
    if len(names) == len(runs) and "".join(runs) == _joined(english):
        start, end = min(a for a, _ in names), max(b for _, b in names)
    return text[start:end]


def _joined(english: str) -> str:
    """The term's words in small letters without hyphens or apostrophes, as `name_runs` joins a run (a term that is
    one name alone comes back as that name)."""
    return "".join(re.split(r"['’\-\s]+", english.strip())).lower()
