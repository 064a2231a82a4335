"""Structure as anchors: when both transcripts have the same speaker turns, align turn by turn.

The whole document is aligned in one piece first, with each sentence's turn and paragraph given to the
aligner as evidence (a whole turn one version lacks is a run of unpaired sentences between turn
boundaries). Turn i of the Chinese is then taken to correspond to turn i of the English when the counts
match, each pair of turns both asks or neither (`structure.asks`: the turn's last sentence ends with a
question mark), and that alignment pairs each turn mostly with its namesake: a turn one version lacks can
leave equal counts by coincidence (the other version splits a turn in two elsewhere), and pairing by index
would then glue a whole answer to another turn at full confidence. Each turn is then aligned on its own,
with each sentence's paragraph given to the aligner as evidence (a paragraph one version lacks is a run of
unpaired sentences between paragraph boundaries), and the beads are shifted back to document ids;
otherwise the whole document's alignment stands. A document larger than WHOLE_CHECK_CELLS (sentences of one
side times the other's) whose turns match goes turn by turn unchecked, as it did before the check: aligning it
whole too would cost far more than all its turns (a 400-copy demo pair of about 10,000 sentences a side in
`tests/test_batch.py`, aligned whole as well, lost its Dask task).

Beads a person fixed are anchors too: `align_between` aligns a document around them (a re-run, the
page's "Re-align").
"""

from __future__ import annotations

from itertools import groupby

from align.aligners import Aligner
from align.aligners.structure import asks
from align.document import Bead, Document


# The largest document (Chinese sentences times English) that is aligned whole to check that its turns pair in order.
WHOLE_CHECK_CELLS = 1_000_000


def _turn_ranges(doc: Document) -> list[tuple[int, int]]:
    ranges, start = [], 0
    for _, group in groupby(doc.sentences, key=lambda s: s.turn):
        size = len(list(group))
        ranges.append((start, start + size))
        start += size
    return ranges


def turns_match(zh: Document, en: Document) -> bool:
    """Whether turn i of each side may be paired with turn i of the other: more than one turn, as many on both
    sides, and each pair of them both asking or neither."""
    zh_turns, en_turns = _turn_ranges(zh), _turn_ranges(en)
    return len(zh_turns) == len(en_turns) > 1 and all(
        asks(zh.sentences[z1 - 1].text) == asks(en.sentences[e1 - 1].text)
        for (_, z1), (_, e1) in zip(zh_turns, en_turns))


def _turn_positions(doc: Document) -> list[int]:
    """Each sentence's turn, counted 0, 1, 2 … in document order."""
    return [k for k, (start, stop) in enumerate(_turn_ranges(doc)) for _ in range(start, stop)]


def pairs_turns_in_order(beads: list[Bead], zh: Document, en: Document) -> bool:
    """Whether the paired `beads` link each turn of either side that they touch mostly (more sentence links
    than to any other turn, ties not) with the turn of the same position on the other side."""
    zh_turn, en_turn = _turn_positions(zh), _turn_positions(en)
    links: dict[tuple[int, int], int] = {}
    for bead in beads:
        for i in bead.src:
            for j in bead.tgt:
                links[zh_turn[i], en_turn[j]] = links.get((zh_turn[i], en_turn[j]), 0) + 1
    return all(z == e or count < min(links.get((z, z), 0), links.get((e, e), 0)) for (z, e), count in links.items())


def align_documents(zh: Document, en: Document, aligner: Aligner) -> list[Bead]:
    """Beads with Chinese ids first (the ladder convention), English second: turn by turn when the turns
    match (`turns_match`) and the whole document's alignment pairs them in order (unchecked beyond
    WHOLE_CHECK_CELLS), else that alignment (the aligner given each sentence's turn and paragraph as evidence)."""
    matched = turns_match(zh, en)
    if not matched or len(zh.sentences) * len(en.sentences) <= WHOLE_CHECK_CELLS:
        whole = aligner.align(zh.texts, en.texts, "zh", "en", src_turns=[s.turn for s in zh.sentences],
                              tgt_turns=[s.turn for s in en.sentences], src_paragraphs=_paragraphs(zh),
                              tgt_paragraphs=_paragraphs(en))
        if not (matched and pairs_turns_in_order(whole, zh, en)):
            return whole
    beads: list[Bead] = []
    for (z0, z1), (e0, e1) in zip(_turn_ranges(zh), _turn_ranges(en)):
        for bead in aligner.align(zh.texts[z0:z1], en.texts[e0:e1], "zh", "en",
                                  src_paragraphs=_paragraphs(zh, z0, z1), tgt_paragraphs=_paragraphs(en, e0, e1)):
            beads.append(Bead(tuple(z0 + i for i in bead.src), tuple(e0 + j for j in bead.tgt), bead.confidence))
    return beads


def _paragraphs(doc: Document, start: int = 0, stop: int | None = None) -> list[int]:
    return [s.paragraph for s in doc.sentences[start:stop]]


def _part(doc: Document, start: int, stop: int) -> Document:
    return Document(doc.path, doc.lang, doc.sentences[start:stop], doc.title)


def _inside(bead: Bead, box: tuple[int, int, int, int], skip: tuple[set[int], set[int]]) -> bool:
    z, z_end, e, e_end = box
    return all(z <= i < z_end and i not in skip[0] for i in bead.src) and \
        all(e <= j < e_end and j not in skip[1] for j in bead.tgt)


def _align_part(zh: Document, en: Document, box: tuple[int, int, int, int], skip: tuple[set[int], set[int]],
                aligner: Aligner) -> list[Bead]:
    """The sentences of `box` ([z, z_end) × [e, e_end)) but those in `skip`, aligned on their own (one
    side empty: unpaired beads)."""
    z, z_end, e, e_end = box
    zs = [i for i in range(z, z_end) if i not in skip[0]]
    es = [j for j in range(e, e_end) if j not in skip[1]]
    if zs and es:
        part = {"zh": Document(zh.path, zh.lang, tuple(zh.sentences[i] for i in zs), zh.title),
                "en": Document(en.path, en.lang, tuple(en.sentences[j] for j in es), en.title)}
        return [Bead(tuple(zs[i] for i in b.src), tuple(es[j] for j in b.tgt), b.confidence)
                for b in align_documents(part["zh"], part["en"], aligner)]
    return [Bead((i,), (), 0.0) for i in zs] + [Bead((), (j,), 0.0) for j in es]


def _fill(zh: Document, en: Document, box: tuple[int, int, int, int], skip: tuple[set[int], set[int]],
          fresh: list[Bead], aligner: Aligner) -> list[Bead]:
    """One stretch between anchors: when the whole-document alignment `fresh` fits it (no bead of it
    crosses the stretch's edge into an anchor), its beads as they are, and the sentences of its beads
    that hold a sentence a person left unpaired aligned again alone; when it does not fit, it was wrong
    next to a bead a person fixed, and the stretch is aligned again on its own between the anchors."""
    z, z_end, e, e_end = box
    within = (lambda i: z <= i < z_end, lambda j: e <= j < e_end)
    if any((any(map(within[0], b.src)) or any(map(within[1], b.tgt))) and
           not (all(map(within[0], b.src)) and all(map(within[1], b.tgt))) for b in fresh):
        return _align_part(zh, en, box, skip, aligner)
    beads: list[Bead] = []
    for bead in [b for b in fresh if (b.src or b.tgt) and _inside(b, box, skip)] + [None]:
        stop_z = min(bead.src) if bead and bead.src else (z if bead else z_end)
        stop_e = min(bead.tgt) if bead and bead.tgt else (e if bead else e_end)
        if stop_z > z or stop_e > e:
            beads += _align_part(zh, en, (z, max(stop_z, z), e, max(stop_e, e)), skip, aligner)
        if bead:
            beads.append(bead)
            z, e = max(bead.src, default=z - 1) + 1, max(bead.tgt, default=e - 1) + 1
    return beads


def _place(beads: list[Bead], alone: Bead) -> list[Bead]:
    """`beads` with the one-sided bead `alone` put before the first bead that comes after it."""
    side, ids = (0, alone.src) if alone.src else (1, alone.tgt)
    at = next((k for k, b in enumerate(beads) if (b.src, b.tgt)[side] and min((b.src, b.tgt)[side]) > ids[0]), len(beads))
    return beads[:at] + [alone] + beads[at:]


def align_between(zh: Document, en: Document, anchors: list[Bead], aligner: Aligner) -> list[Bead]:
    """Beads for the whole documents that keep `anchors` (beads fixed by a person, in document order,
    not overlapping). A stretch between two paired anchors gets the beads of an alignment of the whole
    documents, with their full context and confidence, when they fit it; a stretch where that alignment
    crosses an anchor is aligned again on its own, inside the boundaries the person set. Sentences a
    person left unpaired (one-sided anchors) stay unpaired and out of every alignment. A stretch with
    sentences on one side only becomes unpaired beads.

    On MAC-Dev with every 5th gold 1-1 bead as an anchor, strict F1 outside the anchors (`python -m align
    bench rerun`, and `--method fast`): a fresh alignment 0.898 (fast 0.878); this 0.897 (0.883); every
    stretch aligned on its own, as re-runs did before, 0.890 (0.889); the fresh beads everywhere with
    only the sentences of crossing beads re-aligned 0.877 (fast). A stretch on its own loses the
    document's context (its length model and encoder margins are computed on the stretch alone):
    worse with the default method, and it made a clean unit worse in issue 18's report. So
    this keeps the fresh alignment wherever the person's beads do not contradict it."""
    paired = [a for a in anchors if a.src and a.tgt]
    alone = [a for a in anchors if not (a.src and a.tgt)]
    skip = ({i for a in alone for i in a.src}, {j for a in alone for j in a.tgt})
    fresh = align_documents(zh, en, aligner) if anchors else []
    beads: list[Bead] = []
    z, e = 0, 0
    for anchor in [*paired, None]:
        z_end = min(anchor.src) if anchor else len(zh.sentences)
        e_end = min(anchor.tgt) if anchor else len(en.sentences)
        if z_end < z or e_end < e:
            raise ValueError("anchors overlap or are out of order")
        if anchors:
            beads += _fill(zh, en, (z, z_end, e, e_end), skip, fresh, aligner)
        else:
            beads += align_documents(zh, en, aligner)
        if anchor:
            beads.append(anchor)
            z, e = max(anchor.src) + 1, max(anchor.tgt) + 1
    for bead in alone:
        beads = _place(beads, bead)
    return beads
