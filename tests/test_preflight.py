"""Every fault that can be found before aligning is found before aligning, with one line."""

import os
import shutil
import sqlite3
import stat

from align.cli import main
from align.export.atomic import atomic_write, remove_leftovers
from align.store.memory import APPLICATION_ID, Memory

from conftest import DEMO_EN, DEMO_ZH


TINY_TMX = ('<tmx version="1.4"><header creationtool="x" creationtoolversion="1" segtype="sentence" o-tmf="x" '
            'adminlang="en" srclang="en" datatype="plaintext"/><body><tu><tuv xml:lang="en"><seg>Peace.</seg></tuv>'
            '<tuv xml:lang="zh"><seg>和平。</seg></tuv></tu></body></tmx>')


def _err(capsys) -> str:
    return capsys.readouterr().err.strip()


def _foreign(path):
    db = sqlite3.connect(path)
    db.executescript("CREATE TABLE customers (id INTEGER PRIMARY KEY, name TEXT); "
                     "CREATE TABLE orders (id INTEGER PRIMARY KEY, customer INTEGER);")
    db.commit()
    db.close()
    return path


def _run(tmp_path, tm, *extra):
    return main(["run", "--en", str(DEMO_EN), "--zh", str(DEMO_ZH), "-o", str(tmp_path / "o.tmx"), "--tm", str(tm),
                 "--method", "length", *extra])


def test_a_corrupt_memory_is_found_before_the_tmx_is_written(tmp_path, capsys):
    tm = tmp_path / "m.sqlite"
    tm.write_bytes(b"this is not a database at all" * 10)
    assert _run(tmp_path, tm) == 2
    assert _err(capsys) == f"error: {tm}: not a translation memory (not an SQLite database); give another --tm path"
    assert not (tmp_path / "o.tmx").exists()


def test_a_damaged_sqlite_memory_is_found_before_the_tmx_is_written(tmp_path, demo_memory_file, capsys):
    tm = tmp_path / "m.sqlite"
    data = bytearray(demo_memory_file.read_bytes())
    data[100:4096] = b"\xff" * (4096 - 100)  # the schema page
    tm.write_bytes(bytes(data))
    assert _run(tmp_path, tm) == 2
    assert _err(capsys).startswith(f"error: {tm}: not a translation-memory database or damaged (")
    assert not (tmp_path / "o.tmx").exists()


def test_another_applications_database_is_refused_and_left_unchanged(tmp_path, capsys):
    tm = _foreign(tmp_path / "shop.sqlite")
    before = tm.read_bytes()
    (tmp_path / "in.tmx").write_text(TINY_TMX)
    for command in (["tm", "search", "peace"], ["lookup", "peace"], ["tm", "export", "-o", str(tmp_path / "x.tmx")],
                    ["terms", "extract", "-o", str(tmp_path / "g.tbx")], ["tm", "import", str(tmp_path / "in.tmx")]):
        assert main([*command, "--tm", str(tm)]) == 2, command
        assert _err(capsys) == (f"error: {tm}: another application's database (tables: customers, orders), not a "
                                "translation memory of align; give the path of an align memory with --tm")
    assert _run(tmp_path, tm) == 2
    assert "another application's database" in _err(capsys)
    assert tm.read_bytes() == before
    assert not (tmp_path / "shop.sqlite-wal").exists()


def test_read_only_commands_never_write_to_the_memory(tmp_path, demo_memory_file, capsys):
    tm = tmp_path / "m.sqlite"
    shutil.copy(demo_memory_file, tm)
    with Memory(tm) as memory:  # the file as our writers leave it: checkpointed, no -wal
        memory.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    before, mtime = tm.read_bytes(), tm.stat().st_mtime_ns
    tm.chmod(0o444)
    for command in (["tm", "search", "peace"], ["lookup", "world peace"], ["tm", "export", "-o", str(tmp_path / "x.tmx")],
                    ["terms", "extract", "-o", str(tmp_path / "g.tbx")]):
        assert main([*command, "--tm", str(tm)]) == 0, (command, _err(capsys))
    assert tm.read_bytes() == before and tm.stat().st_mtime_ns == mtime


def test_our_memories_are_marked_with_the_application_id(tmp_path):
    with Memory(tmp_path / "m.sqlite") as memory:
        assert memory.db.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID


def test_a_locked_memory_is_found_before_the_work(tmp_path, demo_memory_file, capsys):
    tm = tmp_path / "m.sqlite"
    shutil.copy(demo_memory_file, tm)
    holder = sqlite3.connect(tm)
    holder.execute("BEGIN IMMEDIATE")
    try:
        assert _run(tmp_path, tm) == 2
    finally:
        holder.rollback()
        holder.close()
    assert _err(capsys) == (f"error: {tm}: the memory is in use by another program (database is locked); "
                            "wait for it to finish or close it, then try again")
    assert not (tmp_path / "o.tmx").exists()


def test_a_memory_path_that_is_a_folder_is_one_line(tmp_path, capsys):
    assert main(["tm", "search", "peace", "--tm", str(tmp_path)]) == 2
    assert _err(capsys) == (f"error: {tmp_path}: is a folder; give the memory's file name with --tm, "
                            f"e.g. {tmp_path / 'memory.sqlite'}")


def test_a_wrong_language_pair_in_a_corpus_is_reported_before_the_work_and_the_other_pairs_go_on(tmp_path, capsys):
    corpus = tmp_path / "c"
    for sub in ("en", "zh"):
        (corpus / sub).mkdir(parents=True)
    shutil.copy(DEMO_EN, corpus / "en" / "a.txt")
    shutil.copy(DEMO_ZH, corpus / "zh" / "a.txt")
    shutil.copy(DEMO_EN, corpus / "en" / "b.txt")
    shutil.copy(DEMO_EN, corpus / "zh" / "b.txt")
    assert main(["run", "--corpus", str(corpus), "--out-dir", str(tmp_path / "out"), "--method", "length"]) == 1
    assert _err(capsys) == (f"error: {corpus / 'en' / 'b.txt'} and {corpus / 'zh' / 'b.txt'}: both files are English; "
                            "give one English and one Chinese transcript (pair 'b' is left out; the others go on)")
    assert (tmp_path / "out" / "a.tmx").is_file() and not (tmp_path / "out" / "b.tmx").exists()


def test_tm_import_checks_every_file_before_importing_any(tmp_path, capsys):
    good = tmp_path / "good.tmx"
    good.write_text(TINY_TMX)
    tm = tmp_path / "m.sqlite"
    assert main(["tm", "import", str(good), str(tmp_path / "missing.tmx"), "--tm", str(tm)]) == 2
    assert _err(capsys) == f"error: {tmp_path / 'missing.tmx'}: no such file"
    assert not tm.exists()


def test_a_leftover_temporary_file_of_a_dead_writer_is_removed_on_the_next_write(tmp_path):
    target = tmp_path / "x.tmx"
    dead = tmp_path / ".x.tmx.999999999.abcd.tmp"
    old_style = tmp_path / ".x.tmx.k2j3h4.tmp"
    other = tmp_path / ".y.tmx.999999999.abcd.tmp"
    live = tmp_path / f".x.tmx.{os.getpid()}.live.tmp"
    for path in (dead, old_style, other, live):
        path.write_text("partial")
    with atomic_write(target, "w") as handle:
        handle.write("done")
    assert not dead.exists() and not old_style.exists()
    assert other.exists() and live.exists()
    assert target.read_text() == "done"
    assert remove_leftovers(target) == []


def test_written_files_get_the_permissions_of_an_ordinary_new_file(tmp_path):
    old = os.umask(0o022)
    try:
        with atomic_write(tmp_path / "x.tsv", "w") as handle:
            handle.write("a")
        os.umask(0o002)
        with atomic_write(tmp_path / "y.tsv", "w") as handle:
            handle.write("a")
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / "x.tsv").stat().st_mode) == 0o644
    assert stat.S_IMODE((tmp_path / "y.tsv").stat().st_mode) == 0o664


def test_a_replaced_file_keeps_its_permissions(tmp_path):
    target = tmp_path / "x.tmx"
    target.write_text("old")
    target.chmod(0o640)
    with atomic_write(target, "w") as handle:
        handle.write("new")
    assert stat.S_IMODE(target.stat().st_mode) == 0o640


def test_align_lines_refuses_english_on_both_sides(tmp_path, capsys):
    a, b = tmp_path / "a.txt", tmp_path / "b.txt"
    a.write_text("You asked about the goal.\nThank you!\n")
    b.write_text("You asked about the aim.\nThanks!\n")
    out = tmp_path / "x.align"
    assert main(["align-lines", str(a), str(b), "-o", str(out), "--method", "length"]) == 2
    assert _err(capsys) == (f"error: {a} and {b}: both files are English (or another Latin-script language); give one "
                            "English and one Chinese file, or add --any-languages to align another language pair")
    assert not out.exists()
    assert main(["align-lines", str(a), str(b), "-o", str(out), "--method", "length", "--any-languages"]) == 0
    assert out.is_file()


def test_align_lines_says_what_it_wrote(tmp_path, capsys):
    src, tgt = tmp_path / "a.zh", tmp_path / "a.en"
    src.write_text("你问到目标。\n谢谢！\n", encoding="utf-8")
    tgt.write_text("You asked about the goal.\nThank you!\n", encoding="utf-8")
    out = tmp_path / "a.align"
    assert main(["align-lines", str(src), str(tgt), "-o", str(out), "--method", "length"]) == 0
    assert capsys.readouterr().out == f"2 source and 2 target line(s) → 2 bead(s), 2 paired, 0 unpaired → {out}\n"


def test_run_and_lookup_find_the_same_memory_wherever_the_tmx_goes(tmp_path, capsys):
    out = tmp_path / "out" / "x.tmx"
    assert main(["run", "--en", str(DEMO_EN), "--zh", str(DEMO_ZH), "-o", str(out), "--method", "length"]) == 0
    assert "unit(s) added, 0 replaced or removed in tmx/memory.sqlite" in capsys.readouterr().out.splitlines()[-1]
    assert main(["tm", "search", "peace"]) == 0
    assert "no unit contains" not in capsys.readouterr().out


def test_absurdly_mismatched_sizes_are_refused_before_the_work_unless_asked(tmp_path, capsys):
    big = tmp_path / "big.txt"
    big.write_text(DEMO_EN.read_text(encoding="utf-8") * 30, encoding="utf-8")
    zh = tmp_path / "zh.txt"
    zh.write_text("马朝旭：\n谢谢。和平与发展是时代主题。\n", encoding="utf-8")
    assert main(["run", "--en", str(big), "--zh", str(zh), "-o", str(tmp_path / "o.tmx"), "--method", "length"]) == 2
    assert _err(capsys) == (f"error: {big} and {zh}: 107,670 English against 20 Chinese characters; translations of "
                            "one document differ far less (3.4 to 5 English characters per Chinese one); check the "
                            "files, or add --any-size to align them anyway")
    assert not (tmp_path / "o.tmx").exists()


def test_a_pair_beyond_the_size_limit_is_refused(tmp_path, monkeypatch, capsys):
    import align.preflight

    monkeypatch.setattr(align.preflight, "MAX_CHARACTERS", 1000)
    assert main(["run", "--en", str(DEMO_EN), "--zh", str(DEMO_ZH), "-o", str(tmp_path / "o.tmx")]) == 2
    assert _err(capsys) == (f"error: {DEMO_EN}: 3,589 characters, more than the 1,000 a pair is checked for; "
                            "split the document, or add --any-size to align it anyway")


def test_an_overlong_sentence_is_cut_for_the_encoder_with_a_warning(tmp_path, recwarn):
    from align.ingest import load_document

    path = tmp_path / "t.txt"
    path.write_text("Title line\n" + "and so on, " * 300 + "the end.\n", encoding="utf-8")
    doc = load_document(path, "en")
    assert [len(s.text) for s in doc.sentences[1:]] == [1495, 1495, 316]
    assert str(recwarn.pop(UserWarning).message) == (
        f"{path}:2: a sentence of 3,308 characters without a full stop was cut into 3 pieces at clause or word "
        "boundaries (the encoder reads at most 1,500 English characters)")
