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


# `run` while a person edits

import pytest  # noqa: E402
from dataclasses import replace  # noqa: E402

from align.aligners import get_aligner  # noqa: E402
from align.cli import main  # noqa: E402
from align.errors import ConflictError  # noqa: E402
from align.pipeline import DocumentPair, align_pair, read_pair, write_pair  # noqa: E402
from align.store.alignments import AlignmentStore, check_sentence_ids, tmx_units  # noqa: E402
from align.store.edits import Confirm, EditText, Merge, Unconfirm, Unpair  # noqa: E402

from conftest import DEMO_EN, DEMO_ZH  # noqa: E402


@pytest.fixture(scope="module")
def length_memory(tmp_path_factory):
    """A memory made by `run --method length` on the demo pair (fast), copied by each test."""
    folder = tmp_path_factory.mktemp("length-memory")
    assert main(["run", "--en", str(DEMO_EN), "--zh", str(DEMO_ZH), "-o", str(folder / "demo.tmx"),
                 "--tm", str(folder / "m.sqlite"), "--method", "length"]) == 0
    return folder / "m.sqlite"


def _started_run(path, stem="demo"):
    """What `run --force` has in hand once it has read the stored alignment and aligned the pair."""
    with Memory(path, readonly=True) as memory:
        previous = AlignmentStore(memory).get(stem)
    texts = read_pair(DocumentPair(stem, DEMO_EN, DEMO_ZH))
    return align_pair(texts, get_aligner("length"), previous), previous


def _copy(length_memory, tmp_path):
    import shutil

    path = tmp_path / "m.sqlite"
    shutil.copy(length_memory, path)
    return path


def test_confirmations_and_merges_made_while_run_aligns_are_in_the_memory_afterwards(length_memory, tmp_path):
    path = _copy(length_memory, tmp_path)
    with Memory(path) as memory:
        store = AlignmentStore(memory)
        [stem] = store.stems()
        store.apply(stem, Confirm(2), store.get(stem).version)            # reviewed before the run: anchors
        store.apply(stem, Confirm(5), store.get(stem).version)
        aligned, previous = _started_run(path, stem)
        version = store.undo(stem, previous.version)[0].version          # while it aligns: bead 5 back to auto
        version = store.apply(stem, Confirm(4), version).version
        version = store.apply(stem, Merge(7), version).version
        version = store.apply(stem, Unpair(10), version).version                 # bead 10 becomes beads 10 and 11
        version = store.apply(stem, Unconfirm(2), version).version
        meanwhile = store.get(stem).alignment
        result = write_pair(aligned, tmp_path / "out.tmx", store)
    with Memory(path, readonly=True) as memory:
        stored = AlignmentStore(memory).get(stem)
        assert stored.version == version + 1
        check_sentence_ids(stem, stored.alignment)
        assert stored.alignment.beads[4] == meanwhile.beads[4] and stored.alignment.beads[4].status == "confirmed"
        assert stored.alignment.beads[7] == meanwhile.beads[7] and stored.alignment.beads[7].status == "edited"
        assert stored.alignment.beads[2] == meanwhile.beads[2] and stored.alignment.beads[2].status == "edited"
        assert stored.alignment.beads[5] == meanwhile.beads[5] and stored.alignment.beads[5].status == "auto"
        assert stored.alignment.beads[10:12] == meanwhile.beads[10:12] and not stored.alignment.beads[10].paired
        assert {(u.en, u.zh) for u in memory.units(document=stored.en_file)} == \
            {(u.segments["en-US"], u.segments["zh-CN"]) for u in tmx_units(stored)}
    assert result.units == len(tmx_units(stored))


def test_a_text_edit_made_while_run_aligns_stops_that_document_with_one_line_and_changes_nothing(length_memory, tmp_path):
    path = _copy(length_memory, tmp_path)
    with Memory(path) as memory:
        store = AlignmentStore(memory)
        [stem] = store.stems()
        aligned, previous = _started_run(path, stem)
        zh = previous.alignment.beads[3].zh[0]
        store.apply(stem, EditText("zh", (zh,), previous.alignment.zh[zh].text + "（校）"), previous.version)
        kept = store.get(stem)
        with pytest.raises(ConflictError) as caught:
            write_pair(aligned, tmp_path / "out.tmx", store)
        assert str(caught.value) == (f"{stem}: changed in the memory while it was being aligned (now version "
                                     f"{kept.version}, since version {previous.version}) and its sentences changed "
                                     "(edited, or aligned again from changed files); nothing was written for it; run "
                                     "again to align it with those changes")
        assert AlignmentStore(memory).get(stem) == kept
        assert store.can_undo(stem)
    assert not (tmp_path / "out.tmx").exists()


def test_tm_import_counts_only_its_own_new_units_while_another_process_adds_units(tmp_path):
    import time

    path = tmp_path / "memory.sqlite"
    done = tmp_path / "other-done"
    Memory(path).close()
    code = (WRITE_AND_CLOSE.replace("m.add([", "m.add([TmxUnit(segments={'en-US': f'Extra {k}', 'zh-CN': f'额外{k}'}) "
                                    "for k in range(5)] + [") + "\nPath(sys.argv[3]).touch()")
    other = None

    def units():
        nonlocal other
        other = subprocess.Popen([sys.executable, "-c", code, str(path), "x", str(done)],
                                 env={**os.environ, "PYTHONPATH": str(ROOT)})
        deadline = time.monotonic() + 3
        while not done.exists() and time.monotonic() < deadline:   # on the old code it slips in here
            time.sleep(0.05)
        yield from (_unit(n) for n in range(3))

    with Memory(path) as memory:
        assert memory.add(units(), "mine") == 3
    assert other.wait(timeout=60) == 0
    with Memory(path, readonly=True) as memory:
        assert memory.count() == 9


def test_two_first_saves_of_one_new_name_at_once_both_succeed_without_an_integrity_error(length_memory, tmp_path):
    import threading
    import time

    path = _copy(length_memory, tmp_path)
    texts = read_pair(DocumentPair("fresh", DEMO_EN, DEMO_ZH))
    aligned = align_pair(texts, get_aligner("length"))            # neither process saw a document "fresh"
    outcome = {}
    with Memory(path) as first, Memory(path) as second:
        other = AlignmentStore(second)
        other.db.execute("BEGIN IMMEDIATE")                        # the other `run` is saving "fresh" right now
        other.units_changed(other.save(aligned.stored))

        def this_run():
            try:
                outcome["result"] = write_pair(aligned, tmp_path / "fresh.tmx", AlignmentStore(first))
            except Exception as exc:  # noqa: BLE001 — the test reports it
                outcome["error"] = exc

        thread = threading.Thread(target=this_run)
        thread.start()
        time.sleep(0.5)
        other.db.commit()
        thread.join()
    assert "error" not in outcome, outcome.get("error")
    with Memory(path, readonly=True) as memory:
        stored = AlignmentStore(memory).get("fresh")
        assert stored.version == 2
        check_sentence_ids("fresh", stored.alignment)


def test_a_run_that_aligns_again_is_one_step_of_the_history_and_undo_brings_the_edits_before_it_back(length_memory, tmp_path):
    path = _copy(length_memory, tmp_path)
    with Memory(path) as memory:
        store = AlignmentStore(memory)
        [stem] = store.stems()
        store.apply(stem, Confirm(3), store.get(stem).version)
        merged = store.apply(stem, Merge(6), store.get(stem).version)
        aligned, _ = _started_run(path, stem)
        aligned = replace(aligned, stored=replace(aligned.stored, alignment=replace(
            aligned.stored.alignment, beads=tuple(replace(b, status="auto", changed=None)
                                                  for b in aligned.stored.alignment.beads))))   # as --discard-edits
        write_pair(aligned, tmp_path / "out.tmx", store)
        assert not store.get(stem).human_beads
        stored, description = store.undo(stem, store.get(stem).version)
        assert description == "aligned again by run (length)"
        assert stored.alignment == merged.alignment
        stored, description = store.undo(stem, stored.version)
        assert description == "merged beads 6 and 7"
    with Memory(path, readonly=True) as memory:
        fresh = AlignmentStore(memory).get(stem)
        assert fresh.alignment.beads[3].status == "confirmed" and fresh.alignment == stored.alignment
        assert {(u.en, u.zh) for u in memory.units(document=fresh.en_file)} == \
            {(u.segments["en-US"], u.segments["zh-CN"]) for u in tmx_units(fresh)}


def test_tm_import_refuses_the_memory_itself_as_an_input_before_opening_it(length_memory, tmp_path, capsys):
    path = _copy(length_memory, tmp_path)
    before = path.read_bytes()
    assert main(["tm", "import", str(path), "--tm", str(path)]) == 2
    assert capsys.readouterr().err.strip() == (f"error: {path}: the translation memory is also an input ({path}); "
                                               "give another --tm path")
    assert path.read_bytes() == before
