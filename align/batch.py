"""Batch alignment: many pairs, in this process or on a Dask cluster, written by the client alone.

The client reads each pair (`read_pair`), skips it when its files and method are unchanged since
the stored alignment (the memory's alignments table is the manifest: stem, both files' hashes,
method and version), and otherwise ships the texts and the previous alignment (whose human edits
are kept) to `align_task`, a plain function a worker runs. Results are written as they complete,
each pair's TMX, review file, alignment and units together, so an interrupted batch keeps every
pair it finished. Only a bounded number of pairs is in flight; a pair that fails is reported with
its reason and the batch goes on (a pair whose worker process dies is retried once on another worker
first). On a cluster each worker's peak memory is read at the end, for the summary. This is the only
module that imports `distributed`.
"""

from __future__ import annotations

import contextlib
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable, Iterator

from align.aligners import Aligner, get_aligner
from align.errors import InputError
from align.pipeline import (REVIEW_THRESHOLD, AlignedPair, DocumentPair, PairResult, PairText, align_pair,
                            is_unchanged, read_pair, write_pair)
from align.store.alignments import AlignmentStore, StoredAlignment

_ALIGNERS: dict[str | None, Aligner] = {}   # one aligner per method and process: the encoder loads once


def aligner_for(method: str | None) -> Aligner:
    """The aligner of `method`, built once per process (the encoder and dictionaries load once)."""
    if method not in _ALIGNERS:
        _ALIGNERS[method] = get_aligner(method)
    return _ALIGNERS[method]


def align_task(texts: PairText, method: str | None, previous: StoredAlignment | None, discard_edits: bool,
               en_lang: str, zh_lang: str) -> AlignedPair:
    """Align one pair's texts with `method`. What a worker runs."""
    return align_pair(texts, aligner_for(method), previous, discard_edits=discard_edits,
                       en_lang=en_lang, zh_lang=zh_lang)


@dataclass
class BatchSummary:
    """What a batch did: the pairs written, the pairs skipped as unchanged, the pairs that failed; on a
    cluster, each worker's peak memory at the end."""

    done: list[PairResult] = field(default_factory=list)
    skipped: list[PairResult] = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)     # (stem, one-line reason)
    worker_peak_mib: dict[str, float] = field(default_factory=dict)  # worker address → peak RSS of its process


@dataclass(frozen=True)
class BatchOptions:
    method: str | None = None
    workers: int = 1
    scheduler: str | None = None
    force: bool = False
    discard_edits: bool = False
    threshold: float = REVIEW_THRESHOLD
    en_lang: str = "en-US"
    zh_lang: str = "zh-CN"
    progress: bool = False   # the aligner's own progress bars, when pairs are aligned in this process


def read_pairs_file(path: Path) -> list[DocumentPair]:
    """The pairs of a TSV file: English path, Chinese path, optional stem (default: the English file's
    name without .en/.txt). Relative paths are taken from the file's folder. InputError names file:line."""
    from align.ingest.decode import read_text
    from align.pipeline import pair_stem

    pairs, seen = [], {}
    for number, line in enumerate(read_text(Path(path)).splitlines(), start=1):
        if not line.strip() or line.startswith("#"):
            continue
        columns = line.split("\t")
        if len(columns) not in (2, 3) or not all(c.strip() for c in columns):
            raise InputError(f"{path}:{number}: expected two or three tab-separated columns "
                             "(English file, Chinese file, optional name); fix this line")
        en, zh = (Path(path).parent / c.strip() for c in columns[:2])
        stem = columns[2].strip() if len(columns) == 3 else pair_stem(en, "en")
        if stem in seen:
            raise InputError(f"{path}:{number}: the name {stem!r} is used again (line {seen[stem]}); "
                             "give each pair its own name in a third column")
        seen[stem] = number
        pairs.append(DocumentPair(stem, en, zh))
    if not pairs:
        raise InputError(f"{path}: no pairs listed; write one line per pair: English file<TAB>Chinese file")
    return pairs


def run_batch(jobs: Iterable[tuple[DocumentPair, Path]], store: AlignmentStore, options: BatchOptions,
              on_pair: Callable[[str, str], None] | None = None, *, cluster: bool | None = None) -> BatchSummary:
    """Align every (pair, TMX path) of `jobs` and write each result as it arrives. `on_pair(stem,
    outcome)` is told of every pair ('done', 'skipped' or 'failed'). The pairs are aligned in this
    process when there is one worker and no scheduler, unless `cluster` says otherwise."""
    summary = BatchSummary()

    def report(stem: str, outcome: str) -> None:
        if on_pair:
            on_pair(stem, outcome)

    def write(aligned: AlignedPair, out: Path) -> None:
        result = write_pair(aligned, out, store, threshold=options.threshold)
        (summary.skipped if aligned.reused else summary.done).append(result)
        report(aligned.pair.stem, "skipped" if aligned.reused else "done")

    def fail(stem: str, reason: str) -> None:
        summary.failed.append((stem, reason))
        report(stem, "failed")

    def work() -> Iterator[tuple[Path, tuple]]:
        """The pairs that need aligning, as task arguments; unchanged and unreadable pairs are dealt with here."""
        for pair, out in jobs:
            try:
                texts = read_pair(pair)
            except InputError as exc:
                fail(pair.stem, str(exc))
                continue
            previous = store.find(pair.stem)
            if not options.force and not options.discard_edits and \
                    is_unchanged(texts, previous, options.method, options.en_lang, options.zh_lang):
                write(AlignedPair(pair, previous, reused=True, kept=previous.human_beads, dropped_lines=0), out)
                continue
            yield out, (texts, options.method, previous, options.discard_edits, options.en_lang, options.zh_lang)

    if cluster is None:
        cluster = options.workers > 1 or options.scheduler is not None
    if not cluster:
        aligner_for(options.method).progress = options.progress
        for out, arguments in work():
            try:
                write(align_task(*arguments), out)
            except InputError as exc:
                fail(arguments[0].pair.stem, str(exc))
        return summary
    with _client(options) as client:
        _run_on_cluster(client, work(), write, fail)
        summary.worker_peak_mib = {address: peak for address, peak in
                                   client.run(peak_memory_mib, on_error="ignore").items() if peak is not None}
    return summary


def peak_memory_mib() -> float | None:
    """The peak resident memory of this process so far, in MiB (None where `resource` is missing)."""
    try:
        import resource
    except ImportError:
        return None
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024   # kB on Linux


# The nannies of a LocalCluster run in this process and copy these into os.environ, where they outlive the
# cluster and would win over the next cluster's settings (two workers, each with two BLAS threads on two
# cores, ran 4.7 times slower than one).
_THREAD_VARIABLES = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS")


@contextlib.contextmanager
def _environ_kept(names: Iterable[str]):
    saved = {name: os.environ.get(name) for name in names}
    try:
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


@contextlib.contextmanager
def _client(options: BatchOptions):
    """A Dask client: on the scheduler named, or on a LocalCluster of `workers` processes, one task at a time each."""
    import dask
    from distributed import Client, LocalCluster

    if options.scheduler:
        try:
            client = Client(options.scheduler, timeout="10s")
        except OSError as exc:
            raise InputError(f"{options.scheduler}: cannot reach the Dask scheduler ({exc}); start it with "
                             "`dask scheduler` and its workers with `dask worker ADDRESS`, or leave out --scheduler") from None
        with client:
            yield client
        return
    # A worker that dies mid-pair: the pair is tried once more elsewhere, then reported (a running
    # scheduler applies its own allowed-failures, Dask's default 3). The cores are
    # shared out: each worker's encoders get cores // workers threads (Dask's default is one), so one
    # worker is about as fast as this process (`python -m align bench batch`).
    threads = max(1, len(os.sched_getaffinity(0)) // options.workers)
    spawn = "distributed.nanny.pre-spawn-environ."    # e5 runs on OpenMP threads, USE on OpenBLAS's
    thread_settings = {spawn + name: threads for name in _THREAD_VARIABLES}
    # Dask sets MALLOC_TRIM_THRESHOLD_=65536 in its workers, so glibc hands freed memory back at once and
    # takes it again for the next array: the aligner's many small numpy arrays ran 1.45 times slower (20
    # Bible chapters: 6.1 s against 4.2 s in one process). None leaves glibc's own adaptive threshold.
    with _environ_kept(_THREAD_VARIABLES), dask.config.set({"distributed.scheduler.allowed-failures": 1,
                                                           spawn + "MALLOC_TRIM_THRESHOLD_": None,
                                                           **thread_settings}):
        with LocalCluster(n_workers=options.workers, threads_per_worker=1, processes=True,
                          dashboard_address=None) as cluster, Client(cluster) as client:
            yield client


def _run_on_cluster(client, work: Iterator[tuple[Path, tuple]], write, fail) -> None:
    """Keep about two pairs a worker in flight and write each result the moment it is ready."""
    from distributed import KilledWorker, as_completed

    limit = 2 * max(1, len(client.scheduler_info().get("workers", {})))
    futures = as_completed()
    where: dict[str, tuple[Path, str]] = {}

    def submit_next() -> bool:
        try:
            out, arguments = next(work)
        except StopIteration:
            return False
        future = client.submit(align_task, *arguments, pure=False)
        where[future.key] = (out, arguments[0].pair.stem)
        futures.add(future)
        return True

    while len(where) < limit and submit_next():
        pass
    for future in futures:
        out, stem = where.pop(future.key)
        try:
            write(future.result(), out)
        except InputError as exc:
            fail(stem, str(exc))
        except KilledWorker as exc:  # the scheduler gave up: every worker that took the pair died
            fail(stem, f"its worker died while aligning it (tries: {exc.allowed_failures + 1}, the last on "
                       f"{exc.last_worker.address}); run the batch again to retry it, or with --workers 1 "
                       "to align it in this process")
        except Exception as exc:  # noqa: BLE001 — a lost worker or a fault in one pair fails that pair alone
            fail(stem, f"{type(exc).__name__}: {exc}")
        finally:
            future.release()
        while len(where) < limit and submit_next():
            pass
