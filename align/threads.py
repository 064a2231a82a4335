"""The threads that independent pieces of one alignment's work are shared out to: how many (`count`) and
running a function over a list of items on them (`each`). Used where the work lets go of the GIL (numpy's
loops, the compiled loops built with `nogil=True`, BLAS) and every item's result is the same whichever thread
computes it, so the output is the same bit for bit as one thread's."""

from __future__ import annotations

import os
import threading
from concurrent.futures import ThreadPoolExecutor
from typing import Callable, Iterable


def count() -> int:
    """ALIGN_THREADS if set, else the BLAS threads the process was given (OPENBLAS_NUM_THREADS / OMP_NUM_THREADS:
    `batch` gives each Dask worker its share of the cores there, so two workers on two cores run one thread each),
    else the cores this process may run on."""
    for name in ("ALIGN_THREADS", "OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS"):
        setting = os.environ.get(name, "").strip()
        if setting.isdigit() and int(setting) > 0:
            return int(setting)
    return len(os.sched_getaffinity(0))


def each(work: Callable[[object], None], items: Iterable, threads: int | None = None) -> None:
    """work(item) for every item, taken in turn by this thread and `threads` - 1 helpers (default `count()`);
    an exception in any of them is raised here."""
    items = list(items)
    left = iter(items)
    lock = threading.Lock()

    def drain() -> None:
        while True:
            with lock:
                item = next(left, None)
            if item is None:
                return
            work(item)

    helpers = min(count() if threads is None else threads, len(items)) - 1
    if helpers <= 0:
        drain()
        return
    with ThreadPoolExecutor(helpers) as pool:
        running = [pool.submit(drain) for _ in range(helpers)]
        drain()
        for helper in running:
            helper.result()
