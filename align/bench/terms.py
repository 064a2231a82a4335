"""`bench terms`: precision@1/@3 of `lookup` both ways and precision/recall of `terms extract` against
glossaries of the terms whose rendering stands in both versions of a text.

The rows and their memories (`row_sources`), each aligned as `run` aligns it:
- demo, bible, press, press-held: benchmarks/terms_glossary.tsv's entries of that set on the demo memory, the
  Bible's gold units, press-dev's conferences up to 2020 and those from 2021 on (`held_conference`; never tuned on);
- the held-apart rows (`HELD_SETS`, press-fresh to press-fresh13): each a glossary
  (benchmarks/terms_freshN_glossary.tsv) on a memory of its own conferences (benchmarks/terms_freshN), in none of
  press-dev and the sets before it, written down blind to the extraction rules and committed before any extraction
  ran on them. A set is read once by the rules it judges; docs/memory.md says which are in sample since.

How extracted pairs are judged (`judgings`): a press glossary lists every term of its conferences whose official
rendering stands in both versions, so on the press rows every extracted pair is judged, and it is right only when
it is an entry (English case, the Chinese script and quotation marks ignored) of the press glossary or of the row's
own set or an older held-apart set; anything else is wrong, with no judgment by hand. Beside that strict figure a row
gives the precision under two rules written down before the held part was measured with them: `composed` (a pair
that is the join of two entries, a title and a name: "Minister of State and Foreign Affairs" + a name → its
rendering + the name's) and `undated` (an entry opening on its year on both sides, 2018 Beijing Summit … →
2018年…北京峰会, also lists itself without the year: the year names an edition, and `terms extract` leaves numbers
at a term's edges out by design). A third figure, `adjudicated`, counts right too the pairs strict judging counts
wrong that benchmarks/terms_adjudicated.tsv marks right for the row (read by hand after the fact against fixed
criteria; the glossaries are left as written); a row the file does not cover reads as strict. The demo and Bible
glossaries are not exhaustive: there only the pairs that share a side with an entry are judged, right when they are
an entry."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from align.aligners import get_aligner
from align.bench.common import bible_pairs
from align.errors import InputError
from align.ingest.language import to_simplified
from align.terms.links import strip_quotes


BENCHMARKS = Path(__file__).resolve().parents[2] / "benchmarks"
GLOSSARY = BENCHMARKS / "terms_glossary.tsv"
ADJUDICATED = BENCHMARKS / "terms_adjudicated.tsv"


@dataclass(frozen=True)
class HeldSet:
    """A held-apart row: its conferences and its glossary, whose entries carry the set's name."""
    row: str
    kind: str
    texts: Path
    glossary: Path


HELD_SETS = tuple(HeldSet(row, kind, BENCHMARKS / folder, BENCHMARKS / f"{folder}_glossary.tsv")
                  for row, kind, folder in (("press-fresh", "press-fresh", "terms_fresh"),
                                            ("press-fresh2", "fresh2", "terms_fresh2"),
                                            ("press-fresh3", "fresh3", "terms_fresh3"),
                                            ("press-fresh4", "fresh4", "terms_fresh4"),
                                            ("press-fresh5", "fresh5", "terms_fresh5"),
                                            ("press-fresh6", "fresh6", "terms_fresh6"),
                                            ("press-fresh7", "fresh7", "terms_fresh7"),
                                            ("press-fresh8", "fresh8", "terms_fresh8"),
                                            ("press-fresh9", "fresh9", "terms_fresh9"),
                                            ("press-fresh10", "fresh10", "terms_fresh10"),
                                            ("press-fresh11", "fresh11", "terms_fresh11"),
                                            ("press-fresh12", "fresh12", "terms_fresh12"),
                                            ("press-fresh13", "fresh13", "terms_fresh13")))


@dataclass(frozen=True)
class TermsRow:
    """Lookup and extraction figures of one glossary set."""
    name: str
    entries: int
    units: int
    en_to_zh: tuple[float, float]      # precision@1, precision@3 of `lookup ENGLISH`
    zh_to_en: tuple[float, float]      # precision@1, precision@3 of `lookup CHINESE`
    extract: tuple[float, float, int]  # precision, recall, pairs judged (press: all; else those sharing a side with an entry)
    misses: tuple[str, ...]
    wrong: tuple[str, ...] = ()        # extracted pairs judged wrong
    composed_precision: float = 0.0    # precision when a join of two entries counts right too (`composed`)
    undated_precision: float = 0.0     # precision when an entry without its opening year counts right too (`undated`)
    adjudicated_precision: float = 0.0  # precision when a wrong pair adjudicated right counts right too (`adjudicated`)

    def as_dict(self) -> dict:
        return {"set": self.name, "entries": self.entries, "memory_units": self.units,
                "en_zh_p1": round(self.en_to_zh[0], 3), "en_zh_p3": round(self.en_to_zh[1], 3),
                "zh_en_p1": round(self.zh_to_en[0], 3), "zh_en_p3": round(self.zh_to_en[1], 3),
                "extract_precision": round(self.extract[0], 3), "extract_recall": round(self.extract[1], 3),
                "extract_judged": self.extract[2], "extract_precision_composed": round(self.composed_precision, 3),
                "extract_precision_undated": round(self.undated_precision, 3),
                "extract_precision_adjudicated": round(self.adjudicated_precision, 3),
                "misses": list(self.misses), "wrong": list(self.wrong)}


@dataclass(frozen=True)
class TermsReport:
    rows: tuple[TermsRow, ...]

    def as_dict(self) -> dict:
        return {"rows": [r.as_dict() for r in self.rows]}


def read_glossary(path: Path = GLOSSARY) -> list[tuple[str, str, str]]:
    """(English, Chinese, set) of every entry of the evaluation glossary; InputError when it is malformed."""
    entries = []
    for number, line in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip() or line.startswith("#"):
            continue
        fields = line.split("\t")
        if len(fields) < 3:
            raise InputError(f"{path}:{number}: expected english<TAB>chinese<TAB>set<TAB>evidence")
        entries.append((fields[0], fields[1], fields[2]))
    return entries


def read_adjudicated(path: Path = ADJUDICATED) -> dict[str, frozenset[tuple[str, str]]]:
    """Each row's name → the pairs (English lower-cased, `zh_key`) the adjudication file marks right for it;
    InputError when a line is malformed."""
    right: dict[str, set] = {}
    for number, line in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip() or line.startswith("#"):
            continue
        fields = line.split("\t")
        if len(fields) != 5 or fields[3] not in ("right", "wrong"):
            raise InputError(f"{path}:{number}: expected set<TAB>english<TAB>chinese<TAB>right|wrong<TAB>reason")
        if fields[3] == "right":
            right.setdefault(fields[0], set()).add((fields[1].lower(), zh_key(fields[2])))
    return {row: frozenset(pairs) for row, pairs in right.items()}


def held_conference(stem: str) -> bool:
    """Whether a press-dev conference is in the held-apart part: the Foreign Ministry's from 2021 on and the
    Premier's of 2023 (the split was fixed before the extraction rules were tuned)."""
    return stem.startswith("mfa-") and stem[4:8] >= "2021" or stem.startswith("premier-") and stem[8:12] >= "2021"


def _demo_units(corpus: Path = Path("corpora"), held: bool | None = None) -> list:
    """The pairs of `corpus` (default: the demo) aligned by the default aligner, as `python -m align run` stores
    them; with `held`, only the press conferences of that part (`held_conference`)."""
    from align.aligners.anchored import align_documents
    from align.export.tmx import TmxUnit
    from align.ingest import load_document
    from align.pipeline import find_pairs

    units = []
    for pair in find_pairs(corpus):
        if held is not None and held_conference(pair.en.stem) != held:
            continue
        en, zh = load_document(pair.en, "en"), load_document(pair.zh, "zh")
        for bead in align_documents(zh, en, get_aligner()):
            if bead.paired:
                units.append(TmxUnit({"en-US": " ".join(en.texts[j] for j in bead.tgt),
                                      "zh-CN": "".join(zh.texts[i] for i in bead.src)}, props=[("x-document", pair.en.name)]))
    return units


def _bible_units(bible: Path) -> list:
    from align.export.tmx import TmxUnit

    return [TmxUnit({"en-US": en, "zh-CN": zh}, props=[("x-document", book)]) for book, en, zh in bible_pairs(bible)]


def _same(found: str, wanted: str) -> bool:
    """English case is not part of the term, nor the script of the Chinese (a rendering is shown in the
    characters of the unit it was cut from)."""
    return found.lower() == wanted.lower() or zh_key(found) == zh_key(wanted)


def zh_key(text: str) -> str:
    """The key a Chinese rendering is compared by: Simplified, without quotation marks."""
    return strip_quotes(to_simplified(text))


def _keys(entries) -> set[tuple[str, str]]:
    """The (English in small letters, `zh_key`) pairs of glossary entries (English, Chinese, set)."""
    return {(en.lower(), zh_key(zh)) for en, zh, _ in entries}


def composed(pair: tuple[str, str], listed: set[tuple[str, str]]) -> bool:
    """Whether an extracted (English, Chinese) pair, in the keys of `listed` (English lower-cased, Chinese
    by `zh_key`), is the join of two listed entries: its English splits between two words into A B and its
    Chinese between two characters into A′B′ or B′A′ (Chinese puts many titles after the name: 习近平主席),
    with (A, A′) and (B, B′) both listed. The rule was written before the held part was measured with it."""
    english, chinese = pair
    words = english.split()
    for cut in range(1, len(words)):
        first, second = " ".join(words[:cut]), " ".join(words[cut:])
        for at in range(1, len(chinese)):
            left, right = chinese[:at], chinese[at:]
            if {(first, left), (second, right)} <= listed or {(first, right), (second, left)} <= listed:
                return True
    return False


def undated(pair: tuple[str, str]) -> tuple[str, str] | None:
    """An entry (English, Chinese) that opens on its year on both sides (2018 …, 2018年…) without it; None for
    any other entry."""
    english, chinese = pair
    year = re.match(r"((?:19|20)\d\d) ", english)
    if year is None or not chinese.startswith(f"{year.group(1)}年") or len(chinese) <= 5:
        return None
    return english[year.end():], chinese[5:]


def row_sources(bible: Path, held_sets: tuple[HeldSet, ...] = HELD_SETS) -> dict:
    """Each row's name → a function giving the units of its memory (see the module docstring)."""
    press = bible.parent / "press-dev" / "corpora"
    return {"demo": _demo_units, "bible": lambda: _bible_units(bible), "press": lambda: _demo_units(press, held=False),
            "press-held": lambda: _demo_units(press, held=True),
            **{held.row: (lambda texts=held.texts: _demo_units(texts)) for held in held_sets}}


@dataclass(frozen=True)
class Judging:
    """How one row's extracted pairs are judged (see the module docstring)."""
    chosen: tuple[tuple[str, str], ...]   # the row's entries (English, Chinese)
    exhaustive: bool                      # every pair is judged (the press rows)
    listed: frozenset                     # the keys (`_keys`) a judged pair is right by

    def judged(self, pair: tuple[str, str]) -> bool:
        """Whether an extracted pair, keyed as `_keys` keys an entry, is judged at all."""
        return self.exhaustive or any(pair[0] == en.lower() or pair[1] == zh_key(zh) for en, zh in self.chosen)


def judgings(glossary: Path = GLOSSARY, held_sets: tuple[HeldSet, ...] = HELD_SETS) -> dict[str, Judging]:
    """Each row's name → how its pairs are judged; a row whose glossary has no entries is left out."""
    entries = read_glossary(glossary)
    every_press_pair = _keys(e for e in entries if e[2].startswith("press"))
    kinds = {"demo": "demo", "bible": "bible", "press": "press", "press-held": "press-held"}
    earlier, older = {}, set()   # a held row's pairs of the held sets older than its own
    for held in held_sets:
        read = read_glossary(held.glossary)
        entries += read
        kinds[held.row] = held.kind
        earlier[held.row], older = older, older | _keys(read)
    rows = {}
    for name, kind in kinds.items():
        chosen = tuple((en, zh) for en, zh, set_name in entries if set_name == kind)
        if chosen:
            exhaustive = name.startswith("press")
            pairs = {(en.lower(), zh_key(zh)) for en, zh in chosen}
            rows[name] = Judging(chosen, exhaustive, frozenset((every_press_pair | pairs if exhaustive else pairs)
                                                               | earlier.get(name, set())))
    return rows


def terms(bible: Path, glossary: Path = GLOSSARY, workdir: Path | None = None,
          held_sets: tuple[HeldSet, ...] = HELD_SETS, adjudicated: Path = ADJUDICATED) -> TermsReport:
    """Exact-match precision@1/@3 of `lookup` both ways and precision/recall of `terms extract` of every row
    (see the module docstring; a glossary without entries builds no row)."""
    import tempfile

    from align.store.memory import Memory
    from align.terms.extract import extract_glossary
    from align.terms.lookup import lookup

    sources = row_sources(bible, held_sets)
    adjudged = read_adjudicated(adjudicated)
    rows = []
    for name, judging in judgings(glossary, held_sets).items():
        chosen, listed = judging.chosen, set(judging.listed)
        with tempfile.TemporaryDirectory(dir=workdir) as tmp, Memory(Path(tmp) / f"{name}.sqlite") as memory:
            memory.add(sources[name](), name)
            hits = {"en": [0, 0], "zh": [0, 0]}
            misses = []
            for en, zh in chosen:
                for side, query, wanted in (("en", en, zh), ("zh", zh, en)):
                    found = [r.text for r in lookup(memory, query, limit=3)]
                    hits[side][0] += bool(found) and _same(found[0], wanted)
                    hits[side][1] += any(_same(f, wanted) for f in found)
                    if not (found and _same(found[0], wanted)):
                        misses.append(f"{query} → {found[0] if found else '(none)'} (want {wanted})")
            extracted = [(e.english, zh_key(e.chinese)) for e in extract_glossary(memory, limit=1000)]
            pairs = {(en.lower(), zh_key(zh)) for en, zh in chosen}
            judged = [(en.lower(), zh) for en, zh in extracted if judging.judged((en.lower(), zh))]
            right = sum(1 for pair in judged if pair in listed)
            joined = sum(1 for pair in judged if pair not in listed and composed(pair, listed))
            editions = {undated(pair) for pair in listed} - {None}
            unyeared = sum(1 for pair in judged if pair not in listed and pair in editions)
            wrong = tuple(f"{en} → {zh}" for en, zh in judged if (en, zh) not in listed)
            reread = sum(1 for pair in judged if pair not in listed and pair in adjudged.get(name, ()))
            found_pairs = {(en.lower(), zh) for en, zh in extracted}
            recall = sum(1 for pair in pairs if pair in found_pairs) / len(pairs)
            n = len(chosen)
            rows.append(TermsRow(name, n, memory.count(), (hits["en"][0] / n, hits["en"][1] / n),
                                 (hits["zh"][0] / n, hits["zh"][1] / n),
                                 (right / len(judged) if judged else 0.0, recall, len(judged)), tuple(misses), wrong,
                                 (right + joined) / len(judged) if judged else 0.0,
                                 (right + unyeared) / len(judged) if judged else 0.0,
                                 (right + reread) / len(judged) if judged else 0.0))
    return TermsReport(tuple(rows))
