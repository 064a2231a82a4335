"""The review sidecar: what a translator must look at that the TMX does not carry.

Unpaired sentences (1-0 / 0-1 beads) are not translation units, and units under the review
threshold are in the TMX but doubtful; both are listed here, one tab-separated row for each block of
consecutive unpaired sentences of one side and for each doubtful unit, so that no sentence of the input
is lost.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path

from align.export.atomic import atomic_write


@dataclass(frozen=True)
class ReviewItem:
    reason: str          # "unpaired" or "low-confidence"
    confidence: float
    en_lines: str        # source line numbers, e.g. "12" or "12,14"
    en_text: str
    zh_lines: str
    zh_text: str


COLUMNS = ["reason", "confidence", "en_lines", "en_text", "zh_lines", "zh_text"]


def review_tsv(items: list[ReviewItem]) -> str:
    """The review file's text: a header row, then one tab-separated row per item."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter="\t", lineterminator="\n")
    writer.writerow(COLUMNS)
    for item in items:
        writer.writerow([item.reason, f"{item.confidence:.3f}", item.en_lines, item.en_text, item.zh_lines, item.zh_text])
    return buffer.getvalue()


def write_review(path: Path, items: list[ReviewItem]) -> None:
    with atomic_write(Path(path), "w", encoding="utf-8") as handle:
        handle.write(review_tsv(items))
