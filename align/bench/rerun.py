"""`bench rerun`: how a re-run aligns the stretches between the beads a person reviewed, on MAC-Dev.

Every `every`-th gold 1-1 bead of a document stands for a bead a person confirmed. The document is
aligned fresh (no anchors) and again around those beads as `run` and "Re-align" do (`align_between`).
Both are scored against gold on the sentences that are in no confirmed bead: the stretches the
aligner had to do itself, where a re-run must be no worse than a fresh alignment.
"""

from __future__ import annotations

from pathlib import Path

from align.aligners import get_aligner
from align.aligners.anchored import align_between
from align.aligners.ladder import read_ladder
from align.bench.quality import _pair_files
from align.document import Bead, Document, Sentence
from align.errors import InputError
from align.evaluate import Scores, score_alignments
from align.ingest import read_lines


def _outside(beads: list[Bead], anchors: list[Bead]) -> list[Bead]:
    """The beads that share no sentence with an anchor."""
    taken = ({i for a in anchors for i in a.src}, {j for a in anchors for j in a.tgt})
    return [b for b in beads if not (set(b.src) & taken[0] or set(b.tgt) & taken[1])]


def rerun(mac_dev: Path, method: str | None = None, every: int = 5) -> dict[str, Scores]:
    """Scores of the fresh alignment and of the alignment around the confirmed beads, both on the
    sentences outside them. InputError when MAC-Dev is not there."""
    if not (mac_dev / "gold").is_dir():
        raise InputError(f"{mac_dev}: MAC-Dev not found (expected gold/, zh/, en/)")
    aligner = get_aligner(method)
    fresh, around = [], []
    for gold_file in sorted((mac_dev / "gold").glob("*.align")):
        src, tgt, _ = _pair_files(mac_dev, gold_file.stem, "zh", "en")
        zh, en = read_lines(src), read_lines(tgt)
        gold = read_ladder(gold_file)
        anchors = [b for b in gold if len(b.src) == 1 and len(b.tgt) == 1][::every]
        documents = [Document(path, lang, tuple(Sentence(text) for text in texts))
                     for path, lang, texts in ((src, "zh", zh), (tgt, "en", en))]
        judged = _outside(gold, anchors)
        fresh.append((judged, _outside(aligner.align(zh, en, "zh", "en"), anchors)))
        around.append((judged, _outside(align_between(*documents, anchors, aligner), anchors)))
    return {"fresh": score_alignments(fresh), "around confirmed": score_alignments(around)}
