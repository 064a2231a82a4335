"""Whether a capitalised term is a piece of a longer name in both languages at once: its English name run goes on
past it, and the Chinese word right beside its rendering translates a word of that continuation (`continued`; `terms
extract` gives such a pair no place, `align.terms.evidence`).

`terms extract` takes a name as its whole capitalised run, but where the run breaks (at "and" between words that are
not single, at "of the 9th", at a token with a digit) it can only take a piece: "National Forestry" of "National
Forestry and Grassland Administration", "Exhibition Center Gymnasium" of "Harbin International Convention and
Exhibition Center Gymnasium". Its rendering is then the same piece of the Chinese name (国家林业 of 国家林业和草原局),
so every check of the pair against its unit passes. What gives it away is that the break is in the same place on both
sides: the English capitalised word just past the break (Grassland) translates the Chinese word just past the
rendering's edge (草原局), directly or across one coordinating conjunction (和, 与, 及).

The English run goes on
- after the term: directly, or across one joiner (and, of, for, on, in), "of"/"for"/"on"/"in" followed by an article
  (of the 9th Asian Winter Games), and one token with a digit, to the capitalised words that follow;
- before the term: directly, or across "and" only. A term after "of the" is the thing the longer name is of, a name
  itself (the Information Office of the Ministry of National Defense); "and the" opens a second name (the IMF and the
  World Bank), and so does a year (Beijing 2022 Winter Olympics).
A capitalised word opening the sentence is no continuation (any word has a capital there). Only words inside the
clause count: punctuation ends the run, and Chinese punctuation, quotation marks aside, ends the neighbourhood.

The test must hold in every unit holding the pair (a name that stands alone once is whole there). Two names side by side
in both languages can pass it too ("Saudi Arabia and Iran", 沙特和伊朗). On the twelve in-sample press rows of `bench terms`
the cut removes four wrong pairs and that one right pair (docs/memory.md, seventeenth pass; `python scripts/terms_loo.py
/work/shared/data` measures it leaving one row out).
"""

from __future__ import annotations

import re

from align.ingest.language import to_simplified
from align.terms.links import Token, chinese_tokens, english_tokens, linked, strip_quotes

# the small English words a name runs on across, and the articles after of/for/on/in
_JOINERS = frozenset({"and", "of", "for", "on", "in"})
_ARTICLES = frozenset({"the", "a", "an"})
# the Chinese conjunctions a name runs on across (国家卫生和计划生育委员会)
_ZH_CONJUNCTIONS = frozenset("和与及")
_DIGIT = re.compile(r"\d")


def continued(english: str, rendering: str, units: list[tuple[str, str]]) -> bool:
    """Whether a capitalised term's name run goes on in every unit (English, Chinese) holding the term and the
    rendering, and a Chinese word right beside the rendering translates a word of the continuation (see the module
    docstring); False for a term in small letters or one no unit holds."""
    if not english[:1].isupper():
        return False
    words = [w.lower() for w in re.findall(r"[A-Za-z0-9][A-Za-z0-9'-]*", english)]
    chinese = strip_quotes(to_simplified(rendering))
    seen = 0
    for unit_en, unit_zh in units:
        tokens = english_tokens(unit_en)
        lowered = [t.text.lower() for t in tokens]
        places = [k for k in range(len(tokens)) if lowered[k:k + len(words)] == words]
        text = strip_quotes(to_simplified(unit_zh))
        starts = [m.start() for m in re.finditer(re.escape(chinese), text)]
        if not places or not starts or not chinese:
            continue
        seen += 1
        goes_on = [word for k in places for word in _continuation(tokens, k, k + len(words))]
        zh_tokens = chinese_tokens(text)
        beside = [word for start in starts for word in _beside(zh_tokens, start, start + len(chinese))]
        if not any(linked(zh, en) for zh in beside for en in goes_on):
            return False
    return seen > 0


def _continuation(tokens: list[Token], start: int, end: int) -> list[Token]:
    """The capitalised words the name run of tokens[start:end] goes on to, after it and before it."""
    found = []
    k = end
    if k < len(tokens) and tokens[k].text.lower() in _JOINERS:
        k += 1
        if k < len(tokens) and tokens[k].text.lower() in _ARTICLES and tokens[k - 1].text.lower() != "and":
            k += 1
    if k < len(tokens) and _DIGIT.search(tokens[k].text):
        k += 1
    while k < len(tokens) and _capitalised(tokens[k]):
        found.append(tokens[k])
        k += 1
    k = start - 1
    if k >= 0 and tokens[k].text.lower() == "and":
        k -= 1
    while k > 0 and _capitalised(tokens[k]):  # the sentence's first word is capitalised anyway
        found.append(tokens[k])
        k -= 1
    return found


def _capitalised(token: Token) -> bool:
    return not token.punct and token.text[0].isupper() and token.text != "I"


def _beside(tokens: list[Token], start: int, end: int) -> list[Token]:
    """The content words right before and right after the characters start:end, across one Chinese conjunction."""
    before = [t for t in reversed(tokens) if t.start + len(t.text) <= start]
    after = [t for t in tokens if t.start >= end]
    found = []
    for side, touching in ((before, lambda t: t.start + len(t.text) == start), (after, lambda t: t.start == end)):
        if not side or not touching(side[0]):
            continue
        word = side[1] if side[0].text in _ZH_CONJUNCTIONS and len(side) > 1 else side[0]
        if word.content:
            found.append(word)
    return found
