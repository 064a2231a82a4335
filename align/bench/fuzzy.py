"""The fuzzy-match benchmark (`python -m align bench fuzzy`): how good the translations of the best
matches are, per similarity and per match band, and how fast matching is on a large memory.

Quality, on the Bible set's gold-aligned pairs of four books (Genesis, Exodus, Leviticus, Numbers), in
one of two settings:

- `cross`: each book in turn is the new text and the gold pairs of the other three are the memory, so
  every gold pair is a query once; a book's near-repeats of itself are out of reach.
- `within`: leave-one-out. The memory holds every gold pair of the four books as its own unit, and every
  gold pair is a query against all the *others* (its own unit is deleted for its search and restored): the
  formulas a book repeats with names and numbers changed ("And the LORD spake unto Moses, saying",
  genealogies, offerings) are in reach, so the upper bands fill.

For every query the best match's translation is compared with the query's real translation (corpus
chrF and BLEU from sacrebleu; BLEU with `tokenize="zh"` when the translation is Chinese), in both
directions; the translation scored is the one offered to the translator, with the query's numbers put
in where the match differs only in numbers (`align.match.adapt`). The band is always that of the
percentage shown (`match_percent`, edit distance); every similarity re-ranks the same FTS5 candidates
(`rank_score`), so the comparison is of the ranking alone (the row "any" takes every query's top candidate whatever its score: the same queries for every
similarity); "top is best" is the share of queries whose top match has the translation closest
(sentence chrF) to the truth among all candidates. The pool is `search.candidates` asked for a full
CANDIDATES (40): the broader OR search runs whenever the exact and AND searches found fewer, where
`tm match` and `analyze` skip it once they have `limit` (5, and 1) candidates.

Speed: `tm match` and `analyze` on the generated memory of `bench memory` (align.bench.common.generate_tmx).
"""

from __future__ import annotations

import contextlib
import random
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from align.bench.common import bible_pairs, generate_tmx, percentiles
from align.errors import InputError
from align.export.tmx import TmxUnit
from align.match.adapt import adapt
from align.match.analyze import BANDS, LOWEST, band_of
from align.match.score import SIMILARITIES, match_percent, rank_score
from align.match.search import candidates
from align.store.memory import Memory

BOOKS = ("Gen", "Exo", "Lev", "Num")  # the four books of the Bible set
SETTINGS = ("cross", "within")       # see the module docstring


@dataclass(frozen=True)
class Retrieval:
    """The translations retrieved for one direction and one similarity (or one band of it)."""

    direction: str          # "en→zh" or "zh→en"
    similarity: str
    band: str               # "any" (every query with a candidate: the top one, whatever its score),
                            # "≥50%" (every query with a match of 50% or more) or a band name
    queries: int
    chrf: float
    chrf_ci: float          # half-width of chrF's 95% confidence interval (sacrebleu's bootstrap, 1,000 resamples)
    bleu: float
    top_is_best: float      # share of these queries whose top match has the best translation

    def as_dict(self) -> dict:
        return {"direction": self.direction, "similarity": self.similarity, "band": self.band, "queries": self.queries,
                "chrf": round(self.chrf, 1), "chrf_ci": round(self.chrf_ci, 1), "bleu": round(self.bleu, 1),
                "top_is_best": round(self.top_is_best, 3)}


@dataclass(frozen=True)
class FuzzyQuality:
    setting: str            # "cross" or "within"
    memory_units: int       # mean size of the memories (cross: four; within: one, each query's own unit in it)
    queries: int            # per direction, all four books
    rows: tuple[Retrieval, ...]

    def as_dict(self) -> dict:
        return {"setting": self.setting, "memory_units": self.memory_units, "queries": self.queries,
                "rows": [r.as_dict() for r in self.rows]}


def _corpus(hypotheses: list[str], references: list[str], target: str) -> tuple[float, float, float]:
    """Corpus chrF, the half-width of its 95% confidence interval (bootstrap; sacrebleu's fixed seed, so
    the same every run) and BLEU."""
    from sacrebleu.metrics import BLEU, CHRF

    if not hypotheses:
        return 0.0, 0.0, 0.0
    bleu = BLEU(tokenize="zh") if target == "zh" else BLEU()
    chrf = CHRF().corpus_score(hypotheses, [references], n_bootstrap=1000)
    return chrf.score, float(chrf._ci), bleu.corpus_score(hypotheses, [references]).score  # _ci: set by n_bootstrap


def quality(bible: Path, *, setting: str = "cross", books=BOOKS, similarities=None,
            workdir: Path | None = None) -> FuzzyQuality:
    """Corpus chrF/BLEU of the best matches' translations per direction, similarity and band, in
    `setting` ("cross": each of `books` in turn against the other three; "within": every gold pair of
    `books` against all the others). InputError for an unknown setting or a book without gold pairs."""
    pairs = [(book, en, zh) for book, en, zh in bible_pairs(bible) if book in books]
    similarities = list(similarities or SIMILARITIES)
    found = {(lang, s): [] for lang in ("en", "zh") for s in similarities}  # → [(percent, hypothesis, reference, top is best)]
    if setting == "cross":  # (memory as (en, zh, document), queries as (en, zh, own document or None)) per round
        rounds = [([(en, zh, book) for book, en, zh in pairs if book != query_book],
                   [(en, zh, None) for book, en, zh in pairs if book == query_book]) for query_book in books]
    elif setting == "within":  # each pair its own unit (identical verses stay apart), deleted for its own search
        every = [(en, zh, f"{book} {number}") for number, (book, en, zh) in enumerate(pairs)]
        rounds = [(every, every)]
    else:
        raise InputError(f"{setting}: not a setting; bench fuzzy measures {' or '.join(SETTINGS)}")
    units = queries = 0
    for stored, new in rounds:
        if not stored or not new:
            raise InputError(f"{bible}: no gold pairs for one of the books {', '.join(books)} or the others")
        with tempfile.TemporaryDirectory(dir=workdir) as tmp, Memory(Path(tmp) / "bible.sqlite") as memory:
            memory.add((TmxUnit({"en-US": en, "zh-CN": zh}, props=[("x-document", doc)]) for en, zh, doc in stored), "bible")
            units += memory.count()
            queries += len(new)
            for lang in ("en", "zh"):
                _retrieve(memory, new, lang, similarities, found)
    rows = []
    for lang, target in (("en", "zh"), ("zh", "en")):
        for similarity in similarities:
            for band in ("any", "≥50%", *(name for name, low, _ in BANDS if low is not None)):
                chosen = [item for item in found[lang, similarity] if band == "any" or band == "≥50%" and item[0] >= LOWEST
                          or band_of(item[0]) == band]
                scores = _corpus([c[1] for c in chosen], [c[2] for c in chosen], target)
                best = sum(1 for c in chosen if c[3]) / len(chosen) if chosen else 0.0
                rows.append(Retrieval(f"{lang}→{target}", similarity, band, len(chosen), *scores, best))
    return FuzzyQuality(setting, round(units / len(rounds)), queries, tuple(rows))


@contextlib.contextmanager
def _left_out(memory: Memory, document: str | None):
    """The memory without `document`'s units while the block runs (deleted, then rolled back): token
    frequencies and the candidates are those of a memory that never held them."""
    if document is None:
        yield
        return
    memory.replace_units(document, [])
    try:
        yield
    finally:
        memory.db.rollback()


def _retrieve(memory: Memory, queries: list[tuple[str, str, str | None]], lang: str, similarities: list[str],
              found: dict) -> None:
    """Append to found[lang, similarity] the top match of every query (en, zh, own document or None)
    that has a candidate, searched with the units of its own document left out of the memory."""
    from sacrebleu.metrics import CHRF

    chrf = CHRF()
    target = "zh" if lang == "en" else "en"
    for query_en, query_zh, own in queries:
        query, truth = (query_en, query_zh) if lang == "en" else (query_zh, query_en)
        with _left_out(memory, own):
            pool = candidates(memory, query, lang)
        if not pool:
            continue
        offered = [adapt(query, getattr(u, lang), getattr(u, target), lang) or getattr(u, target) for u in pool]
        closeness = [chrf.sentence_score(text, [truth]).score for text in offered]
        percents = [match_percent(query, getattr(u, lang), lang) for u in pool]
        for similarity in similarities:
            scored = [(percent, rank_score(query, getattr(u, lang), lang, similarity), u, (c, text))
                      for percent, u, c, text in zip(percents, pool, closeness, offered)]
            percent, _, top, (close, text) = min(scored, key=_order_key)
            found[lang, similarity].append((percent, text, truth, close >= max(closeness)))


def _order_key(item) -> tuple:
    percent, rank, unit, _ = item
    return (-rank, -percent, -(unit.confidence or 0.0), unit.id)  # as search.fuzzy_matches orders them


@dataclass(frozen=True)
class FuzzySpeed:
    units: int
    match_ms: tuple[float, float]     # median, p95 of `fuzzy_matches` (what `tm match` runs)
    matches: int
    analyze_seconds: float            # `analyze` of a document of `sentences` sentences
    sentences: int

    def as_dict(self) -> dict:
        return {"units": self.units, "match_ms_median": round(self.match_ms[0], 1), "match_ms_p95": round(self.match_ms[1], 1),
                "match_queries": self.matches, "analyze_s": round(self.analyze_seconds, 2), "analyze_sentences": self.sentences}


def _varied(text: str, rng: random.Random) -> str:
    """`text` with one word left out, or a number changed, or as it is (a new document's mix)."""
    words = text.split()
    choice = rng.random()
    if choice < 0.4 and len(words) > 3:
        del words[rng.randrange(1, len(words) - 1)]
    elif choice < 0.7:
        words = [str(rng.randrange(1000, 9999)) if any(ch.isdigit() for ch in w) else w for w in words]
    return " ".join(words)


def _varied_zh(text: str, rng: random.Random) -> str:
    """`text` with one character in its middle left out."""
    cut = rng.randrange(1, max(2, len(text) - 1))
    return text[:cut] + text[cut + 1:]


def speed(units: int = 200_000, *, queries: int = 200, sentences: int = 1000, workdir: Path | None = None) -> FuzzySpeed:
    """`tm match` median/p95 and the time to analyze a `sentences`-sentence English document, on the
    generated memory of `units` units (the demo's sentences with varied names and numbers)."""
    from align.match.analyze import analyze, load_new_document
    from align.match.search import fuzzy_matches

    rng = random.Random(11)
    with tempfile.TemporaryDirectory(dir=workdir) as tmp:
        tmx, db = Path(tmp) / "generated.tmx", Path(tmp) / "memory.sqlite"
        generate_tmx(tmx, units)
        with Memory(db) as memory:
            memory.import_tmx(tmx)
        with Memory(db, readonly=True) as memory:
            count = memory.count()
            ids = rng.sample(range(1, count + 1), queries + sentences)
            rows = {uid: (en, zh) for uid, en, zh in memory.db.execute(
                f"SELECT id, en, zh FROM units WHERE id IN ({','.join('?' * len(ids))})", ids)}
            texts = [_varied(rows[uid][0], rng) if k % 2 == 0 else _varied_zh(rows[uid][1], rng)
                     for k, uid in enumerate(ids[:queries])]
            times = []
            for text in texts:
                start = time.perf_counter()
                fuzzy_matches(memory, text)
                times.append((time.perf_counter() - start) * 1000)
            document = Path(tmp) / "new.en.txt"
            document.write_text("\n\n".join(_varied(rows[uid][0], rng) for uid in ids[queries:]) + "\n", encoding="utf-8")
            start = time.perf_counter()
            analysis = analyze(memory, load_new_document(document))
            seconds = time.perf_counter() - start
    return FuzzySpeed(count, percentiles(times), len(times), seconds, analysis.total.segments)
