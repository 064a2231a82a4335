"""Term lookup: the renderings of an English term in Chinese (or the reverse), cut out of aligned units
by sub-sentence alignment.

In every unit holding the term (a sample of the first found), the words of the other side are linked
to the term's words and to the words around the term (`align.terms.links`: CC-CEDICT, numbers and
Latin tokens, acronyms, and Dice over the memory for what the dictionary leaves unexplained). A
candidate rendering is a run of whole words (jieba words; English words not starting or ending with a
function word; no Chinese one starting on a lone numeral, classifier, localizer, preposition, conjunction or
particle before a dictionary word: 一 积极表态, 位 外交部) that is *consistent* with the links, as in phrase-pair
extraction for statistical MT: no word inside it is linked only to a word outside the term, and no punctuation is
crossed. It grows
from the words linked to the term over unlinked words only where the term has words left unexplained.

Each candidate's fit in a unit is the share of the term's content words it accounts for — linked
words, then words the statistics tie to the term, then (at half weight) unlinked words standing in for
unexplained ones — less what it holds beyond the term. A rendering's score is its fit averaged over
the term's units (whole and consistent first), weighed lightly by specificity (how rarely the span
occurs without the term, from the memory's fixed background sample).

Simplified and Traditional are one memory: the term is searched in Simplified (the memory's index is
keyed so), every unit is read through its Simplified form, and a Chinese rendering is shown in the
characters of the unit it was cut from, with that unit's script.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, replace

from align.errors import InputError
from align.ingest.language import han_ratio, script, to_simplified
from align.store.memory import Memory, StoredUnit
from align.terms.links import (Association, Token, background, character_stems, chinese_tokens, dictionary_word,
                               english_tokens, jieba_tags, linked, query_words_zh, shaped_like_term, strip_quotes)
from align.score.lexicon import stem

# A word the statistics tie to the term: Dice of at least this much (0.5: the word and the term share
# at least a third of their occurrences; 0.4 and 0.6 gave the same P@1 on the glossary, `bench terms`).
ASSOCIATED = 0.5
# How far a rendering grows beyond the words linked to the term, in words, on either side.
_GROW = 3
# The longest rendering in words (Chinese jieba words; English words including function words).
_LONGEST = {"zh": 8, "en": 10}


@dataclass(frozen=True)
class Rendering:
    """A rendering of the term (Chinese in the script of its example unit, where that unit holds it), in
    how many units it was found, its score and its script."""

    text: str
    count: int
    score: float
    example: StoredUnit
    script: str   # 'Simplified' or 'Traditional': of a Chinese rendering, else of the example's Chinese

    def as_dict(self) -> dict:
        return {"rendering": self.text, "count": self.count, "score": round(self.score, 3), "script": self.script,
                "example": {"id": self.example.id, "en": self.example.en, "zh": self.example.zh,
                            "document": self.example.document, "confidence": self.example.confidence}}


def _simplified(unit: StoredUnit) -> StoredUnit:
    """The unit with its Chinese in Simplified, when the conversion keeps every character's place (so a
    span cut from it can be cut from the unit's own characters too); the unit itself otherwise."""
    zh = to_simplified(unit.zh)
    return replace(unit, zh=zh) if len(zh) == len(unit.zh) else unit


@dataclass
class _Unit:
    """One unit seen from the term: its other side's words, which of them link to the term, and which
    are held by words outside the term."""
    unit: StoredUnit
    occurrences: int
    target: list[Token]
    text: str                        # the target side the token offsets refer to
    links: list[frozenset]           # per target token: indexes of the term's content words it is linked to
    outside: list[bool]              # per target token: linked to a word outside the term


def _key(word: str) -> str:
    return stem(word.lower())


def _english_source(unit: StoredUnit, query: list[Token]) -> tuple[int, set, list[Token]]:
    """Occurrences of an English term in the unit, the stems around them, the outside uppercase words."""
    tokens = [t for t in english_tokens(unit.en) if not t.punct]
    keys = [_key(t.text) for t in tokens]
    wanted = [_key(t.text) for t in query]
    inside: set[int] = set()
    occurrences = 0
    for start in range(len(tokens) - len(wanted) + 1):
        if keys[start:start + len(wanted)] == wanted:
            occurrences += 1
            inside.update(range(start, start + len(wanted)))
    if not occurrences:  # the index matched another form; take the term's words wherever they are
        occurrences = 1
        inside = {i for i, k in enumerate(keys) if k in wanted}
    outside = [t for i, t in enumerate(tokens) if i not in inside]
    return occurrences, set().union(*(t.stems for t in outside)), outside


def _prepare_english_term(unit: StoredUnit, query: list[Token], source: tuple, target: list[Token]) -> _Unit:
    occurrences, outside_stems, outside_words = source
    acronyms = {t.text.lower() for t in outside_words if t.text.isupper() and len(t.text) >= 2}
    content = [q for q in query if q.content]
    links = [frozenset(i for i, q in enumerate(content) if linked(t, q)) for t in target]
    outside = [bool(t.stems & outside_stems or t.acronyms & acronyms) for t in target]
    query_stems = set().union(*(q.stems for q in content))
    explained = set().union(*links)
    for k, t in enumerate(target):  # a word without a link of its own falls back on its characters (互鉴: 互 "mutual")
        if not links[k] and not outside[k] and len(t.text) > 1:
            links[k] = frozenset(i for i, q in enumerate(content)
                                 if i not in explained and character_stems(t.text) & q.stems)
    for k, t in enumerate(target):  # a word no link explains falls back on its characters
        if not links[k] and not outside[k] and not t.stems & query_stems:
            weak = character_stems(t.text)
            outside[k] = bool(weak & outside_stems) and not weak & query_stems
    return _Unit(unit, occurrences, target, strip_quotes(unit.zh), links, outside)


def _prepare_chinese_term(unit: StoredUnit, term: str, query: list[Token]) -> _Unit:
    source = chinese_tokens(unit.zh, keep=term)
    clean = strip_quotes(unit.zh)
    starts = [m.start() for m in re.finditer(re.escape(term), clean)]
    outside_words = [t for t in source if not any(s <= t.start < s + len(term) for s in starts)]
    target = english_tokens(unit.en)
    english = set().union(*(t.stems for t in target))
    # an outside word no link explains falls back on its characters (构建 "to construct": 构 + 建 "to build")
    outside_stems = set().union(*(t.stems | (character_stems(t.text) if not t.stems & english else frozenset())
                                  for t in outside_words))
    outside_acronyms = set().union(*(t.acronyms for t in outside_words))
    content = [q for q in query if q.content]
    links = [frozenset(i for i, q in enumerate(content) if linked(q, t)) for t in target]
    outside = [bool(t.stems & outside_stems or (t.text.isupper() and t.text.lower() in outside_acronyms))
               for t in target]
    explained = set().union(*links)
    for k, t in enumerate(target):  # a query word without a link falls back on its characters (互鉴: 互 "mutual")
        if not links[k] and not outside[k] and t.stems:
            links[k] = frozenset(i for i, q in enumerate(content)
                                 if i not in explained and character_stems(q.text) & t.stems)
    return _Unit(unit, max(1, len(starts)), target, unit.en, links, outside)


def _spans(seen: _Unit, size: int, association: Association, side: str) -> dict[str, float]:
    """The consistent candidate spans of one unit with their fit (see the module docstring)."""
    tokens, links, outside = seen.target, seen.links, seen.outside
    tied = [bool(links[k]) or (t.content and not outside[k] and association.dice(t.text) >= ASSOCIATED)
            for k, t in enumerate(tokens)]
    # a span never holds punctuation nor a word linked only outside the term
    blocked = [t.punct or (outside[k] and not links[k]) for k, t in enumerate(tokens)]
    anchors = [k for k in range(len(tokens)) if tied[k] and not blocked[k]]
    if any(links[k] for k in anchors):  # where the dictionary speaks, a rendering holds one of its links
        starts = [k for k in anchors if links[k]]
    else:
        starts = anchors
    found: dict[str, float] = {}
    for a in starts:
        for b in anchors:
            if b < a:
                continue
            if b - a >= _LONGEST[side] or any(blocked[a:b + 1]):
                break
            for left in range(0, _GROW + 1):
                start = a - left
                if start < 0 or blocked[start]:
                    break
                if not tokens[start].content or side == "zh" and _loose_start(tokens, start):
                    continue
                for right in range(0, _GROW + 1):
                    end = b + right
                    if end >= len(tokens) or blocked[end] or end - start >= _LONGEST[side]:
                        break
                    if not tokens[end].content:
                        continue
                    if side == "en" and not shaped_like_term([t.text for t in tokens[start:end + 1]]):
                        continue  # an English rendering has the shape of a noun phrase
                    fit = _fit(start, end, seen, tied, blocked, size)
                    if fit > 0:
                        text = seen.text[tokens[start].start:tokens[end].start + len(tokens[end].text)]
                        found[text] = max(found.get(text, 0.0), fit)
    return found


# Parts of speech (jieba's tags) of a single character that begins no rendering before a word of its own: a
# numeral, classifier, localizer, preposition, conjunction or particle (一 积极, 位 外交部, 中 中国, 下 作出; not a
# determiner: 各 领域).
_LOOSE_TAGS = ("m", "q", "f", "p", "c", "u")
_NUMERALS = frozenset("一二三四五六七八九十百千万亿两零")


def _loose_start(tokens: list[Token], k: int) -> bool:
    """Whether a Chinese candidate may not start at token k: a single character of a part of speech in
    `_LOOSE_TAGS` followed by a dictionary word of two characters or more (a word of its neighbour's phrase, not the
    start of a term; before single characters or a word no dictionary knows it may begin a name jieba cannot read,
    别 是巴 "Beersheba", and a numeral before a numeral is a number, 二 十国集团)."""
    word, after = tokens[k].text, tokens[k + 1] if k + 1 < len(tokens) else None
    if len(word) != 1 or after is None or len(after.text) < 2 or after.punct or not dictionary_word(after.text):
        return False
    if word in _NUMERALS and after.text[0] in _NUMERALS:
        return False
    return (jieba_tags().get(word) or "").startswith(_LOOSE_TAGS)


def _fit(start: int, end: int, seen: _Unit, tied: list[bool], blocked: list[bool], size: int) -> float:
    """Share of the term's content words the span accounts for, less what it holds beyond the term and
    the words tied to the term that it leaves out beside it (in the same clause)."""
    covered: dict[int, float] = {}
    associated = 0
    plain: list[int] = []
    linked_at: list[int] = []
    repeated = 0
    for k in range(start, end + 1):
        token = seen.target[k]
        if not token.content:
            continue
        if seen.links[k] and any(seen.target[j].text.lower() == token.text.lower() for j in linked_at):
            repeated += 1  # the same word again: a second mention, not more of the term
        elif seen.links[k]:
            weight = 0.75 if seen.outside[k] else 1.0  # a word also linked outside the term is weaker evidence
            for i in seen.links[k]:
                covered[i] = max(covered.get(i, 0.0), weight)
            linked_at.append(k)
        elif tied[k]:
            associated += 1
        else:
            plain.append(k)
    unexplained = [i for i in range(size) if i not in covered]
    by_association = min(len(unexplained), associated)
    open_words = unexplained[by_association:]
    # an unlinked word stands in for an unexplained word of the term, at half weight; a little less when
    # it sits on the other side of the linked words than the unexplained word does in the term
    by_plain = 0.0
    for i, k in zip(open_words, plain):
        same_side = not covered or not linked_at or ((i < min(covered)) == (k < min(linked_at)))
        by_plain += 0.5 if same_side else 0.4
    surplus = 0.1 * (associated - by_association) + 0.5 * max(0, len(plain) - len(open_words)) + 0.5 * repeated
    left_out = 0.0
    for step, edge in ((-1, start), (1, end)):
        k = edge + step
        while 0 <= k < len(seen.target) and not blocked[k]:
            left_out += 0.5 if seen.links[k] else 0.25 if tied[k] else 0.0
            k += step
    return (sum(covered.values()) + by_association + by_plain - surplus - left_out) / size


def _subsume(ranked: list[str], fits: dict[str, dict[int, float]]) -> None:
    """The whole term takes over its fragment: when a longer candidate fits better than a shorter one
    it contains in every unit where both can be cut, and in at least half the fragment's units, the
    units where only the fragment can be cut (a word of the term linked elsewhere there) count for the
    longer one too."""
    for short in ranked:
        for long in ranked:
            if long == short or short not in long:
                continue
            both = fits[short].keys() & fits[long].keys()
            if 2 * len(both) >= len(fits[short]) and all(fits[long][i] > fits[short][i] for i in both):
                for i in fits[short].keys() - fits[long].keys():
                    fits[long][i] = fits[short][i]


def _in_script(rendering: str, unit: StoredUnit) -> str:
    """A Chinese rendering (Simplified) in the characters of `unit`, where the unit holds it."""
    text = strip_quotes(unit.zh)
    start = strip_quotes(to_simplified(unit.zh)).find(rendering)
    return text[start:start + len(rendering)] if start >= 0 and len(text) == len(strip_quotes(to_simplified(unit.zh))) else rendering


def lookup(memory: Memory, term: str, limit: int = 5, sample: int = 40, candidates: int = 15) -> list[Rendering]:
    """Renderings of `term`, best first, from a sample of the units holding it (the first found; 40 gave
    the same P@1 as 60 on the glossary and keeps the p95 under 50 ms at 200,000 units: `bench terms`,
    `bench memory`).
    InputError for a term without a letter, digit or character (punctuation alone means nothing)."""
    term = term.strip()
    if not re.search(r"[^\W_]", term):
        raise InputError(f"{term!r}: nothing to look up; give an English or Chinese word or phrase")
    term_is_english = han_ratio(term) <= 0.5
    term = term if term_is_english else to_simplified(term)
    originals = {u.id: u for u in memory.search(term, limit=sample, ranked=False)}
    units = [_simplified(u) for u in originals.values()]
    if not units and not term_is_english:
        # quotation marks inside the unit hide the term from the index (共建“一带一路”倡议): find its
        # longest word and keep the units that hold the term once the quotation marks are dropped
        longest = max(query_words_zh(term), key=len)
        originals = {u.id: u for u in memory.search(longest, limit=sample, ranked=False)}
        units = [u for u in map(_simplified, originals.values()) if strip_quotes(term) in strip_quotes(u.zh)]
    if not units:
        return []
    if term_is_english:
        query = [t for t in english_tokens(term) if not t.punct]
        sources = [_english_source(u, query) for u in units]
        targets = [chinese_tokens(u.zh) for u in units]
        occurrences = [source[0] for source in sources]
    else:
        term = strip_quotes(term)
        query = [t for t in chinese_tokens(term, keep=term) if not t.punct]
        seen = [_prepare_chinese_term(u, term, query) for u in units]
        occurrences, targets = [s.occurrences for s in seen], [s.target for s in seen]
    size = max(1, sum(1 for q in query if q.content))
    side = "zh" if term_is_english else "en"
    back = background(memory)
    with_term, total = memory.count_matches(term), memory.count()
    association = Association(occurrences, targets, side, back, with_term, total)
    if term_is_english:
        targets = association.merge(occurrences, targets, ASSOCIATED)
        seen = [_prepare_english_term(u, query, source, target) for u, source, target in zip(units, sources, targets)]

    fits: dict[str, dict[int, float]] = defaultdict(dict)   # rendering → unit id → fit
    shown: dict[str, str] = {}
    for s in seen:
        for text, fit in _spans(s, size, association, side).items():
            key = text if side == "zh" else text.lower()
            fits[key][s.unit.id] = fit
            shown.setdefault(key, text)
    by_id = originals  # the answers show each unit as it is stored, in its own script
    ranked = sorted(fits, key=lambda k: (-sum(fits[k].values()), k))[:candidates]
    _subsume(ranked, fits)
    term_share = with_term / max(1, total)
    results = []
    for key in ranked:
        consistency = len(fits[key]) / len(units)
        span_share = (back.span_units(key, side) + 0.5) / (back.size + 1)
        specificity = min(1.0, consistency * term_share / span_share)
        score = sum(fits[key].values()) / len(units) * (0.8 + 0.2 * specificity)
        if score <= 0:
            continue
        holds = {i for i in fits[key] if key in (strip_quotes(to_simplified(by_id[i].zh)) if side == "zh" else by_id[i].en.lower())}
        best = max(fits[key], key=lambda i: (i in holds, fits[key][i], by_id[i].confidence or 0.0, -len(by_id[i].en)))
        example = by_id[best]
        text = _in_script(shown[key], example) if side == "zh" else shown[key]
        written = script(text, example.zh_lang if text in strip_quotes(example.zh) else None) if side == "zh" else example.script
        results.append(Rendering(text, len(fits[key]), min(1.0, score), example, written))
    results.sort(key=lambda r: (-r.score, -r.count, r.text))
    return results[:limit]
