"""Bead confidence: P(bead is exactly right), a logistic calibration of the bead's posterior log-odds
under the aligner's search (forward–backward, `align.aligners.dp.Posteriors`).

The two coefficients live in `align/data/confidence.json`, written by `scripts/fit_confidence.py`
from the default aligner's own beads on MAC-Dev labelled against the gold alignment. Other bead
features were tried there and dropped because they added nothing out of sample (docs/aligner.md, "Tried and rejected").
"""

from __future__ import annotations

import json
import math
from functools import lru_cache
from importlib import resources

# Posteriors beyond these odds carry no further information (and would dominate the fit).
LOG_ODDS_LIMIT = 10.0


def feature_vector(posterior_log_odds: float) -> list[float]:
    """The model's inputs for a bead, the bias term first."""
    return [1.0, max(-LOG_ODDS_LIMIT, min(LOG_ODDS_LIMIT, posterior_log_odds))]


@lru_cache(maxsize=1)
def coefficients() -> list[float]:
    with resources.files("align.data").joinpath("confidence.json").open(encoding="utf-8") as handle:
        return json.load(handle)["coefficients"]


def bead_confidence(posterior_log_odds: float) -> float:
    weights, features = coefficients(), feature_vector(posterior_log_odds)
    if len(weights) != len(features):
        raise RuntimeError("align/data/confidence.json does not match the confidence features; "
                           "run scripts/fit_confidence.py")
    z = sum(w * x for w, x in zip(weights, features))
    return round(1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z)))), 4)
