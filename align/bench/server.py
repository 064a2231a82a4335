"""`bench server`: the review server under load, set up as issue 23 measured it: a memory of 54,000
generated units plus the Bible pair as one stored document (about 4,900 beads), served by the `review`
command in its own process, and clients on 127.0.0.1 (this process, asyncio + httpx). Three requests —
a 200-bead page of the document, a search, the full document — each timed alone (one client, one at a
time) and under many concurrent clients (p95 latency, requests per second, failed requests: errors,
resets and answers other than 200)."""

from __future__ import annotations

import random
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from align.bench.common import generate_tmx, percentiles

SEARCHES = ("community", "development", "press conference", "the people", "cooperation",
            "命运共同体", "发展", "合作", "记者", "中国")


@dataclass(frozen=True)
class LoadFigures:
    """One request's figures: alone (median) and under `clients` concurrent clients."""

    request: str
    alone_median_ms: float
    median_ms: float
    p95_ms: float
    per_second: float
    requests: int
    failed: int

    def as_dict(self) -> dict:
        return {"request": self.request, "alone_median_ms": round(self.alone_median_ms, 1),
                "median_ms": round(self.median_ms), "p95_ms": round(self.p95_ms), "per_second": round(self.per_second, 1),
                "requests": self.requests, "failed": self.failed}


@dataclass(frozen=True)
class ServerReport:
    units: int
    beads: int
    clients: int
    rows: tuple[LoadFigures, ...]

    def as_dict(self) -> dict:
        return {"units": self.units, "beads": self.beads, "clients": self.clients,
                "requests": [row.as_dict() for row in self.rows]}


def _build_memory(db: Path, bible: Path, units: int) -> int:
    """The memory: `units` generated units and the Bible pair stored as the document `bible`; its beads."""
    from align.bench.review import _bible_alignment
    from align.store.alignments import AlignmentStore
    from align.store.memory import Memory

    tmx = db.with_suffix(".tmx")
    generate_tmx(tmx, units)
    stored = _bible_alignment(bible)
    with Memory(db) as memory:
        memory.import_tmx(tmx)
        store = AlignmentStore(memory)
        with store.writing():
            store.units_changed(store.save(stored))
    return len(stored.alignment.beads)


def _serve(db: Path, port: int) -> subprocess.Popen:
    """`python -m align review` on `port`, in its own process; returns once it answers."""
    import httpx

    server = subprocess.Popen([sys.executable, "-m", "align", "review", "--tm", str(db), "--port", str(port),
                               "--no-browser"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/api/documents", timeout=5).status_code == 200:
                return server
        except httpx.HTTPError:
            time.sleep(0.2)
    server.kill()
    raise RuntimeError("the review server did not answer within 120 s")


def _load(base: str, paths: Callable[[random.Random], str], clients: int, per_client: int) -> tuple[list[float], int, float]:
    """`clients` concurrent clients, each sending `per_client` requests one after another: the latencies
    of the answered requests (ms), how many failed, and the wall time (s)."""
    import asyncio

    import httpx

    async def run() -> tuple[list[float], int, float]:
        latencies, failed = [], 0
        limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
        async with httpx.AsyncClient(base_url=base, timeout=120, limits=limits) as client:
            async def one(seed: int) -> None:
                nonlocal failed
                rng = random.Random(seed)
                for _ in range(per_client):
                    start = time.perf_counter()
                    try:
                        answer = await client.get(paths(rng))
                        answer.read()
                        ok = answer.status_code == 200
                    except httpx.HTTPError:
                        ok = False
                    if ok:
                        latencies.append((time.perf_counter() - start) * 1000)
                    else:
                        failed += 1
            start = time.perf_counter()
            await asyncio.gather(*(one(seed) for seed in range(clients)))
            return latencies, failed, time.perf_counter() - start

    return asyncio.run(run())


def server(bible: Path, units: int = 54_000, clients: int = 200, workdir: Path | None = None) -> ServerReport:
    """The load figures of issue 23 on this machine (see the module docstring)."""
    with tempfile.TemporaryDirectory(dir=workdir) as tmp:
        db = Path(tmp) / "memory.sqlite"
        beads = _build_memory(db, bible, units)
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        process = _serve(db, port)
        base = f"http://127.0.0.1:{port}"
        requests = {
            "200-bead page": (lambda rng: f"/api/documents/bible?offset={rng.randrange(max(1, beads - 200))}&limit=200", 5),
            "search": (lambda rng: f"/api/search?q={rng.choice(SEARCHES)}", 5),
            "full document": (lambda rng: f"/api/documents/bible?limit={beads}", 1),
        }
        rows = []
        try:
            for name, (paths, per_client) in requests.items():
                alone, _, _ = _load(base, paths, 1, 20)
                latencies, failed, seconds = _load(base, paths, clients, per_client)
                median, p95 = percentiles(latencies) if latencies else (float("nan"), float("nan"))
                rows.append(LoadFigures(name, percentiles(alone)[0], median, p95, len(latencies) / seconds,
                                        clients * per_client, failed))
        finally:
            process.terminate()
            process.wait(timeout=60)
    return ServerReport(units, beads, clients, tuple(rows))
