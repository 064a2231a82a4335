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


def _part(doc: Document, start: int, stop: int) -> Document:
    return Document(doc.path, doc.lang, doc.sentences[start:stop], doc.title)


def _inside(bead: Bead, z: int, z_end: int, e: int, e_end: int) -> bool:
    return all(z <= i < z_end for i in bead.src) and all(e <= j < e_end for j in bead.tgt)


def _align_part(zh: Document, en: Document, z: int, z_end: int, e: int, e_end: int, aligner: Aligner) -> list[Bead]:
    """The sentences [z, z_end) × [e, e_end) aligned on their own (one side empty: unpaired beads)."""
    if z_end > z and e_end > e:
        return [Bead(tuple(z + i for i in b.src), tuple(e + j for j in b.tgt), b.confidence)
                for b in align_documents(_part(zh, z, z_end), _part(en, e, e_end), aligner)]
    return [Bead((i,), (), 0.0) for i in range(z, z_end)] + [Bead((), (j,), 0.0) for j in range(e, e_end)]


def _fill(zh: Document, en: Document, z: int, z_end: int, e: int, e_end: int, fresh: list[Bead],
          aligner: Aligner) -> list[Bead]:
    """One stretch between anchors: the beads of the whole-document alignment `fresh` that lie inside
    it, as they are; the sentences they leave (next to a bead that crossed an anchor) aligned alone."""
    beads: list[Bead] = []
    for bead in [b for b in fresh if (b.src or b.tgt) and _inside(b, z, z_end, e, e_end)] + [None]:
        stop_z = min(bead.src) if bead and bead.src else (z if bead else z_end)
        stop_e = min(bead.tgt) if bead and bead.tgt else (e if bead else e_end)
        if stop_z > z or stop_e > e:
            beads += _align_part(zh, en, z, max(stop_z, z), e, max(stop_e, e), aligner)
        if bead:
            beads.append(bead)
            z, e = max(bead.src, default=z - 1) + 1, max(bead.tgt, default=e - 1) + 1
    return beads


def align_between(zh: Document, en: Document, anchors: list[Bead], aligner: Aligner) -> list[Bead]:
    """Beads for the whole documents that keep `anchors` (beads fixed by a person, in document order,
    not overlapping). Between them come the beads of an alignment of the whole documents, with their
    full context and confidence, wherever they fit between the anchors; only the sentences next to an
    anchor that such a bead would cross are aligned again on their own. A stretch with sentences on one
    side only becomes unpaired beads."""
    fresh = align_documents(zh, en, aligner) if anchors else []
    beads: list[Bead] = []
    z, e = 0, 0
    for anchor in [*anchors, None]:
        z_end = min(anchor.src, default=z) if anchor else len(zh.sentences)
        e_end = min(anchor.tgt, default=e) if anchor else len(en.sentences)
        if z_end < z or e_end < e:
            raise ValueError("anchors overlap or are out of order")
        if anchors:
            beads += _fill(zh, en, z, z_end, e, e_end, fresh, aligner)
        else:
            beads += align_documents(zh, en, aligner)
        if anchor:
            beads.append(anchor)
            z, e = max(anchor.src, default=z_end - 1) + 1, max(anchor.tgt, default=e_end - 1) + 1
    return beads
