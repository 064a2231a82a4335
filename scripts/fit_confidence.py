"""Fit the bead-confidence model on MAC-Dev and write align/data/confidence.json.

Aligns every MAC-Dev chapter with the default aligner, labels each paired bead by whether it is
exactly in the gold alignment, and fits a logistic regression (Newton–Raphson, light L2) on the
bead's posterior log-odds (`align.score.confidence.feature_vector`). It also reports the ROC-AUC of
a leave-one-chapter-out fit, the honest estimate for text the model has not seen.
Usage: python scripts/fit_confidence.py [../shared/data/mac-dev]
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np

from align.aligners.combined import CombinedAligner
from align.aligners.ladder import read_ladder
from align.evaluate import roc_auc
from align.ingest import read_lines
from align.score.confidence import feature_vector


class _Recorder(CombinedAligner):
    """The default aligner, keeping the confidence features of the paired beads of its last route."""

    def _confidences(self, posteriors, path):
        self.last = [((tuple(range(i - a, i)), tuple(range(j - b, j))), feature_vector(float(odds)))
                     for ((a, b), i, j), odds in zip(path, posteriors.log_odds(path)) if a and b]
        return super()._confidences(posteriors, path)


def fit_logistic(x: np.ndarray, y: np.ndarray, l2: float = 1e-2, steps: int = 50) -> np.ndarray:
    w = np.zeros(x.shape[1])
    for _ in range(steps):
        p = 1 / (1 + np.exp(-(x @ w)))
        gradient = x.T @ (p - y) + l2 * w
        hessian = (x * (p * (1 - p))[:, None]).T @ x + l2 * np.eye(x.shape[1])
        w -= np.linalg.solve(hessian, gradient)
    return w


def main(mac_dev: Path) -> None:
    xs, ys, chapters = [], [], []
    for chapter, gold_file in enumerate(sorted((mac_dev / "gold").glob("*.align"))):
        stem = gold_file.stem
        gold = {(b.src, b.tgt) for b in read_ladder(gold_file)}
        recorder = _Recorder()
        recorder.align(read_lines(mac_dev / "zh" / f"{stem}.zh"), read_lines(mac_dev / "en" / f"{stem}.en"), "zh", "en")
        for link, features in recorder.last:
            xs.append(features)
            ys.append(link in gold)
            chapters.append(chapter)
    x, y, chapters = np.array(xs), np.array(ys, dtype=float), np.array(chapters)
    held_out = np.zeros(len(y))
    for chapter in np.unique(chapters):
        rest = chapters != chapter
        held_out[~rest] = x[~rest] @ fit_logistic(x[rest], y[rest])
    w = fit_logistic(x, y)
    out = Path(__file__).resolve().parent.parent / "align" / "data" / "confidence.json"
    out.write_text(json.dumps({"features": ["bias", "posterior_log_odds"], "coefficients": [round(float(v), 5) for v in w],
                               "fitted_on": "MAC-Dev (6 chapters)", "beads": len(y),
                               "positive_rate": round(float(y.mean()), 4),
                               "auc_in_sample": round(roc_auc(y, x @ w), 4),
                               "auc_leave_one_chapter_out": round(roc_auc(y, held_out), 4)}, indent=2) + "\n")
    print(f"{len(y)} beads, {y.mean():.3f} correct; coefficients {np.round(w, 3).tolist()}; "
          f"AUC in sample {roc_auc(y, x @ w):.3f}, leave-one-chapter-out {roc_auc(y, held_out):.3f} → {out}")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).resolve().parents[2] / "shared" / "data" / "mac-dev")
