"""Structure as anchors: when both transcripts have the same speaker turns, align turn by turn.

Turn i of the Chinese corresponds to turn i of the English when the counts match; each turn is
then aligned on its own and the beads are shifted back to document ids. When the counts differ
the whole document is aligned in one piece, so the aligner still works.
"""

from __future__ import annotations

from itertools import groupby

from align.aligners import Aligner
from align.document import Bead, Document


def _turn_ranges(doc: Document) -> list[tuple[int, int]]:
    ranges, start = [], 0
    for _, group in groupby(doc.sentences, key=lambda s: s.turn):
        size = len(list(group))
        ranges.append((start, start + size))
        start += size
    return ranges


def turns_match(zh: Document, en: Document) -> bool:
    return len(_turn_ranges(zh)) == len(_turn_ranges(en)) and len(_turn_ranges(zh)) > 1


def align_documents(zh: Document, en: Document, aligner: Aligner) -> list[Bead]:
    """Beads with Chinese ids first (the ladder convention), English second."""
    if not turns_match(zh, en):
        return aligner.align(zh.texts, en.texts, "zh", "en")
    beads: list[Bead] = []
    for (z0, z1), (e0, e1) in zip(_turn_ranges(zh), _turn_ranges(en)):
        for bead in aligner.align(zh.texts[z0:z1], en.texts[e0:e1], "zh", "en"):
            beads.append(Bead(tuple(z0 + i for i in bead.src), tuple(e0 + j for j in bead.tgt), bead.confidence))
    return beads
