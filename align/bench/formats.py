"""`bench formats`: what reading documents costs and how well it reads them.

The transcripts are the demo pair and, when present, press-dev's twenty pairs (`--data`); each is made
into a ministry-style web page, a Word file and a PDF printed by headless Chromium (align/bench/
documents.py). Measured:
- extraction time per file, per page and per MB for HTML, DOCX and PDF, and what 10,000 pages cost;
- for each format, how many files give exactly the sentences of their plain text;
- the main-text extractors on the pages: our lxml rules against trafilatura and jusText (paragraphs
  of the transcript lost, speaker labels lost, furniture phrases kept), when those are installed;
- the PDF libraries on the printed files: pdfminer.six against pypdf (share of the transcript's
  characters found in reading order, paragraph breaks found).
"""

from __future__ import annotations

import re
import tempfile
import time
from dataclasses import dataclass
from difflib import SequenceMatcher
from pathlib import Path

from align.bench.documents import (FURNITURE, chromium, ministry_page, print_page, print_pdf, transcript_parts,
                                   word_document)

ROOT = Path(__file__).resolve().parents[2]
DEMO = ("20th-cpc-congress-press-center-4th-press-conference",
        ROOT / "corpora" / "en" / "20th-cpc-congress-press-center-4th-press-conference.en.txt",
        ROOT / "corpora" / "zh" / "20th-cpc-congress-press-center-4th-press-conference.zh.txt")
PAGES = 10_000


@dataclass(frozen=True)
class FormatTiming:
    format: str
    files: int
    pages: int
    megabytes: float
    seconds: float
    same_sentences: int       # files whose sentences equal their plain text's

    def as_dict(self) -> dict:
        per_page = self.seconds / self.pages if self.pages else 0.0
        return {"format": self.format, "files": self.files, "pages": self.pages, "megabytes": round(self.megabytes, 3),
                "seconds": round(self.seconds, 3), "ms_per_page": round(1000 * per_page, 1),
                "s_per_mb": round(self.seconds / self.megabytes, 2) if self.megabytes else None,
                f"minutes_for_{PAGES}_pages": round(PAGES * per_page / 60, 1),
                "same_sentences_as_text": f"{self.same_sentences}/{self.files}"}


@dataclass(frozen=True)
class ExtractorScore:
    name: str
    paragraphs_lost: int
    paragraphs: int
    labels_lost: int
    labels: int
    furniture_kept: int       # furniture phrases found in the output, over all pages

    def as_dict(self) -> dict:
        return {"extractor": self.name, "paragraphs_lost": f"{self.paragraphs_lost}/{self.paragraphs}",
                "labels_lost": f"{self.labels_lost}/{self.labels}", "furniture_phrases_kept": self.furniture_kept}


@dataclass(frozen=True)
class PdfLibraryScore:
    name: str
    files: int
    order: float              # mean share of the transcript's characters matched in reading order
    paragraph_breaks: float   # mean share of the transcript's paragraph breaks found as blank lines

    def as_dict(self) -> dict:
        return {"library": self.name, "files": self.files, "characters_in_order": round(self.order, 4),
                "paragraph_breaks_found": round(self.paragraph_breaks, 3)}


@dataclass(frozen=True)
class FormatsReport:
    timings: tuple[FormatTiming, ...]
    extractors: tuple[ExtractorScore, ...]
    pdf_libraries: tuple[PdfLibraryScore, ...]
    skipped: tuple[str, ...]

    def as_dict(self) -> dict:
        return {"timings": [t.as_dict() for t in self.timings], "html_extractors": [e.as_dict() for e in self.extractors],
                "pdf_libraries": [p.as_dict() for p in self.pdf_libraries], "skipped": list(self.skipped)}


def transcripts(data: Path) -> list[tuple[str, str, str]]:
    """(name, lang, text) of the demo pair and press-dev's pairs when `data` holds them."""
    found = [(f"{DEMO[0]}.{lang}", lang, path.read_text(encoding="utf-8")) for lang, path in (("en", DEMO[1]), ("zh", DEMO[2]))]
    for lang in ("en", "zh"):
        for path in sorted((Path(data) / "press-dev" / "corpora" / lang).glob("*.txt")):
            found.append((f"{path.stem}.{lang}", lang, path.read_text(encoding="utf-8")))
    return found


def _sentences(text: str, path: Path, lang: str) -> list[tuple]:
    from align.ingest import document_from_text

    return [(s.text, s.speaker, s.turn) for s in document_from_text(text, path, lang).sentences]


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _timing(name: str, files: list[tuple[Path, str, str, int]]) -> FormatTiming:
    from align.ingest.formats import read_document

    seconds, same = 0.0, 0
    for path, lang, text, _ in files:
        start = time.perf_counter()
        got = read_document(path)
        seconds += time.perf_counter() - start
        same += _sentences(got, path, lang) == _sentences(text, path, lang)
    return FormatTiming(name, len(files), sum(pages for *_, pages in files),
                        sum(path.stat().st_size for path, *_ in files) / 1e6, seconds, same)


def _extractors() -> dict:
    """Our rules and the extractors that are installed: name → function(page bytes, lang) → text."""
    from align.ingest.formats.html import html_text

    found = {"lxml rules (ours)": lambda page, lang: html_text(page, Path("page.html"))}
    try:
        import trafilatura
        found["trafilatura"] = lambda page, lang: trafilatura.extract(page) or ""
        found["trafilatura favor_recall"] = lambda page, lang: trafilatura.extract(page, favor_recall=True) or ""
    except ImportError:
        pass
    try:
        import justext
        found["jusText"] = lambda page, lang: "\n\n".join(
            p.text for p in justext.justext(page, justext.get_stoplist("English") if lang == "en" else frozenset())
            if not p.is_boilerplate)
    except ImportError:
        pass
    return found


def _score_extractor(name: str, extract, pages: list[tuple[bytes, str, str]]) -> ExtractorScore:
    lost = labels_lost = furniture = paragraphs = labels = 0
    for page, lang, text in pages:
        out = _squash(extract(page, lang))
        _, blocks = transcript_parts(text, lang)
        for label, paragraph in blocks:
            paragraphs += 1
            lost += _squash(paragraph) not in out
            if label:
                labels += 1
                labels_lost += _squash(label) not in out
        furniture += sum(_squash(phrase) in out for phrase in FURNITURE)
    return ExtractorScore(name, lost, paragraphs, labels_lost, labels, furniture)


def _pdf_libraries(pdfs: list[tuple[Path, str, str, int]]) -> list[PdfLibraryScore]:
    from pdfminer.high_level import extract_text

    libraries = {"pdfminer.six": lambda path: extract_text(str(path))}
    try:
        import pypdf
        libraries["pypdf"] = lambda path: "\n".join(page.extract_text() for page in pypdf.PdfReader(path).pages)
    except ImportError:
        pass
    scores = []
    for name, extract in libraries.items():
        order = breaks = 0.0
        for path, lang, text, _ in pdfs:
            title, blocks = transcript_parts(text, lang)
            wanted = _squash(title + "".join(p for _, p in blocks))
            got = _squash(extract(path))
            matcher = SequenceMatcher(None, wanted, got, autojunk=False)
            order += sum(size for *_, size in matcher.get_matching_blocks()) / len(wanted)
            raw = extract(path)
            gaps = [b for b in re.split(r"\n\s*\n", raw) if b.strip()]
            paragraphs = len(blocks) + 1
            breaks += min(1.0, (len(gaps) - 1) / (paragraphs - 1)) if paragraphs > 1 else 1.0
        scores.append(PdfLibraryScore(name, len(pdfs), order / len(pdfs), breaks / len(pdfs)))
    return scores


def formats(data: Path) -> FormatsReport:
    """Extraction timings and quality on the demo and press-dev transcripts made into documents."""
    import logging

    from pdfminer.high_level import extract_pages

    logging.getLogger("pdfminer").setLevel(logging.ERROR)
    texts = transcripts(data)
    skipped = []
    with tempfile.TemporaryDirectory(prefix="align-bench-formats-") as folder:
        folder = Path(folder)
        html, docx, pdf, pages = [], [], [], []
        for name, lang, text in texts:
            page = ministry_page(text, lang, inline_labels=True)
            pages.append((page, lang, text))
            (folder / f"{name}.html").write_bytes(page)
            html.append((folder / f"{name}.html", lang, text, 1))
            docx.append((word_document(text, lang, folder / f"{name}.docx"), lang, text, 1))
            if chromium() is not None:
                printed = print_pdf(print_page(text, lang), folder / f"{name}.pdf")
                pdf.append((printed, lang, text, sum(1 for _ in extract_pages(str(printed)))))
        if chromium() is None:
            skipped.append("PDF: Chromium is not installed (apt-get install chromium fonts-wqy-microhei)")
        if len(texts) == 2:
            skipped.append(f"press-dev: not found under {data}; the demo pair alone was measured")
        timings = [_timing("HTML", html), _timing("DOCX", docx)] + ([_timing("PDF", pdf)] if pdf else [])
        extractors = [_score_extractor(name, extract, pages) for name, extract in _extractors().items()]
        libraries = _pdf_libraries(pdf) if pdf else []
    if len(extractors) == 1:
        skipped.append("trafilatura and jusText are not installed (pip install 'align[bench]'); only our rules measured")
    return FormatsReport(tuple(timings), tuple(extractors), tuple(libraries), tuple(skipped))

