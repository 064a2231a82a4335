"""Word documents in: the body's paragraphs and table cells in order; headers, footers, comments out."""

import zipfile

import pytest

from align.errors import InputError
from align.ingest import document_from_text, load_document
from align.ingest.formats import read_document

from conftest import DEMO_EN, DEMO_ZH
from align.bench.documents import word_document

DEMO = {"en": DEMO_EN, "zh": DEMO_ZH}


def sentences(path, lang, text=None):
    text = read_document(path) if text is None else text
    return [(s.text, s.speaker, s.turn) for s in document_from_text(text, path, lang).sentences]


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("table", [False, True], ids=["paragraphs", "two-column-table"])
def test_a_word_document_gives_the_same_sentences_as_its_plain_text(tmp_path, lang, table):
    docx = word_document(DEMO[lang].read_text(encoding="utf-8"), lang, tmp_path / f"demo.{lang}.docx", table=table)
    assert sentences(docx, lang) == [(s.text, s.speaker, s.turn) for s in load_document(DEMO[lang], lang).sentences]


def test_the_header_footer_and_comment_of_a_word_document_are_left_out(tmp_path):
    docx = word_document(DEMO_ZH.read_text(encoding="utf-8"), "zh", tmp_path / "demo.docx")
    with zipfile.ZipFile(docx) as package:   # they are in the file …
        parts = {name: package.read(name).decode("utf-8") for name in package.namelist() if name.endswith(".xml")}
    assert any("内部资料" in xml for xml in parts.values()) and any("请核对标题" in xml for xml in parts.values())
    text = read_document(docx)               # … but not in the transcript
    assert "内部资料" not in text and "第 1 页" not in text and "请核对标题" not in text


def test_a_docx_that_is_not_a_zip_is_refused_in_one_line(tmp_path):
    fake = tmp_path / "transcript.docx"
    fake.write_text("凤凰卫视记者：中国在世界上的目标是什么？", encoding="utf-8")
    with pytest.raises(InputError) as error:
        read_document(fake)
    assert str(error.value) == (f"{fake}: not a Word .docx file (a .docx is a zip archive, this is not); save the "
                                "document again as .docx, or give its text as .txt")


def test_a_zip_that_is_not_a_word_document_is_refused_in_one_line(tmp_path):
    fake = tmp_path / "transcript.docx"
    with zipfile.ZipFile(fake, "w") as archive:
        archive.writestr("notes.txt", "not a document")
    with pytest.raises(InputError, match=r"transcript.docx: not a Word .docx document \(.*\); open it in Word or "
                                         r"LibreOffice and save it as .docx again$"):
        read_document(fake)


def test_an_old_binary_word_file_named_docx_is_refused_in_one_line(tmp_path):
    old = tmp_path / "transcript.docx"
    old.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504))
    with pytest.raises(InputError) as error:
        read_document(old)
    assert str(error.value) == (f"{old}: an old binary Word file (.doc) or a password-protected .docx; open it in "
                                "Word or LibreOffice and save it as .docx without a password")


def test_a_tracked_insertion_is_read_and_a_tracked_deletion_is_not(tmp_path):
    import docx
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    document = docx.Document()
    document.add_paragraph("马朝旭：")
    paragraph = document.add_paragraph("谢谢")
    for tag, text in (("w:ins", "大家"), ("w:del", "各位")):
        change = OxmlElement(tag)
        change.set(qn("w:id"), "1" if tag == "w:ins" else "2")
        change.set(qn("w:author"), "Reviewer")
        run = OxmlElement("w:r")
        piece = OxmlElement("w:t" if tag == "w:ins" else "w:delText")
        piece.text = text
        run.append(piece)
        change.append(run)
        paragraph._p.append(change)
    paragraph.add_run("！")
    path = tmp_path / "tracked.docx"
    document.save(path)
    assert read_document(path) == "马朝旭：\n\n谢谢大家！\n"
