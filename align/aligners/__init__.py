"""Sentence aligners. Each takes two lists of sentences and returns beads with confidences.

`ALIGNERS` maps the names accepted by `--method` to factories; `DEFAULT_METHOD` is what `run`
and `align-lines` use when no method is given.
"""

from __future__ import annotations

from typing import Callable, Protocol

from align.document import Bead
from align.errors import InputError


class Aligner(Protocol):
    name: str

    def align(self, src: list[str], tgt: list[str], src_lang: str, tgt_lang: str) -> list[Bead]: ...


def _gale_church() -> Aligner:
    from align.aligners.gale_church import GaleChurchAligner

    return GaleChurchAligner()


ALIGNERS: dict[str, Callable[[], Aligner]] = {"length": _gale_church}
DEFAULT_METHOD = "length"


def get_aligner(name: str | None = None) -> Aligner:
    name = name or DEFAULT_METHOD
    if name not in ALIGNERS:
        raise InputError(f"unknown alignment method {name!r}; choose one of: {', '.join(ALIGNERS)}")
    return ALIGNERS[name]()
