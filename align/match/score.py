"""Fuzzy-match similarity: how close a stored sentence is to a new one, as a match percentage.

Pure functions on strings, no I/O. The percentage shown (`match_percent`) is the one translators know
from memoQ, Trados and OmegaT: an edit-distance similarity over **words** for English and over
**characters** for Chinese (a Latin word or a number inside Chinese is one token), with placeables
counted at a small penalty:

- **100** only when the two sentences are identical after whitespace normalisation (runs of spaces
  made one, ends trimmed);
- **95–99** when they differ only in *placeables* (changed, added or left out), *punctuation* or
  letter case, and those differences are a small part of the sentence (at most SMALL_SHARE, 15%, of
  its tokens): placeables are quantities (numbers, percentages, ordinals, dates) and Latin tokens
  inside Chinese — as memoQ and Trados take numbers and tags. 99 for one such difference, one point
  less for each further one, never under 95;
- **0–94** otherwise: 100·(1 − edit distance / longer length) of the two sentences with every
  placeable replaced by one stand-in token and punctuation removed, minus the share of the tokens
  taken by differing placeables (in points), capped at 94. English names (capitalised or all-capital
  words other than the first word) are placeables here, at that small penalty, but a changed name
  is never 95–99: its Chinese is a transliteration of several characters to retype (measured with
  `bench fuzzy`: en→zh 95–99% matches translated worse than 85–94% ones while names were in it). When the differing placeables are more
  than SMALL_SHARE of the tokens they are no longer a small difference: the similarity of the
  sentences as they are (lower-cased, punctuation removed) is taken instead if it is lower.

Simplified and Traditional Chinese are compared as one script (`align.ingest.language.to_simplified`:
a sentence that differs only in its script is a 99% match). Quantities are read by
`align.score.quantities`, so a number, percentage, ordinal or date is one placeable whatever its
form: 二十年来 against 十年来 differs in one number (99%), and 1.2万 against 12000 in none.

Candidates are *ranked* by another similarity (`rank_score`, the same rule with it in place of the
edit distance), one of three compared by `python -m align bench fuzzy`, each 0–100 on the same masked
text; chrF, the default, ranks best:

- `ter`: sacrebleu's sentence TER (edit rate with block shifts) as 100·(1 − TER), floored at 0;
  Chinese with `asian_support=True, normalized=True` (without `normalized` sacrebleu does not split
  Chinese characters and two near-identical sentences score TER 100).
- `chrf`: sacrebleu's sentence chrF (character n-gram F-score, β = 2), as it is on both languages.
- `levenshtein`: the shown percentage itself.

So a sentence that differs only in a number, a name or punctuation ranks above one that differs in
wording (in a short sentence, where one name is more than 15% of it, the name costs its share), and
a sentence made mostly of other names ("Of Hezron, the family of the Hezronites…" for "Of Arod, the
family of the Arodites…") is not taken for a near-repeat.
"""

from __future__ import annotations

import math
import re
from functools import lru_cache
from typing import Callable

from rapidfuzz.distance import Levenshtein

from align.ingest.language import han_ratio, to_simplified
from align.score.quantities import quantities

_HAN = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_ZH_TOKEN = re.compile(rf"[{_HAN}]|[^\W{_HAN}]+(?:[.,'’-][^\W{_HAN}]+)*|[^\w\s]")
_EN_TOKEN = re.compile(r"[^\W_]+(?:[-'’.,][^\W_]+)*|[^\w\s]|_")
_PUNCT = re.compile(r"^[\W_]+$")
_LATIN = re.compile(r"[A-Za-z]")
_DIGIT = re.compile(r"\d")
STAND_IN = "0"  # what a placeable becomes before the similarity is computed (digits are placeables too)


def normalize(text: str) -> str:
    """`text` with runs of whitespace made one space and its ends trimmed."""
    return " ".join(text.split())


def language(text: str) -> str:
    """'zh' when most letters of `text` are Han characters, else 'en'."""
    return "zh" if han_ratio(text) > 0.5 else "en"


def tokens(text: str, lang: str) -> list[str]:
    """Characters (Chinese; Latin words and numbers stay whole) or words (English); punctuation marks
    are tokens of their own."""
    return (_ZH_TOKEN if lang == "zh" else _EN_TOKEN).findall(text)


_QUANTITY = "\x00"  # starts the token of a quantity: its kind and value, so equal quantities compare equal


def _pieces(text: str, lang: str) -> list[tuple[int, int, str]]:
    """(start, end, token) of `text` as the percentage sees it: each quantity of
    `align.score.quantities` one token keyed by its kind and value (1.2万 and 12000 are one token,
    二十 and 十 two different ones), the rest cut by `tokens`."""
    pattern = _ZH_TOKEN if lang == "zh" else _EN_TOKEN
    found, position = [], 0
    for q in quantities(text, lang):
        found += [(position + m.start(), position + m.end(), m.group()) for m in pattern.finditer(text[position:q.start])]
        found.append((q.start, q.end, f"{_QUANTITY}{q.kind}:{q.as_dict()['value']}"))
        position = q.end
    found += [(position + m.start(), position + m.end(), m.group()) for m in pattern.finditer(text[position:])]
    return found


def differences(query: str, candidate: str, lang: str) -> list[tuple[str, bool]]:
    """`candidate` cut into pieces, each marked True where it differs from `query` (for highlighting:
    a changed number is one piece); the pieces joined give `candidate` back."""
    from difflib import SequenceMatcher

    seen = to_simplified(candidate) if lang == "zh" else candidate  # a change of script is no difference
    seen = seen if len(seen) == len(candidate) else candidate
    cut = _pieces(seen, lang)
    spans = [(a, b) for a, b, _ in cut]
    words = [token.lower() for _, _, token in cut]
    other = [token.lower() for _, _, token in _pieces(to_simplified(query) if lang == "zh" else query, lang)]
    changed = [True] * len(spans)
    for block in SequenceMatcher(None, other, words, autojunk=False).get_matching_blocks():
        for k in range(block.b, block.b + block.size):
            changed[k] = False
    pieces, position = [], 0
    for (start, end), flag in zip(spans, changed):
        if start > position:
            pieces.append((candidate[position:start], False))
        if pieces and pieces[-1][1] == flag:
            pieces[-1] = (pieces[-1][0] + candidate[start:end], flag)
        else:
            pieces.append((candidate[start:end], flag))
        position = end
    if position < len(candidate):
        pieces.append((candidate[position:], False))
    return pieces


def is_placeable(token: str, lang: str, first: bool = False) -> bool:
    """A quantity (a number, percentage, ordinal or date, in digits or words), a Latin token in Chinese,
    or a name-like English word (capitalised, not the first word of the sentence; or all capitals)."""
    if token.startswith(_QUANTITY) or _DIGIT.search(token):
        return True
    if lang == "zh":
        return bool(_LATIN.search(token))
    if not token[:1].isupper():
        return False
    return not first or (len(token) > 1 and token.isupper())


def _mask(items: list[str], lang: str) -> tuple[list[str], list[str]]:
    """(the words with placeables replaced by STAND_IN and punctuation dropped, lower-cased;
    the placeables in order)."""
    words, placeables = [], []
    first = True
    for token in items:
        if _PUNCT.match(token):
            continue
        if is_placeable(token, lang, first):
            words.append(STAND_IN)
            placeables.append(token)
        else:
            words.append(token.lower())
        first = False
    return words, placeables


def edit_distance(a: list[str] | str, b: list[str] | str) -> int:
    """Levenshtein distance between two sequences of words or characters (insertions, deletions,
    substitutions cost 1), by rapidfuzz's compiled implementation."""
    return Levenshtein.distance(a, b)


@lru_cache(maxsize=None)
def _ter(lang: str):
    from sacrebleu.metrics import TER

    return TER(asian_support=True, normalized=True) if lang == "zh" else TER()


@lru_cache(maxsize=1)
def _chrf():
    from sacrebleu.metrics import CHRF

    return CHRF()


def ter_similarity(query: str, candidate: str, lang: str) -> float:
    """100·(1 − TER) of `candidate` against `query` (sacrebleu), floored at 0."""
    if not query.strip():
        return 100.0 if not candidate.strip() else 0.0
    return max(0.0, 100.0 - _ter(lang).sentence_score(candidate, [query]).score)


@lru_cache(maxsize=64)
def _chrf_reference(query: str) -> dict:
    """sacrebleu's n-gram statistics of `query` as a chrF reference, cached: a query is compared with
    many candidates."""
    chrf = _chrf()
    return chrf._extract_reference_info([chrf._preprocess_segment(query)])


def chrf_similarity(query: str, candidate: str, lang: str) -> float:
    """sacrebleu's sentence chrF of `candidate` against `query` (0–100): the steps of its
    `sentence_score`, with the query's statistics extracted once (`_chrf_reference`)."""
    if not query.strip() or not candidate.strip():
        return 100.0 if query.strip() == candidate.strip() else 0.0
    chrf = _chrf()
    return chrf._compute_f_score(chrf._compute_segment_statistics(chrf._preprocess_segment(candidate), _chrf_reference(query)))


def levenshtein_similarity(query: str, candidate: str, lang: str) -> float:
    """100·(1 − edit distance / longer length), on characters (Chinese) or words (English)."""
    a, b = _units(query, lang), _units(candidate, lang)
    if not a and not b:
        return 100.0
    return 100.0 * (1.0 - edit_distance(a, b) / max(len(a), len(b)))


def _units(text: str, lang: str) -> list[str]:
    return [t for t in tokens(text, lang) if t.strip()] if lang == "zh" else text.lower().split()


# Placeables and punctuation that differ in more than this share of the tokens are not a small
# difference: "And the sons of Pallu; Eliab." against "And the sons of Dan; Hushim." is names only, but
# its translation shares almost nothing. Without this limit the 95-99% band's retrieved translations
# scored chrF 19.6 en→zh on the Bible, far under the 75-84% band's 65.0 (`python -m align bench fuzzy`).
# Beyond it the placeables also count as words under 95%: without that the within-book 75-84% band
# held such names-only matches at 75-81% and scored chrF 60.3 en→zh, with it 67.4
# (`python -m align bench fuzzy --setting within`).
SMALL_SHARE = 0.15

SIMILARITIES: dict[str, Callable[[str, str, str], float]] = {
    "ter": ter_similarity, "chrf": chrf_similarity, "levenshtein": levenshtein_similarity}
# What ranks the candidates, chosen by `python -m align bench fuzzy --setting within` (docs/memory.md):
# chrF's top match has the best translation more often (38.4% of English queries against 32.5% for the
# edit distance, 47.9% against 37.9% of Chinese ones), and more often than chrF as a mere tie-break among
# equal percentages (33.3%, 38.9%).
DEFAULT_SIMILARITY = "chrf"
SHOWN = "levenshtein"  # the percentage shown: edit distance over words (English) or characters (Chinese)


@lru_cache(maxsize=4096)
def _prepared(text: str, lang: str) -> tuple[tuple[str, ...], ...]:
    """(tokens, masked words, placeables, lower-case words, English names among the placeables) of
    `text`, cached: a query is compared with many candidates."""
    items = [token for _, _, token in _pieces(to_simplified(text) if lang == "zh" else text, lang)]  # one script
    words, placeables = _mask(items, lang)
    names = tuple(p for p in placeables if not p.startswith(_QUANTITY) and not _DIGIT.search(p)) if lang == "en" else ()
    return (tuple(items), tuple(words), tuple(placeables), tuple(t.lower() for t in items if not _PUNCT.match(t)),
            names)


def _content(words) -> list[str]:
    return [w for w in words if w != STAND_IN]


def masked_text(text: str, lang: str) -> str:
    """`text` as the similarity sees it in `match_percent`: placeables → STAND_IN, no punctuation."""
    words, _ = _mask(tokens(text, lang), lang)
    return ("" if lang == "zh" else " ").join(words)


def match_percent(query: str, candidate: str, lang: str) -> int:
    """The match percentage of `candidate` for `query` as CAT tools show it (whole number 0–100, rule
    in the module docstring)."""
    return _percent(query, candidate, lang, SHOWN)


def rank_score(query: str, candidate: str, lang: str, similarity: str = DEFAULT_SIMILARITY) -> int:
    """The similarity that orders the candidates (0–100, the same rule with `similarity` in place of
    the edit distance)."""
    return _percent(query, candidate, lang, similarity)


def _percent(query: str, candidate: str, lang: str, similarity: str) -> int:
    if normalize(query) == normalize(candidate):
        return 100
    query_tokens, query_words, query_placeables, query_lower, query_names = _prepared(query, lang)
    candidate_tokens, candidate_words, candidate_placeables, candidate_lower, candidate_names = _prepared(candidate, lang)
    length = max(len(query_tokens), len(candidate_tokens))
    if _content(query_words) == _content(candidate_words) and query_names == candidate_names or query_lower == candidate_lower:
        differing = max(1, edit_distance(query_tokens, candidate_tokens))
        if differing <= SMALL_SHARE * length:
            return max(95, 100 - differing)
    join = "" if lang == "zh" else " "
    compare = SIMILARITIES[similarity]
    share = edit_distance(query_placeables, candidate_placeables) / length
    score = compare(join.join(query_words), join.join(candidate_words), lang) - 100.0 * share
    if share > SMALL_SHARE:  # no longer a small difference: the placeables count as the words they are
        score = min(score, compare(join.join(query_lower), join.join(candidate_lower), lang))
    return max(0, min(94, math.floor(score)))
