"""The number-QA benchmark (`python -m align bench qa`): precision and recall of `align.store.qa` on the
hand-built pairs of benchmarks/quantity_pairs.tsv, for the part the code was written against ("tuned")
and the part written afterwards and never tuned on ("held")."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from align.errors import InputError
from align.store.qa import check_numbers

PAIRS = Path(__file__).resolve().parents[2] / "benchmarks" / "quantity_pairs.tsv"


@dataclass(frozen=True)
class QaScore:
    """Findings against the expected disagreements of one part of the pairs."""

    part: str
    pairs: int
    disagreements: int
    true_positives: int
    false_positives: int

    @property
    def precision(self) -> float:
        found = self.true_positives + self.false_positives
        return self.true_positives / found if found else 1.0

    @property
    def recall(self) -> float:
        return self.true_positives / self.disagreements if self.disagreements else 1.0

    def as_dict(self) -> dict:
        return {"part": self.part, "pairs": self.pairs, "disagreements": self.disagreements,
                "true_positives": self.true_positives, "false_positives": self.false_positives,
                "precision": round(self.precision, 3), "recall": round(self.recall, 3)}


def qa(pairs: Path = PAIRS) -> list[QaScore]:
    """Precision and recall of the number check per part ("tuned", "held"). InputError for a malformed line."""
    counts = {part: [0, 0, 0, 0] for part in ("tuned", "held")}  # pairs, disagreements, tp, fp
    for number, line in enumerate(pairs.read_text(encoding="utf-8").splitlines(), 1):
        if line.startswith("#") or not line.strip():
            continue
        fields = line.split("\t")
        expected = fields[0].removeprefix("held-")
        if len(fields) != 4 or expected not in ("agree", "disagree"):
            raise InputError(f"{pairs}:{number}: expected [held-]agree|disagree<TAB>Chinese<TAB>English<TAB>note")
        part = "held" if fields[0].startswith("held-") else "tuned"
        found = not check_numbers(fields[2], fields[1]).agrees
        tally = counts[part]
        tally[0] += 1
        tally[1] += expected == "disagree"
        tally[2] += found and expected == "disagree"
        tally[3] += found and expected == "agree"
    return [QaScore(part, *tally) for part, tally in counts.items()]
