"""Where an English noun phrase ends: its head, read off part-of-speech tags (`terms extract` asks whether a term is a
whole noun phrase anywhere in the memory).

The tags are Penn Treebank tags from TextBlob's `PatternTagger` (a Brill tagger whose lexicon and context rules ship
inside the textblob package: no download, nothing fetched or written at run time). Its tagger module and files are read
from the package's folder without importing the package, whose `__init__` imports NLTK, and NLTK SciPy (some 1.6 s
of CPU a process, for nothing the tagger uses); the tags are those of `textblob.en.tag` (checked on every unit of the
`bench terms` rows but press-fresh8). Each unit's English is tagged once (`tagged`, cached by text), as tokens of its
own: a word with its hyphens and inner apostrophes (Taiwan-funded, Xi'an), an abbreviation (U.S., Mr.), a possessive
's, a punctuation mark.

At one place where it stands, a term is a whole noun phrase (`whole_at`) when
- it ends on its head: its last word is a noun (a gerund too: trading, docking), not an adjective, verb or adverb
  ("world economic", "scientific and technological"), and the word after it is no noun or adjective written as that
  last word is, in small letters or capitalised, which goes on with the phrase ("world economic growth", "national
  carbon market", "basic telecommunications companies"; in a title, "Outbound Data Transfers"; but "the white paper
  Poverty Alleviation" names the paper);
- it starts on no verb and no adverb ("provide assistance", "stabilize hog production", "extremely heavy rainstorm
  disaster") and holds no finite verb; a word the tagger reads as a verb right after a determiner, possessive or
  adjective is a participle or a noun ("a keynote speech", "the contracted family doctor service");
- it does not open on the noun of a complex preposition: a bare singular noun between the preposition just before the
  term and one right after that noun ("in accordance with the law", "in line with the strategic requirement of …": an
  adverbial, whose noun heads no term; a verb before the noun is no such sign: "promote cooperation in agriculture").
Only a term that ends on a word in small letters is read for its head, and only words written in small letters are
read as verbs or adverbs: a capitalised word belongs to a name, whose extent the name runs of `align.terms.extract`
give, and the tagger reads any capitalised word it does not know as a proper noun.

A term that is a whole noun phrase at no place where it stands in the memory is `headless` (`align.terms.evidence`):
"world economic" always before growth or recovery, "provide assistance" always a verb's phrase. A term seen once is
read at that one place; one seen as a whole noun phrase anywhere is one.
"""

from __future__ import annotations

import importlib.util
import re
from functools import lru_cache
from pathlib import Path

# a token: an abbreviation (U.S., Mr.), a word with inner hyphens and apostrophes (not a possessive 's), a possessive,
# or one mark of punctuation
TOKEN = re.compile(r"(?:[A-Za-z]\.){2,}|(?:Mr|Mrs|Ms|Dr|St|No)\.|[A-Za-z0-9]+(?:['’-](?![sS]\b)[A-Za-z0-9]+)*"
                   r"|['’][sS]\b|[^\sA-Za-z0-9]")
NOUNS = frozenset({"NN", "NNS", "NNP", "NNPS"})
ADJECTIVES = frozenset({"JJ", "JJR", "JJS"})
# a head: a noun, or a gerund (emissions trading, rendezvous and docking)
HEADS = NOUNS | {"VBG"}
# the tags of a verb that heads a clause: base form, past, present, modal
VERBS = frozenset({"VB", "VBD", "VBP", "VBZ", "MD"})
FINITE = frozenset({"VBD", "VBP", "VBZ", "MD"})
# a preposition or the infinitive's to (in, with, of; to)
PREPOSITIONS = frozenset({"IN", "TO"})
# after these a word tagged as a verb is a participle or a noun ("a keynote speech", "the contracted service")
MODIFIED = frozenset({"DT", "PRP$", "POS", "WP$"}) | ADJECTIVES
# how many units' tags are kept (a memory's English is tagged once per unit, not once per term)
_CACHED_UNITS = 50_000


@lru_cache(maxsize=1)
def _tagger():
    """The tagging function of TextBlob's English parser, built as `textblob.en` builds it from the package's files
    (see the module docstring): tokens → [token, tag] lists."""
    folder = Path(importlib.util.find_spec("textblob").submodule_search_locations[0])
    spec = importlib.util.spec_from_file_location("_textblob_text", folder / "_text.py")
    text = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(text)
    english = folder / "en"
    lexicon = text.Lexicon(path=str(english / "en-lexicon.txt"), morphology=str(english / "en-morphology.txt"),
                           context=str(english / "en-context.txt"), entities=str(english / "en-entities.txt"),
                           language="en")
    return text.Parser(lexicon=lexicon, default=("NN", "NNP", "CD"), language="en").find_tags


@lru_cache(maxsize=_CACHED_UNITS)
def tagged(text: str) -> tuple[tuple[str, str], ...]:
    """The tokens of an English text (`TOKEN`) with their Penn Treebank tags."""
    tokens = TOKEN.findall(text)
    return tuple((word, tag) for word, tag in _tagger()(tokens)) if tokens else ()


def _small(word: str) -> bool:
    return word[:1].islower()


def whole_at(tags: tuple[tuple[str, str], ...], start: int, end: int, headed: bool = True) -> bool:
    """Whether the tokens tags[start:end] are a whole noun phrase there (see the module docstring); `headed`: the term
    ends on a word in small letters, so its head is read."""
    words = tags[start:end]

    def verb(k: int) -> bool:  # the term's k-th word heads a clause
        before = tags[start + k - 1][1] if start + k else None
        return words[k][1] in VERBS and before not in MODIFIED

    last, tag = words[-1]
    if headed:
        if _small(last) and tag not in HEADS:
            return False
        if end < len(tags) and _small(tags[end][0]) == _small(last) and tags[end][1] in NOUNS | ADJECTIVES:
            return False
    if _small(words[0][0]) and (verb(0) or words[0][1].startswith("RB")):
        return False
    if _small(words[0][0]) and inside_preposition(tags, start, end):
        return False
    return not any(_small(word) and tag in FINITE and verb(k) for k, (word, tag) in enumerate(words))


def inside_preposition(tags: tuple[tuple[str, str], ...], start: int, end: int) -> bool:
    """Whether the tokens tags[start:end] open on the noun of a complex preposition: a singular noun with no
    determiner between a preposition just before it and one right after it ("in accordance with the law", "in line
    with the strategic requirement of …"): the phrase is an adverbial, its noun heads no term."""
    return 0 < start and end - start >= 2 and tags[start - 1][1] in PREPOSITIONS and tags[start][1] == "NN" \
        and tags[start + 1][1] in PREPOSITIONS


def headless(english: str, texts: list[str]) -> bool:
    """Whether the English term stands in the texts (as tokens, case ignored) and is a whole noun phrase at none of
    its places there."""
    words = TOKEN.findall(english)
    if not words:
        return False
    term, headed = [word.lower() for word in words], _small(words[-1])
    seen = False
    for text in texts:
        tags = tagged(text)
        lowered = [word.lower() for word, _ in tags]
        for at in range(len(lowered) - len(term) + 1):
            if lowered[at:at + len(term)] == term:
                if whole_at(tags, at, at + len(term), headed):
                    return False
                seen = True
    return seen
