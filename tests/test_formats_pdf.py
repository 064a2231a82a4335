"""PDFs in: printed by headless Chromium, read back as the transcript's paragraphs without the
running headers, footers and page numbers; scans and encrypted files refused in one line."""

import io

import pytest
from pdfminer.high_level import extract_text

from align.errors import InputError
from align.ingest import document_from_text, load_document
from align.ingest.formats import read_document
from align.ingest.formats.pdf import join_lines

from conftest import DEMO_EN, DEMO_ZH
from align.bench.documents import chromium, print_page, print_pdf

DEMO = {"en": DEMO_EN, "zh": DEMO_ZH}
needs_chromium = pytest.mark.skipif(chromium() is None, reason="Chromium is not installed (apt-get install chromium "
                                                              "fonts-wqy-microhei); .ci/run installs it")


@pytest.fixture(scope="module")
def printed(tmp_path_factory):
    """The demo pair printed to PDF once: {lang: path}."""
    if chromium() is None:
        pytest.skip("Chromium is not installed")
    folder = tmp_path_factory.mktemp("pdf")
    return {lang: print_pdf(print_page(DEMO[lang].read_text(encoding="utf-8"), lang), folder / f"demo.{lang}.pdf")
            for lang in ("zh", "en")}


@needs_chromium
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_printed_pdf_gives_the_same_sentences_as_its_plain_text(printed, lang):
    pdf = printed[lang]
    assert len(extract_text(pdf).split("\f")) > 2     # the transcript runs over more than one page
    got = [(s.text, s.speaker, s.turn) for s in document_from_text(read_document(pdf), pdf, lang).sentences]
    assert got == [(s.text, s.speaker, s.turn) for s in load_document(DEMO[lang], lang).sentences]


@needs_chromium
def test_running_headers_footers_and_page_numbers_of_a_printed_pdf_are_dropped(printed):
    pdf = printed["zh"]
    raw = extract_text(pdf)
    furniture = ["中华人民共和国外交部 · 例行记者会", "1/2", "2/2", pdf.with_suffix('.print.html').as_uri()]
    assert [f for f in furniture if f not in raw.replace("\ufb01", "fi")] == []    # printed on the pages …
    text = read_document(pdf)
    assert [f for f in furniture if f in text] == []                               # … and not read back


@pytest.mark.parametrize("lines,joined", [
    (["中国始终坚持对话协商，建设一个持久", "和平的世界；坚持共建共享。"], "中国始终坚持对话协商，建设一个持久和平的世界；坚持共建共享。"),
    (["新冠肺炎（COVID-19）疫情和乌克", "兰危机进一步表明"], "新冠肺炎（COVID-19）疫情和乌克兰危机进一步表明"),
    (["What is China's goal in the", "world?"], "What is China's goal in the world?"),
    (["endanger the inter-", "national order."], "endanger the international order."),
    (["promote sustain\u00ad", "able growth"], "promote sustainable growth"),
    (["the historical trend of win-", "win cooperation"], "the historical trend of win-win cooperation"),
    (["through green and low-", "carbon development"], "through green and low-carbon development"),
])
def test_lines_join_without_a_space_in_chinese_with_one_in_english_and_a_line_end_hyphen_is_undone(lines, joined):
    assert join_lines(lines, "\n".join(lines)) == joined


def test_a_hyphen_the_document_writes_elsewhere_is_kept():
    document = "wide-ranging talks\nthe wide-\nranging agenda"
    assert join_lines(["the wide-", "ranging agenda"], document) == "the wide-ranging agenda"


@needs_chromium
def test_a_pdf_without_a_text_layer_says_to_ocr_it_first(tmp_path):
    scan = print_pdf("<html><body><svg width='400' height='300'><rect x='10' y='10' width='380' height='40'/>"
                     "<rect x='10' y='70' width='300' height='40'/></svg></body></html>", tmp_path / "scan.pdf",
                     header_footer=False)
    with pytest.raises(InputError) as error:
        read_document(scan)
    assert str(error.value) == (f"{scan}: no text layer; OCR it first (a scan or pictures of text: e.g. ocrmypdf), "
                                "or give the text as .txt")


@needs_chromium
def test_an_encrypted_pdf_is_refused_in_one_line(printed, tmp_path):
    import pypdf

    writer = pypdf.PdfWriter(clone_from=printed["zh"])
    writer.encrypt(user_password="secret", owner_password="owner")
    locked = tmp_path / "locked.pdf"
    with locked.open("wb") as handle:
        writer.write(handle)
    with pytest.raises(InputError) as error:
        read_document(locked)
    assert str(error.value) == (f"{locked}: the PDF is encrypted (it needs a password to open); save an unprotected "
                                "copy, or give the text as .txt")


def test_a_pdf_that_is_not_a_pdf_is_refused_in_one_line(tmp_path):
    fake = tmp_path / "transcript.pdf"
    fake.write_text("<html><body>Phoenix TV: What is China's goal?</body></html>", encoding="utf-8")
    with pytest.raises(InputError) as error:
        read_document(fake)
    assert str(error.value) == f"{fake}: not a PDF file (no %PDF- header); give the real PDF, or the text as .txt"


@needs_chromium
def test_a_pdf_named_txt_is_refused_in_one_line(printed, tmp_path):
    renamed = tmp_path / "transcript.txt"
    renamed.write_bytes(printed["en"].read_bytes())
    with pytest.raises(InputError) as error:
        read_document(renamed)
    assert str(error.value) == f"{renamed}: a PDF file named .txt; rename it to .pdf"
