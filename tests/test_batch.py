"""Batch runs: the task function alone, then real Dask clusters (a LocalCluster, and `dask scheduler`
with two `dask worker` processes on 127.0.0.1); resumable; one bad pair fails alone; a worker process
killed while it aligns a pair (the pair is retried once elsewhere, then reported); the workers' peak memory."""

import os
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from align.batch import BatchOptions, align_task, run_batch
from align.cli import main
from align.export.tmx import read_tmx
from align.pipeline import DocumentPair, read_pair
from align.store.alignments import AlignmentStore
from align.store.memory import Memory

from conftest import DEMO_EN, DEMO_ZH

distributed = pytest.importorskip("distributed", reason="Dask distributed is not installed")


def _pairs(folder, count: int):
    """`count` transcript pairs (copies of the demo pair, the last sentence numbered) and their TSV."""
    lines = []
    for n in range(count):
        en, zh = folder / f"p{n}.en.txt", folder / f"p{n}.zh.txt"
        en.write_text(DEMO_EN.read_text(encoding="utf-8").replace("Thank you!", f"Thank you, {n}!"), encoding="utf-8")
        zh.write_text(DEMO_ZH.read_text(encoding="utf-8").replace("谢谢！", f"谢谢，{n}！"), encoding="utf-8")
        lines.append(f"{en.name}\t{zh.name}")
    tsv = folder / "pairs.tsv"
    tsv.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return tsv


def _units(folder, count: int):
    """Every TMX unit of the batch as (segments, props): what must not depend on how the batch ran."""
    return [[(u.segments, u.props) for u in read_tmx(folder / f"p{n}.tmx")] for n in range(count)]


def _run(tsv, out, *extra):
    return main(["run", "--pairs", str(tsv), "--out-dir", str(out), "--tm", str(out / "memory.sqlite"),
                 "--method", "length", *extra])


def test_the_task_aligns_texts_without_reading_files(tmp_path):
    texts = read_pair(DocumentPair("demo", DEMO_EN, DEMO_ZH))
    aligned = align_task(texts, "length", None, False, "en-US", "zh-CN")
    assert aligned.stored.aligner.startswith("length (align ")
    assert len(aligned.stored.alignment.en) == 23 and not aligned.reused


def test_two_workers_give_the_same_units_as_one_process(tmp_path, capsys):
    tsv = _pairs(tmp_path, 3)
    assert _run(tsv, tmp_path / "serial") == 0
    assert _run(tsv, tmp_path / "parallel", "--workers", "2") == 0
    assert "pairs         3 aligned, 0 unchanged (skipped), 0 failed" in capsys.readouterr().out
    assert _units(tmp_path / "serial", 3) == _units(tmp_path / "parallel", 3)


def test_a_cluster_batch_reports_each_workers_peak_memory(tmp_path):
    pairs = [DocumentPair(f"p{n}", tmp_path / f"p{n}.en.txt", tmp_path / f"p{n}.zh.txt") for n in range(2)]
    _pairs(tmp_path, 2)
    with Memory(tmp_path / "memory.sqlite") as memory:
        summary = run_batch([(pair, tmp_path / f"{pair.stem}.tmx") for pair in pairs], AlignmentStore(memory),
                            BatchOptions("length", workers=2))
    assert len(summary.done) == 2 and len(summary.worker_peak_mib) == 2
    assert all(address.startswith("tcp://127.0.0.1:") and 50 < mib < 2000 for address, mib in summary.worker_peak_mib.items())
    with Memory(tmp_path / "memory.sqlite") as memory:
        in_process = run_batch([(pair, tmp_path / f"{pair.stem}.tmx") for pair in pairs], AlignmentStore(memory),
                               BatchOptions("length", force=True))
    assert len(in_process.done) == 2 and in_process.worker_peak_mib == {}


def test_a_rerun_skips_unchanged_pairs_and_force_redoes_them(tmp_path, capsys):
    tsv = _pairs(tmp_path, 2)
    assert _run(tsv, tmp_path / "out") == 0
    capsys.readouterr()
    assert _run(tsv, tmp_path / "out") == 0
    assert "pairs         0 aligned, 2 unchanged (skipped), 0 failed" in capsys.readouterr().out
    assert _run(tsv, tmp_path / "out", "--force") == 0
    assert "pairs         2 aligned, 0 unchanged (skipped), 0 failed" in capsys.readouterr().out


def test_a_pair_that_fails_on_a_worker_fails_alone(tmp_path, capsys):
    tsv = _pairs(tmp_path, 2)
    (tmp_path / "labels.en.txt").write_text("Phoenix TV:\n", encoding="utf-8")
    (tmp_path / "labels.zh.txt").write_text("凤凰卫视记者：\n", encoding="utf-8")
    tsv.write_text(tsv.read_text() + "labels.en.txt\tlabels.zh.txt\n", encoding="utf-8")
    assert _run(tsv, tmp_path / "out", "--workers", "2") == 1
    out = capsys.readouterr().out
    assert "pairs         2 aligned, 0 unchanged (skipped), 1 failed" in out
    assert f"failed        labels: {tmp_path / 'labels.en.txt'}: " in out
    assert (tmp_path / "out" / "p1.tmx").is_file() and not (tmp_path / "out" / "labels.tmx").exists()


def test_a_bad_pairs_file_line_is_named(tmp_path, capsys):
    tsv = tmp_path / "pairs.tsv"
    tsv.write_text("only-one-column.txt\n", encoding="utf-8")
    assert _run(tsv, tmp_path / "out") == 2
    assert capsys.readouterr().err.strip() == (f"error: {tsv}:1: expected two or three tab-separated columns "
                                               "(English file, Chinese file, optional name); fix this line")


def test_a_batch_killed_half_way_keeps_what_it_finished_and_the_rerun_does_the_rest(tmp_path):
    count = 12
    tsv = _pairs(tmp_path, count)
    out, memory = tmp_path / "out", tmp_path / "out" / "memory.sqlite"
    process = subprocess.Popen([sys.executable, "-m", "align", "run", "--pairs", str(tsv), "--out-dir", str(out),
                                "--tm", str(memory), "--method", "length"],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    finished = 0
    deadline = time.time() + 120
    while finished < 2 and time.time() < deadline and process.poll() is None:
        time.sleep(0.05)
        try:
            with sqlite3.connect(f"file:{memory}?mode=ro", uri=True, timeout=1) as db:
                finished = db.execute("SELECT count(*) FROM alignments").fetchone()[0]
        except sqlite3.Error:
            pass
    process.kill()
    process.wait()
    assert _run(tsv, out) == 0
    with sqlite3.connect(memory) as db:
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert db.execute("SELECT count(*) FROM alignments").fetchone()[0] == count
        assert db.execute("SELECT count(*) FROM (SELECT en, zh, document FROM units GROUP BY en, zh, document "
                          "HAVING count(*) > 1)").fetchone()[0] == 0
    with Memory(memory, readonly=True) as store:
        assert store.count() == sum(len(read_tmx(out / f"p{n}.tmx")) for n in range(count))


def _big_pair(folder, copies: int = 400):
    """A pair of `copies` numbered copies of the demo pair: a few seconds to align with `lexical`, so
    it is still aligning when its worker is killed. Added to the folder's pairs.tsv as `big`."""
    en = "\n\n".join(DEMO_EN.read_text(encoding="utf-8").replace("Thank you!", f"Thank you, {k}!") for k in range(copies))
    zh = "\n\n".join(DEMO_ZH.read_text(encoding="utf-8").replace("谢谢！", f"谢谢，{k}！") for k in range(copies))
    (folder / "big.en.txt").write_text(en + "\n", encoding="utf-8")
    (folder / "big.zh.txt").write_text(zh + "\n", encoding="utf-8")
    tsv = folder / "pairs.tsv"
    tsv.write_text("big.en.txt\tbig.zh.txt\n" + tsv.read_text(encoding="utf-8"), encoding="utf-8")


class WorkerKiller(threading.Thread):
    """Beside a batch on a LocalCluster: once one task has been the only one processing for 0.3 s (the
    big pair, the small ones being done), SIGKILL the worker process running it; again on the worker it
    moves to, `times` kills in all. `kills` records (task, worker address); `workers` the cluster's
    workers at the start (all `expected` of them, asked of the scheduler: the client's cached view can miss a
    worker that has just joined); `retried_on` the worker the task moved to after the last kill (watched for
    only after one kill: after two, Dask gives up). The batch's client is Dask's default client."""

    def __init__(self, times: int, expected: int = 2):
        super().__init__(daemon=True)
        self.times, self.expected, self.kills, self.workers, self.retried_on = times, expected, [], set(), None

    def run(self) -> None:
        deadline = time.time() + 90
        while time.time() < deadline:
            try:
                client = distributed.default_client()
                break
            except ValueError:
                time.sleep(0.05)
        while time.time() < deadline and len(self.workers) < self.expected:
            self.workers = set(client.processing())  # every worker of the scheduler, busy or not
            time.sleep(0.05)
        alone_since = key = None
        while time.time() < deadline and not (self.times > 1 and len(self.kills) == self.times):
            busy = [(worker, task) for worker, tasks in client.processing().items() for task in tasks]
            killed = {worker for _, worker in self.kills}
            if len(busy) != 1 or busy[0][1] != (key or busy[0][1]) or busy[0][0] in killed:
                alone_since = None
            elif len(self.kills) == self.times:
                self.retried_on = busy[0][0]
                return
            elif alone_since is None:
                alone_since = time.time()
            elif time.time() - alone_since >= 0.3:
                worker, key = busy[0]
                os.kill(client.run(os.getpid, workers=[worker])[worker], signal.SIGKILL)
                self.kills.append((key, worker))
                alone_since = None
            time.sleep(0.02)


def _memory_holds_each_unit_once(memory, out, stems) -> None:
    with sqlite3.connect(memory) as db:
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert sorted(row[0] for row in db.execute("SELECT stem FROM alignments")) == sorted(stems)
        stored = db.execute("SELECT en, zh, document FROM units").fetchall()
    written = {(u.segments["en-US"], u.segments["zh-CN"], u.prop("x-document")) for stem in stems
               for u in read_tmx(out / f"{stem}.tmx")}
    assert len(stored) == len(set(stored)) and set(stored) == written


def _run_killing_workers(tmp_path, small_pairs: int, times: int) -> tuple[Path, int, WorkerKiller]:
    """A `--workers 2` batch of `small_pairs` small pairs and the big one, its workers killed `times` times
    while they align the big pair: the pairs file, the exit code and the killer."""
    tsv = _pairs(tmp_path, small_pairs)
    _big_pair(tmp_path)
    killer = WorkerKiller(times=times)
    killer.start()
    code = _run(tsv, tmp_path / "out", "--workers", "2", "--method", "lexical")
    killer.join(timeout=30)
    return tsv, code, killer


def test_a_pair_whose_worker_dies_is_aligned_once_by_the_other_worker(tmp_path, capsys):
    _, code, killer = _run_killing_workers(tmp_path, 1, times=1)
    assert code == 0
    assert len(killer.kills) == 1 and killer.retried_on == (killer.workers - {killer.kills[0][1]}).pop()
    assert "pairs         2 aligned, 0 unchanged (skipped), 0 failed" in capsys.readouterr().out
    _memory_holds_each_unit_once(tmp_path / "out" / "memory.sqlite", tmp_path / "out", ["big", "p0"])


def test_a_pair_whose_worker_dies_twice_fails_alone_and_the_rerun_aligns_it(tmp_path, capsys):
    tsv, code, killer = _run_killing_workers(tmp_path, 2, times=2)
    assert code == 1
    assert len(killer.kills) == 2 and {worker for _, worker in killer.kills} == killer.workers
    out = capsys.readouterr().out
    assert "pairs         2 aligned, 0 unchanged (skipped), 1 failed" in out
    assert (f"failed        big: its worker died while aligning it (tries: 2, the last on {killer.kills[1][1]}); "
            "run the batch again to retry it, or with --workers 1 to align it in this process\n") in out
    assert not (tmp_path / "out" / "big.tmx").exists()
    _memory_holds_each_unit_once(tmp_path / "out" / "memory.sqlite", tmp_path / "out", ["p0", "p1"])
    assert _run(tsv, tmp_path / "out", "--method", "lexical") == 0
    assert "pairs         1 aligned, 2 unchanged (skipped), 0 failed" in capsys.readouterr().out
    _memory_holds_each_unit_once(tmp_path / "out" / "memory.sqlite", tmp_path / "out", ["big", "p0", "p1"])


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def dask_cluster():
    """A stock `dask scheduler` and two `dask worker` processes on 127.0.0.1, stopped afterwards."""
    if shutil.which("dask") is None:
        pytest.skip("the `dask` command is not on PATH")
    port = _free_port()
    address = f"tcp://127.0.0.1:{port}"
    processes = [subprocess.Popen(["dask", "scheduler", "--host", "127.0.0.1", "--port", str(port), "--no-dashboard"],
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)]
    processes += [subprocess.Popen(["dask", "worker", address, "--nthreads", "1", "--no-dashboard",
                                    "--host", "127.0.0.1"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
                  for _ in range(2)]
    try:
        with distributed.Client(address, timeout="60s") as client:
            client.wait_for_workers(2, timeout=120)
        yield address
    finally:
        for process in reversed(processes):
            process.terminate()
        for process in processes:
            process.wait(timeout=60)


def test_a_scheduler_run_gives_the_same_units_and_the_client_alone_writes(tmp_path, dask_cluster, capsys):
    tsv = _pairs(tmp_path, 3)
    assert _run(tsv, tmp_path / "serial") == 0
    assert _run(tsv, tmp_path / "cluster", "--scheduler", dask_cluster) == 0
    assert "pairs         3 aligned, 0 unchanged (skipped), 0 failed" in capsys.readouterr().out
    assert _units(tmp_path / "serial", 3) == _units(tmp_path / "cluster", 3)


def test_an_unreachable_scheduler_is_one_line(tmp_path, capsys):
    tsv = _pairs(tmp_path, 2)
    address = f"tcp://127.0.0.1:{_free_port()}"
    assert _run(tsv, tmp_path / "out", "--scheduler", address) == 2
    assert capsys.readouterr().err.startswith(f"error: {address}: cannot reach the Dask scheduler (")
