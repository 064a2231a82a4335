"""Alignments stored in the memory file: edits, undo/redo, units that follow, re-runs that keep edits."""

import json
import os
import shutil
import sqlite3

import pytest

from align.cli import main
from align.errors import ConflictError
from align.export.tmx import read_tmx
from align.store.alignments import AlignmentStore
from align.store.edits import Confirm, EditText, Merge
from align.store.memory import Memory

from conftest import DEMO_EN, DEMO_ZH


@pytest.fixture
def store(memory_file):
    memory = Memory(memory_file)
    yield AlignmentStore(memory)
    memory.close()


def _bead_with(store, english: str) -> int:
    stored = store.get("demo")
    return next(k for k, b in enumerate(stored.alignment.beads) if english in stored.alignment.text(b, "en"))


def test_run_stores_every_sentence_of_both_documents_once(store):
    alignment = store.get("demo").alignment
    assert (len(alignment.en), len(alignment.zh)) == (23, 26)
    assert sorted(i for b in alignment.beads for i in b.en) == list(range(23))
    assert sorted(i for b in alignment.beads for i in b.zh) == list(range(26))
    assert alignment.en[-1].speaker == "Ma Zhaoxu"


def test_an_edit_reaches_the_memory_search_at_once_without_duplicating_units(store):
    units = store.memory.count()
    k = _bead_with(store, "Thank you!")
    j = store.get("demo").alignment.beads[k].en[0]
    store.apply("demo", EditText("en", (j,), "Thank you very much!"), store.get("demo").version)
    assert [u.en for u in store.memory.search("Thank you very much")] == ["Thank you very much!"]
    assert store.memory.search("Thank you!") == [] or all("very much" in u.en for u in store.memory.search("Thank you!"))
    assert store.memory.count() == units


def test_merge_then_undo_restores_the_units_and_redo_makes_it_again(store):
    before = [u.en for u in store.memory.units()]
    stored = store.apply("demo", Merge(1), store.get("demo").version)
    assert store.memory.count() == len(before) - 1
    stored, description = store.undo("demo", stored.version)
    assert description == "merged beads 1 and 2"
    assert sorted(u.en for u in store.memory.units()) == sorted(before)
    stored, _ = store.redo("demo", stored.version)
    assert store.memory.count() == len(before) - 1
    assert not store.can_redo("demo")


def test_an_edit_against_an_old_version_changes_nothing(store):
    version = store.get("demo").version
    store.apply("demo", Merge(1), version)
    beads = store.get("demo").alignment.beads
    with pytest.raises(ConflictError, match="has changed since version"):
        store.apply("demo", Merge(3), version)
    assert store.get("demo").alignment.beads == beads


def test_a_new_edit_after_undo_drops_the_redo_history(store):
    stored = store.apply("demo", Merge(1), store.get("demo").version)
    stored, _ = store.undo("demo", stored.version)
    store.apply("demo", Confirm(1), stored.version)
    assert not store.can_redo("demo")


def test_export_marks_confirmed_units_with_status_and_full_confidence(memory_file, tmp_path, capsys):
    with Memory(memory_file) as memory:
        store = AlignmentStore(memory)
        store.apply("demo", Confirm(_bead_with(store, "Thank you!")), store.get("demo").version)
    out = tmp_path / "reviewed.tmx"
    assert main(["export", "demo", "-o", str(out), "--confirmed-only", "--tm", str(memory_file)]) == 0
    assert capsys.readouterr().out.strip() == f"1 unit(s) → {out}"
    [unit] = read_tmx(out)
    assert (unit.segments["en-US"], unit.prop("x-status"), unit.prop("x-confidence")) == \
        ("Thank you!", "confirmed", "1.0000")


def test_export_of_an_unknown_document_is_bad_input(memory_file, capsys):
    assert main(["export", "nope", "--tm", str(memory_file)]) == 2
    assert capsys.readouterr().err.strip() == \
        "error: no stored alignment named 'nope'; run `python -m align run` on the pair first"


def _run(memory_file, en=DEMO_EN, *extra):
    return main(["run", "--en", str(en), "--zh", str(DEMO_ZH), "-o", str(memory_file.parent / "demo.tmx"),
                 "--tm", str(memory_file), *extra])


def test_running_again_on_unchanged_files_keeps_edits_and_aligns_nothing(memory_file, capsys):
    with Memory(memory_file) as memory:
        store = AlignmentStore(memory)
        stored = store.apply("demo", Merge(1), store.get("demo").version)
    capsys.readouterr()
    assert _run(memory_file) == 0
    assert "files and aligner unchanged, nothing re-aligned; 1 edited or confirmed bead(s) kept" in capsys.readouterr().out
    with Memory(memory_file) as memory:
        assert AlignmentStore(memory).get("demo").alignment.beads == stored.alignment.beads


def test_a_changed_file_is_realigned_around_the_edited_beads(memory_file, tmp_path, capsys):
    with Memory(memory_file) as memory:
        store = AlignmentStore(memory)
        merged = store.apply("demo", Merge(1), store.get("demo").version).alignment.beads[1]
    english = tmp_path / "demo.en.txt"
    english.write_text(DEMO_EN.read_text(encoding="utf-8").replace("Thank you!", "Thank you all!"), encoding="utf-8")
    capsys.readouterr()
    assert _run(memory_file, english, "--method", "length") == 0
    assert "re-aligned between 1 edited or confirmed bead(s) kept" in capsys.readouterr().out
    with Memory(memory_file) as memory:
        stored = AlignmentStore(memory).get("demo")
        assert merged in stored.alignment.beads
        assert stored.alignment.en[-1].text == "Thank you all!"
        assert [u.en for u in memory.search("Thank you all")] == ["Thank you all!"]


def test_discard_edits_starts_over(memory_file, capsys):
    with Memory(memory_file) as memory:
        store = AlignmentStore(memory)
        store.apply("demo", Merge(1), store.get("demo").version)
    assert _run(memory_file, DEMO_EN, "--discard-edits", "--method", "length") == 0
    with Memory(memory_file) as memory:
        assert all(b.status == "auto" for b in AlignmentStore(memory).get("demo").alignment.beads)


def test_a_memory_from_the_previous_version_keeps_its_units_when_run_adds_an_alignment(tmp_path, demo_memory_file):
    old = tmp_path / "old.sqlite"
    shutil.copy(demo_memory_file, old)
    with sqlite3.connect(old) as db:   # the previous version's file: units and their indexes only
        for table in ("edits", "beads", "sentences", "alignments"):
            db.execute(f"DROP TABLE {table}")
        db.execute("UPDATE units SET document = 'imported.tmx'")
        units = db.execute("SELECT count(*) FROM units").fetchone()[0]
    assert _run(old, DEMO_EN, "--method", "length") == 0
    with Memory(old) as memory:
        assert len(list(memory.units(document="imported.tmx"))) == units
        assert AlignmentStore(memory).stems() == ["demo"]


def _random_edit(rng, alignment):
    from align.store.edits import ConfirmAbove, Pair, Shift, Split, Unconfirm, Unpair

    k = rng.randrange(len(alignment.beads))
    bead = alignment.beads[k]
    side = rng.choice(["zh", "en"])
    ids = bead.side(side)
    return rng.choice([
        Merge(k), Split(k, rng.randint(0, len(bead.zh)), rng.randint(0, len(bead.en))), Shift(k, side, "up"),
        Shift(k, side, "down"), Unpair(k), Pair(k), Confirm(k), Unconfirm(k), ConfirmAbove(0.99),
        EditText(side, ids[:2], "Changed text.\nAnd one more." if rng.random() < 0.5 else "Joined.") if ids else Merge(k),
    ])


def test_after_any_edits_and_undos_the_stored_beads_and_units_match_a_fresh_derivation(memory_file):
    import random

    from align.errors import InputError
    from align.store.alignments import tmx_units

    rng = random.Random(3)
    with Memory(memory_file) as memory:
        store = AlignmentStore(memory)
        original = store.get("demo")
        applied = 0
        for _ in range(60):
            stored = store.get("demo")
            try:
                stored = store.apply("demo", _random_edit(rng, stored.alignment), stored.version)
                applied += 1
            except InputError:
                continue
            fresh = AlignmentStore(memory).get("demo")          # read back from the file, no cache
            assert fresh.alignment == stored.alignment
            derived = {(u.segments["en-US"], u.segments["zh-CN"]) for u in tmx_units(fresh)}
            assert {(u.en, u.zh) for u in memory.units(document=fresh.en_file)} == derived
        assert applied > 20
        for _ in range(applied):
            store.undo("demo", store.get("demo").version)
        assert store.get("demo").alignment == original.alignment
        assert {(u.en, u.zh) for u in memory.units(document=original.en_file)} == \
            {(u.segments["en-US"], u.segments["zh-CN"]) for u in tmx_units(original)}


# ---------- what a re-run keeps (issue 18) ----------

def _zh_with(tmp_path, old: str, new: str):
    chinese = tmp_path / "demo.zh.txt"
    text = DEMO_ZH.read_text(encoding="utf-8")
    assert old in text
    chinese.write_text(text.replace(old, new), encoding="utf-8")
    return chinese


def _run_files(memory_file, en, zh, *extra):
    return main(["run", "--en", str(en), "--zh", str(zh), "-o", str(memory_file.parent / "demo.tmx"),
                 "--tm", str(memory_file), *extra])


def test_a_rerun_on_a_changed_file_keeps_text_edits_and_split_sentences_and_undo_takes_the_run_back(
        memory_file, tmp_path, capsys):
    with Memory(memory_file) as memory:
        store = AlignmentStore(memory)
        stored = store.apply("demo", EditText("en", (11,), "A divided world serves no one's economic interests, "
                                              "and block confrontation will only push the world into a dead end."),
                             store.get("demo").version)
        split = ["当前，", "世界之变、时代之变、历史之变正以前所未有的方式展开。"]
        assert stored.alignment.zh[5].text == "".join(split)
        stored = store.apply("demo", EditText("zh", (5,), "\n".join(split)), stored.version)
        stored = store.apply("demo", Confirm(4), stored.version)
        before, first_hash = stored.alignment, stored.zh_hash
        reviewed = [(before.text(b, "zh"), before.text(b, "en"), b.status) for b in before.beads if b.human]
    chinese = _zh_with(tmp_path, "谢谢！", "我就回答这些。谢谢！")
    capsys.readouterr()
    assert _run_files(memory_file, DEMO_EN, chinese, "--method", "length") == 0
    out = capsys.readouterr().out
    assert "re-aligned between 3 edited or confirmed bead(s) kept" in out and "not kept" not in out
    with Memory(memory_file) as memory:
        store = AlignmentStore(memory)
        after = store.get("demo")
        assert [(after.alignment.text(b, "zh"), after.alignment.text(b, "en"), b.status)
                for b in after.alignment.beads if b.human] == reviewed
        assert [s.text for s in after.alignment.zh[5:7]] == split
        assert after.alignment.zh[-2].text == "我就回答这些。"
        assert after.not_kept == ()
        assert [u.en for u in memory.search("economic interests")] == [before.text(before.beads[9], "en")]
        undone, description = store.undo("demo", after.version)
        assert description == "aligned again by run (length)"
        assert undone.alignment == before
        assert (undone.zh_hash, store.get("demo").zh_hash) == (first_hash, first_hash)   # from the first files again
        store.undo("demo", undone.version)   # the edits before the run stay undoable
        assert store.get("demo").alignment.beads[4].status == "auto"


def test_an_edit_whose_sentence_left_the_file_is_named_by_run_and_stored_for_the_page(memory_file, tmp_path, capsys):
    with Memory(memory_file) as memory:
        store = AlignmentStore(memory)
        store.apply("demo", EditText("zh", (25,), "谢谢大家！"), store.get("demo").version)
    chinese = _zh_with(tmp_path, "谢谢！", "")
    capsys.readouterr()
    assert _run_files(memory_file, DEMO_EN, chinese, "--method", "length") == 0
    expected = [f"the edit of Chinese sentence “谢谢！” to “谢谢大家！”: {chinese.name} no longer has that sentence",
                f"the edited unit “Thank you!”: its sentences changed in {chinese.name}"]
    out = capsys.readouterr().out
    assert "  not kept    2 piece(s) of review work (also listed on the review page):\n" + \
        "".join(f"              {line}\n" for line in expected) in out
    with Memory(memory_file) as memory:
        assert list(AlignmentStore(memory).get("demo").not_kept) == expected
        store = AlignmentStore(memory)
        store.undo("demo", store.get("demo").version)       # the run taken back: the edit is there again
    assert _run_files(memory_file, DEMO_EN, chinese, "--method", "length", "--force", "--json") == 0
    [summary] = json.loads(capsys.readouterr().out)
    assert summary["not_kept"] == expected


def test_the_stretches_between_kept_beads_are_aligned_as_a_fresh_alignment_aligns_them(memory_file, tmp_path):
    from align.pipeline import DocumentPair, align_pair, read_pair
    from align.batch import aligner_for

    with Memory(memory_file) as memory:
        store = AlignmentStore(memory)
        for k in (3, 15):
            store.apply("demo", Confirm(k), store.get("demo").version)
    chinese = _zh_with(tmp_path, "谢谢！", "我就回答这些。谢谢！")
    english = tmp_path / "demo.en.txt"
    english.write_text(DEMO_EN.read_text(encoding="utf-8").replace("Thank you!", "That is all. Thank you!"),
                       encoding="utf-8")
    assert _run_files(memory_file, english, chinese) == 0
    fresh = align_pair(read_pair(DocumentPair("demo", english, chinese)), aligner_for("combined")).stored.alignment
    with Memory(memory_file) as memory:
        rerun = AlignmentStore(memory).get("demo").alignment
    assert [(b.zh, b.en, round(b.confidence, 4)) for b in rerun.beads if not b.human] == \
        [(b.zh, b.en, round(b.confidence, 4)) for b in fresh.beads if (b.zh, b.en) not in
         {(r.zh, r.en) for r in rerun.beads if r.human}]


def test_a_unit_keeps_its_tuid_in_every_export_and_across_a_rerun_that_leaves_it_unchanged(memory_file, tmp_path):
    with Memory(memory_file) as memory:
        store = AlignmentStore(memory)
        store.apply("demo", Confirm(13), store.get("demo").version)
    full, confirmed = tmp_path / "full.tmx", tmp_path / "confirmed.tmx"
    assert main(["export", "demo", "-o", str(full), "--tm", str(memory_file)]) == 0
    assert main(["export", "demo", "-o", str(confirmed), "--confirmed-only", "--tm", str(memory_file)]) == 0
    tuids = {u.segments["en-US"]: u.tuid for u in read_tmx(full)}
    [unit] = read_tmx(confirmed)
    assert unit.tuid == tuids[unit.segments["en-US"]]
    assert len(set(tuids.values())) == len(tuids)
    chinese = _zh_with(tmp_path, "谢谢！", "我就回答这些。谢谢！")
    assert _run_files(memory_file, DEMO_EN, chinese, "--method", "length") == 0
    again = tmp_path / "again.tmx"
    assert main(["export", "demo", "-o", str(again), "--tm", str(memory_file)]) == 0
    after = {u.segments["en-US"]: u.tuid for u in read_tmx(again)}
    assert after[unit.segments["en-US"]] == unit.tuid
    assert after["Thank you!"] == tuids["Thank you!"]   # 谢谢！ is still its own sentence: the unit is the same


def test_a_note_survives_a_rerun_on_changed_files_and_reaches_the_tmx(memory_file, tmp_path):
    from align.store.edits import Note

    with Memory(memory_file) as memory:
        store = AlignmentStore(memory)
        store.apply("demo", Note(13, "House style: 'concrete actions'."), store.get("demo").version)
    chinese = _zh_with(tmp_path, "谢谢！", "我就回答这些。谢谢！")
    assert _run_files(memory_file, DEMO_EN, chinese) == 0
    with Memory(memory_file) as memory:
        stored = AlignmentStore(memory).get("demo")
        [noted] = [b for b in stored.alignment.beads if b.note]
        assert stored.alignment.en[noted.en[0]].text.startswith("China stays committed to taking concrete actions")
    [unit] = [u for u in read_tmx(memory_file.parent / "demo.tmx") if u.notes]
    assert unit.notes == ["House style: 'concrete actions'."]


def test_the_review_file_lists_a_run_of_unpaired_sentences_once_and_not_what_a_person_left_unpaired(
        memory_file, tmp_path):
    from align.store.edits import Unpair

    with Memory(memory_file) as memory:
        store = AlignmentStore(memory)
        store.apply("demo", Unpair(20), store.get("demo").version)          # 谢谢！ | Thank you! left unpaired
    english = tmp_path / "demo.en.txt"
    english.write_text(DEMO_EN.read_text(encoding="utf-8").replace(
        "Thank you!", "Thank you!\n\nOne more line. And a second one. And a third."), encoding="utf-8")
    assert _run_files(memory_file, english, DEMO_ZH) == 0
    rows = (memory_file.parent / "demo.review.tsv").read_text(encoding="utf-8").splitlines()
    unpaired = [row.split("\t") for row in rows if row.startswith("unpaired")]
    assert [(row[3], row[5]) for row in unpaired] == [("One more line. And a second one. And a third.", "")]
    line = english.read_text(encoding="utf-8").split("\n").index("One more line. And a second one. And a third.") + 1
    assert unpaired[0][2] == str(line)


def test_a_memory_whose_alignments_predate_notes_and_text_origins_gets_the_columns_and_keeps_its_beads(memory_file):
    from align.store.edits import Note

    with Memory(memory_file) as memory:
        beads = AlignmentStore(memory).get("demo").alignment.beads
    db = sqlite3.connect(memory_file)
    for table, column in (("beads", "note"), ("sentences", "origin"), ("sentences", "part")):
        db.execute(f"ALTER TABLE {table} DROP COLUMN {column}")
    db.execute("DROP TABLE not_kept")
    db.commit()
    db.close()
    with Memory(memory_file, readonly=True) as memory:      # read-only: nothing is migrated, all is read
        assert AlignmentStore(memory).get("demo").alignment.beads == beads
    with Memory(memory_file) as memory:
        store = AlignmentStore(memory)
        assert store.get("demo").alignment.beads == beads
        stored = store.apply("demo", Note(0, "checked"), store.get("demo").version)
        assert stored.alignment.beads[0].note == "checked" and AlignmentStore(memory).get("demo").not_kept == ()


def test_an_edit_the_file_now_makes_itself_is_kept_without_a_word(memory_file, tmp_path, capsys):
    with Memory(memory_file) as memory:
        store = AlignmentStore(memory)
        store.apply("demo", EditText("zh", (25,), "谢谢大家！"), store.get("demo").version)
    chinese = _zh_with(tmp_path, "谢谢！", "谢谢大家！")        # the source was corrected the same way
    capsys.readouterr()
    assert _run_files(memory_file, DEMO_EN, chinese, "--method", "length") == 0
    out = capsys.readouterr().out
    assert "re-aligned between 1 edited or confirmed bead(s) kept" in out and "not kept" not in out
    with Memory(memory_file) as memory:
        stored = AlignmentStore(memory).get("demo")
        [bead] = [b for b in stored.alignment.beads if b.human]
        assert (stored.alignment.text(bead, "zh"), stored.alignment.text(bead, "en")) == ("谢谢大家！", "Thank you!")
        assert stored.alignment.zh[-1].origin == ()


def test_a_shift_made_while_run_aligns_is_kept_with_the_neighbour_it_changed(memory_file, tmp_path):
    from align.batch import aligner_for
    from align.pipeline import DocumentPair, align_pair, read_pair, write_pair
    from align.store.edits import Shift

    with Memory(memory_file) as memory:
        store = AlignmentStore(memory)
        previous = store.get("demo")
        aligned = align_pair(read_pair(DocumentPair("demo", DEMO_EN, DEMO_ZH)), aligner_for("combined"), previous)
        store.apply("demo", Shift(8, "en", "down"), previous.version)     # while it aligns: bead 9 changes too
        meanwhile = store.get("demo").alignment
        assert [b.status for b in meanwhile.beads[8:10]] == ["edited", "changed"]
        write_pair(aligned, tmp_path / "out.tmx", store)
        stored = AlignmentStore(memory).get("demo")
    assert stored.alignment.beads[8:10] == meanwhile.beads[8:10]


def test_a_cached_document_is_reused_after_a_checkpoint_rewrites_the_file_and_read_again_after_any_edit(memory_file):
    cache = {}
    with Memory(memory_file) as memory:
        first = AlignmentStore(memory, cache).get("demo")
    with sqlite3.connect(memory_file) as db:          # what a checkpoint does: the file's time and size change
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    os.utime(memory_file, ns=(0, os.stat(memory_file).st_mtime_ns + 10**9))
    with Memory(memory_file) as memory:
        assert AlignmentStore(memory, cache).get("demo") is first
    with Memory(memory_file) as memory:                 # another process edits, without this cache
        AlignmentStore(memory).apply("demo", Confirm(2), first.version)
    with Memory(memory_file) as memory:
        again = AlignmentStore(memory, cache).get("demo")
    assert again.version == first.version + 1 and again.alignment.beads[2].status == "confirmed"
