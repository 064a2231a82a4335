"""Documents as they come: one reader per format, chosen by the file's extension and checked against
its first bytes, each returning the transcript's text (paragraphs separated by blank lines) for the
unchanged text pipeline (`parse_transcript` and after).

| extension | reader |
| --- | --- |
| .txt (and any other) | `align.ingest.decode.decode_bytes` |
| .html, .htm, .xhtml | `html.html_text` (main text by lxml rules) |
| .docx | `docx.docx_text` (python-docx) |
| .pdf | `pdf.pdf_text` (pdfminer.six) |
"""

from __future__ import annotations

from pathlib import Path

from align.errors import InputError

HTML_SUFFIXES = (".html", ".htm", ".xhtml")
SUFFIXES = (".txt", *HTML_SUFFIXES, ".docx", ".pdf")

_ZIP = b"PK\x03\x04"
_PDF = b"%PDF-"
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"   # the old binary Word (.doc), Excel (.xls) …


def document_kind(path: Path, head: bytes) -> str:
    """'txt', 'html', 'docx' or 'pdf' by the extension; InputError when the first bytes say the file
    is something else (a .docx that is not a zip, a .pdf without %PDF-, a PDF or Word file named .txt)."""
    suffix = Path(path).suffix.lower()
    if suffix == ".docx":
        if head.startswith(_OLE):
            raise InputError(f"{path}: an old binary Word file (.doc) or a password-protected .docx; open it in "
                             "Word or LibreOffice and save it as .docx without a password")
        if not head.startswith(_ZIP):
            raise InputError(f"{path}: not a Word .docx file (a .docx is a zip archive, this is not); "
                             "save the document again as .docx, or give its text as .txt")
        return "docx"
    if suffix == ".pdf":
        if _PDF not in head[:1024]:
            raise InputError(f"{path}: not a PDF file (no %PDF- header); give the real PDF, or the text as .txt")
        return "pdf"
    if head.startswith(_PDF):
        raise InputError(f"{path}: a PDF file named {suffix or 'without an extension'}; rename it to .pdf")
    if head.startswith(_ZIP) or head.startswith(_OLE):
        raise InputError(f"{path}: an office document or archive named {suffix or 'without an extension'}, "
                         "not text; rename a Word document to .docx, or save it as text")
    return "html" if suffix in HTML_SUFFIXES else "txt"


def read_document(path: Path) -> str:
    """The transcript text of a .txt, .html, .docx or .pdf file; InputError when the file is missing,
    empty, not what its extension says, or holds no text."""
    from align.ingest.decode import decode_bytes, read_bytes

    path = Path(path)
    data = read_bytes(path)
    kind = document_kind(path, data[:1024])
    if kind == "html":
        from align.ingest.formats.html import html_text
        return html_text(data, path)
    if kind == "docx":
        from align.ingest.formats.docx import docx_text
        return docx_text(data, path)
    if kind == "pdf":
        from align.ingest.formats.pdf import pdf_text
        return pdf_text(data, path)
    return decode_bytes(data, path)
