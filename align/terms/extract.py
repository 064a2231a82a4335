"""Glossary extraction: the recurring English terms of the memory with their Chinese renderings.

Candidates are English word n-grams (2–6 words, no function word at either edge) that occur in at least
`min_count` units, plus capitalised names (Belt and Road Initiative) seen at least once; an n-gram inside a
longer candidate that occurs just as often is dropped (the longer one is the term). Each candidate's
rendering is the best `lookup` answer above `min_score`, and the pair must agree both ways: the best
`lookup` of that rendering back is the candidate (or ties with it: 欧洲航天局 → ESA and European Space Agency; an
answer back that is the candidate inside a clause, "one-China principle is a prevailing", is passed over). A
rendering whose best English is another one stands for a part of the candidate, a variant of it or a longer
English holding it, and gives no pair ("Minister of Defense of the Kingdom of Saudi Arabia" → 沙特阿拉伯王国 →
"Kingdom of Saudi Arabia"; "sacrifice of peace offerings unto" → 平安祭 → "peace offerings"; "currency basket" →
货币篮子 → "SDR currency basket"): the English of a pair is always a candidate, never an English the look-up back
grew to, which would skip the candidates' checks (a name is only ever a whole run: "Secretary Xi Jinping" is no
candidate, "General Secretary Xi Jinping" is). A name is taken whole: a run of capitalised
words (joined by of, of the, and, for, and inside a clause on: Forum on China-Africa Cooperation) is a
candidate only as the whole run, never a piece of it ("Foreign Ministers Meeting in Kuala" is no candidate;
"ASEAN Regional Forum Foreign Ministers Meeting" is), and a possessive ends a run ("Wenbin's Regular Press
Conference" gives "Regular Press Conference", not the fragment). A single word is a candidate only when it
recurs in at least SINGLE_NAME_UNITS units, is seen with its capital inside a clause at least once (not only
where any word has one: Wherefore, Peradventure), and is an acronym (ASEAN, BRICS), a name CC-CEDICT does
not render by itself (Hushim), or a name the memory never writes in small letters whose rendering is no
common Chinese word (Moses → 摩西, Egypt → 埃及; not China → 中国, October → 10月, and not Global, which the memory
also writes as global). "and" joins a name only between two single capitalised words the second of which
goes on (Belt and Road Initiative; also after of/the/for: the Advisory Council of the Belt and Road Forum):
two names side by side stay two. An English term is a noun phrase (`align.terms.english`: not a clause, not
a time expression, no preposition, adverb, pronoun or count at its edges), and no month or weekday is a
term; a name that only modifies one (China-Africa, African, Latin American) is none alone (`_modifier`). A rendering
is taken only when it is whole words (`_whole_rendering`, read as CC-CEDICT's longest words or as jieba's: no
function word, conjunction, pronoun, classifier or numeral at its start, no function word, pronoun, adverb or localizer at its end
(`align.terms.links.edge_word`), no digit beside it, no dictionary word of three characters or more cut at
its edges); otherwise the next of `lookup`'s first three that is. Before that, the rendering must cover the
term both ways in its unit and stand on enough evidence (`align.terms.coverage`): a title left beside it is
taken in (李克强 → 李克强总理 for "Premier Li Keqiang"), a word standing for English outside the term is cut off
with its joiner (国务委员兼外交部长王毅 → 外交部长王毅), what it holds beyond the term at its edges is cut back (主席将同普京总统 →
普京总统 for "President Putin"), and a rendering falling short of a linked term word, cutting a name the
dictionary does not know, or tied to the term by neither the dictionary nor a strong association gives no
pair. A Chinese name in pinyin is rendered whole and alone (`align.terms.readings`: 刘永 grows to 刘永坦 for "Liu
Yongtan", 聂海胜担任 is cut back to 聂海胜), and a rendering whose edge cuts a transliteration that every unit holding
the name writes whole gives no pair (拉总统 of 马塔雷拉总统 for "President Mattarella":
`align.terms.coverage.cuts_recurring_name`). Last, a pair nested in a longer common-noun pair of the glossary on
both sides, whose English never occurs in the memory without the longer one, gives way to it (`_nested`). Of what
is left, only the pairs whose evidence (dictionary ties, consistent recurrence, less the term's units rendered
otherwise) plus their rendering's fit (its `lookup` score) reaches `align.terms.evidence.MIN_CONFIDENCE` are kept, no
rendering found only inside a longer 《…》 title (强国建设 of 《交通强国建设纲要》), no recurring term with the same
content word beside it wherever it stands ("swine fever" of "African swine fever": `align.terms.evidence`), no term that is a whole noun phrase at none of its places,
by the part-of-speech tags of its units ("world economic", "provide assistance": `align.terms.heads`), and no name
that is a piece of a longer name in both languages at once ("National Forestry" → 国家林业 of "National Forestry and
Grassland Administration" → 国家林业和草原局: `align.terms.continued`); `min_confidence=None` keeps every pair.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, replace

from align.ingest.language import to_simplified
from align.score.lexicon import STOPWORDS, cedict_glosses, segmenter
from align.store.memory import Memory
from align.terms.coverage import covered_rendering, cuts_recurring_name, enough_evidence
from align.terms.english import following, noun_phrase
from align.terms.evidence import MIN_CONFIDENCE, dictionary_words, evidence
from align.terms.links import (CLAUSE_END, NAME_PAIRING, TITLE_ABBREVIATIONS, ZH_FUNCTION, chinese_tokens, cut_word,
                               edge_word, query_words_zh, shaped_like_term, strip_quotes)
from align.terms.lookup import Rendering, _in_script, lookup
from align.terms.readings import spelled_rendering

_ABBREVIATED = "|".join(sorted(TITLE_ABBREVIATIONS))  # Dr|Mr|Mrs|Ms
_WORD = re.compile(rf"(?:{_ABBREVIATED})\.(?=\s)|People['’]s|[A-Za-z][A-Za-z]*(?:-[A-Za-z0-9]+)*(?:['’](?![sS]\b)[A-Za-z]+)?|\d+")
# words that may sit inside a term but never at its edge
_INNER = frozenset({"of", "and", "with", "for", "the", "a", "in", "on", "to"})
# words that join the capitalised words of one name (Minister of Foreign Affairs, Belt and Road Initiative)
_NAME_JOINERS = frozenset({"of", "and", "the", "for", "on"})
# A one-word name must recur in this many units to be a term (1 and 2 kept names of one transcript:
# speakers' surnames, a city in a dateline).
SINGLE_NAME_UNITS = 3
# a title never ends a name
_TITLES = TITLE_ABBREVIATIONS | {f"{title}." for title in TITLE_ABBREVIATIONS} | {"Madam", "Mister"}
# a month or a day of the week is a date, not a term
_DATE_WORDS = frozenset("january february march april may june july august september october november december "
                        "monday tuesday wednesday thursday friday saturday sunday".split())


@dataclass(frozen=True)
class GlossaryEntry:
    english: str
    chinese: str
    frequency: int
    score: float
    example_en: str
    example_zh: str
    evidence: float = 0.0   # `align.terms.evidence`: what the pair stands on in the memory


def _single_term(word: str, units: int, lowered: set[str]) -> bool:
    """Whether one word alone may be a term: it recurs (SINGLE_NAME_UNITS) and is an acronym (ASEAN, BRICS), a
    name the dictionary does not render (Hushim), or a name the memory never writes in small letters (Moses,
    Egypt; not Global or Today, which it also writes as global and today) — the last only with a rendering
    that is no common word (`_common`)."""
    return units >= SINGLE_NAME_UNITS and (word.isupper() and len(word) > 1 or word.lower() not in dictionary_words()
                                           or word[0].isupper() and word.lower() not in lowered)


def _dictionary_name(word: str) -> bool:
    """A single word the dictionary renders by itself (Moses, Egypt, China): a term only when its rendering
    is no common word."""
    return " " not in word and not (word.isupper() and len(word) > 1) and word.lower() in dictionary_words()


def _modifier(name: str, rendering: str) -> bool:
    """Whether a capitalised English term is a modifier rather than a noun: a pairing of names in one word
    (China-Africa, which qualifies cooperation or relations), or a form derived from its rendering's name in the
    dictionary, its last word grown by a suffix (African of 非洲 "Africa", Latin American of 拉美 "Latin America": a
    proper adjective without its head; a plural is no such form, nor a name with a word more: Hong Kong SAR)."""
    if NAME_PAIRING.fullmatch(name):
        return True
    lowered = name.lower()
    heads = {gloss.split(",")[0].strip().lower() for gloss in cedict_glosses().get(to_simplified(rendering), ())}
    return lowered not in heads and any(len(head) >= 4 and lowered.startswith(head[:-1])
                                        and " " not in lowered[len(head) - 1:]
                                        and lowered not in (head + "s", head + "es", head[:-1] + "ies")
                                        for head in heads)


# A rendering jieba's dictionary (a general corpus of some 60 million words) counts more often than once in
# COMMON_SHARE words is general vocabulary, not a glossary term: 中国 (1 in 460), 总理 (1 in 7,300), 俄罗斯
# (1 in 9,900) are; 全球 (1 in 11,400), 埃及 (1 in 20,800), 摩西, 亚伦 are not. Chosen as a round figure by
# reasoning, then checked with `python -m align bench terms` on the demo, press and Bible sets.
COMMON_SHARE = 1 / 10_000


def _common(rendering: str) -> bool:
    """Whether a rendering is a common word of general Chinese (COMMON_SHARE), or holds a digit (10月: a
    date or a count is no term)."""
    if re.search(r"\d", rendering):
        return True
    tokenizer = segmenter().dt
    return tokenizer.FREQ.get(to_simplified(rendering), 0) > COMMON_SHARE * tokenizer.total


def _name_runs(words: list[str]) -> list[tuple[int, int]]:
    """(start, end) of every maximal run of capitalised words, joined by of/and/the/for between two
    capitalised words; a run that starts the clause with one ordinary word (The, We) leaves it out."""
    runs, k = [], 0
    while k < len(words):
        if not words[k][0].isupper() or words[k] == "I" or words[k].lower() in STOPWORDS and not words[k].isupper():
            k += 1
            continue
        end = k + 1
        while end < len(words):
            if words[end][0].isupper() and words[end] != "I":  # the pronoun is no part of a name ("Egypt I")
                end += 1
            elif words[end].lower() in _NAME_JOINERS:
                skip = 2 if words[end].lower() in ("of", "for", "on") and words[end + 1:end + 2] == ["the"] else 1  # of the
                after = end + skip
                if after < len(words) and words[after][0].isupper() and words[after].lower() not in STOPWORDS \
                        and words[after].lower() not in _DATE_WORDS and (words[end].lower() != "on" or k > 0) \
                        and (words[end].lower() != "and" or _joins(words, k, end)):
                    end = after + 1
                else:
                    break
            else:
                break
        while end > k + 1 and words[end - 1] in _TITLES:
            end -= 1
        runs.append((k, end))
        k = end
    return runs


def _joins(words: list[str], start: int, at: int) -> bool:
    """Whether the "and" at `at` joins one name: one capitalised word on each side (the first starting the
    run or following of/the/for: Advisory Council of the Belt and Road Forum), the second followed by a
    further one (Belt and Road Initiative), not two names side by side (China and Russia, the United States
    and South Korea)."""
    single = at == start + 1 or at >= 2 and words[at - 2].lower() in _NAME_JOINERS
    return single and at + 2 < len(words) and words[at + 2][0].isupper()


def _uncounted(english: str) -> str:
    """An English rendering without the counts at its edges (25th China-EU Summit → China-EU Summit): a
    number or an ordinal is no part of a term."""
    words = english.split()
    while len(words) > 1 and re.search(r"\d", words[0]):
        words = words[1:]
    while len(words) > 1 and re.search(r"\d", words[-1]):
        words = words[:-1]
    return " ".join(words)


def _whole_edges(words: list[str], names: bool) -> bool:
    """Whether a rendering read as these words has clean edges (`_whole_rendering`); with `names`, single
    characters that make the whole rendering are read as a name jieba cannot join (亚比但)."""
    if not words:
        return False
    unknown_name = names and len(words) >= 3 and all(len(w) == 1 for w in words)
    return not any(edge in ZH_FUNCTION or edge_word(edge, at_start) and not (unknown_name and len(edge) == 1)
                   for edge, at_start in ((words[0], True), (words[-1], False)))


def _whole_rendering(rendering: str, unit_zh: str) -> bool:
    """Whether a Chinese rendering is made of whole words: its first and last words are no function
    word, conjunction, pronoun, classifier or numeral and its last no adverb (`align.terms.links.edge_word`; a
    name jieba reads as single characters is let be), and where it stands in its unit it touches no digit and
    cuts no dictionary word (CC-CEDICT or jieba, `align.terms.links.UNCUT` characters or more) across its edges."""
    plain = to_simplified(rendering)
    if not (_whole_edges(query_words_zh(plain), True) or _whole_edges([t.text for t in chinese_tokens(plain)], False)):
        return False
    text = strip_quotes(to_simplified(unit_zh))
    rendering = strip_quotes(to_simplified(rendering))
    start = text.find(rendering)
    if start < 0:
        return True
    end = start + len(rendering)
    if re.match(r"\d", text[end:end + 1]) or start and re.match(r"\d", text[start - 1]):
        return False  # a piece of a number or a date (2月19日至21日)
    return not any(cut_word(text, at) for at in (start, end))


def _candidates(texts: list[str], min_count: int, longest: int = 6) -> Counter:
    counts: Counter = Counter()
    names: set[str] = set()
    inner: set[str] = set()  # one-word names seen inside a clause at least once (Peradventure, Wherefore never are)
    lowered = {w for text in texts for w in re.findall(r"\b[a-z]+\b", text)}  # words the memory writes in small letters
    for text in texts:
        seen = set()
        for clause in CLAUSE_END.split(text):
            words = _WORD.findall(clause)
            runs = _name_runs(words)
            inside = {k for a, b in runs for k in range(a, b)}
            for a, b in runs:
                if a > 0:  # not at the start of the clause, where any word has a capital
                    (names if b - a > 1 else inner).add(" ".join(words[a:b]))  # a whole name; a one-word one
                seen.add(" ".join(words[a:b]))
            for start in range(len(words)):
                for end in range(start + 2, min(len(words), start + longest) + 1):
                    piece = words[start:end]
                    if piece[0].lower() in STOPWORDS or piece[-1].lower() in STOPWORDS:
                        continue
                    if any(w.lower() in STOPWORDS and w.lower() not in _INNER for w in piece) or not shaped_like_term(piece):
                        continue
                    if any(w.isdigit() or w.lower() in _DATE_WORDS for w in piece):
                        continue  # a date or a count, not a term
                    if piece[-1] in _TITLES:
                        continue  # a title whose name is cut off ("view on Mr" of "view on Mr. Morrison")
                    if not noun_phrase(piece, words[end] if end < len(words) else None):
                        continue  # a clause, a time expression, or a phrase ending on a verb before its object
                    if any(k in inside for k in range(start, end)) and not any(a == start and b == end for a, b in runs):
                        continue  # a piece of a name, or a name with words around it
                    seen.add(" ".join(piece))
        counts.update(seen)
    kept = Counter({p: c for p, c in counts.items() if p.lower() not in _DATE_WORDS
                    and (c >= min_count or p in names) and (" " in p or p in inner and _single_term(p, c, lowered))})
    # closedness: drop an n-gram when a longer kept n-gram containing it is just as frequent
    return Counter({p: c for p, c in kept.items()
                    if not any(c == kept[q] and len(q) > len(p) and f" {p} " in f" {q} " for q in kept)})


def extract_glossary(memory: Memory, min_count: int = 2, min_score: float = 0.3, limit: int = 200,
                     min_confidence: float | None = MIN_CONFIDENCE) -> list[GlossaryEntry]:
    """The recurring terms of the memory with their renderings whose evidence plus fit (the rendering's `lookup` score)
    reaches `min_confidence` and that are no piece of a 《…》 title, of a longer English term or of a longer name in both
    languages, and somewhere a whole noun phrase (`align.terms.evidence`; None keeps every pair), most frequent first (at
    most `limit` before that cut)."""
    texts = [unit.en for unit in memory.units()]
    entries: dict[tuple[str, str], GlossaryEntry] = {}
    for phrase, frequency in _candidates(texts, min_count).most_common():
        # the best rendering made of whole words (兼外交部长王毅 gives way to 外交部长王毅)
        # and covering the term both ways in its unit (`coverage`: 习近平 grows to 习近平主席 for "President Xi Jinping")
        renderings: list[Rendering] = []
        for r in lookup(memory, phrase, limit=3):
            text = covered_rendering(phrase, r.text, r.example.en, r.example.zh) if r.score >= min_score else None
            text = spelled_rendering(phrase, text, r.example.zh) if text is not None else None
            if text is not None and _whole_rendering(text, r.example.zh) and enough_evidence(memory, phrase, text) \
                    and not cuts_recurring_name(memory, phrase, text, r.example.zh):
                renderings.append(replace(r, text=_in_script(text, r.example)))
        if not renderings:
            continue
        best = renderings[0]
        if _dictionary_name(phrase) and _common(best.text):
            continue  # China → 中国, October → 10月: the dictionary's business
        # an answer back that is the candidate inside a clause is passed over: it is the candidate's own context,
        # not another English (一个中国原则 → "one-China principle is a prevailing", then "one-China principle")
        back = [r for r in lookup(memory, best.text, limit=3)
                if f" {phrase.lower()} " not in f" {r.text.lower()} " or r.text.lower() == phrase.lower()
                or _term_shaped(_uncounted(r.text), r.example.en)]
        whole = _uncounted(back[0].text) if back and back[0].score >= min_score else phrase
        tied = {r.text.lower() for r in back if r.score >= back[0].score}  # ESA and European Space Agency
        if phrase.lower() not in tied and whole.lower() != phrase.lower():
            # the rendering stands for another English: a part of this one, a variant of it, or a longer English
            # holding it, which is no candidate's English ("SDR currency basket" → 货币篮子 of "currency basket")
            continue
        if phrase[0].isupper() and _modifier(phrase, best.text):
            continue  # African → 非洲, China-Africa → 中非, Latin American → 拉美: a name's modifier is no term alone
        key = (phrase.lower(), best.text)
        if key not in entries or entries[key].score < best.score:
            entries[key] = GlossaryEntry(phrase, best.text, frequency, best.score, best.example.en, best.example.zh)
        if len(entries) >= limit:
            break
    kept = [e for e in entries.values() if not _nested(e, entries.values(), memory)]
    found = [(e, evidence(memory, e.english, e.chinese)) for e in kept]
    kept = [replace(e, evidence=ev.score) for e, ev in found
            if min_confidence is None or ev.score + e.score >= min_confidence and not ev.title_piece
            and ev.beside is None and not ev.headless and not ev.continued]
    return sorted(kept, key=lambda e: (-e.frequency, -e.score, e.english.lower()))


def _term_shaped(english: str, unit_en: str) -> bool:
    """Whether English `lookup` gave back has the shape of a term (`shaped_like_term`, `noun_phrase`)."""
    words = english.split()
    return bool(words) and shaped_like_term(words) and noun_phrase(words, following(unit_en, english))


def _nested(entry: GlossaryEntry, entries, memory: Memory) -> bool:
    """Whether a pair is a piece of a longer pair of the glossary that holds it on both sides, and its English never
    occurs in the memory outside the longer English (as C-value reads a nested term: "sovereignty and maritime
    rights and interests" → 主权和海洋权益, always within "territorial sovereignty and maritime rights and interests"
    → 领土主权和海洋权益). A name is made of terms of its own: "political settlement" stays beside "Political
    Settlement of the Ukraine Crisis"."""
    english, chinese = f" {entry.english.lower()} ", _zh_plain(entry.chinese)
    holding = [e for e in entries if e is not entry and e.english[0].islower() and english in f" {e.english.lower()} "
               and len(e.english) > len(entry.english) and chinese in _zh_plain(e.chinese)]
    return bool(holding) and any(memory.count_matches(e.english) >= memory.count_matches(entry.english)
                                 for e in holding)


def _zh_plain(text: str) -> str:
    return strip_quotes(to_simplified(text))
