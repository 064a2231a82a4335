"""The table of official titles, offices, meeting words and country abbreviations of Chinese official press
(`align/data/official_terms.tsv`), which gives a Chinese word the English renderings CC-CEDICT lacks: 主席 is
"President" as well as "chairman", 会晤 is "Summit", 外长 is "Foreign Minister", and a pairing of two
countries' one-character abbreviations (美韩, 中加) stands for both countries.

`align.terms.links` adds these renderings to a word's dictionary glosses, so `lookup` and `terms extract`
see "President Xi Jinping" in 习近平主席 and "the US and the ROK" in 美韩; the table's titles are also the
titles a name stands beside (外长秦刚, 林剑副司长) when jieba leaves the name in single characters.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

# The countries and blocs that lead a pairing of abbreviations in official prose (中美, 美韩, 欧俄): a pairing
# starts with one of these, so that a word of two such characters that is no pairing (老马, 德拉, 巴西) is
# left alone.
_LEADS = frozenset("中美俄欧日韩英法德")
_PAIRING_GLOSS = re.compile(r"[A-Z][\w ]*-[A-Z]")  # CC-CEDICT's way of writing a pairing: China-USA, South Korean-US


@dataclass(frozen=True)
class OfficialTerm:
    """One row of the table: a Chinese word, its English renderings and its kind (title, office, meeting or
    abbreviation)."""
    chinese: str
    english: tuple[str, ...]
    kind: str


@lru_cache(maxsize=1)
def official_terms() -> dict[str, OfficialTerm]:
    """The table, keyed by its Chinese word."""
    table = {}
    with resources.files("align.data").joinpath("official_terms.tsv").open(encoding="utf-8") as handle:
        for line in handle:
            if line.startswith("#") or not line.strip():
                continue
            chinese, english, kind = line.rstrip("\n").split("\t")
            table[chinese] = OfficialTerm(chinese, tuple(e.strip() for e in english.split("|")), kind)
    return table


@lru_cache(maxsize=1)
def official_titles() -> frozenset[str]:
    """The Chinese titles of the table (外长, 副司长, 国家主席): words a name stands beside."""
    return frozenset(word for word, term in official_terms().items() if term.kind == "title")


def official_glosses(word: str, dictionary: dict[str, tuple[str, ...]], tags: dict[str, str]) -> tuple[str, ...]:
    """The English renderings the table gives a Chinese word: a title's, an office's or a meeting word's, and
    both countries' for a pairing (`pairing`)."""
    table = official_terms()
    if word in table and table[word].kind != "abbreviation":
        return table[word].english
    parts = pairing(word, dictionary, tags)
    return parts[0].english + parts[1].english if parts else ()


def pairing(word: str, dictionary: dict[str, tuple[str, ...]], tags: dict[str, str]) \
        -> tuple[OfficialTerm, OfficialTerm] | None:
    """The two countries of a pairing (美韩: the US and the ROK): two different abbreviations, the first a
    leading one (`_LEADS`), that the dictionary does not know or knows as a pairing and jieba does not tag as a
    person's name (not 美德 "virtue", 德拉); None for any other word."""
    if len(word) != 2 or word[0] not in _LEADS or word[0] == word[1] or (tags.get(word) or "").startswith("nr"):
        return None
    table = official_terms()
    first, second = table.get(word[0]), table.get(word[1])
    if first is None or second is None or first.kind != "abbreviation" or second.kind != "abbreviation":
        return None
    if word in dictionary and not any(_PAIRING_GLOSS.search(gloss) for gloss in dictionary[word]):
        return None
    return first, second
