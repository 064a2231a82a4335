"""Saved web pages in: the transcript of a ministry-style page, none of its furniture."""

import pytest

from align.errors import InputError
from align.ingest import document_from_text, load_document
from align.ingest.formats import read_document

from conftest import DEMO_EN, DEMO_ZH, SHARED
from align.bench.documents import FURNITURE, ministry_page

PRESS_DEV = SHARED / "data" / "press-dev" / "corpora"
DEMO = {"en": DEMO_EN, "zh": DEMO_ZH}


def sentences_of(path, lang):
    return [(s.text, s.speaker, s.turn) for s in document_from_text(read_document(path), path, lang).sentences]


def plain_sentences(path, lang):
    return [(s.text, s.speaker, s.turn) for s in load_document(path, lang).sentences]


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("inline_labels", [False, True], ids=["labels-on-their-own", "labels-leading-paragraphs"])
def test_a_ministry_page_gives_the_same_sentences_as_its_plain_text(tmp_path, lang, inline_labels):
    page = tmp_path / f"demo.{lang}.html"
    page.write_bytes(ministry_page(DEMO[lang].read_text(encoding="utf-8"), lang, inline_labels=inline_labels))
    assert sentences_of(page, lang) == plain_sentences(DEMO[lang], lang)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_not_one_phrase_of_the_page_furniture_reaches_a_sentence(tmp_path, lang):
    page = tmp_path / f"demo.{lang}.html"
    page.write_bytes(ministry_page(DEMO[lang].read_text(encoding="utf-8"), lang))
    text = " ".join(s[0] for s in sentences_of(page, lang))
    assert [phrase for phrase in FURNITURE if phrase in text] == []
    assert sentences_of(page, lang)[1][1] == ("凤凰卫视记者" if lang == "zh" else "Phoenix TV")


def test_a_gb2312_page_is_decoded_by_its_meta_charset(tmp_path):
    page = tmp_path / "demo.html"
    page.write_bytes(ministry_page(DEMO_ZH.read_text(encoding="utf-8"), "zh", charset="gb2312"))
    assert b'charset=gb2312' in page.read_bytes()
    assert sentences_of(page, "zh") == plain_sentences(DEMO_ZH, "zh")


def test_an_old_page_with_line_breaks_instead_of_paragraphs_keeps_each_paragraph(tmp_path):
    page = tmp_path / "old.html"
    page.write_text("<html><body><div class='nav'><a href='/'>首页</a> <a href='/x'>外交动态</a></div>"
                    "<h1>外交部发言人答记者问</h1><div class='con'>问：你能否介绍有关情况？<br><br>答：中方的立场是明确的。"
                    "我们欢迎各方为此作出的努力。<br>谢谢。</div><div class='footer'>版权所有：中华人民共和国外交部</div>"
                    "</body></html>", encoding="utf-8")
    assert read_document(page) == "外交部发言人答记者问\n\n问：你能否介绍有关情况？\n\n答：中方的立场是明确的。我们欢迎各方为此作出的努力。\n谢谢。\n"


def test_a_page_with_no_text_is_refused_in_one_line(tmp_path):
    page = tmp_path / "empty.html"
    page.write_text("<html><head><title>外交部</title><script>load()</script></head><body><div id='app'></div>"
                    "<nav><a href='/'>首页</a></nav></body></html>", encoding="utf-8")
    with pytest.raises(InputError) as error:
        read_document(page)
    assert str(error.value) == (f"{page}: a web page with no text in it (only markup or scripts); save the page once it "
                                "shows the transcript, or give the text as .txt")


@pytest.mark.skipif(not PRESS_DEV.is_dir(), reason=f"press-dev data not found at {PRESS_DEV} (../shared is absent)")
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_press_dev_transcript_as_a_ministry_page_gives_its_plain_text_sentences(tmp_path, lang):
    mismatched = []
    for source in sorted((PRESS_DEV / lang).glob("*.txt")):
        page = tmp_path / f"{source.stem}.html"
        page.write_bytes(ministry_page(source.read_text(encoding="utf-8"), lang, inline_labels=True))
        if sentences_of(page, lang) != plain_sentences(source, lang):
            mismatched.append(source.name)
    assert mismatched == []


def test_the_title_is_the_articles_not_the_site_logos_heading(tmp_path):
    page = tmp_path / "page.html"
    page.write_text("<html><body><div class='header'><h1 class='logo'>中华人民共和国外交部</h1>"
                    "<ul><li><a href='/'>首页</a></li></ul></div><div class='main'>"
                    "<div class='news-title'>外交部发言人答记者问</div><div class='info'>2024-05-06 来源：外交部</div>"
                    "<div class='con'><p>问：你能否介绍有关情况？</p><p>答：中方的立场是明确的。我们欢迎各方为此作出的努力。</p></div>"
                    "</div><div class='footer'>版权所有：中华人民共和国外交部</div></body></html>", encoding="utf-8")
    assert read_document(page) == "外交部发言人答记者问\n\n问：你能否介绍有关情况？\n\n答：中方的立场是明确的。我们欢迎各方为此作出的努力。\n"


def test_an_old_table_layout_page_gives_the_cell_with_the_transcript_not_the_menu_column(tmp_path):
    page = tmp_path / "old.htm"
    page.write_bytes("<html><head><meta http-equiv='Content-Type' content='text/html; charset=gb2312'></head><body>"
                     "<table><tr><td width='180'><a href='/'>首页</a><br><a href='/a'>外交动态</a><br><a href='/b'>发言人表态"
                     "</a><br>友情链接</td><td><b>外交部发言人答记者问</b><br><br>问：你能否介绍有关情况？<br><br>"
                     "答：中方的立场是明确的。我们欢迎各方为此作出的努力。</td></tr>"
                     "<tr><td colspan='2'>版权所有：中华人民共和国外交部 京ICP备05078758号</td></tr></table></body></html>"
                     .encode("gb2312"))
    assert read_document(page) == "外交部发言人答记者问\n\n问：你能否介绍有关情况？\n\n答：中方的立场是明确的。我们欢迎各方为此作出的努力。\n"


def test_a_transcript_in_a_pre_block_keeps_its_lines(tmp_path):
    page = tmp_path / "pre.html"
    page.write_text("<html><body><h1>Regular Press Conference</h1><pre>\nQ: Can you confirm the visit?\n\n"
                    "A: I have no information to offer at the moment.\n</pre><p class='copyright'>Copyright MFA</p>"
                    "</body></html>", encoding="utf-8")
    assert read_document(page) == ("Regular Press Conference\n\nQ: Can you confirm the visit?\n\n"
                                   "A: I have no information to offer at the moment.\n")
