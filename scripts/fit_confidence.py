"""Fit the bead-confidence model on MAC-Dev and write align/data/confidence.json.

Aligns every MAC-Dev chapter with the default aligner, labels each paired bead by whether it is
exactly in the gold alignment, and fits a logistic regression (Newton–Raphson, light L2) on the
bead signals. Usage: python scripts/fit_confidence.py [../shared/data/mac-dev]
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np

from align.aligners.combined import CombinedAligner, CombinedCost, bead_signals
from align.aligners.ladder import read_ladder
from align.score.confidence import FEATURES, feature_vector


class _Recorder(CombinedAligner):
    """The default aligner, recording each paired bead's feature vector instead of scoring it."""

    def __init__(self, **settings):
        super().__init__(**settings)
        self.rows: list[tuple[tuple, list[float]]] = []

    def align(self, src, tgt, src_lang="zh", tgt_lang="en"):
        self.rows.clear()
        return super().align(src, tgt, src_lang, tgt_lang)

    def _confidence(self, cost: CombinedCost, a: int, b: int, i: int, j: int, chrf=None) -> float:
        confidence = super()._confidence(cost, a, b, i, j, chrf)
        if a and b:
            self.rows.append(((tuple(range(i - a, i)), tuple(range(j - b, j))),
                              feature_vector(bead_signals(cost, a, b, i, j, chrf), a, b)))
        return confidence


def fit_logistic(x: np.ndarray, y: np.ndarray, l2: float = 1e-2, steps: int = 50) -> np.ndarray:
    w = np.zeros(x.shape[1])
    for _ in range(steps):
        p = 1 / (1 + np.exp(-(x @ w)))
        gradient = x.T @ (p - y) + l2 * w
        hessian = (x * (p * (1 - p))[:, None]).T @ x + l2 * np.eye(x.shape[1])
        w -= np.linalg.solve(hessian, gradient)
    return w


def main(mac_dev: Path, **settings) -> None:
    xs, ys = [], []
    for gold_file in sorted((mac_dev / "gold").glob("*.align")):
        stem = gold_file.stem
        zh = (mac_dev / "zh" / f"{stem}.zh").read_text(encoding="utf-8").splitlines()
        en = (mac_dev / "en" / f"{stem}.en").read_text(encoding="utf-8").splitlines()
        gold = {(b.src, b.tgt) for b in read_ladder(gold_file)}
        recorder = _Recorder(**settings)
        beads = recorder.align(zh, en, "zh", "en")
        final = {(b.src, b.tgt) for b in beads}
        # rows were recorded for every pass; keep each final bead once
        rows = {link: features for link, features in recorder.rows if link in final}
        for link, features in rows.items():
            xs.append(features)
            ys.append(link in gold)
    x, y = np.array(xs), np.array(ys, dtype=float)
    w = fit_logistic(x, y)
    out = Path(__file__).resolve().parent.parent / "align" / "data" / "confidence.json"
    out.write_text(json.dumps({"features": ["bias", *FEATURES], "coefficients": [round(float(v), 5) for v in w],
                               "fitted_on": "MAC-Dev (6 chapters)", "beads": len(y),
                               "positive_rate": round(float(y.mean()), 4)}, indent=2) + "\n")
    print(f"{len(y)} beads, {y.mean():.3f} correct; coefficients {np.round(w, 3).tolist()} → {out}")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).resolve().parents[2] / "shared" / "data" / "mac-dev")
