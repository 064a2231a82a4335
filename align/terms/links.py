"""Word links inside one aligned unit: which words of one side translate which words of the other.

A unit's sides become tokens: English words (a hyphenated word or COVID-19 stays one token) and jieba
words (quotation marks are transparent, so 共建“一带一路”倡议 reads 共建 一带一路 倡议). A Chinese
word and an English word are linked when

- CC-CEDICT connects them, or where it is silent the table of official titles, offices, meeting words
  and country abbreviations (`align.terms.official`: 主席 "President", 会晤 "Summit", 美韩): a stem of the
  English word is among the stems of the *heads* of the Chinese word's glosses (the part before the first comma: 习近平 is "Xi Jinping", not the whole
  biography of its entry), or the English word is the acronym of such a head (UN ↔ 联合国 "United
  Nations");
- they are the same number or Latin token (COVID-19, G20);
- or, for words the dictionary leaves unexplained, memory statistics tie them: `Association` is the
  Dice coefficient of a word with the query, counted in occurrences over the units that hold the query
  against a fixed background sample of the memory (so it grows more reliable as the memory grows).

The phrase extraction that uses these links is in `align.terms.lookup`.
"""

from __future__ import annotations

import re
import weakref
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache

from align.ingest.language import to_simplified
from align.score.lexicon import STOPWORDS, cedict_glosses, english_stems, segmenter, stem
from align.terms.official import official_glosses, official_titles

EN_WORD = re.compile(r"[A-Za-z0-9][A-Za-z0-9'-]*")
_QUOTES = re.compile(r"[“”‘’「」『』\"]")
_PUNCT = re.compile(r"^[\W_]+$")
_LATIN = re.compile(r"[A-Za-z0-9][A-Za-z0-9'.-]*")
# Chinese words that never start or end a rendering (particles, prepositions, conjunctions, and the adverbs of
# aspect that mark a clause's time: 已经, 正在).
ZH_FUNCTION = frozenset("的 了 是 在 和 与 也 就 都 而 及 或 之 其 这 那 有 为 以 于 把 被 让 给 对 向 从 到 已 将 并 "
                        "个 们 着 过 吗 呢 吧 啊 所 又 要 会 等 同 跟 应 兼 由 分别 年度 已经 正在 曾经 将要".split())
# Parts of speech (jieba's tags) a word at the edge of a rendering never has, whatever its length: a
# conjunction (以及), a preposition, a particle (u, uj, ul …) or a pronoun (任何, 各方) at either edge; at the end an
# adverb (已经, 共同: an adverb may modify a noun in a term, 共同利益, but never ends one) or a localizer, which closes
# a phrase of place or time (在两会期间: "during", not part of the term "NPC and CPPCC sessions"). A single
# character is read by its tag more strictly at the start: an adverb, classifier or numeral there
# (27位外交部发言人 → not 位外交部; 2月19日至 → not 日至) begins no term, while at the end such a character is
# mostly a noun's or a name's last (施恩座, 亚比但).
_EDGE_TAGS = ("c", "p", "u", "r")
_END_TAGS = _EDGE_TAGS + ("d", "f")
_COMPASS = frozenset("东南西北")
_SINGLE_START_TAGS = _EDGE_TAGS + ("d", "q", "m")


@dataclass(frozen=True)
class Token:
    text: str
    start: int            # character offset in the (quote-free) text
    stems: frozenset      # English: the word's stems; Chinese: the stems of its glosses' heads
    function: bool        # a function word or particle: never at the edge of a rendering
    punct: bool = False   # punctuation: a rendering never crosses it
    acronyms: frozenset = frozenset()  # Chinese: initials of its multi-word gloss heads (联合国 → "un")

    @property
    def content(self) -> bool:
        return not self.function and not self.punct


@lru_cache(maxsize=200_000)
def zh_gloss(word: str) -> tuple[frozenset, frozenset]:
    """Stems of the heads of a Chinese word's CC-CEDICT glosses and of its renderings in the table of official
    terms (`align.terms.official`), and the acronyms of the multi-word heads."""
    if _LATIN.fullmatch(word):
        return frozenset({stem(word.lower())}), frozenset()
    glosses = cedict_glosses().get(word, ()) + official_glosses(word, cedict_glosses(), jieba_tags())
    stems, acronyms = set(), set()
    for gloss in glosses:
        head = re.split(r"[,;]", gloss)[0]
        stems |= english_stems(head)
        words = [w for w in re.findall(r"[A-Za-z]+", head) if w.lower() not in STOPWORDS]
        for size in range(2, len(words) + 1):  # "UN" for "United Nations" and for "United Nations Charter"
            acronyms.add("".join(w[0] for w in words[:size]).lower())
    if len(word) > 2:  # a compound jieba knows whole (人类文明) also means what its dictionary words mean
        pieces = query_words_zh(word)
        if len(pieces) > 1:
            for piece in pieces:
                more = zh_gloss(piece)
                stems |= more[0]
                acronyms |= more[1]
    return frozenset(stems), frozenset(acronyms)


@lru_cache(maxsize=200_000)
def _en_stems(word: str) -> frozenset:
    return frozenset(english_stems(word)) | ({stem(word.lower())} if word[0].isdigit() else frozenset())


# English titles written abbreviated with a full stop, which ends no clause.
TITLE_ABBREVIATIONS = frozenset({"Mr", "Mrs", "Ms", "Dr"})
# What ends an English clause: punctuation, a possessive (People's is a name's word), and a full stop other than a
# title's (Mr.).
CLAUSE_END = re.compile(r"[,;:!?()\"“”]|" + "".join(rf"(?<!\b{title})" for title in sorted(TITLE_ABBREVIATIONS))
                        + r"\.|(?<!People)['’]s\b")
# A pairing of names in one English word (China-EU, US-ROK, China-Africa).
NAME_PAIRING = re.compile(r"[A-Z][A-Za-z]*(?:-[A-Z][A-Za-z]*)+")


def english_tokens(text: str) -> list[Token]:
    """The words of an English text; a punctuation token stands between clauses (the full stop of a title's
    abbreviation does not: Mr. Morrison is one phrase)."""
    tokens: list[Token] = []
    for piece in re.finditer(r"[A-Za-z0-9][A-Za-z0-9'-]*|[,.;:!?()\[\]\"“”]", text):
        word = piece.group()
        if word == "." and tokens and tokens[-1].text in TITLE_ABBREVIATIONS \
                and tokens[-1].start + len(tokens[-1].text) == piece.start():
            continue
        if not word[0].isalnum():
            tokens.append(Token(word, piece.start(), frozenset(), True, True))
            continue
        word = word.rstrip("'-") or word
        tokens.append(Token(word, piece.start(), _en_stems(word), word.lower() in STOPWORDS))
    return tokens


def strip_quotes(text: str) -> str:
    """The text without quotation marks (the offsets of `chinese_tokens` are in it)."""
    return _QUOTES.sub("", text)


def chinese_tokens(text: str, keep: str | None = None) -> list[Token]:
    """The jieba words of a Chinese text (quotation marks dropped). `keep` is cut out first and
    segmented on its own, so a query's occurrences are whole tokens whatever jieba does around them."""
    text = strip_quotes(text)
    pieces = re.split(f"({re.escape(keep)})", text) if keep else [text]
    tokens, offset = [], 0
    for piece in pieces:
        if piece == keep and keep:
            words = query_words_zh(piece)
        else:
            words = _join_names(_merge_known(segmenter().lcut(piece, HMM=False)))
        for word in words:
            if word.strip():
                punct = bool(_PUNCT.match(word)) and not word.isalnum()
                stems, acronyms = zh_gloss(word) if not punct else (frozenset(), frozenset())
                function = word in ZH_FUNCTION
                tokens.append(Token(word, offset, stems, function, punct, acronyms))
            offset += len(word)
    return tokens


def _merge_known(words: list[str]) -> list[str]:
    """jieba without its HMM leaves words it does not know as single characters (共 赢); two or three
    such characters that make a CC-CEDICT headword become one word again (共赢)."""
    table, merged, k = cedict_glosses(), [], 0
    if not any(len(a) == 1 and len(b) == 1 for a, b in zip(words, words[1:])):
        return words
    while k < len(words):
        for size in (3, 2):
            piece = words[k:k + size]
            if len(piece) == size and all(len(w) == 1 for w in piece) and "".join(piece) in table:
                merged.append("".join(piece))
                k += size
                break
        else:
            merged.append(words[k])
            k += 1
    return merged


def _join_names(words: list[str]) -> list[str]:
    """Names jieba does not know come out of it (without its HMM) as single characters (秦 刚, 茂 木 敏
    充). Where such a run of single characters (function words left out) follows a title (外长秦刚, 外务
    大臣茂木敏充) or precedes one (林剑副司长), the name jieba's HMM finds at that end of the run becomes
    one word, so a rendering never ends inside a name. Elsewhere the run is left alone: the HMM alone
    joins names to their neighbours (人夏甲, 往歌) and cost lookup precision on the Bible (`bench terms`)."""
    joined, k = [], 0
    while k < len(words):
        end = k
        while end < len(words) and len(words[end]) == 1 and HAN_CHAR.match(words[end]) and words[end] not in ZH_FUNCTION:
            end += 1
        if end - k < 2:
            joined.append(words[k])
            k += 1
            continue
        run = segmenter().lcut("".join(words[k:end]), HMM=True)
        if joined and joined[-1] in official_titles() and len(run[0]) > 1:
            joined += [run[0], *"".join(run[1:])]
        elif end < len(words) and words[end] in official_titles() and len(run[-1]) > 1:
            joined += [*"".join(run[:-1]), run[-1]]
        else:
            joined += words[k:end]
        k = end
    return joined


# one Han character (the CJK unified ideographs and extension A)
HAN_CHAR = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]")


def query_words_zh(term: str, longest: int = 8) -> list[str]:
    """A Chinese query as words: the longest CC-CEDICT headwords from the left (一带一路 whole,
    合作共赢 as 合作 共赢); stretches the dictionary does not know are left to jieba."""
    table = cedict_glosses()
    term = strip_quotes(term)
    words, unknown, k = [], "", 0
    while k < len(term):
        for size in range(min(longest, len(term) - k), 1, -1):
            if term[k:k + size] in table:
                break
        else:
            unknown += term[k]
            k += 1
            continue
        if unknown:
            words += segmenter().lcut(unknown)
            unknown = ""
        words.append(term[k:k + size])
        k += size
    if unknown:
        words += segmenter().lcut(unknown)
    return [w for w in words if w.strip()]


def edge_word(word: str, at_start: bool) -> bool:
    """Whether a Chinese word may not stand at that edge of a rendering: a function word (`ZH_FUNCTION`) or a
    word of a part of speech that begins or ends no term (`_EDGE_TAGS`)."""
    if word in ZH_FUNCTION:
        return True
    tag = jieba_tags().get(word) or ""
    if at_start:
        return tag.startswith(_SINGLE_START_TAGS if len(word) == 1 else _EDGE_TAGS)
    if tag.startswith("f") and _COMPASS & set(word):
        return False  # a direction is a place (全球南方 "Global South"), not a localizer closing a phrase
    return tag.startswith(("p", "u") if len(word) == 1 else _END_TAGS)


# The shortest dictionary word a rendering may not cut in two (一带一路 in “一带一路”国际合作高峰论坛: not 一路国际…);
# two-character words are left out, since two characters either side of any cut often make one. Chosen by
# reasoning; `python -m align bench terms` on the tuned press part and the Bible agreed.
UNCUT = 3


def dictionary_word(word: str) -> bool:
    """Whether CC-CEDICT or jieba's dictionary knows the word."""
    return word in cedict_glosses() or bool(segmenter().dt.FREQ.get(word))


def cut_word(text: str, at: int, longest: int = 8) -> bool:
    """Whether a dictionary word of `UNCUT` characters or more spans position `at` of the text."""
    return any(dictionary_word(text[begin:end]) for begin in range(max(0, at - longest + 1), at)
               for end in range(max(at + 1, begin + UNCUT), min(len(text), begin + longest) + 1))


@lru_cache(maxsize=1)
def jieba_tags() -> dict:
    """jieba's part-of-speech tag of each word of its dictionary."""
    import jieba.posseg

    return jieba.posseg.dt.word_tag_tab


@lru_cache(maxsize=200_000)
def character_stems(word: str) -> frozenset:
    """The gloss stems of a Chinese word's characters: weak evidence, used only for words that no
    word-level link explains (构建 "to construct" is 构 + 建 "to build")."""
    if len(word) < 2 or _LATIN.fullmatch(word):
        return frozenset()
    return frozenset().union(*(zh_gloss(ch)[0] for ch in word if ch not in ZH_FUNCTION))


# Verbs and adverbs that open clauses in official prose; a term does not start with one.
_CLAUSE_OPENERS = frozenset("""promote promotes promoting safeguard safeguards safeguarding build builds building advance
advances advancing stay stays remain remains maintain maintaining pursue pursuing seek seeking wage waging draw
drawing take taking jointly firmly better further respect tackle advocate support supports uphold upholding""".split())


def shaped_like_term(words: list[str]) -> bool:
    """Noun-phrase shape without a tagger: no clause-opening verb first, no participle or adverb last,
    and never two terms joined by "and the"."""
    if words[0].lower() in _CLAUSE_OPENERS or words[-1].lower() in _CLAUSE_OPENERS:
        return False
    if re.search(r"(ed|ly)$", words[-1]) and not words[-1][0].isupper():
        return False
    return "and the" not in " ".join(words).lower()


def linked(zh: Token, en: Token) -> bool:
    """Does the dictionary (or identity of numbers and Latin tokens, or an acronym) tie the two words?"""
    if zh.stems & en.stems:
        return True
    return en.text.isupper() and len(en.text) >= 2 and en.text.lower() in zh.acronyms


class Background:
    """Word frequencies in the memory's fixed background sample (`Memory.sample`), kept per memory."""

    def __init__(self, memory):
        units = memory.sample()
        self.size = max(1, len(units))
        self.lines = {"zh": [strip_quotes(to_simplified(u.zh)) for u in units], "en": [u.en.lower() for u in units]}
        self.zh_text = "\n".join(self.lines["zh"])
        self.en_words = Counter(w.lower() for u in units for w in EN_WORD.findall(u.en))

    def occurrences(self, word: str, side: str) -> int:
        """How often `word` occurs in the sample (Chinese: as a substring)."""
        return self.zh_text.count(word) if side == "zh" else self.en_words[word.lower()]

    def span_units(self, span: str, side: str) -> int:
        """How many sample units hold `span` as a substring."""
        span = span if side == "zh" else span.lower()
        return sum(1 for line in self.lines[side] if span in line)


_BACKGROUNDS: "weakref.WeakKeyDictionary" = weakref.WeakKeyDictionary()


def background(memory) -> Background:
    """The background of `memory`, computed once while the memory is unchanged."""
    units = memory.sample()
    held = _BACKGROUNDS.get(memory)
    if held is None or held[0] is not units:
        held = (units, Background(memory))
        _BACKGROUNDS[memory] = held
    return held[1]


# Statistics tie a word to the query only after seeing them together this often (in a memory of a few
# units everything co-occurs once).
MIN_EVIDENCE = 2


class Association:
    """Dice of each target-side word with the query, in occurrences: 2·|Q∧w| / (|Q| + |w|), where |Q∧w|
    sums min(occurrences of the query, of w) over the units holding the query, and |w| is estimated from
    the background sample (and is at least what the query's units hold)."""

    def __init__(self, query_occurrences: list[int], target_tokens: list[list[Token]], side: str,
                 back: Background, units_with_query: int, memory_size: int):
        scale = max(1, units_with_query) / max(1, len(query_occurrences))  # the sample stands for all units with the query
        self.query = sum(query_occurrences) * scale
        together, within = Counter(), Counter()
        for occurrences, tokens in zip(query_occurrences, target_tokens):
            counts = Counter(t.text for t in tokens if t.content)
            for word, n in counts.items():
                together[word] += min(n, occurrences)
                within[word] += n
        self.side, self.back, self.scale = side, back, scale
        self.seen = sum(query_occurrences)
        self.memory_size = memory_size
        self.together, self.within = together, within  # `together` unscaled: the evidence actually seen
        self._cache: dict[str, float] = {}

    def dice(self, word: str) -> float:
        if word not in self._cache:
            both = self.together[word] * self.scale
            if self.together[word] < MIN_EVIDENCE:
                self._cache[word] = 0.0
            elif both < self.query / 3:  # cannot reach a Dice of 0.5
                self._cache[word] = 2 * both / (self.query + both) if both else 0.0
            else:
                alone = self.back.occurrences(word, self.side) * self.memory_size / self.back.size
                alone = max(alone, self.within[word] * self.scale)
                self._cache[word] = 2 * both / (self.query + alone)
        return self._cache[word]

    def merge(self, query_occurrences: list[int], units: list[list[Token]], threshold: float,
              rounds: int = 3) -> list[list[Token]]:
        """Chinese words that stand for the query together more than either alone become one word: a
        name jieba cut into characters (以 扫 → 以扫 "Esau", 以 实 玛利 → 以实玛利 "Ishmael")."""
        for _ in range(rounds):
            together, within, alone = Counter(), Counter(), Counter()
            for occurrences, tokens in zip(query_occurrences, units):  # a function character too: 以 of 以扫
                for word, n in Counter(t.text for t in tokens if not t.punct).items():
                    alone[word] += min(n, occurrences)
            for occurrences, tokens in zip(query_occurrences, units):
                counts = Counter(a.text + b.text for a, b in zip(tokens, tokens[1:]) if self._may_join(a, b, alone))
                for pair, n in counts.items():
                    together[pair] += min(n, occurrences)
                    within[pair] += n
            joined = set()
            for pair in together:
                self.together[pair], self.within[pair] = together[pair], within[pair]
                self._cache.pop(pair, None)
                parts = _parts(pair, units)
                if self.dice(pair) >= threshold and all(self.dice(pair) >= 0.95 * self.dice(p) for p in parts):
                    joined.add(pair)
            if not joined:
                break
            units = [_join(tokens, joined) for tokens in units]
        return units

    def _may_join(self, a: Token, b: Token, alone: Counter) -> bool:
        """Two neighbours one of which is one character, both often with the query; a function character may
        begin a name (以扫, 以实玛利) but never end one (外交政策的, 国务委员兼)."""
        return (not a.punct and b.content and a.start + len(a.text) == b.start and min(len(a.text), len(b.text)) == 1
                and 3 * min(alone[a.text], alone[b.text]) >= self.seen)


def _parts(pair: str, units: list[list[Token]]) -> tuple[str, ...]:
    for tokens in units:
        for a, b in zip(tokens, tokens[1:]):
            if a.text + b.text == pair:
                return a.text, b.text
    return ()


def _join(tokens: list[Token], joined: set[str]) -> list[Token]:
    out: list[Token] = []
    for token in tokens:
        last = out[-1] if out else None
        if (last is not None and last.text + token.text in joined and not last.punct and not token.punct
                and last.start + len(last.text) == token.start):
            word = last.text + token.text
            stems, acronyms = zh_gloss(word)
            out[-1] = Token(word, last.start, stems, False, False, acronyms)
        else:
            out.append(token)
    return out
