"""The memory under concurrent use, with real processes: the review server (the `review` command),
`run` and `run --force` on the same pair and `tm import` looping in other processes, while this test
confirms beads and searches over HTTP for a while. Every confirmation the server acknowledged with 200
is in the file afterwards, the file passes PRAGMA integrity_check, and the server still answers."""

import json
import os
import random
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request

from align.cli import main
from align.export.tmx import TmxUnit, write_tmx
from align.store.alignments import AlignmentStore, tmx_units
from align.store.memory import Memory

from conftest import DEMO_EN, DEMO_ZH, ROOT

SECONDS = 20          # of edits and searches while the other processes loop


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _call(base: str, path: str, body: dict | None = None) -> tuple[int, dict]:
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(base + path, data=data, headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=30) as answer:
            return answer.status, json.loads(answer.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"{}")


def _loop(command: list[str], seconds: float, log) -> subprocess.Popen:
    """A shell loop running `command` again and again for `seconds`, in its own process group."""
    script = f'end=$(( $(date +%s) + {int(seconds)} )); while [ $(date +%s) -lt $end ]; do "$@"; echo "exit $?"; done'
    return subprocess.Popen(["sh", "-c", script, "sh", *command], stdout=log, stderr=subprocess.STDOUT,
                            env={**os.environ, "PYTHONPATH": str(ROOT)}, start_new_session=True)


def _stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
    process.wait(timeout=60)


def _pair(folder, copies: int = 8):
    """A longer transcript pair (the demo's text `copies` times), so that `run --force` takes a while."""
    en, zh = folder / "long.en.txt", folder / "long.zh.txt"
    en.write_text("\n\n".join([DEMO_EN.read_text(encoding="utf-8")] * copies), encoding="utf-8")
    zh.write_text("\n\n".join([DEMO_ZH.read_text(encoding="utf-8")] * copies), encoding="utf-8")
    return en, zh


def _edit_loop(base: str, end: float, seed: int, acknowledged: dict, answers: list, failures: list,
               lock: threading.Lock) -> None:
    """Confirm or un-confirm random beads until `end`; note each acknowledged change by the bead's
    sentence ids, with the version it made (the server's order), and every unexpected answer."""
    rng = random.Random(seed)
    while time.monotonic() < end:
        status, document = _call(base, "/api/documents/long?limit=1000")
        if status != 200:
            failures.append(("GET /api/documents/long", status, document))
            continue
        bead = rng.choice([b for b in document["beads"] if b["paired"]])
        op = "unconfirm" if bead["status"] == "confirmed" else "confirm"
        status, answer = _call(base, "/api/documents/long/edits",
                               {"version": document["version"], "op": op, "bead": bead["index"]})
        if status not in (200, 409, 503):   # 409: `run --force` made a new version meanwhile; 503: busy
            failures.append((op, status, answer))
        with lock:
            answers.append(status)
            if status == 200:
                key = (tuple(s["id"] for s in bead["zh"]), tuple(s["id"] for s in bead["en"]))
                if answer["version"] > acknowledged.get(key, (0, ""))[0]:
                    acknowledged[key] = (answer["version"], "confirmed" if op == "confirm" else "edited")


def _search_loop(base: str, end: float, failures: list) -> None:
    while time.monotonic() < end:
        for query in ("命运共同体", "trade and peace", "community"):
            status, found = _call(base, "/api/search?q=" + urllib.request.quote(query))
            if status != 200 or not found["units"]:
                failures.append((query, status, found))


def test_changes_acknowledged_while_run_run_force_and_tm_import_loop_are_all_in_the_memory(tmp_path):
    tm, out = tmp_path / "memory.sqlite", tmp_path / "long.tmx"
    en, zh = _pair(tmp_path)
    pair = ["--en", str(en), "--zh", str(zh), "-o", str(out), "--tm", str(tm), "--method", "length"]
    assert main(["run", *pair]) == 0
    units = [TmxUnit(segments={"en-US": f"Imported sentence {n} about trade and peace.", "zh-CN": f"关于贸易与和平的第{n}句。"})
             for n in range(3000)]
    write_tmx(tmp_path / "big.tmx", units)
    assert main(["tm", "import", str(tmp_path / "big.tmx"), "--tm", str(tm)]) == 0

    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    python = [sys.executable, "-m", "align"]
    server_log = open(tmp_path / "server.log", "w")
    server = subprocess.Popen([*python, "review", "--tm", str(tm), "--port", str(port), "--no-browser"],
                              stdout=server_log, stderr=subprocess.STDOUT, env={**os.environ, "PYTHONPATH": str(ROOT)},
                              start_new_session=True)
    loops = []
    acknowledged, answers, failures, lock = {}, [], [], threading.Lock()
    try:
        for _ in range(300):
            try:
                if _call(base, "/api/documents")[0] == 200:
                    break
            except OSError:
                pass
            time.sleep(0.1)
        log = open(tmp_path / "loops.log", "w")
        loops = [_loop([*python, "run", *pair], SECONDS, log), _loop([*python, "run", *pair, "--force"], SECONDS, log),
                 _loop([*python, "tm", "import", str(tmp_path / "big.tmx"), "--tm", str(tm)], SECONDS, log)]
        end = time.monotonic() + SECONDS
        threads = [threading.Thread(target=_edit_loop, args=(base, end, seed, acknowledged, answers, failures, lock))
                   for seed in (1, 2)] + [threading.Thread(target=_search_loop, args=(base, end, failures)) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert _call(base, "/api/documents")[0] == 200            # the server still answers
    finally:
        for process in loops:
            _stop(process)
        _stop(server)
    assert failures == []
    assert answers.count(200) >= 20, answers
    with Memory(tm, readonly=True) as memory:
        assert memory.db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        stored = AlignmentStore(memory).get("long")
        status = {(b.zh, b.en): b.status for b in stored.alignment.beads}
        assert {key: status.get(key) for key in acknowledged} == {key: state for key, (_, state) in acknowledged.items()}
        units = {(u.en, u.zh) for u in memory.units(document=stored.en_file)}
        assert units == {(u.segments["en-US"], u.segments["zh-CN"]) for u in tmx_units(stored)}
        assert memory.count() >= 3000
    runs = (tmp_path / "loops.log").read_text()
    assert runs.count("exit 0") >= 3, runs[-2000:]
    assert "Traceback" not in (tmp_path / "server.log").read_text()
