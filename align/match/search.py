"""Fuzzy matches from the memory: the stored units whose English (or Chinese) is closest to a new sentence.

Candidates come from the memory's FTS5 indexes — an OR of the query's words (English: Porter-stemmed
word index, function words left out unless there is nothing else) or of its character trigrams
(Chinese: trigram index, keyed by Simplified, so either script finds both), best BM25 rank first — plus any unit whose text is exactly the query.
Which tokens search is decided by how many units hold each (`frequencies`): counted in one statement per
query and kept per memory file while its index is unchanged. Every
token is quoted, so FTS5 syntax in the query (`NEAR`, `*`, `"`, `AND`) is searched as text, and the
query reaches SQLite only as a bound parameter. The candidates are then re-scored by
`align.match.score.match_percent` (the percentage shown) and ordered by `rank_score` (chrF, which
ranks better: docs/memory.md), computed only for the candidates at or above the lowest percentage
shown. At 95% and over both agree; below it a match of a lower percentage can come first. A match
that differs from the query only in numbers also carries its translation with the query's numbers put
in (`FuzzyMatch.adapted`, align.match.adapt); the stored one stays as it is.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from align.errors import InputError
from align.ingest.language import script, to_simplified
from align.match.adapt import adapt
from align.match.score import DEFAULT_SIMILARITY, language, match_percent, normalize, rank_score
from align.score.lexicon import STOPWORDS
from align.store.memory import Memory, StoredUnit, like_escape

# How many FTS5 candidates are re-scored per query, and how the search is narrowed. With these,
# `tm match` took median 24.4 / 24.5 / 26.0 ms, p95 44.2 / 41.4 / 45.2 ms and `analyze` of 2,029 segments
# 6.8 / 6.8 / 7.4 s on the generated 200,000-unit memory, three runs on the quiet 2-core machine on 2026-12-02
# (`python -c "from align.bench.fuzzy import speed; print(speed(200_000))"`; docs/memory.md).
CANDIDATES = 40
RAREST = 8             # the query's rarest tokens that find the candidates (see fts_query)
FREQUENCY_CAP = 20000  # token frequencies are counted up to this; a token this common is not searched
MAX_TRIGRAMS = 64  # a very long Chinese query is searched by an evenly spread subset of its trigrams
_WORD = re.compile(r"[^\W_]+")


@dataclass(frozen=True)
class FuzzyMatch:
    """One stored unit as a match for a query: `percent` (0–100, see align.match.score), the side the
    query was matched on (`lang`), both sides, where the unit came from and the script of its Chinese
    ('Simplified' or 'Traditional')."""

    id: int
    percent: int
    lang: str
    en: str
    zh: str
    document: str
    confidence: float | None
    script: str = "Simplified"
    rank: int = 0           # what orders the matches (`rank_score`); not part of the answer
    adapted: str | None = None  # the translation with the query's numbers put in (align.match.adapt), or None

    @property
    def offered(self) -> str:
        """The translation offered to the translator: the adapted one when the numbers were adapted."""
        return self.adapted or self.target

    @property
    def source(self) -> str:
        """The side that was compared with the query."""
        return self.zh if self.lang == "zh" else self.en

    @property
    def target(self) -> str:
        """The side that translates the query."""
        return self.en if self.lang == "zh" else self.zh

    def as_dict(self) -> dict:
        return {"id": self.id, "percent": self.percent, "lang": self.lang, "en": self.en, "zh": self.zh,
                "document": self.document, "confidence": self.confidence, "script": self.script,
                "adapted": self.adapted}


def _quote(token: str) -> str:
    return '"' + token.replace('"', '""') + '"'


# Token frequencies are kept per memory file and side while that side's FTS5 index is unchanged, across
# queries and connections (the review server opens the memory per request; analyze searches every
# segment). The key is the index's own state: its averages record (rowid 1 of units_<side>_data: units and
# tokens indexed) and its structure record (rowid 10, FTS5_STRUCTURE_ROWID), which every write to the
# index replaces. At most KEPT_TOKENS per side (a bound on memory, a few tens of MB; not tuned).
_STATE = "(SELECT block FROM units_{lang}_data WHERE id = 1), (SELECT block FROM units_{lang}_data WHERE id = 10)"
_KEPT: dict[tuple[str, str], tuple[tuple, dict]] = {}
KEPT_TOKENS = 200_000


def _kept(memory: Memory, lang: str, state: tuple) -> dict:
    """The frequencies kept for side `lang` of the memory in index state `state` (a new dict when the
    index changed since)."""
    key = (str(memory.path.resolve()), lang)
    held = _KEPT.get(key)
    if held is None or held[0] != state or len(held[1]) > KEPT_TOKENS:
        held = (state, {})
        _KEPT[key] = held
    return held[1]


def frequencies(memory: Memory, lang: str, tokens: list[str]) -> dict[str, int]:
    """How many units hold each token on side `lang`, counted up to FREQUENCY_CAP: the kept ones, the rest
    counted in one statement that also reads the index's state (so the counts are kept under the state
    they were counted in)."""
    state = tuple(memory.db.execute(f"SELECT {_STATE.format(lang=lang)}").fetchone())
    kept = _kept(memory, lang, state)
    missing = [token for token in dict.fromkeys(tokens) if token not in kept]
    if missing:
        one = f"(SELECT count(*) FROM (SELECT 1 FROM units_{lang} WHERE units_{lang} MATCH ? LIMIT {FREQUENCY_CAP}))"
        row = memory.db.execute(f"SELECT {_STATE.format(lang=lang)}, " + ", ".join([one] * len(missing)),
                                [_quote(token) for token in missing]).fetchone()
        counted = dict(zip(missing, row[2:]))
        if tuple(row[:2]) == state:  # the index did not change in between
            kept.update(counted)
        return {token: kept[token] if token in kept else counted[token] for token in tokens}
    return {token: kept[token] for token in tokens}


def fts_tokens(text: str, lang: str, frequency=None) -> list[str]:
    """The tokens of `text` that find its candidates in the FTS5 index of side `lang`: words
    (function words left out unless there is nothing else) or character trigrams; none for Chinese
    shorter than three characters. With `frequency` (the tokens → how many units hold each) only the
    RAREST are kept: ranking an OR of every word of a sentence makes SQLite score almost every unit of a
    large memory."""
    if lang == "zh":
        runs = _WORD.findall(to_simplified(text).lower())  # the index is keyed by Simplified
        tokens = list(dict.fromkeys(run[k:k + 3] for run in runs for k in range(len(run) - 2)))
        if len(tokens) > MAX_TRIGRAMS:
            step = len(tokens) / MAX_TRIGRAMS
            tokens = [tokens[int(k * step)] for k in range(MAX_TRIGRAMS)]
    else:
        words = list(dict.fromkeys(_WORD.findall(text.lower())))
        tokens = [w for w in words if w not in STOPWORDS] or words
    if frequency is not None and len(tokens) > 1:
        counts = frequency(tokens)
        # a token in no unit finds nothing, one in FREQUENCY_CAP units or more finds everything and ranks
        # nothing: both are left out (the most common one is kept if nothing else remains)
        tokens = sorted(tokens, key=lambda token: counts[token])
        tokens = [t for t in tokens if 0 < counts[t] < FREQUENCY_CAP][:RAREST] or tokens[-1:]
    return tokens


def fts_query(tokens: list[str], operator: str = "OR") -> str:
    """An FTS5 MATCH expression joining the tokens, each quoted (so nothing in them is FTS5 syntax)."""
    return f" {operator} ".join(_quote(token) for token in tokens)


def candidates(memory: Memory, text: str, lang: str, limit: int = CANDIDATES, enough: int | None = None) -> list[StoredUnit]:
    """Up to `limit` units that may match `text` on side `lang`, best BM25 rank first: the exact
    text; then the units holding all of its rarest tokens; then, if that found fewer than `enough`
    (default `limit`), the units holding any of them."""
    columns = memory._columns
    text = normalize(text)
    if lang == "en" or len(text) < 3:  # English: the (en, zh, document) index; short Chinese: the length index
        exact = f"SELECT {columns} FROM units WHERE {lang} = ? AND length({lang}) = ? LIMIT ?", (text, len(text), limit)
    else:  # the whole sentence as one trigram phrase
        exact = (f"SELECT {columns} FROM units WHERE id IN (SELECT rowid FROM units_zh WHERE units_zh MATCH ?) "
                 "AND zh = ? LIMIT ?", (_quote(to_simplified(text)), text, limit))
    found = [StoredUnit.from_row(row) for row in memory.db.execute(*exact)]
    tokens = fts_tokens(text, lang, lambda tokens: frequencies(memory, lang, tokens))
    # bm25() is FTS5's rank here (no rank function is configured) and rowid breaks its ties as ORDER BY rank
    # does; ordered by it, SQLite's sorter keeps only the best `limit` rows where ORDER BY rank sorts every
    # row matched (the OR of 8 tokens can match 40,000 units)
    ranked = (f"SELECT {columns} FROM units WHERE id IN (SELECT rowid FROM units_{lang} WHERE units_{lang} MATCH ? "
              f"ORDER BY bm25(units_{lang}), rowid LIMIT ?)")
    queries = [(ranked, (fts_query(tokens, "AND"), limit)), (ranked, (fts_query(tokens, "OR"), limit))] if tokens else []
    if not tokens:  # one or two characters of Chinese: the trigram index cannot help
        runs = _WORD.findall(text)
        where = " OR ".join(f"{lang} LIKE ? ESCAPE '\\'" for _ in runs)
        queries = [(f"SELECT {columns} FROM units WHERE {where} ORDER BY length({lang}) LIMIT ?",
                    (*(f"%{like_escape(run)}%" for run in runs), limit))]
    seen = {unit.id for unit in found}
    for sql, args in queries:
        if len(found) >= (enough or limit):
            break
        for unit in map(StoredUnit.from_row, memory.db.execute(sql, args)):
            if unit.id not in seen:
                seen.add(unit.id)
                found.append(unit)
    return found


def fuzzy_matches(memory: Memory, text: str, *, min_score: int = 70, limit: int = 5,
                  similarity: str = DEFAULT_SIMILARITY, lang: str | None = None) -> list[FuzzyMatch]:
    """The best matches for `text` (English or Chinese, detected unless `lang` is given) at or above
    `min_score` percent, best first; one per distinct English–Chinese pair. InputError for a query
    without a letter, digit or character."""
    if not _WORD.search(text):
        raise InputError(f"{text.strip()!r}: nothing to match; give an English or Chinese sentence" if text.strip()
                         else "give a sentence to match")
    lang = lang or language(text)
    scored: dict[tuple[str, str], FuzzyMatch] = {}
    for unit in candidates(memory, text, lang, enough=limit):
        stored = unit.zh if lang == "zh" else unit.en
        percent = match_percent(text, stored, lang)
        if percent < min_score:
            continue
        found = FuzzyMatch(unit.id, percent, lang, unit.en, unit.zh, unit.document, unit.confidence,
                           script(unit.zh, unit.zh_lang), rank_score(text, stored, lang, similarity))
        kept = scored.get((unit.en, unit.zh))
        if kept is None or _order(found) < _order(kept):
            scored[(unit.en, unit.zh)] = found
    return [replace(match, adapted=adapt(text, match.source, match.target, lang))
            for match in sorted(scored.values(), key=_order)[:limit]]


def _order(match: FuzzyMatch) -> tuple:
    return (-match.rank, -match.percent, -(match.confidence or 0.0), match.id)
