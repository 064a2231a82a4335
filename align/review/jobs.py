"""Long work the page asks for (importing a pair, re-aligning a document), run in the background.

Jobs run one at a time on one worker thread, so the encoder (built once per process by
`batch.aligner_for`) is never used by two jobs at once; the page polls `GET /api/jobs/{id}` for the state.
"""

from __future__ import annotations

import itertools
import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Callable

from align.batch import BatchOptions, aligner_for, run_batch
from align.document import Document
from align.errors import ConflictError, InputError
from align.pipeline import DocumentPair, align_around
from align.store.alignments import AlignmentStore
from align.store.memory import Memory


def check_new_name(store: AlignmentStore, stem: str) -> None:
    """ConflictError (409) when a document named `stem` exists: an upload never replaces one silently."""
    existing = store.find(stem)
    if existing is None:
        return
    taken = set(store.stems())
    free = next(f"{stem}-{n}" for n in itertools.count(2) if f"{stem}-{n}" not in taken)
    units = sum(1 for b in existing.alignment.beads if b.paired)
    raise ConflictError(f"a document named {stem} exists with {units} units, {existing.human_beads} of them reviewed; "
                        "send replace=true to align it again from these files (as `run` does: reviewed units whose "
                        f"sentences remain are kept), or name={free} to import them as a new document")


@dataclass
class Job:
    id: int
    kind: str                    # "import" or "realign"
    stem: str | None
    state: str = "running"       # "running", "done" or "failed"
    message: str = ""

    def as_dict(self) -> dict:
        return {"id": self.id, "kind": self.kind, "stem": self.stem, "state": self.state, "message": self.message}


@dataclass
class Jobs:
    memory: Path
    threshold: float
    _jobs: dict[int, Job] = field(default_factory=dict)
    _ids: itertools.count = field(default_factory=lambda: itertools.count(1))
    _pool: ThreadPoolExecutor = field(default_factory=lambda: ThreadPoolExecutor(1, thread_name_prefix="align-job"))
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def get(self, job_id: int) -> Job | None:
        return self._jobs.get(job_id)

    def shutdown(self) -> None:
        self._pool.shutdown(wait=False, cancel_futures=True)

    def _submit(self, kind: str, stem: str | None, work: Callable[[AlignmentStore], str]) -> Job:
        with self._lock:
            job = Job(next(self._ids), kind, stem)
            self._jobs[job.id] = job

        def run() -> None:
            memory = Memory(self.memory)
            try:
                job.message = work(AlignmentStore(memory))
                job.state = "done"
            except InputError as exc:
                job.state, job.message = "failed", str(exc)
            except Exception as exc:  # noqa: BLE001 — reported to the page instead of lost in a thread
                job.state, job.message = "failed", f"{type(exc).__name__}: {exc}"
            finally:
                memory.close()

        self._pool.submit(run)
        return job

    def start_import(self, pair: DocumentPair, method: str | None, *, replace_existing: bool = False) -> Job:
        """Align an uploaded pair as `run` does (through `run_batch`, in this process); its TMX and review
        file go beside the memory. Unless `replace_existing`, the job fails when a document of that name exists by
        the time it runs (another upload of the same name may have come first)."""
        out = self.memory.parent / f"{pair.stem}.tmx"

        def work(store: AlignmentStore) -> str:
            if not replace_existing:
                check_new_name(store, pair.stem)
            summary = run_batch([(pair, out)], store, BatchOptions(method, threshold=self.threshold))
            if summary.failed:
                raise InputError(summary.failed[0][1])
            [result] = summary.done + summary.skipped
            return f"{result.units} units aligned, {result.low_confidence} under the review threshold"

        return self._submit("import", pair.stem, work)

    def start_realign(self, stem: str, version: int) -> Job:
        """Re-align everything between the beads a person edited or confirmed."""
        def work(store: AlignmentStore) -> str:
            stored = store.get(stem)
            alignment = stored.alignment
            anchors = [b for b in alignment.beads if b.human or b.note]
            zh = Document(Path(stored.zh_file), "zh", alignment.zh)
            en = Document(Path(stored.en_file), "en", alignment.en)
            new = replace(alignment, beads=align_around(zh, en, anchors, aligner_for(stored.method)))
            kept = sum(1 for b in anchors if b.human)
            store.replace_alignment(stem, new, version, f"re-aligned around {kept} reviewed bead(s)")
            return f"re-aligned around {kept} edited or confirmed bead(s)"

        return self._submit("realign", stem, work)
