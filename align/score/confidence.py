"""Bead confidence: P(bead is exactly right), a logistic calibration of the bead's posterior log-odds
under the aligner's final search and under its first (forward–backward, `align.aligners.dp.Posteriors`).

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


FEATURES = ("bias", "posterior_log_odds", "first_pass_log_odds")


def _clip(log_odds: float) -> float:
    return max(-LOG_ODDS_LIMIT, min(LOG_ODDS_LIMIT, log_odds))


def feature_vector(posterior_log_odds: float, first_pass_log_odds: float | None = None) -> list[float]:
    """The model's inputs for a bead, the bias term first: its posterior log-odds under the model that chose
    the route, and under the first search's model (the same when there is one search)."""
    first = posterior_log_odds if first_pass_log_odds is None else first_pass_log_odds
    return [1.0, _clip(posterior_log_odds), _clip(first)]


@lru_cache(maxsize=1)
def coefficients() -> list[float]:
    with resources.files("align.data").joinpath("confidence.json").open(encoding="utf-8") as handle:
        return json.load(handle)["coefficients"]


def bead_confidence(posterior_log_odds: float, first_pass_log_odds: float | None = None) -> float:
    weights, features = coefficients(), feature_vector(posterior_log_odds, first_pass_log_odds)
    if len(weights) != len(features):
        raise RuntimeError("align/data/confidence.json does not match the confidence features; "
                           "run scripts/fit_confidence.py")
    z = sum(w * x for w, x in zip(weights, features))
    return round(1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z)))), 4)
