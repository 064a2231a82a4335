"""Whether an English term and a Chinese rendering cover each other in the unit they were cut from, and
whether a pair the dictionary does not tie has the statistics to stand on, as a terminologist would check
a glossary entry (`terms extract` uses both).

- **English → Chinese**: every content word of the term (each part of a hyphenated one: one-China) that
  CC-CEDICT (or an acronym, or the same Latin token) links to a word of the unit's Chinese has such a word
  inside the rendering. A title the rendering leaves outside beside it is taken in (习近平 + 主席 for "President Xi Jinping", as far as `_REACH` words
  on either side, never across punctuation); a term word whose only links stand farther away makes the
  rendering fall short, and there is no pair.
- **Chinese → English**: no word of the rendering is linked only to English words outside the term (美韩
  for "joint statement" in a sentence about the US and the ROK): such a word at an edge is cut off, one
  inside leaves no pair. A word without a dictionary entry of its own is read by its characters here.
- **Nothing beyond the term** (`_without_surplus`): at its edges the rendering is cut back, word by word and
  never inside a dictionary word, past a second rendering of a term word (主席将同普京总统 → 普京总统 for
  "President Putin", unless the term coordinates), past a word rendering nothing once the rest links every
  term word, past a verb at its start rendering nothing (损害 before 多边贸易体制), past a dictionary word
  rendering nothing when the span holds more such words than the term has words the rest leaves unlinked (全国
  before 城镇调查失业率), and past the function words such a cut leaves; a rendering that coordinates inside (和,
  与, 同) renders only a term that coordinates too.
- **A cut name**: a rendering that starts or ends inside a run of single characters jieba could not make
  into words (a transliteration it does not know: 卡 洛 特, 拉马 福 萨) is a piece of a name, not a term; so is one
  whose edge and the name piece beside it stand together in every unit holding the term's name
  (`cuts_recurring_name`: 拉 总统 where the memory writes 马塔雷拉 wherever "Mattarella" stands).
- **Evidence**: a pair no dictionary link ties needs the association `lookup` asks of a statistical link
  (Dice over units of at least `ASSOCIATED`): a word that merely stood beside the term once or twice in a
  small memory is no rendering of it; and a term CC-CEDICT has whole (Taiwan Strait: 台湾海峡) takes only that
  word or an abbreviation of it.
"""

from __future__ import annotations

import re
from functools import lru_cache

from align.ingest.language import to_simplified
from align.score.lexicon import cedict_glosses, english_stems
from align.terms.links import (HAN_CHAR, NAME_PAIRING, ZH_FUNCTION, Token, character_stems, chinese_tokens, cut_word,
                               edge_word, english_tokens, jieba_tags, linked, strip_quotes)
from align.terms.evidence import dictionary_words
from align.terms.lookup import ASSOCIATED
from align.terms.official import pairing
from align.store.memory import Memory

# How many Chinese words a rendering may grow by, on either side, to take in a term word left outside it
# (a title before or after a name: 习近平主席, 外交部长王毅 — one word in press prose; two allow 国务委员兼…).
_REACH = 2
_NAME_TAGS = frozenset("n nr ns nz".split())  # jieba's tags of a noun and of names
_PROPER_TAGS = frozenset("nr ns nz".split())  # jieba's tags of names
_DASHES = frozenset("— – - －".split())


def covered_rendering(english: str, rendering: str, unit_en: str, unit_zh: str) -> str | None:
    """The rendering grown or trimmed so that it and the term cover each other in the unit (see the
    module docstring), in Simplified without quotation marks; None when they cannot."""
    text = strip_quotes(to_simplified(unit_zh))
    rendering = strip_quotes(to_simplified(rendering))
    start = text.find(rendering)
    if start < 0:
        return rendering  # not cut from this unit's text as written: nothing to check against
    tokens = chinese_tokens(text)
    span = [k for k, t in enumerate(tokens) if start <= t.start < start + len(rendering)]
    if not span or tokens[span[0]].start != start or tokens[span[-1]].start + len(tokens[span[-1]].text) != start + len(rendering):
        return rendering  # the rendering does not fall on the unit's word boundaries; `_whole_rendering` judges those
    first, last = span[0], span[-1]
    term, paired = _term_words(english)
    term_keys = {t.text.lower() for t in english_tokens(english) + term}
    others = [t for t in english_tokens(unit_en) if t.content and t.text.lower() not in term_keys]
    # a content word of the rendering no term word explains may stand for one that has no link inside it
    # (命运 for "future" in 人类命运共同体, 联合 for "Joint"); what is left must be taken in beside, or fails
    free = sum(1 for k in range(first, last + 1) if tokens[k].content and not any(_tied(tokens[k], w) for w in term)
               and not _foreign(tokens[k], term, others))
    for word in term:
        if any(_tied(tokens[k], word) for k in range(first, last + 1)):
            continue
        if not any(linked(t, word) for t in tokens):
            continue  # the dictionary links the word to nothing here: the rendering cannot be blamed
        if free and word not in paired:  # a free word never stands in for one of a pairing's names
            free -= 1
            continue
        for reach in range(1, _REACH + 1):  # the nearer side first, the words between taken in too
            if first - reach >= 0 and _tied(tokens[first - reach], word) and not _breaks(tokens[first - reach:first]):
                first -= reach
                break
            if last + reach < len(tokens) and _tied(tokens[last + reach], word) \
                    and not _breaks(tokens[last + 1:last + reach + 1]):
                last += reach
                break
        if not any(_tied(tokens[k], word) for k in range(first, last + 1)):
            return None  # the rendering falls short of a word of the term
    # a foreign word at an edge is cut off, and so is a function word joining the rendering to one, inside or
    # just outside it (国务委员兼 before 外交部长王毅); a function character that begins a name stays (以 扫: before a
    # single character or a name the dictionary does not know)
    while first <= last and (_foreign(tokens[first], term, others) or tokens[first].function and first > 0
                             and _foreign(tokens[first - 1], term, others)
                             and not (first < last and (len(tokens[first + 1].text) == 1 or _unknown(tokens[first + 1])))):
        first += 1
    while last >= first and (_foreign(tokens[last], term, others) or tokens[last].function and last + 1 < len(tokens)
                             and _foreign(tokens[last + 1], term, others)):
        last -= 1
    if first > last or any(_foreign(tokens[k], term, others) for k in range(first, last + 1)):
        return None
    first, last = _without_surplus(text, tokens, first, last, term, english)
    if first > last or _cuts_name(tokens, first, last) or not _coordinated(tokens[first:last + 1], english):
        return None
    return text[tokens[first].start:tokens[last].start + len(tokens[last].text)]


def _without_surplus(text: str, tokens: list[Token], first: int, last: int, term: list[Token],
                     english: str) -> tuple[int, int]:
    """The span without what it holds beyond the term at its edges, cut word by word, never inside a dictionary
    word (`cut_word`: 战略伙伴 关系 stays whole, 伙伴关系 is one): a word rendering only term words that another word
    of the span renders too, unless the term coordinates (主席 before 普京总统 for "President Putin", the second
    全球 of 全球发展倡议和全球; not 国务部长 of 国务部长兼外长 for "Minister of State and Foreign Affairs"); a content
    word rendering nothing of a term whose every word the rest links by the dictionary (全国 before 城镇调查失业率);
    and a function word or pronoun left at an edge by such a cut (将同, 和)."""
    coordinated = _coordinating_word(english)

    def renders(k: int) -> set[int]:
        return {i for i, word in enumerate(term) if _tied(tokens[k], word)}

    def surplus(k: int, at_start: bool, after_cut: bool) -> bool:
        if cut_word(text, tokens[k + 1].start if at_start else tokens[k].start):
            return False
        if edge_word(tokens[k].text, at_start) and not renders(k):
            return after_cut and not (at_start and _name_start(tokens, k))
        if not tokens[k].content:
            return False
        if renders(k):
            return not coordinated and renders(k) <= set().union(*(renders(j) for j in range(first, last + 1) if j != k))
        if at_start and len(tokens[k].text) > 1 and jieba_tags().get(tokens[k].text) == "v":
            return True  # a verb before its object (损害 of 损害多边贸易体制 for "multilateral trading system")
        if all(any(linked(tokens[j], word) for j in range(first, last + 1) if j != k) for word in term):
            return True
        # a dictionary word when more of the span's dictionary words render nothing than the term has words the rest
        # does not link (全国 before 城镇调查失业率 for "surveyed urban unemployment rate": 调查 stands in for "surveyed")
        unlinked = sum(1 for word in term if not any(linked(tokens[j], word) for j in range(first, last + 1) if j != k))
        idle = sum(1 for j in range(first, last + 1) if _idle_word(tokens[j]) and not renders(j))
        return _idle_word(tokens[k]) and idle > unlinked

    cut = {True: False, False: False}  # whether a content word was cut at the start, at the end
    while first < last:
        # the edge joined to the rest by a function word first (全球 after 和, 主席 before 将同): the overrun is there
        for at_start in sorted((True, False), key=lambda side: not tokens[first + 1 if side else last - 1].function):
            k = first if at_start else last
            if surplus(k, at_start, cut[at_start]):
                cut[at_start] |= tokens[k].content
                first, last = (first + 1, last) if at_start else (first, last - 1)
                break
        else:
            break
    return first, last


def _idle_word(token: Token) -> bool:
    """A content word of two characters or more that CC-CEDICT knows (no piece of a name)."""
    return token.content and len(token.text) > 1 and token.text in cedict_glosses()


def _name_start(tokens: list[Token], k: int) -> bool:
    """A function character that begins a name (以 扫): before a single character or a name the dictionary does
    not know."""
    following = tokens[k + 1] if k + 1 < len(tokens) else None
    return following is not None and following.content and (len(following.text) == 1 or _unknown(following))


# The words that coordinate in Chinese (和, 与, 同, 及, 以及, 并, 跟) and in English.
_ZH_COORDINATORS = frozenset("和 与 同 及 以及 并 跟 或".split())
_EN_COORDINATORS = frozenset("and or with & plus".split())


def _coordinated(span: list[Token], english: str) -> bool:
    """A rendering that coordinates inside (全球安全倡议和全球文明) renders a term that coordinates too (heads of
    state and government, China-Africa: a pairing of names)."""
    if not any(t.text in _ZH_COORDINATORS for t in span[1:-1]):
        return True
    return _coordinating_word(english) or NAME_PAIRING.search(english) is not None


def _coordinating_word(english: str) -> bool:
    """Whether an English term holds a word that coordinates (heads of state and government)."""
    return any(w in _EN_COORDINATORS for w in english.lower().split())


def _term_words(english: str) -> tuple[list[Token], list[Token]]:
    """The content words of a term, a hyphenated word counted as its parts (one-China: one and China, so the
    count 一个 of 一个中国原则 renders a word of its own), and the names of a pairing of names (China-EU: China and
    EU): the rendering must cover each of them itself (中国—欧盟领导人会晤, not 欧盟领导人会晤)."""
    words, paired = [], []
    for token in english_tokens(english):
        if token.content and "-" in token.text.strip("-"):
            parts = [part for part in english_tokens(token.text.replace("-", " ")) if part.content]
            words += parts
            paired += parts if NAME_PAIRING.fullmatch(token.text) else []
        elif token.content:
            words.append(token)
    return words, paired


def _breaks(between: list[Token]) -> bool:
    """Whether the words between a rendering and a term word it would take in hold punctuation other than the
    dash that joins two names (中国—东盟)."""
    return any(t.punct and t.text not in _DASHES for t in between)


def _tied(token: Token, word: Token) -> bool:
    """A Chinese word stands for an English one: by the dictionary, or by its characters (互鉴: 互 "mutual")."""
    return linked(token, word) or bool(character_stems(token.text) & word.stems)


def _foreign(token: Token, term: list[Token], others: list[Token]) -> bool:
    """A content word of the rendering that stands for none of the term's words but for an English word of
    the unit outside the term (its characters speak for a word without a dictionary entry of its own)."""
    if _unnamed_pairing(token, term):
        return True
    if not token.content or any(_tied(token, word) for word in term):
        return False
    if token.stems:
        return any(linked(token, other) for other in others)
    weak = character_stems(token.text)
    return any(weak & other.stems for other in others)


def _unnamed_pairing(token: Token, term: list[Token]) -> bool:
    """A pairing of two countries (美韩, 中欧: `align.terms.official.pairing`) of which the term names at most
    one: it stands for more than the term (美韩 before 联合声明 for "joint statement", 中欧 for "EU")."""
    parts = pairing(token.text, cedict_glosses(), jieba_tags())
    if parts is None:
        return False
    names = {w.text.lower() for w in term}
    stems = frozenset().union(*(w.stems for w in term))
    return not all(any(e.lower() in names or english_stems(e) and english_stems(e) <= stems for e in part.english)
                   for part in parts)


def _cuts_name(tokens: list[Token], first: int, last: int) -> bool:
    """Whether the span begins or ends inside a name CC-CEDICT does not know: its edge word is unknown to
    the dictionary (and jieba knows it as a name or not at all), and so is the word beside it outside the
    span, or that word is a single character jieba tags as a noun or a name (卡 洛特: a transliteration cut
    after its first character; not 起名叫 伯特利 or 以 扫, a verb and a preposition before a name); or the span's
    edge and the word beside it are single characters jieba tags as names (拉马 福 | 萨 of 拉马福萨 "Ramaphosa": a
    transliteration is taken whole)."""

    def name_part(k: int) -> bool:
        word = tokens[k].text
        return _unknown(tokens[k]) or (len(word) == 1 and HAN_CHAR.match(word) is not None and word not in ZH_FUNCTION
                                       and jieba_tags().get(word) in _NAME_TAGS)

    def lone_names(k: int, beside: int) -> bool:  # two lone characters jieba tags as names: 拉马 福 萨
        return all(len(tokens[j].text) == 1 and jieba_tags().get(tokens[j].text) in _PROPER_TAGS for j in (k, beside))

    return (first > 0 and (_unknown(tokens[first]) and name_part(first - 1) or lone_names(first, first - 1))) or \
        (last + 1 < len(tokens) and (_unknown(tokens[last]) and name_part(last + 1) or lone_names(last, last + 1)))


def _unknown(token: Token) -> bool:
    """A piece of a name: a Han word CC-CEDICT does not know, which jieba knows as a name or not at all."""
    tag = jieba_tags().get(token.text)
    return (bool(HAN_CHAR.match(token.text)) and not token.punct and token.text not in ZH_FUNCTION
            and token.text not in cedict_glosses() and (tag is None or tag.startswith("n")))


@lru_cache(maxsize=1)
def glossed_terms() -> dict[str, tuple[str, ...]]:
    """The English of CC-CEDICT's glosses of two words or more, in small letters, with their headwords: terms
    the dictionary renders as a whole (taiwan island: 台湾岛)."""
    table: dict[str, list[str]] = {}
    for word, glosses in cedict_glosses().items():
        for gloss in glosses:
            if " " in gloss.strip():
                table.setdefault(gloss.strip().lower(), []).append(word)
    return {gloss: tuple(words) for gloss, words in table.items()}


def _abbreviates(rendering: str, word: str) -> bool:
    """Whether a rendering is the word or its abbreviation: its characters in the word's order (台岛 of 台湾岛)."""
    rest = iter(word)
    return all(ch in rest for ch in rendering)


def enough_evidence(memory: Memory, english: str, rendering: str, sample: int = 40) -> bool:
    """Whether a pair stands: the dictionary links a word of the rendering to a word of the term, or — unless
    the dictionary has the whole term and the rendering is neither its word nor an abbreviation of it — the two
    go together in the memory with a Dice over units of at least ASSOCIATED (the strength `lookup`
    asks of a statistical link), counted over the first `sample` units holding the term."""
    term = [t for t in english_tokens(english) if t.content]
    words = [t for t in chinese_tokens(strip_quotes(to_simplified(rendering))) if t.content]
    if any(linked(zh, en) for zh in words for en in term):
        return True
    rendering = strip_quotes(to_simplified(rendering))
    known = glossed_terms().get(english.lower(), ())
    if known and not any(_abbreviates(rendering, word) for word in known):
        return False  # the dictionary has this very term (Taiwan Strait: 台湾海峡), and the rendering is not it
    holding = memory.search(english, limit=sample, ranked=False)
    both = sum(1 for unit in holding if rendering in strip_quotes(to_simplified(unit.zh)))
    scale = memory.count_matches(english) / max(1, len(holding))
    together = both * scale
    return 2 * together / (memory.count_matches(english) + memory.count_matches(rendering)) >= ASSOCIATED


def cuts_recurring_name(memory: Memory, english: str, rendering: str, unit_zh: str, sample: int = 40) -> bool:
    """Whether the rendering cuts the transliteration of a name the term holds, as the memory shows it: the
    rendering's edge word renders no term word by the dictionary and is a piece of a name (a word CC-CEDICT does not
    know, or a single character), the word beside it outside is one too, and the two together stand in the Chinese
    of every unit holding the name, two units or more (拉 总统 for "President Mattarella", where both units holding
    Mattarella write 马塔雷拉: the name is written the same wherever it stands, so its pieces go together). The name
    is a capitalised word of the term that is no English word of the dictionary."""
    text = strip_quotes(to_simplified(unit_zh))
    rendering = strip_quotes(to_simplified(rendering))
    start = text.find(rendering)
    term = [t for t in english_tokens(english) if t.content]
    names = [t.text for t in term if t.text[:1].isupper() and t.text.lower() not in dictionary_words()]
    if start < 0 or not names:
        return False
    tokens = chinese_tokens(text)
    span = [k for k, t in enumerate(tokens) if start <= t.start < start + len(rendering)]
    if not span:
        return False

    def name_piece(token: Token) -> bool:
        return bool(HAN_CHAR.match(token.text)) and token.text not in ZH_FUNCTION and not token.punct \
            and (len(token.text) == 1 or token.text not in cedict_glosses())

    pieces = []
    for edge, beside in ((span[0], span[0] - 1), (span[-1], span[-1] + 1)):
        if 0 <= beside < len(tokens) and name_piece(tokens[edge]) and name_piece(tokens[beside]) \
                and not any(linked(tokens[edge], word) for word in term):
            pieces.append(tokens[min(edge, beside)].text + tokens[max(edge, beside)].text)
    for name in names if pieces else ():
        whole = re.compile(r"(?<![A-Za-z])" + re.escape(name) + r"(?![A-Za-z])")
        holding = [strip_quotes(to_simplified(u.zh)) for u in memory.search(name, limit=sample, ranked=False)
                   if whole.search(u.en)]
        if len(holding) >= 2 and any(all(piece in zh for zh in holding) for piece in pieces):
            return True
    return False
