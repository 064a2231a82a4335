"""PDFs with a text layer, by pdfminer.six's layout analysis (it keeps Chinese in reading order and
gives each line its position; pypdf gives the same characters without the positions we need to find
paragraphs; `python -m align bench formats` compares the two).

1. Every text line with its page and box.
2. Running headers and footers are the lines at the top and bottom edge of a page whose text, digits
   aside, comes back on at least half of the pages (a title, a date, a URL, "3/12"); page numbers, URLs,
   print dates and small print there are dropped even on a single page.
3. Lines become paragraphs again: a wider gap than between the lines of a paragraph, a first-line
   indent, or a short line ending a sentence starts a new one; across a page break the paragraph goes
   on unless the page ended a sentence (or a label's colon) or the next line is indented.
4. Lines of a paragraph are joined without a space where either side is Chinese, with one otherwise,
   and a hyphen at a line end is undone when the word is one word (`join_lines`).
"""

from __future__ import annotations

import io
import logging
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from statistics import median

from align.errors import InputError

_CJK = re.compile("[\u2e80-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef\u2018-\u201f\u2026\u2014]")
_SENTENCE_END = re.compile(r"[.!?。！？:：;；…][\"'”’）)]*$")
_PAGE_NUMBER = re.compile(r"^(?:[-–—]?\s*\d{1,4}\s*[-–—]?|\d{1,4}\s*/\s*\d{1,4}|第\s*\d+\s*页(?:\s*共\s*\d+\s*页)?|"
                          r"(?:Page|p\.)\s*\d+(?:\s*(?:of|/)\s*\d+)?|[ivxlc]{1,6})$", re.IGNORECASE)
_PRINT_MARK = re.compile(r"^(?:file|https?)://\S+$|^\d{1,2}/\d{1,2}/\d{2,4},?\s+\d{1,2}:\d{2}(?:\s*[AP]M)?\b", re.IGNORECASE)
_LIGATURES = str.maketrans({"\ufb00": "ff", "\ufb01": "fi", "\ufb02": "fl", "\ufb03": "ffi", "\ufb04": "ffl"})
_EDGE = 3   # lines at the top and at the bottom of a page that may be running headers or footers


@dataclass(frozen=True)
class Line:
    page: int
    x0: float
    y0: float
    x1: float
    y1: float
    text: str

    @property
    def height(self) -> float:
        return self.y1 - self.y0


def _page_lines(layout) -> list[Line]:
    """The text lines of one page, top to bottom; pieces on one baseline become one line."""
    from pdfminer.layout import LTTextBox, LTTextLine

    pieces = []
    for element in layout:
        lines = element if isinstance(element, LTTextBox) else [element] if isinstance(element, LTTextLine) else []
        for line in lines:
            text = line.get_text().replace("\n", "").translate(_LIGATURES)
            if text.strip():
                pieces.append(Line(layout.pageid, line.x0, line.y0, line.x1, line.y1, text))
    pieces.sort(key=lambda p: (-(p.y0 + p.y1) / 2, p.x0))
    merged: list[Line] = []
    for piece in pieces:
        last = merged[-1] if merged else None
        if last and abs((last.y0 + last.y1) - (piece.y0 + piece.y1)) / 2 < 0.3 * min(last.height, piece.height):
            merged[-1] = Line(last.page, min(last.x0, piece.x0), min(last.y0, piece.y0), max(last.x1, piece.x1),
                              max(last.y1, piece.y1), f"{last.text.rstrip()} {piece.text.lstrip()}")
        else:
            merged.append(piece)
    return merged


def _shape(text: str) -> str:
    return re.sub(r"\d+", "#", re.sub(r"\s+", " ", text.strip()))


def drop_running_lines(pages: list[list[Line]]) -> list[list[Line]]:
    """The pages without running headers and footers: the lines at a page's top and bottom edge that
    recur on at least half of the pages (two at least, digits aside), are page numbers, URLs or print
    dates, or are set in small print (under 3/4 of the body's line height)."""
    from collections import Counter

    heights = [line.height for page in pages for line in page]
    small = 0.75 * median(heights) if heights else 0.0
    counts = Counter(shape for page in pages for shape in {_shape(line.text) for line in page[:_EDGE] + page[-_EDGE:]})
    recurring = {shape for shape, n in counts.items() if len(pages) >= 2 and n >= max(2, len(pages) / 2)}

    def running(line: Line) -> bool:
        text = line.text.strip()
        return (_shape(text) in recurring or bool(_PAGE_NUMBER.match(text)) or bool(_PRINT_MARK.match(text))
                or line.height < small)

    kept = []
    for page in pages:
        top = 0
        while top < min(_EDGE, len(page)) and running(page[top]):
            top += 1
        bottom = len(page)
        while bottom > max(top, len(page) - _EDGE) and running(page[bottom - 1]):
            bottom -= 1
        kept.append(page[top:bottom])
    return kept


@lru_cache(maxsize=1)
def _english_words() -> frozenset[str]:
    """Words of CC-CEDICT's English glosses: what a hyphen joins back into one word."""
    from align.score.lexicon import cedict_glosses

    return frozenset(w for glosses in cedict_glosses().values() for g in glosses for w in re.findall(r"[a-z]+", g.lower()))


def _join_hyphen(before: str, after: str, document: str) -> str:
    """`before` ends in "x-" and `after` starts with a letter: undo the hyphen when the joined word is a
    word (found elsewhere in the document, or in the dictionary) and the hyphenated form is not."""
    head = re.search(r"([A-Za-z]+)-$", before).group(1)
    tail = re.match(r"[A-Za-z]+", after).group(0)
    joined, hyphenated = (head + tail).lower(), f"{head}-{tail}".lower()
    lowered = document.lower()
    if re.search(rf"\b{re.escape(hyphenated)}\b", lowered):
        keep = True
    elif re.search(rf"\b{re.escape(joined)}\b", lowered):
        keep = False
    else:
        keep = joined not in _english_words()
    return before + after if keep else before[:-1] + after


def join_lines(lines: list[str], document: str = "") -> str:
    """One paragraph from its lines: no space where either side is Chinese, one space otherwise, a line
    end's soft hyphen removed and a hyphen undone inside a word (`document`, the whole text, tells
    "inter-national" from "win-win")."""
    text = ""
    for line in (line.strip() for line in lines):
        if not line:
            continue
        if not text:
            text = line
        elif text.endswith("\u00ad"):
            text = text[:-1] + line
        elif re.search(r"[A-Za-z]-$", text) and re.match(r"[A-Za-z]", line):
            text = _join_hyphen(text, line, document)
        elif _CJK.match(text[-1]) or _CJK.match(line[0]):
            text += line
        else:
            text += " " + line
    return text.replace("\u00ad", "")


def paragraphs_of(pages: list[list[Line]]) -> list[list[str]]:
    """The lines of each paragraph, from lines in reading order (running lines already dropped)."""
    body = [line for page in pages for line in page]
    if not body:
        return []
    heights = [line.height for line in body]
    em = median(heights)
    left = sorted(line.x0 for line in body)[len(body) // 10]
    right = sorted(line.x1 for line in body)[len(body) * 9 // 10]
    gaps = [a.y0 - b.y1 for page in pages for a, b in zip(page, page[1:]) if 0 <= a.y0 - b.y1 < 2 * em]
    usual_gap = median(gaps) if gaps else 0.3 * em
    paragraphs: list[list[str]] = []
    previous = None
    for line in body:
        indented = line.x0 > left + 0.8 * em or line.text[:1] in ("\u3000", " ", "\t")
        short = previous is not None and previous.x1 < right - 2 * em
        ends = previous is not None and bool(_SENTENCE_END.search(previous.text.strip()))
        if previous is None:
            new = True
        elif line.page != previous.page:
            new = indented or ends
        else:
            gap = previous.y0 - line.y1
            new = gap > usual_gap + 0.5 * min(line.height, previous.height) or indented or (short and ends)
        if new:
            paragraphs.append([])
        paragraphs[-1].append(line.text)
        previous = line
    return paragraphs


def pdf_text(data: bytes, path: Path) -> str:
    """The transcript of a PDF with a text layer: paragraphs, blank lines between them. InputError when
    the PDF is encrypted, broken, or has no text layer (a scan)."""
    from pdfminer.high_level import extract_pages
    from pdfminer.layout import LAParams
    from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect
    from pdfminer.pdfexceptions import PDFException
    from pdfminer.psparser import PSException

    logging.getLogger("pdfminer").setLevel(logging.ERROR)   # font-table remarks, not the user's business
    try:
        pages = [_page_lines(layout) for layout in extract_pages(io.BytesIO(data), laparams=LAParams())]
    except (PDFPasswordIncorrect, PDFEncryptionError):
        raise InputError(f"{path}: the PDF is encrypted (it needs a password to open); save an unprotected copy, "
                         "or give the text as .txt") from None
    except (PDFException, PSException, ValueError, KeyError, TypeError) as exc:
        raise InputError(f"{path}: not a readable PDF ({type(exc).__name__}: {exc}); print it to PDF again, "
                         "or give the text as .txt") from None
    if not any(pages):
        raise InputError(f"{path}: no text layer; OCR it first (a scan or pictures of text: e.g. ocrmypdf), "
                         "or give the text as .txt")
    pages = drop_running_lines(pages)
    document = "\n".join(line.text for page in pages for line in page)
    paragraphs = [join_lines(lines, document) for lines in paragraphs_of(pages)]
    return "\n\n".join(p for p in paragraphs if p) + "\n"
