import json
import shutil
import subprocess
import sys

import pytest

from align.cli import main
from align.export.tmx import read_tmx, validate_tmx

from conftest import DEMO_EN, DEMO_GOLD, DEMO_STEM, DEMO_ZH


@pytest.fixture
def corpus(tmp_path):
    for sub, src in (("en", DEMO_EN), ("zh", DEMO_ZH), ("gold", DEMO_GOLD)):
        (tmp_path / "corpora" / sub).mkdir(parents=True)
        shutil.copy(src, tmp_path / "corpora" / sub / src.name)
    return tmp_path


def test_run_writes_a_valid_tmx_and_review_file_for_every_pair(corpus, capsys):
    assert main(["run", "--corpus", str(corpus / "corpora"), "--out-dir", str(corpus / "tmx"), "--json"]) == 0
    summary = json.loads(capsys.readouterr().out)
    tmx = corpus / "tmx" / f"{DEMO_STEM}.tmx"
    validate_tmx(tmx)
    assert summary[0]["units"] == len(read_tmx(tmx)) > 15
    assert summary[0]["scores"]["strict_f1"] > 0.5
    assert (corpus / "tmx" / f"{DEMO_STEM}.review.tsv").is_file()


def test_every_sentence_ends_up_in_a_unit_or_the_review_file(corpus, capsys):
    main(["run", "--corpus", str(corpus / "corpora"), "--out-dir", str(corpus / "tmx"), "--json"])
    units = read_tmx(corpus / "tmx" / f"{DEMO_STEM}.tmx")
    review = (corpus / "tmx" / f"{DEMO_STEM}.review.tsv").read_text(encoding="utf-8")
    english = " ".join(u.segments["en-US"] for u in units) + review
    for sentence in ("What is China's goal in the world?", "Thank you!"):
        assert sentence in english
    assert "<  1" not in english


def test_units_carry_confidence_aligner_document_and_speaker(corpus):
    main(["run", "--corpus", str(corpus / "corpora"), "--out-dir", str(corpus / "tmx"), "--json"])
    unit = read_tmx(corpus / "tmx" / f"{DEMO_STEM}.tmx")[-1]
    assert 0.0 <= float(unit.prop("x-confidence")) <= 1.0
    assert unit.prop("x-speaker") == "Ma Zhaoxu"
    assert unit.prop("x-document") == DEMO_EN.name
    assert unit.prop("x-aligner")


def test_single_pair_with_custom_languages(tmp_path):
    out = tmp_path / "one.tmx"
    assert main(["run", "--en", str(DEMO_EN), "--zh", str(DEMO_ZH), "-o", str(out), "--en-lang", "en-GB",
                 "--zh-lang", "zh-Hans"]) == 0
    assert set(read_tmx(out)[0].segments) == {"en-GB", "zh-Hans"}


def _error(capsys) -> str:
    return capsys.readouterr().err.strip()


def test_missing_file_is_bad_input(tmp_path, capsys):
    assert main(["run", "--en", str(tmp_path / "nope.txt"), "--zh", str(DEMO_ZH), "-o", str(tmp_path / "o.tmx")]) == 2
    assert _error(capsys) == f"error: {tmp_path / 'nope.txt'}: no such file"


def test_unpaired_stem_is_bad_input(corpus, capsys):
    (corpus / "corpora" / "en" / "lonely.txt").write_text("Hello there. Thank you!")
    assert main(["run", "--corpus", str(corpus / "corpora"), "--out-dir", str(corpus / "tmx")]) == 2
    assert "lonely.txt: no partner file for 'lonely'" in _error(capsys)


def test_empty_file_is_bad_input(tmp_path, capsys):
    empty = tmp_path / "empty.txt"
    empty.write_text("")
    assert main(["run", "--en", str(empty), "--zh", str(DEMO_ZH), "-o", str(tmp_path / "o.tmx")]) == 2
    assert "empty" in _error(capsys)


def test_two_english_files_are_bad_input(tmp_path, capsys):
    assert main(["run", "--en", str(DEMO_EN), "--zh", str(DEMO_EN), "-o", str(tmp_path / "o.tmx")]) == 2
    assert "both files are English" in _error(capsys)


def test_swapped_languages_are_detected(tmp_path, capsys):
    assert main(["run", "--en", str(DEMO_ZH), "--zh", str(DEMO_EN), "-o", str(tmp_path / "o.tmx")]) == 2
    assert "the languages are swapped" in _error(capsys)
    assert not (tmp_path / "o.tmx").exists()


def test_align_lines_writes_ladder_with_confidences(tmp_path):
    src, tgt = tmp_path / "a.zh", tmp_path / "a.en"
    src.write_text("你问到目标。\n谢谢！\n", encoding="utf-8")
    tgt.write_text("You asked about the goal.\nThank you!\n", encoding="utf-8")
    out = tmp_path / "a.align"
    assert main(["align-lines", str(src), str(tgt), "-o", str(out), "--method", "length"]) == 0
    lines = out.read_text().splitlines()
    assert [line.rsplit(":", 1)[0] for line in lines] == ["[0]:[0]", "[1]:[1]"]
    assert all(0.0 <= float(line.rsplit(":", 1)[1]) <= 1.0 for line in lines)


def test_eval_json_reports_scores(tmp_path, capsys):
    (tmp_path / "gold").mkdir()
    (tmp_path / "test").mkdir()
    (tmp_path / "gold" / "a.align").write_text("[0]:[0]\n[1]:[1,2]\n")
    (tmp_path / "test" / "a.align").write_text("[0]:[0]:0.9\n[1]:[1]:0.2\n[]:[2]:0.1\n")
    assert main(["eval", "--gold", str(tmp_path / "gold"), "--test", str(tmp_path / "test"), "--json"]) == 0
    scores = json.loads(capsys.readouterr().out)
    assert scores["strict_precision"] == pytest.approx(1 / 3, abs=1e-4)
    assert scores["auc"] == 1.0


def test_unknown_command_is_bad_usage(capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(["frobnicate"])
    assert exit_info.value.code == 2


def test_turn_counts_that_differ_still_align_every_sentence(tmp_path):
    zh = tmp_path / "zh.txt"
    zh.write_text(DEMO_ZH.read_text(encoding="utf-8").replace("马朝旭：\n", ""), encoding="utf-8")
    out = tmp_path / "o.tmx"
    assert main(["run", "--en", str(DEMO_EN), "--zh", str(zh), "-o", str(out), "--method", "length",
                 "--tm", str(tmp_path / "m.sqlite")]) == 0
    units = read_tmx(out)
    review = (tmp_path / "o.review.tsv").read_text(encoding="utf-8")
    assert "Thank you!" in " ".join(u.segments["en-US"] for u in units) + review
    assert "谢谢！" in "".join(u.segments["zh-CN"] for u in units) + review


@pytest.mark.parametrize("command", [[], ["run"], ["align-lines"], ["eval"], ["bench"], ["tm"], ["tm", "import"],
                                     ["tm", "export"], ["tm", "search"], ["lookup"], ["terms"], ["terms", "extract"],
                                     ["review"], ["export"]])
def test_every_command_prints_its_help(command, capsys):
    with pytest.raises(SystemExit) as exit:
        main([*command, "--help"])
    assert exit.value.code == 0
    assert "usage:" in capsys.readouterr().out


def test_run_names_a_question_the_chinese_lacks_and_keeps_it_out_of_the_tmx(corpus, capsys):
    english = corpus / "corpora" / "en" / DEMO_EN.name
    lines = english.read_text(encoding="utf-8").split("\n")
    question = "Will China send a delegation to the climate summit in Egypt next month? Who will lead it?"
    lines[18:18] = ["Reuters:", "", question, ""]
    english.write_text("\n".join(lines), encoding="utf-8")
    assert main(["run", "--corpus", str(corpus / "corpora"), "--out-dir", str(corpus / "tmx")]) == 0
    assert "  unpaired    English line 21 (one question) has no Chinese counterpart\n" in capsys.readouterr().out
    units = read_tmx(corpus / "tmx" / f"{DEMO_STEM}.tmx")
    assert not any("Egypt" in u.segments["en-US"] for u in units)
    review = (corpus / "tmx" / f"{DEMO_STEM}.review.tsv").read_text(encoding="utf-8")
    assert [row.split("\t")[:3] for row in review.splitlines() if "Egypt" in row] == [["unpaired", "0.000", "21"]]


def test_terms_extract_in_a_fresh_process_prints_no_library_warning(corpus):
    """TextBlob's tagger leaves its lexicon file open; Python's ResourceWarning about it is not the user's."""
    main(["run", "--corpus", str(corpus / "corpora"), "--out-dir", str(corpus / "tmx"), "--json"])
    done = subprocess.run([sys.executable, "-m", "align", "terms", "extract", "--tm", str(corpus / "tmx" / "memory.sqlite"),
                           "-o", str(corpus / "g.tbx")], capture_output=True, text=True, cwd=corpus)
    assert done.returncode == 0
    assert done.stderr == ""
