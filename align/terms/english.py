"""The shape of an English term: a noun phrase, told from a clause by the closed word classes of English grammar,
without a tagger (`terms extract` asks it of every English candidate and of the English `lookup` gives back for a
rendering; where the term ends, its head, is read off part-of-speech tags in the memory: `align.terms.heads`).

A term is a noun phrase: it neither starts nor ends on a preposition, a standalone adverb (an -ly adverb is told by its
tag), a pronoun or quantifier, or a cardinal number (`EDGELESS`); it holds no auxiliary or modal verb (a clause: "relations are based on"); a past
participle inside it is not followed by a preposition (a passive or a verb's complement: "initiated by", "based
on"); and a common noun phrase headed by a unit of time is a time expression, not a term ("previous year", "first
time", "good morning"). An article inside a term follows a preposition (community with a shared future), never a
verb ("pay an official visit" is a clause around the term "official visit"). Where the phrase's context is known, a
phrase followed by a determiner ends on a verb taking its object ("year marks the", "cooperation follows the"): no
noun phrase ends there.
"""

from __future__ import annotations

import re

from align.score.lexicon import STOPWORDS

PREPOSITIONS = frozenset("""about above across after against along amid amidst among amongst around as at before behind
below beneath beside besides between beyond by concerning despite down during except for from in including inside
into like near of off on onto out outside over past per regarding since than through throughout till to toward
towards under underneath unlike until up upon via with within without""".split())
# adverbs of time, degree, manner and direction that stand alone (an -ly adverb at a term's end is told by its
# part-of-speech tag: `align.terms.heads`)
ADVERBS = frozenset("""afterwards again ago ahead almost already also always anew away back else even ever forward
further furthermore hence here however indeed just later meanwhile moreover never nevertheless now often once only
perhaps quite rather recently seldom so sometimes soon still then there thereby therefore thus today together
tomorrow tonight too very well yesterday yet""".split())
# pronouns, and determiners and quantifiers that stand without their noun (each other, any, such)
PRONOUNS = frozenset("""another any anybody anyone anything both each either every everybody everyone everything few
he her hers herself him himself his i it its itself many me mine more most much my myself neither none nobody
nothing one ones other others our ours ourselves several she some somebody someone something such that their theirs
them themselves these they this those us we what whatever which whichever who whom whose you your yours yourself
yourselves""".split())
NUMBERS = frozenset("""zero one two three four five six seven eight nine ten eleven twelve twenty thirty forty fifty
hundred hundreds thousand thousands million millions billion billions trillion trillions nearly approximately around
roughly""".split())  # cardinals and approximations: a count; an ordinal may start a term (third party, first overseas trip)
AUXILIARIES = frozenset("""am is are was were be been being will would shall should can could may might must do does
did has have had""".split())
DETERMINERS = frozenset("""a an the this that these those its their our his her my your any every each all some no
another""".split())
# the head of a time expression
TIME_UNITS = frozenset("""year years month months week weeks day days time times morning mornings afternoon evening
evenings night nights today tonight moment period""".split())
# the words a term never starts or ends on
EDGELESS = PREPOSITIONS | ADVERBS | PRONOUNS | NUMBERS | AUXILIARIES | STOPWORDS


def noun_phrase(words: list[str], after: str | None = None) -> bool:
    """Whether English words are a noun phrase (see the module docstring); `after` is the word that follows them
    in their sentence, when known."""
    if not words:
        return False
    lowered = [w.lower() for w in words]
    if lowered[0] in EDGELESS or lowered[-1] in EDGELESS:
        return False
    if any(w in AUXILIARIES for w in lowered):
        return False
    if any(_participle(w) and nxt in PREPOSITIONS for w, nxt in zip(words, lowered[1:])):
        return False
    if lowered[-1] in TIME_UNITS and not words[-1][0].isupper():
        return False
    if any(w in ("a", "an", "the") and lowered[k - 1] not in PREPOSITIONS for k, w in enumerate(lowered) if k):
        return False
    return after is None or after.lower() not in DETERMINERS


def following(text: str, phrase: str) -> str | None:
    """The word after the first occurrence of `phrase` in `text` (case ignored), None at a clause's end or when
    the phrase is not there."""
    found = re.search(rf"(?<![\w-]){re.escape(phrase)}(?![\w-])\s+([A-Za-z][\w'-]*)", text, re.IGNORECASE)
    return found.group(1) if found else None


def _participle(word: str) -> bool:
    """A past participle in -ed written in small letters (based, initiated; not United)."""
    return word.islower() and len(word) > 4 and re.search(r"[^e]ed$|eed$", word) is not None
