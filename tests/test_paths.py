"""No output may write over an input, the memory or another output; checked before any work."""

import os
import shutil

import pytest

from align.cli import main
from align.paths import check_outputs, same_file

from conftest import DEMO_EN, DEMO_ZH


@pytest.fixture
def pair(tmp_path):
    en, zh = tmp_path / "a.txt", tmp_path / "b.txt"
    shutil.copy(DEMO_EN, en)
    shutil.copy(DEMO_ZH, zh)
    return en, zh


def _err(capsys) -> str:
    return capsys.readouterr().err.strip()


def test_run_refuses_an_output_that_is_the_english_input_and_leaves_it_intact(pair, capsys):
    en, zh = pair
    before = en.read_bytes()
    assert main(["run", "--en", str(en), "--zh", str(zh), "-o", str(en)]) == 2
    assert _err(capsys) == (f"error: {en}: this output is also an input ({en}); writing it would destroy the input; "
                            "give another output path")
    assert en.read_bytes() == before


def test_run_sees_the_same_file_through_a_symbolic_link(pair, tmp_path, capsys):
    en, zh = pair
    link = tmp_path / "link.tmx"
    link.symlink_to(zh)
    assert main(["run", "--en", str(en), "--zh", str(zh), "-o", str(link)]) == 2
    assert _err(capsys) == (f"error: {link}: this output is also an input ({zh}); writing it would destroy the input; "
                            "give another output path")


def test_run_refuses_an_output_that_is_the_memory(pair, tmp_path, capsys):
    en, zh = pair
    memory = tmp_path / "tmx" / "memory.sqlite"  # the default memory, the test running in tmp_path
    memory.parent.mkdir()
    memory.write_bytes(b"precious")
    assert main(["run", "--en", str(en), "--zh", str(zh), "-o", str(memory)]) == 2
    assert _err(capsys) == (f"error: {memory}: this output is the translation memory; writing it would destroy the "
                            "memory; give another output path")
    assert memory.read_bytes() == b"precious"


def test_run_refuses_a_review_file_that_is_an_input(tmp_path, capsys):
    en, zh = tmp_path / "x.review.tsv", tmp_path / "zh.txt"
    shutil.copy(DEMO_EN, en)
    shutil.copy(DEMO_ZH, zh)
    assert main(["run", "--en", str(en), "--zh", str(zh), "-o", str(tmp_path / "x.tmx")]) == 2
    assert _err(capsys).startswith(f"error: {en}: this output is also an input")


def test_run_in_corpus_mode_refuses_a_memory_that_is_a_transcript(tmp_path, capsys):
    for sub, src in (("en", DEMO_EN), ("zh", DEMO_ZH)):
        (tmp_path / "c" / sub).mkdir(parents=True)
        shutil.copy(src, tmp_path / "c" / sub / "p.txt")
    tm = tmp_path / "c" / "zh" / "p.txt"
    assert main(["run", "--corpus", str(tmp_path / "c"), "--out-dir", str(tmp_path / "out"), "--tm", str(tm)]) == 2
    assert _err(capsys) == f"error: {tm}: the translation memory is also an input ({tm}); give another --tm path"


def test_run_in_corpus_mode_refuses_a_memory_that_is_a_tmx_output(tmp_path, capsys):
    for sub, src in (("en", DEMO_EN), ("zh", DEMO_ZH)):
        (tmp_path / "c" / sub).mkdir(parents=True)
        shutil.copy(src, tmp_path / "c" / sub / "p.txt")
    tm = tmp_path / "out" / "p.tmx"
    assert main(["run", "--corpus", str(tmp_path / "c"), "--out-dir", str(tmp_path / "out"), "--tm", str(tm)]) == 2
    assert _err(capsys).startswith(f"error: {tm}: this output is the translation memory")


def test_tm_export_refuses_to_write_over_the_memory(demo_memory_file, tmp_path, capsys):
    tm = tmp_path / "m.sqlite"
    shutil.copy(demo_memory_file, tm)
    before = tm.read_bytes()
    assert main(["tm", "export", "-o", str(tm), "--tm", str(tm)]) == 2
    assert _err(capsys) == (f"error: {tm}: this output is the translation memory; writing it would destroy the "
                            "memory; give another output path")
    assert tm.read_bytes() == before


@pytest.mark.parametrize("option", ["-o", "--tsv"])
def test_terms_extract_refuses_to_write_over_the_memory(option, demo_memory_file, tmp_path, capsys):
    tm = tmp_path / "m.sqlite"
    shutil.copy(demo_memory_file, tm)
    before = tm.read_bytes()
    others = ["-o", str(tmp_path / "g.tbx")] if option == "--tsv" else []
    assert main(["terms", "extract", *others, option, str(tm), "--tm", str(tm)]) == 2
    assert "this output is the translation memory" in _err(capsys)
    assert tm.read_bytes() == before


def test_terms_extract_refuses_a_glossary_named_like_its_own_tsv(demo_memory_file, tmp_path, capsys):
    out = tmp_path / "glossary.txt"
    assert main(["terms", "extract", "-o", str(out), "--tm", str(demo_memory_file)]) == 2
    assert _err(capsys) == f"error: {out}: given for two outputs ({out} too); give each output its own path"
    assert not out.exists()


def test_align_lines_refuses_to_write_over_its_source(tmp_path, capsys):
    src, tgt = tmp_path / "a.zh", tmp_path / "a.en"
    src.write_text("你问到目标。\n谢谢！\n", encoding="utf-8")
    tgt.write_text("You asked about the goal.\nThank you!\n", encoding="utf-8")
    assert main(["align-lines", str(src), str(tgt), "-o", str(src), "--method", "length"]) == 2
    assert _err(capsys) == (f"error: {src}: this output is also an input ({src}); writing it would destroy the input; "
                            "give another output path")
    assert src.read_text(encoding="utf-8") == "你问到目标。\n谢谢！\n"


def test_an_output_that_is_a_folder_is_refused_before_the_work(pair, tmp_path, capsys):
    en, zh = pair
    folder = tmp_path / "dir"
    folder.mkdir()
    assert main(["run", "--en", str(en), "--zh", str(zh), "-o", str(folder)]) == 2
    assert _err(capsys) == f"error: {folder}: is a folder; give a file name, e.g. {folder / 'out'}"


def test_an_output_under_proc_is_refused_with_one_line(pair, capsys):
    en, zh = pair
    assert main(["run", "--en", str(en), "--zh", str(zh), "-o", "/proc/x.tmx", "--tm", str(en.parent / "m.sqlite")]) == 2
    assert _err(capsys).startswith("error: /proc/x.tmx: cannot write in /proc (")


def test_an_output_below_a_file_is_refused(pair, capsys):
    en, zh = pair
    out = en / "x.tmx"
    assert main(["run", "--en", str(en), "--zh", str(zh), "-o", str(out)]) == 2
    assert _err(capsys) == f"error: {out}: {en} is a file, not a folder; choose another output path"


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into read-only folders")
def test_an_unwritable_output_folder_is_refused(pair, tmp_path, capsys):
    en, zh = pair
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o500)
    try:
        assert main(["run", "--en", str(en), "--zh", str(zh), "-o", str(locked / "x.tmx"), "--tm", str(tmp_path / "m")]) == 2
    finally:
        locked.chmod(0o700)
    assert _err(capsys).startswith(f"error: {locked / 'x.tmx'}: cannot write in {locked} (Permission denied)")


def test_same_file_resolves_relative_forms_of_a_path_not_yet_written(tmp_path):
    assert same_file(tmp_path / "x" / ".." / "new.tmx", tmp_path / "new.tmx")
    assert not same_file(tmp_path / "new.tmx", tmp_path / "other.tmx")


def test_check_outputs_sees_a_hard_link_as_the_same_file(tmp_path):
    original = tmp_path / "a.txt"
    original.write_text("text")
    os.link(original, tmp_path / "b.tmx")
    with pytest.raises(Exception, match="this output is also an input"):
        check_outputs([original], [tmp_path / "b.tmx"])
