"""The memory shared by several processes at once: nothing a process was told is saved is lost."""

import os
import subprocess
import sys
from pathlib import Path

from align.export.tmx import TmxUnit
from align.store.memory import Memory

ROOT = Path(__file__).resolve().parent.parent


def _unit(n: int) -> TmxUnit:
    return TmxUnit(segments={"en-US": f"Sentence number {n}.", "zh-CN": f"第{n}句。"})


def _in_another_process(code: str, *args: str) -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    subprocess.run([sys.executable, "-c", code, *args], check=True, env=env, timeout=120)


WRITE_AND_CLOSE = ("import sys; from pathlib import Path; from align.export.tmx import TmxUnit; "
                   "from align.store.memory import Memory\n"
                   "with Memory(Path(sys.argv[1])) as m: "
                   "m.add([TmxUnit(segments={'en-US': 'From elsewhere ' + sys.argv[2], 'zh-CN': '别处' + sys.argv[2]})], 'other')")


def test_a_write_acknowledged_while_another_request_opens_the_memory_survives_another_process_closing_it(tmp_path):
    path = tmp_path / "memory.sqlite"
    with Memory(path) as server:                  # a request in progress holds its connection
        server.add([_unit(0)], "doc")
        for n in range(1, 4):
            Memory(path, readonly=True).close()   # another request opens and closes the memory meanwhile
            _in_another_process(WRITE_AND_CLOSE, str(path), str(n))   # `run` or `tm import` ends
            assert server.add([_unit(n)], "doc") == 1
    with Memory(path, readonly=True) as fresh:
        assert sorted(u.en for u in fresh.units()) == sorted(
            [f"Sentence number {n}." for n in range(4)] + [f"From elsewhere {n}" for n in range(1, 4)])
        assert fresh.db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
