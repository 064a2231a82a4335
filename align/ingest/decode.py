"""Reading transcript files: encoding detection (BOMs, UTF-8, UTF-16, GB18030/GBK, Big5), newlines.

Detection is charset-normalizer's job; we only add the BOM and strict-UTF-8 fast paths, UTF-16
without a BOM (Notepad's "Unicode" saves without one on some systems) and the clear errors a
translator needs when a file is not text at all. Control characters never leave this module: form
and line feeds become newlines, the others are removed (`remove_controls`).
"""

from __future__ import annotations

import codecs
import re
from pathlib import Path

import charset_normalizer

from align.errors import InputError

_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
# Chinese legacy encodings charset-normalizer may name more narrowly than the file needs.
_WIDEN = {"gb2312": "gb18030", "gbk": "gb18030", "cp936": "gb18030", "big5": "big5hkscs"}


def decode_bytes(data: bytes, path: Path) -> str:
    """Decode a transcript's bytes, or raise InputError naming the file."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return _normalise_newlines(data.decode(encoding))
    if b"\x00" in data:
        text = _utf16_without_bom(data)
        if text is None:
            raise InputError(f"{path}: binary data (NUL bytes), not a text transcript; "
                             "save it as plain text (UTF-8) and try again")
        return _normalise_newlines(text)
    try:
        return _normalise_newlines(data.decode("utf-8"))
    except UnicodeDecodeError:
        pass
    text = _utf16_without_bom(data)  # Chinese-only UTF-16 has no NUL byte at all
    if text is not None:
        return _normalise_newlines(text)
    best = charset_normalizer.from_bytes(data, cp_isolation=_CANDIDATES).best()
    if best is None:
        best = charset_normalizer.from_bytes(data).best()
    if best is None:
        raise InputError(f"{path}: cannot decode the file as text in any known encoding "
                         "(tried UTF-8, UTF-16, GB18030, Big5); save it as UTF-8 and try again")
    encoding = _WIDEN.get(best.encoding.lower(), best.encoding)
    return _normalise_newlines(data.decode(encoding, errors="strict"))


_CANDIDATES = ["utf_16", "gb18030", "big5", "big5hkscs", "cp1252", "latin_1"]


# What English and Chinese transcripts are made of: tab/newlines, ASCII, Latin-1 and Latin
# Extended-A/B, general punctuation, CJK symbols, CJK ideographs (extension A and unified),
# full-width forms. Text decoded with the wrong byte order or from 8-bit bytes is mostly outside.
_TRANSCRIPT_CHAR = re.compile("[\t\n\r\x20-\x7e\xa0-\u024f\u2000-\u206f\u3000-\u303f"
                              "\u3400-\u4dbf\u4e00-\u9fff\uff00-\uffef\ufeff]")


def _utf16_without_bom(data: bytes) -> str | None:
    """The text of BOM-less UTF-16 (LE or BE) when one byte order gives a plausible English or
    Chinese transcript (at least 95% of the characters of `_TRANSCRIPT_CHAR`), else None."""
    if len(data) % 2:
        return None
    best, best_share = None, 0.0
    for encoding in ("utf-16-le", "utf-16-be"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        share = len(_TRANSCRIPT_CHAR.findall(text)) / max(1, len(text))
        if share > best_share:
            best, best_share = text, share
    return best if best_share >= 0.95 else None


_CONTROLS = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x9f]")


def remove_controls(text: str) -> str:
    """Text without control characters: vertical tab and form feed become newlines, other C0/C1
    controls (NUL, escape, DEL …) are removed; tab, newline and carriage return stay."""
    return _CONTROLS.sub("", text.replace("\x0b", "\n").replace("\x0c", "\n"))


def _normalise_newlines(text: str) -> str:
    return remove_controls(text.replace("\r\n", "\n").replace("\r", "\n"))


def read_bytes(path: Path) -> bytes:
    """The bytes of a transcript file; InputError when it is missing or empty."""
    path = Path(path)
    if not path.is_file():
        raise InputError(f"{path}: no such file")
    data = path.read_bytes()
    if not data.strip():
        raise InputError(f"{path}: the file is empty; give a transcript with text in it")
    return data


def read_text(path: Path) -> str:
    """Read a transcript file as text; InputError when missing, empty or not text."""
    return decode_bytes(read_bytes(path), Path(path))
