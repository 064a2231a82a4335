"""The data that flows through the pipeline: documents, sentences, beads.

Small frozen dataclasses; every stage takes and returns these, so stages stay pure.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Sentence:
    text: str
    turn: int = 0          # index of the speaker turn (0 = title / text before the first label)
    paragraph: int = 0     # index of the paragraph in the whole document
    speaker: str | None = None
    line: int = 0          # 1-based line number in the source file
    origin: tuple[str, ...] = ()   # after a person edited the text: the sentences the edit replaced, as read
    part: int = 0                  # from the file; `part` is this sentence's line in that edit (0 = first)


@dataclass(frozen=True)
class Document:
    path: Path
    lang: str              # "en" or "zh"
    sentences: tuple[Sentence, ...]
    title: str | None = None
    dropped_lines: tuple[int, ...] = ()   # web residue (pagination etc.) left out, by line number

    @property
    def texts(self) -> list[str]:
        return [s.text for s in self.sentences]


@dataclass(frozen=True)
class Bead:
    """One rung of the alignment ladder: source ids, target ids, confidence in [0, 1]."""

    src: tuple[int, ...]
    tgt: tuple[int, ...]
    confidence: float = 1.0

    @property
    def paired(self) -> bool:
        return bool(self.src) and bool(self.tgt)

    @property
    def kind(self) -> tuple[int, int]:
        return len(self.src), len(self.tgt)


@dataclass(frozen=True)
class Paragraphs:
    """Raw paragraphs of a transcript before sentence splitting (ingest's output)."""

    path: Path
    lang: str
    items: tuple["Paragraph", ...]
    title: str | None = None
    dropped_lines: tuple[int, ...] = ()


@dataclass(frozen=True)
class Paragraph:
    text: str
    turn: int
    speaker: str | None
    line: int
    is_title: bool = False
