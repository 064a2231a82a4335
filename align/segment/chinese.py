"""Chinese sentence boundaries.

Boundaries are 。！？； and the ellipsis …… (plus ASCII !?; between Han characters); closing
quotes and brackets stay with their sentence; nothing inside 《》 is split; numbers (3.5%) and
Latin tokens (COVID-19, G20) are never touched because ASCII full stops are not boundaries.
"""

from __future__ import annotations

_ENDERS = set("。！？；!?;")
_CLOSERS = set("”’」』）)】〕》\"'")
_TITLE_OPEN, _TITLE_CLOSE = "《〈", "》〉"


def split_chinese(text: str) -> list[str]:
    sentences: list[str] = []
    current: list[str] = []
    depth = 0
    i, n = 0, len(text)
    while i < n:
        char = text[i]
        current.append(char)
        if char in _TITLE_OPEN:
            depth += 1
        elif char in _TITLE_CLOSE:
            depth = max(0, depth - 1)
        boundary = False
        if depth == 0:
            if char in _ENDERS:
                boundary = True
            elif char == "…" and i + 1 < n and text[i + 1] == "…":
                current.append(text[i + 1])
                i += 1
                boundary = True
        if boundary:
            # absorb repeated enders ("？！") and closing quotes/brackets
            while i + 1 < n and (text[i + 1] in _ENDERS or text[i + 1] in _CLOSERS or text[i + 1] == "…"):
                i += 1
                current.append(text[i])
            sentences.append("".join(current).strip())
            current = []
        i += 1
    tail = "".join(current).strip()
    if tail:
        sentences.append(tail)
    return [s for s in sentences if s]
