"""English sentence boundaries.

A boundary is a full stop, question or exclamation mark (or an ellipsis), optionally followed by
closing quotes and brackets, then white space and a token that can open a sentence. Known
abbreviations (Mr., U.S., No. …), initials (J. K. Rowling), decimals (3.5%) and numbers
(1,000) never end a sentence.
"""

from __future__ import annotations

import re

# Abbreviations that are (almost) never sentence-final in transcripts.
ABBREVIATIONS = frozenset(
    """mr mrs ms dr prof sr jr st mt no nos vs etc e.g i.e cf al fig figs vol vols art arts sec
    gen lt col capt sgt rep sen gov pres amb dept univ inc ltd co corp jan feb mar apr jun jul aug
    sep sept oct nov dec approx ca u.s u.k u.n e.u p.r.c u.s.a a.m p.m d.c""".split()
)
# Of those, the ones that also close sentences ("… to the U.S. He said …"): they end one when
# the next word is one that typically opens a sentence.
_FINAL_ABBREVIATIONS = frozenset({"etc", "u.s", "u.k", "u.n", "e.u", "p.r.c", "u.s.a", "a.m", "p.m", "d.c"})
_SENTENCE_OPENERS = frozenset(
    "i we you he she it they this that these those there the a an our his her their its in on at "
    "but and so then however meanwhile today yesterday tomorrow".split()
)

_CANDIDATE = re.compile(r"(?:\.{3}|…|[.!?])+[\"'”’)\]»]*(?=\s+)")
_OPENER = re.compile(r"[\"'“‘(\[«]*[A-Z0-9\u4e00-\u9fff]")


def split_english(text: str) -> list[str]:
    sentences: list[str] = []
    start = 0
    for match in _CANDIDATE.finditer(text):
        end = match.end()
        rest = text[end:].lstrip()
        if not rest or not _OPENER.match(rest):
            continue
        if match.group().startswith(".") and not match.group().startswith("...") and _is_abbreviation(text, match.start(), rest):
            continue
        sentences.append(text[start:end].strip())
        start = end
    tail = text[start:].strip()
    if tail:
        sentences.append(tail)
    return [s for s in sentences if s]


def _is_abbreviation(text: str, dot: int, rest: str) -> bool:
    word = re.search(r"([A-Za-z][A-Za-z.]*)$", text[:dot])
    if not word:
        return False
    token = word.group(1).lower().rstrip(".")
    if len(token) == 1 and text[dot - 1].isupper():
        return True  # an initial: "J. K. Rowling"
    if token in _FINAL_ABBREVIATIONS:
        next_word = re.match(r"[\"'“‘(]*([A-Za-z]+)", rest)
        return not (next_word and next_word.group(1).lower() in _SENTENCE_OPENERS)
    return token in ABBREVIATIONS
