"""The evidence a glossary pair stands on: one score per (English term, Chinese rendering) that `terms extract`
keeps a pair by, so that the glossary is short and clean rather than long and noisy.

Three kinds of evidence, each read off the memory and the dictionaries, summed:
- **dictionary**: the share of the term's content words that CC-CEDICT or the table of official terms ties to a
  word of the rendering (`align.terms.links.linked`); a word of a name the dictionary does not know (Runqiu,
  Boluarte) counts as tied when the rendering holds a word tied to no term word (its transliteration);
- **association**: how consistently the two go together, the smaller of the share of the term's units whose
  Chinese holds the rendering and the share of the rendering's units whose English holds the term, weighed by
  (n − 1) / n for the n units holding both (one unit shows nothing recurring: 0);
- **inconsistency**, subtracted: the share of the term's units whose Chinese does not hold the rendering (a term
  the memory renders otherwise elsewhere: "strengthen cooperation" → 加强合作 once in two units).

A pair is kept when its score plus its rendering's fit (the score `lookup` gives the rendering: how well it fits
the term's units, at most 1) reaches MIN_CONFIDENCE, it is no title piece, no word is always beside its term, its
term is a whole noun phrase at one of its places at least (`headless`, read off part-of-speech tags by
`align.terms.heads`: "world economic" is always followed by its head noun, "provide assistance" is a verb's phrase),
and it is no piece of a longer name in both languages in every unit holding it (`continued`, `align.terms.continued`:
"National Forestry" → 国家林业 of "National Forestry and Grassland Administration" → 国家林业和草原局).
Beside the score, `Evidence` counts the units where the rendering is only a piece of a title marked 《…》
(`title_piece`): Chinese marks the whole name of a document, a law or a white paper, so a rendering that stands
nowhere but inside such a title, short of it, renders no term of its own (建设纲要 and 强国建设 of 《交通强国建设纲要》); the title's edition in brackets at its end is no
part of it (《气象高质量发展纲要（2022－2035年）》 is the title 气象高质量发展纲要).

It also reads the word beside the term (`beside`): an English term that recurs (in RECURRING units or more) and
has the same content word beside it on the same side, inside its clause, wherever it stands is a piece of a longer
term and gives no pair ("swine fever" always of "African swine fever", "Taiwan-funded" always of "Taiwan-funded
enterprises"). A function word, a number or an edition (5G, 14th) beside it binds nothing: `terms extract` leaves
counts at a term's edges out by design, and "the white paper" stands alone.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from align.ingest.language import to_simplified
from align.score.lexicon import cedict_glosses
from align.store.memory import Memory
from align.terms.english import EDGELESS
from align.terms.continued import continued
from align.terms.heads import headless
from align.terms.links import CLAUSE_END, chinese_tokens, english_tokens, linked, strip_quotes

# What `terms extract` keeps a pair by: its evidence score plus its rendering's fit (the `lookup` score, at most 1),
# a terminologist's short list before a long one. Chosen leaving one press row out over the eleven in-sample rows
# (docs/memory.md, sixteenth pass: the highest precision among the thresholds keeping at least 70% of the judged
# pairs the evidence floor of 0.9 kept, which this replaces: evidence + fit >= 1.875 implies evidence >= 0.875).
MIN_CONFIDENCE = 1.875
# How many of the term's units are read to count the evidence (enough for a glossary's recurring terms).
_SAMPLE = 2000
# A term seen in this many units recurs, as `terms extract` counts a candidate that recurs (its min_count): one unit
# shows no word that is always beside the term.
RECURRING = 2
# a word of an English clause, hyphens and apostrophes inside it (Taiwan-funded, 14th and 5G are one word each)
_EN_WORD = re.compile(r"[A-Za-z0-9]+(?:['’-][A-Za-z0-9]+)*")


@dataclass(frozen=True)
class Evidence:
    """What a pair stands on (see the module docstring); `terms extract` keeps a pair by `score`, `title_piece`, `beside`,
    `headless` and `continued`."""
    dictionary: float     # share of the term's content words the dictionary ties to the rendering
    term_units: int       # units whose English holds the term (whole words, any case)
    rendering_units: int  # units whose Chinese holds the rendering
    both: int             # units holding both
    in_titles: int = 0    # units holding both where the rendering is only a piece of a 《…》 title (`title_piece`)
    beside: str | None = None  # the content word always beside the recurring term (`beside`): a longer term's piece
    headless: bool = False  # the term is a whole noun phrase at none of its places (`align.terms.heads.headless`)
    continued: bool = False  # a piece of a longer name in both languages in every unit (`align.terms.continued`)

    @property
    def association(self) -> float:
        # (n − 1) / n weighs the smaller share n / max(term units, rendering units)
        return max(0, self.both - 1) / max(1, self.term_units, self.rendering_units)

    @property
    def inconsistency(self) -> float:
        return 1 - self.both / self.term_units if self.term_units else 1.0

    @property
    def score(self) -> float:
        return self.dictionary + self.association - self.inconsistency

    @property
    def title_piece(self) -> bool:
        """Whether the rendering stands only inside 《…》 titles, short of them, in every unit holding the pair."""
        return 0 < self.both == self.in_titles


@lru_cache(maxsize=1)
def dictionary_words() -> frozenset:
    """English words that are by themselves the head of a CC-CEDICT gloss (china, october, premier): alone they
    are no glossary term (`align.terms.extract`), and no word of a name the dictionary does not know."""
    return frozenset(gloss.split(",")[0].strip().lower() for glosses in cedict_glosses().values() for gloss in glosses
                     if re.fullmatch(r"[A-Za-z]+", gloss.split(",")[0].strip()))


def dictionary_share(english: str, rendering: str) -> float:
    """The share of the term's content words tied to a word of the rendering by the dictionary, a name's word the
    dictionary does not know counting when the rendering holds a word tied to no term word."""
    term = [t for t in english_tokens(english) if t.content]
    words = [t for t in chinese_tokens(strip_quotes(to_simplified(rendering))) if t.content]
    if not term:
        return 0.0
    untied = any(not any(linked(w, t) for t in term) for w in words)
    tied = sum(1 for t in term if any(linked(w, t) for w in words)
               or untied and t.text[0].isupper() and t.text.lower() not in dictionary_words())
    return tied / len(term)


def evidence(memory: Memory, english: str, rendering: str) -> Evidence:
    """The evidence of the pair (English term, Chinese rendering) in the memory."""
    chinese = strip_quotes(to_simplified(rendering))
    whole = re.compile(r"(?<![A-Za-z])" + re.escape(english.lower()) + r"(?![A-Za-z])")
    holding = [u for u in memory.search(english, limit=_SAMPLE, ranked=False) if whole.search(u.en.lower())]
    pairs = [(u.en, text) for u, text in ((u, strip_quotes(to_simplified(u.zh))) for u in holding) if chinese in text]
    both = len(pairs)
    rendering_units = max(both, memory.count_matches(chinese, cap=_SAMPLE)) if chinese else both
    in_titles = sum(1 for _, text in pairs if piece_of_title(chinese, text))
    texts = [u.en for u in holding]
    return Evidence(dictionary_share(english, rendering), len(holding), rendering_units, both, in_titles,
                    beside(english, texts), headless(english, texts), continued(english, chinese, pairs))


def beside(english: str, texts: list[str]) -> str | None:
    """The content word that stands beside the English term on the same side, inside its clause, at every place it
    occurs in the texts, when it occurs in RECURRING of them or more (African of "swine fever"); None when its
    neighbours vary, are function words or numbers, or it stands at a clause's edge."""
    term = [w.lower() for w in _EN_WORD.findall(english)]
    places, units = [], 0
    for text in texts:
        found = False
        for clause in CLAUSE_END.split(text):
            words = [w.lower() for w in _EN_WORD.findall(clause)]
            for at in range(len(words) - len(term) + 1):
                if term and words[at:at + len(term)] == term:
                    found = True
                    end = at + len(term)
                    places.append((words[at - 1] if at else None, words[end] if end < len(words) else None))
        units += found
    if units < RECURRING:
        return None
    for side in (0, 1):
        words = {place[side] for place in places}
        word = words.pop() if len(words) == 1 else None
        if word is not None and word not in EDGELESS and not re.search(r"\d", word):
            return word
    return None


# a title marked 《…》, without the edition in brackets at its end (（2022－2035年）)
_TITLE = re.compile(r"《([^《》]*?)(?:[（(][^（）()]*[）)])?》")


def piece_of_title(rendering: str, text: str) -> bool:
    """Whether the rendering stands in the text only inside 《…》 titles that are longer than it (at every place)."""
    if not rendering:
        return False
    places = [m.start() for m in re.finditer(re.escape(rendering), text)]
    titles = [(m.start(1), m.end(1)) for m in _TITLE.finditer(text)]
    return bool(places) and all(any(start <= at and at + len(rendering) <= end and end - start > len(rendering)
                                    for start, end in titles) for at in places)
