"""`bench batch`: the Bible's chapters as a batch, in this process and on one- and two-worker Dask
LocalClusters: wall time and peak memory of the client and the workers."""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

from align.bench.common import bible_chapters
from align.errors import InputError
from align.ingest import read_lines


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

