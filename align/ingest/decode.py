"""Reading transcript files: encoding detection (BOMs, UTF-8, UTF-16, GB18030/GBK, Big5), newlines.

Detection is charset-normalizer's job; we only add the BOM and strict-UTF-8 fast paths and the
clear errors a translator needs when a file is not text at all.
"""

from __future__ import annotations

import codecs
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
    if b"\x00" in data and not _looks_utf16(data):
        raise InputError(f"{path}: binary data (NUL bytes), not a text transcript; "
                         "save it as plain text (UTF-8) and try again")
    try:
        return _normalise_newlines(data.decode("utf-8"))
    except UnicodeDecodeError:
        pass
    best = charset_normalizer.from_bytes(data, cp_isolation=_CANDIDATES).best()
    if best is None:
        best = charset_normalizer.from_bytes(data).best()
    if best is None:
        raise InputError(f"{path}: cannot decode the file as text in any known encoding "
                         "(tried UTF-8, UTF-16, GB18030, Big5); save it as UTF-8 and try again")
    encoding = _WIDEN.get(best.encoding.lower(), best.encoding)
    return _normalise_newlines(data.decode(encoding, errors="strict"))


_CANDIDATES = ["utf_16", "gb18030", "big5", "big5hkscs", "cp1252", "latin_1"]


def _looks_utf16(data: bytes) -> bool:
    sample = data[:4000]
    if len(sample) < 2:
        return False
    even_nuls = sample[0::2].count(0)
    odd_nuls = sample[1::2].count(0)
    return max(even_nuls, odd_nuls) > len(sample) // 8


def _normalise_newlines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


def read_text(path: Path) -> str:
    """Read a transcript file as text; InputError when missing, empty or not text."""
    path = Path(path)
    if not path.is_file():
        raise InputError(f"{path}: no such file")
    data = path.read_bytes()
    if not data.strip():
        raise InputError(f"{path}: the file is empty; give a transcript with text in it")
    return decode_bytes(data, path)
