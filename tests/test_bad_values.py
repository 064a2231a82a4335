"""Bad values get one clear line, never a quietly wrong answer."""

import shutil
import subprocess
import sys

import pytest

from align.cli import main
from align.store.memory import Memory

from conftest import ROOT

HEADER = ('<?xml version="1.0" encoding="UTF-8"?>\n{doctype}<tmx version="1.4"><header creationtool="x" '
          'creationtoolversion="1" segtype="sentence" o-tmf="x" adminlang="en" srclang="en" datatype="plaintext"/>\n'
          '<body>\n{body}\n</body></tmx>\n')


def _tmx(path, body, doctype=""):
    path.write_text(HEADER.format(body=body, doctype=doctype), encoding="utf-8")
    return path


def _tu(en, zh, props=""):
    return f'<tu>{props}<tuv xml:lang="en"><seg>{en}</seg></tuv><tuv xml:lang="zh"><seg>{zh}</seg></tuv></tu>'


@pytest.fixture
def tm(demo_memory_file, tmp_path):
    shutil.copy(demo_memory_file, tmp_path / "m.sqlite")
    return tmp_path / "m.sqlite"


@pytest.fixture
def small_tm(tmp_path):
    source = _tmx(tmp_path / "s.tmx", "\n".join([_tu("Growth of 5% is the goal.", "增长5%是目标。"),
                                                   _tu("Peace and development.", "和平与发展。"),
                                                   _tu("The snake_case name.", "蛇形命名。")]))
    assert main(["tm", "import", str(source), "--tm", str(tmp_path / "s.sqlite")]) == 0
    return tmp_path / "s.sqlite"


def _err(capsys) -> str:
    return capsys.readouterr().err.strip()


@pytest.mark.parametrize("query,expected", [("%", ["Growth of 5% is the goal."]), ("_", ["The snake_case name."])])
def test_tm_search_finds_a_wildcard_character_itself_not_every_unit(small_tm, query, expected, capsys):
    with Memory(small_tm, readonly=True) as memory:
        assert [u.en for u in memory.search(query)] == expected


def test_tm_export_doc_takes_percent_literally(small_tm, tmp_path, capsys):
    out = tmp_path / "x.tmx"
    assert main(["tm", "export", "-o", str(out), "--doc", "%", "--tm", str(small_tm)]) == 0
    assert capsys.readouterr().out == f"0 unit(s) → {out}\n"


@pytest.mark.parametrize("term", ["'", "%", "  ", "…", "_"])
def test_lookup_of_punctuation_alone_is_nothing_to_look_up(tm, term, capsys):
    assert main(["lookup", term, "--tm", str(tm)]) == 2
    assert _err(capsys) == f"error: {term.strip()!r}: nothing to look up; give an English or Chinese word or phrase"


@pytest.mark.parametrize("command,message", [
    (["tm", "search", "peace", "--limit", "-1"], "argument --limit: must be 1 or more, got -1"),
    (["lookup", "peace", "--limit", "0"], "argument --limit: must be 1 or more, got 0"),
    (["terms", "extract", "--min-count", "0"], "argument --min-count: must be 1 or more, got 0"),
    (["tm", "export", "-o", "x.tmx", "--min-confidence", "1.5"], "argument --min-confidence: must be from 0 to 1, got 1.5"),
    (["run", "--review-threshold", "7"], "argument --review-threshold: must be from 0 to 1, got 7"),
    (["run", "--review-threshold", "nan"], "argument --review-threshold: must be from 0 to 1, got nan"),
    (["tm", "search", "peace", "--limit", "ten"], "argument --limit: expected a whole number, got 'ten'"),
])
def test_options_out_of_range_are_bad_usage(command, message, capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(command)
    assert exit_info.value.code == 2
    assert _err(capsys).splitlines()[-1].endswith(f"error: {message}")


def test_a_confidence_that_is_not_a_number_is_ignored_with_a_warning_naming_the_line(tmp_path, capsys):
    source = _tmx(tmp_path / "c.tmx", "\n".join([
        _tu("Peace.", "和平。", '<prop type="x-confidence">high</prop>'),
        _tu("Growth.", "增长。", '<prop type="x-confidence">0.8</prop>'),
        _tu("Trust.", "信任。", '<prop type="x-confidence">7</prop>')]))
    assert main(["tm", "import", str(source), "--tm", str(tmp_path / "m.sqlite")]) == 0
    assert capsys.readouterr().err.splitlines() == [
        'warning: c.tmx:4: <prop type="x-confidence">high</prop> is not a number from 0 to 1; '
        "the unit is kept without a confidence",
        'warning: c.tmx:6: <prop type="x-confidence">7</prop> is not a number from 0 to 1; '
        "the unit is kept without a confidence"]
    with Memory(tmp_path / "m.sqlite") as memory:
        assert [(u.en, u.confidence) for u in memory.units()] == [("Peace.", None), ("Growth.", 0.8), ("Trust.", None)]


def test_an_entity_declared_in_the_dtd_is_expanded(tmp_path):
    source = _tmx(tmp_path / "e.tmx", _tu("The &co; congress.", "&zhco;代表大会。"),
                  '<!DOCTYPE tmx [\n<!ENTITY co "Communist Party of China">\n<!ENTITY zhco "中国共产党">\n]>\n')
    with Memory(tmp_path / "m.sqlite") as memory:
        memory.import_tmx(source)
        assert [(u.en, u.zh) for u in memory.units()] == [("The Communist Party of China congress.", "中国共产党代表大会。")]


def test_an_external_entity_is_never_read(tmp_path, capsys):
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP SECRET")
    source = _tmx(tmp_path / "x.tmx", _tu("Leak: &ext;.", "泄露：&ext;。"),
                  f'<!DOCTYPE tmx [\n<!ENTITY ext SYSTEM "{secret.as_uri()}">\n]>\n')
    assert main(["tm", "import", str(source), "--tm", str(tmp_path / "m.sqlite")]) == 2
    assert _err(capsys) == (f"error: {source}:7: not well-formed XML: Entity 'ext' not defined, line 7, column 40; "
                            "only entities declared in the file's own DTD are expanded (external ones are never read)")


def test_a_unit_with_both_segments_empty_is_skipped_with_a_warning(tmp_path, capsys):
    source = _tmx(tmp_path / "e.tmx", "\n".join([_tu("", " "), _tu("Peace.", "和平。")]))
    assert main(["tm", "import", str(source), "--tm", str(tmp_path / "m.sqlite")]) == 0
    out, err = capsys.readouterr()
    assert err == "warning: e.tmx:4: <tu> whose English and Chinese segments are both empty; skipped\n"
    assert out == f"{source}: 1 new unit(s); the memory holds 1\n"


def test_a_closed_pipe_ends_the_command_quietly(tm):
    process = subprocess.Popen([sys.executable, "-m", "align", "tm", "search", "China", "--limit", "1000", "--tm", str(tm)],
                               cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    process.stdout.close()  # the reader is gone before the first line is written, like `| head -0`
    assert process.wait(timeout=120) == 141
    assert process.stderr.read() == b""


def test_no_progress_bar_is_printed_when_stderr_is_not_a_terminal(tmp_path, capsys):
    from conftest import DEMO_EN, DEMO_ZH

    corpus = tmp_path / "c"
    for sub, source in (("en", DEMO_EN), ("zh", DEMO_ZH)):
        (corpus / sub).mkdir(parents=True)
        for stem in ("a", "b"):
            shutil.copy(source, corpus / sub / f"{stem}.txt")
    assert main(["run", "--corpus", str(corpus), "--out-dir", str(tmp_path / "out"), "--method", "length"]) == 0
    assert capsys.readouterr().err == ""
