"""Scoring an alignment against gold: strict and lax P/R/F1 and the ROC-AUC of confidences.

Follows the convention of Vecalign's and Bertalign's `score_multiple`: precision counts every test
bead (insertions/deletions included) against gold; recall counts gold beads against test with null
beads removed on both sides; a lax match shares at least one sentence on each side. Counts are
pooled over all documents before dividing.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from align.aligners.ladder import read_ladder
from align.document import Bead
from align.errors import InputError

Link = tuple[tuple[int, ...], tuple[int, ...]]


@dataclass(frozen=True)
class Scores:
    strict_precision: float
    strict_recall: float
    strict_f1: float
    lax_precision: float
    lax_recall: float
    lax_f1: float
    auc: float | None        # confidence vs strict correctness; None when undefined
    documents: int
    beads: int

    def as_dict(self) -> dict:
        return {k: (round(v, 4) if isinstance(v, float) else v) for k, v in self.__dict__.items()}


def _counts(gold: set[Link], test: set[Link]) -> np.ndarray:
    """[strict hits, strict misses, lax hits, lax misses] of `test` links judged against `gold`."""
    gold_targets: dict[int, set[int]] = defaultdict(set)
    for src, tgt in gold:
        for s in src:
            gold_targets[s].update(tgt)
    counts = np.zeros(4, dtype=np.int64)
    for src, tgt in test:
        if (src, tgt) in gold:
            counts += (1, 0, 1, 0)
            continue
        reachable = set().union(*(gold_targets[s] for s in src)) if src else set()
        counts += (0, 1, 1, 0) if reachable.intersection(tgt) else (0, 1, 0, 1)
    return counts


def _f1(p: float, r: float) -> float:
    return 2 * p * r / (p + r) if p + r else 0.0


def _ratio(hits: int, misses: int) -> float:
    return float(hits / (hits + misses)) if hits + misses else 0.0


def roc_auc(labels: np.ndarray, scores: np.ndarray) -> float | None:
    """Area under the ROC curve (Mann–Whitney, ties counted half)."""
    labels = np.asarray(labels, dtype=bool)
    positives, negatives = labels.sum(), (~labels).sum()
    if positives == 0 or negatives == 0:
        return None
    order = np.argsort(scores, kind="mergesort")
    ranks = np.empty(len(scores), dtype=np.float64)
    sorted_scores = np.asarray(scores)[order]
    # average ranks over ties
    _, first, counts = np.unique(sorted_scores, return_index=True, return_counts=True)
    average = first + (counts + 1) / 2.0
    ranks[order] = np.repeat(average, counts)
    return float((ranks[labels].sum() - positives * (positives + 1) / 2) / (positives * negatives))


def score_alignments(pairs: list[tuple[list[Bead], list[Bead]]]) -> Scores:
    """Pool counts over (gold, test) pairs of one document each."""
    precision_counts = np.zeros(4, dtype=np.int64)
    recall_counts = np.zeros(4, dtype=np.int64)
    labels: list[bool] = []
    confidences: list[float] = []
    for gold, test in pairs:
        gold_all = {(b.src, b.tgt) for b in gold if b.src or b.tgt}
        test_all = {(b.src, b.tgt) for b in test if b.src or b.tgt}
        precision_counts += _counts(gold_all, test_all)
        gold_paired = {link for link in gold_all if link[0] and link[1]}
        test_paired = {link for link in test_all if link[0] and link[1]}
        recall_counts += _counts(test_paired, gold_paired)
        for bead in test:
            if bead.src or bead.tgt:
                labels.append((bead.src, bead.tgt) in gold_all)
                confidences.append(bead.confidence)
    sp, rp = _ratio(precision_counts[0], precision_counts[1]), _ratio(recall_counts[0], recall_counts[1])
    lp, lr = _ratio(precision_counts[2], precision_counts[3]), _ratio(recall_counts[2], recall_counts[3])
    # A file without confidences (all 1.0) has no ranking to judge.
    auc = roc_auc(np.array(labels), np.array(confidences)) if len(set(confidences)) > 1 else None
    return Scores(sp, rp, _f1(sp, rp), lp, lr, _f1(lp, lr), auc, len(pairs), len(labels))


def _extent(beads: list[Bead]) -> tuple[int, int]:
    """(sentences on the left, on the right) that the ladder's ids reach."""
    return (max((i for b in beads for i in b.src), default=-1) + 1, max((i for b in beads for i in b.tgt), default=-1) + 1)


def orientation_warning(pairs: list[tuple[list[Bead], list[Bead]]], names: list[str] | None = None) -> str | None:
    """A warning when the test ladders look written the other way round from the gold (Chinese first
    against English first, or the reverse): their ids reach the gold's sentence counts swapped, or the
    swapped reading scores far better (strict F1 at least 0.3 higher). None when nothing suggests it."""
    names = names or [str(k) for k in range(len(pairs))]
    swapped_counts = [name for name, (gold, test) in zip(names, pairs)
                      if _extent(gold)[0] != _extent(gold)[1] and _extent(test) == _extent(gold)[::-1]]
    as_is = score_alignments(pairs).strict_f1
    swapped = score_alignments([(gold, [Bead(b.tgt, b.src, b.confidence) for b in test]) for gold, test in pairs]).strict_f1
    if swapped >= as_is + 0.3:
        return (f"the test ladders look reversed: read the other way round they score strict F1 {swapped:.3f}, "
                f"as written {as_is:.3f}; write them in the gold's order ([Chinese ids]:[English ids] for MAC-Dev)")
    if swapped_counts:
        return (f"{swapped_counts[0]}: the test ladder's ids reach the gold's sentence counts swapped (left and right); "
                "check that both are written in the same order")
    return None


def score_directories(gold_dir: Path, test_dir: Path) -> Scores:
    """Score every `*.align` of gold_dir against the file of the same name in test_dir."""
    return score_alignments(read_directories(gold_dir, test_dir)[1])


def read_directories(gold_dir: Path, test_dir: Path) -> tuple[list[str], list[tuple[list[Bead], list[Bead]]]]:
    """(file names, (gold, test) ladders) of every `*.align` of gold_dir and its namesake in test_dir.
    InputError when gold_dir holds none or test_dir lacks one."""
    gold_dir, test_dir = Path(gold_dir), Path(test_dir)
    gold_files = sorted(gold_dir.glob("*.align"))
    if not gold_files:
        raise InputError(f"{gold_dir}: no *.align files to use as gold")
    missing = [g.name for g in gold_files if not (test_dir / g.name).is_file()]
    if missing:
        raise InputError(f"{test_dir}: missing test alignments for {', '.join(missing)} "
                         "(each gold file needs a test file of the same name)")
    return [g.name for g in gold_files], [(read_ladder(g), read_ladder(test_dir / g.name)) for g in gold_files]
