"""`bench memory`: the translation memory at scale: import, peak memory growth, search and lookup
times on a generated TMX of 200,000 units."""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

from align.batch import peak_memory_mib
from align.bench.common import generate_tmx, percentiles


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


def memory(units: int = 200_000, workdir: Path | None = None) -> MemoryReport:
    import tempfile

    from align.store.memory import Memory
    from align.terms.lookup import lookup

    with tempfile.TemporaryDirectory(dir=workdir) as tmp:
        tmx, db = Path(tmp) / "generated.tmx", Path(tmp) / "memory.sqlite"
        generate_tmx(tmx, units)
        before = peak_memory_mib()
        with Memory(db) as store:
            start = time.perf_counter()
            store.import_tmx(tmx)
            import_seconds = time.perf_counter() - start
            growth = peak_memory_mib() - before
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
    return MemoryReport(count, import_seconds, growth, percentiles(search_times), percentiles(lookup_times))

