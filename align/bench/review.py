"""`bench review`: the review server on the Bible set through real HTTP on 127.0.0.1: time to open the
document page (also in Chromium when it is installed) and edit round trips."""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

from align.aligners import get_aligner
from align.bench.common import percentiles
from align.ingest import read_lines


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
                        browser, percentiles(edits), percentiles(trips), len(edits))


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

