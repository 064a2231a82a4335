"""`run` on documents as they come: pairs by stem whatever the extension, the same units as from
text, and every input checked before anything is written."""

import pytest

from align.cli import main
from align.export.tmx import read_tmx

from conftest import DEMO_EN, DEMO_STEM, DEMO_ZH
from align.bench.documents import chromium, ministry_page, print_page, print_pdf, word_document


def _error(capsys) -> str:
    return capsys.readouterr().err.strip()


def units(tmx):
    return [(u.segments["en-US"], u.segments["zh-CN"]) for u in read_tmx(tmx)]


@pytest.fixture
def text_units(demo_memory_file):
    return units(demo_memory_file.parent / "demo.tmx")


def test_a_corpus_pairs_a_web_page_with_a_word_document_by_stem_and_gives_the_units_of_the_text(tmp_path, text_units):
    corpus = tmp_path / "corpora"
    (corpus / "en").mkdir(parents=True)
    (corpus / "zh").mkdir()
    (corpus / "en" / f"{DEMO_STEM}.en.html").write_bytes(ministry_page(DEMO_EN.read_text(encoding="utf-8"), "en"))
    word_document(DEMO_ZH.read_text(encoding="utf-8"), "zh", corpus / "zh" / f"{DEMO_STEM}.zh.docx", table=True)
    assert main(["run", "--corpus", str(corpus), "--out-dir", str(tmp_path / "tmx"), "--tm", str(tmp_path / "m.sqlite")]) == 0
    assert units(tmp_path / "tmx" / f"{DEMO_STEM}.tmx") == text_units


@pytest.mark.skipif(chromium() is None, reason="Chromium is not installed; .ci/run installs it")
def test_run_aligns_a_printed_pdf_with_a_web_page_given_as_en_and_zh(tmp_path, text_units):
    en = print_pdf(print_page(DEMO_EN.read_text(encoding="utf-8"), "en"), tmp_path / "press.pdf")
    zh = tmp_path / "press.html"
    zh.write_bytes(ministry_page(DEMO_ZH.read_text(encoding="utf-8"), "zh", charset="gb2312", inline_labels=True))
    out = tmp_path / "press.tmx"
    assert main(["run", "--en", str(en), "--zh", str(zh), "-o", str(out), "--tm", str(tmp_path / "m.sqlite")]) == 0
    assert units(out) == text_units


def test_a_docx_that_is_not_a_zip_stops_run_before_anything_is_written(tmp_path, capsys):
    fake = tmp_path / "press.docx"
    fake.write_text("马朝旭：谢谢！", encoding="utf-8")
    out, memory = tmp_path / "out" / "press.tmx", tmp_path / "m.sqlite"
    assert main(["run", "--en", str(DEMO_EN), "--zh", str(fake), "-o", str(out), "--tm", str(memory)]) == 2
    assert _error(capsys) == (f"error: {fake}: not a Word .docx file (a .docx is a zip archive, this is not); save the "
                              "document again as .docx, or give its text as .txt")
    assert not out.exists() and not memory.exists() and not out.parent.exists()


def test_a_chinese_web_page_given_as_the_english_side_is_refused(tmp_path, capsys):
    page = tmp_path / "press.html"
    page.write_bytes(ministry_page(DEMO_ZH.read_text(encoding="utf-8"), "zh"))
    docx = word_document(DEMO_ZH.read_text(encoding="utf-8"), "zh", tmp_path / "press.docx")
    assert main(["run", "--en", str(page), "--zh", str(docx), "-o", str(tmp_path / "o.tmx")]) == 2
    assert _error(capsys) == f"error: {page} and {docx}: both files are Chinese; give one English and one Chinese transcript"


def test_two_formats_of_one_document_on_one_side_are_refused(tmp_path, capsys):
    corpus = tmp_path / "corpora"
    for side, source in (("en", DEMO_EN), ("zh", DEMO_ZH)):
        (corpus / side).mkdir(parents=True)
        (corpus / side / f"press.{side}.txt").write_bytes(source.read_bytes())
    (corpus / "en" / "press.html").write_bytes(ministry_page(DEMO_EN.read_text(encoding="utf-8"), "en"))
    assert main(["run", "--corpus", str(corpus), "--out-dir", str(tmp_path / "tmx")]) == 2
    assert _error(capsys) == (f"error: {corpus / 'en' / 'press.html'}: press.en.txt is the same document ('press') in "
                              f"another format; keep one of the two in {corpus / 'en'}")


def test_analyze_reads_a_word_document_as_it_reads_its_text(memory_file, tmp_path, capsys):
    docx = word_document(DEMO_EN.read_text(encoding="utf-8"), "en", tmp_path / "new.docx")
    assert main(["analyze", str(DEMO_EN), "--tm", str(memory_file), "--json"]) == 0
    from_text = capsys.readouterr().out.replace(str(DEMO_EN), "NEW")
    assert main(["analyze", str(docx), "--tm", str(memory_file), "--json"]) == 0
    assert capsys.readouterr().out.replace(str(docx), "NEW") == from_text
