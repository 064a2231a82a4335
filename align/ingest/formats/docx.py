"""Word documents (.docx) by python-docx: the body's paragraphs in order, a table's cells row by row
(a transcript laid out as a two-column table of speaker and words reads as label, then paragraph).
Headers, footers, footnotes and comments live in other parts of the package and are left out.

A paragraph's text is every `w:t` in it, tabs and line breaks included, so the runs python-docx's
`Paragraph.text` does not see are read too: tracked insertions, smart tags, content controls, simple
fields. Left out: tracked deletions and the old place of moved text, text boxes (`w:txbxContent`) and
the fallback copies of drawings (`mc:Fallback`)."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

from align.errors import InputError

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_SKIP = {f"{_W}del", f"{_W}moveFrom", f"{_W}txbxContent",
         "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"}
_CHARACTERS = {f"{_W}tab": "\t", f"{_W}br": "\n", f"{_W}cr": "\n"}


def _paragraph_text(paragraph) -> str:
    """The text of a `w:p`, tracked insertions and other wrapped runs included."""
    element = paragraph._p
    parts = []
    for node in element.iter(f"{_W}t", *_CHARACTERS):
        ancestor, skipped = node.getparent(), False
        while ancestor is not None and ancestor is not element:
            if ancestor.tag in _SKIP:
                skipped = True
                break
            ancestor = ancestor.getparent()
        if not skipped:
            parts.append(node.text or "" if node.tag == f"{_W}t" else _CHARACTERS[node.tag])
    return "".join(parts)


def _blocks(container) -> list[str]:
    """The texts of the paragraphs of a body or table cell, tables cell by cell, in document order."""
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    texts = []
    for item in container.iter_inner_content():
        if isinstance(item, Paragraph):
            texts.append(_paragraph_text(item))
        elif isinstance(item, Table):
            for row in item.rows:
                seen = set()
                for cell in row.cells:
                    if id(cell._tc) in seen:    # a merged cell is listed once per grid column it spans
                        continue
                    seen.add(id(cell._tc))
                    texts.extend(_blocks(cell))
    return texts


def docx_text(data: bytes, path: Path) -> str:
    """The transcript of a .docx: its paragraphs, blank lines between them. InputError when the file is
    not a Word document or holds no text."""
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    try:
        document = docx.Document(io.BytesIO(data))
    except (zipfile.BadZipFile, PackageNotFoundError, KeyError, ValueError) as exc:
        raise InputError(f"{path}: not a Word .docx document ({exc}); open it in Word or LibreOffice and save it "
                         "as .docx again") from None
    paragraphs = [text.strip() for text in _blocks(document) if text.strip()]
    if not paragraphs:
        raise InputError(f"{path}: the Word document has no text in its body; give the transcript's document")
    return "\n\n".join(paragraphs) + "\n"
