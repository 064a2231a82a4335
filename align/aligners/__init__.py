"""Sentence aligners. Each takes two lists of sentences (and, for transcripts, each sentence's speaker turn
and paragraph) and returns beads with confidences.

`ALIGNERS` maps the names accepted by `--method` to factories; `DEFAULT_METHOD` is what `run`
and `align-lines` use when no method is given.
"""

from __future__ import annotations

from typing import Callable, Protocol

from align.document import Bead
from align.errors import InputError


class Aligner(Protocol):
    name: str
    progress: bool   # show progress bars on long work

    def align(self, src: list[str], tgt: list[str], src_lang: str, tgt_lang: str, *,
              src_turns: list[int] | None = None, tgt_turns: list[int] | None = None,
              src_paragraphs: list[int] | None = None, tgt_paragraphs: list[int] | None = None) -> list[Bead]:
        """Beads over `src` × `tgt`; `src_turns` / `tgt_turns` give each sentence's speaker turn and
        `src_paragraphs` / `tgt_paragraphs` its paragraph (None for plain text), evidence an aligner may use or
        ignore."""


def _gale_church() -> Aligner:
    from align.aligners.gale_church import GaleChurchAligner

    return GaleChurchAligner()


def _combined(**signals) -> Callable[[], Aligner]:
    def make() -> Aligner:
        from align.aligners.combined import CombinedAligner

        return CombinedAligner(**signals)

    return make


ALIGNERS: dict[str, Callable[[], Aligner]] = {
    "combined": _combined(name="combined"),
    # the quantity features are the default's only: with them `fast` lost Bible strict F1 (0.9202 → 0.9178)
    "fast": _combined(name="fast", refine=False, fitted_as="fast", use_numbers=False),
    "e5": _combined(name="e5", encoders=("e5",), fitted_as="e5", use_numbers=False),
    "two-encoders": _combined(name="two-encoders", encoders=("use", "e5"), fitted_as="two-encoders", use_numbers=False),
    "embedding": _combined(name="embedding", use_lexicon=False, use_punctuation=False, use_numbers=False),
    "lexical": _combined(name="lexical", encoders=(), use_punctuation=False, use_numbers=False),
    "punctuation": _combined(name="punctuation", encoders=(), use_lexicon=False, use_numbers=False),
    "length": _gale_church,
}
DEFAULT_METHOD = "combined"


def get_aligner(name: str | None = None, progress: bool = False) -> Aligner:
    name = name or DEFAULT_METHOD
    if name not in ALIGNERS:
        raise InputError(f"unknown alignment method {name!r}; choose one of: {', '.join(ALIGNERS)}")
    aligner = ALIGNERS[name]()
    aligner.progress = progress
    return aligner
