"""Bead confidence: P(bead is exactly right), a logistic model of the bead's posterior log-odds under the
aligner's final search and under its first (forward–backward, `align.aligners.dp.Posteriors`), whether the
bead is many-to-many (2-2, 2-3, 3-2), and, for a 1-1 bead, the posterior log-odds of its best merge with a
neighbouring bead (`neighbour_merges`).

`route_confidences` gives every bead of a route its confidence (0 for an unpaired sentence);
`bead_confidence` one bead's. The five coefficients live in `align/data/confidence.json`, written by
`scripts/fit_confidence.py` from the default aligner's own units on MAC-Dev, the Bible, texts with a
block removed and press-dev's training half (raw transcripts through `run`'s path, as they are and without a
paragraph), labelled against their gold. Other bead features were tried there and dropped because they added
nothing leave one corpus out, among them the mean posterior log-odds of the units around the bead and the
bead's own cost features (docs/aligner.md, "Tried and rejected").
An automatic unit never reaches 1.0 (`AUTOMATIC_MAX`).
"""

from __future__ import annotations

import json
import math
from functools import lru_cache
from importlib import resources

# Posteriors beyond these odds carry no further information (and would dominate the fit).
LOG_ODDS_LIMIT = 10.0
# 1.0 is what a unit a person reviewed carries (TMX x-confidence, the page); the aligner never claims it.
AUTOMATIC_MAX = 0.9999

FEATURES = ("bias", "posterior_log_odds", "first_pass_log_odds", "many_to_many", "merged_log_odds")

Kind = tuple[int, int]


def _clip(log_odds: float) -> float:
    return max(-LOG_ODDS_LIMIT, min(LOG_ODDS_LIMIT, log_odds))


def feature_vector(posterior_log_odds: float, first_pass_log_odds: float | None = None,
                   many_to_many: bool = False, merged_log_odds: float | None = None) -> list[float]:
    """The model's inputs for a bead, the bias term first: its posterior log-odds under the model that chose the
    route and under the first search's model (the same when there is one search), whether it is many-to-many,
    and the posterior log-odds of its best merge with a neighbour (`neighbour_merges`; the lower limit when it
    has none)."""
    own = _clip(posterior_log_odds)
    first = own if first_pass_log_odds is None else _clip(first_pass_log_odds)
    merged = -LOG_ODDS_LIMIT if merged_log_odds is None else _clip(merged_log_odds)
    return [1.0, own, first, float(many_to_many), merged]


def neighbour_merges(path: list[tuple[Kind, int, int]], searched: list[Kind]) -> list[tuple[int, tuple[Kind, int, int]]]:
    """The rivals of the route's 1-1 beads that merge them with the paired bead before or after: (index of
    the 1-1 bead, the merged bead as (kind, i_end, j_end)), for merges of a kind in `searched`. A gold 2-2
    that the route splits into two 1-1s is the commonest sure error; its merge keeps some posterior mass."""
    merges = []
    for k in range(len(path) - 1):
        (a, b), _, _ = path[k]
        (c, d), i, j = path[k + 1]
        if a and b and c and d and (a + c, b + d) in searched:
            merges += [(m, ((a + c, b + d), i, j)) for m in (k, k + 1) if path[m][0] == (1, 1)]
    return merges


def best_merges(size: int, merges: list[tuple[int, tuple[Kind, int, int]]], odds: list[float]) -> list[float | None]:
    """Each bead's highest posterior log-odds among its `merges` (their `odds`, in order); None without one."""
    best: list[float | None] = [None] * size
    for (k, _), o in zip(merges, odds):
        best[k] = o if best[k] is None else max(best[k], o)
    return best


def route_features(kinds: list[Kind], odds: list[float], first_odds: list[float] | None = None,
                   merged_odds: list[float | None] | None = None) -> list[list[float] | None]:
    """`feature_vector` of each bead of a route (its kinds, (Chinese, English) sentence counts; its posterior
    log-odds under the final and the first search; its best merge's, `best_merges`); None for an unpaired
    sentence."""
    first_odds = odds if first_odds is None else first_odds
    merged_odds = [None] * len(kinds) if merged_odds is None else merged_odds
    return [feature_vector(float(o), float(f), a > 1 and b > 1, m) if a and b else None
            for (a, b), o, f, m in zip(kinds, odds, first_odds, merged_odds)]


@lru_cache(maxsize=1)
def coefficients() -> list[float]:
    with resources.files("align.data").joinpath("confidence.json").open(encoding="utf-8") as handle:
        return json.load(handle)["coefficients"]


def _probability(features: list[float]) -> float:
    weights = coefficients()
    if len(weights) != len(features):
        raise RuntimeError("align/data/confidence.json does not match the confidence features; "
                           "run scripts/fit_confidence.py")
    z = sum(w * x for w, x in zip(weights, features))
    return min(AUTOMATIC_MAX, round(1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z)))), 4))


def bead_confidence(posterior_log_odds: float, first_pass_log_odds: float | None = None,
                    many_to_many: bool = False, merged_log_odds: float | None = None) -> float:
    return _probability(feature_vector(posterior_log_odds, first_pass_log_odds, many_to_many, merged_log_odds))


def route_confidences(kinds: list[Kind], odds: list[float], first_odds: list[float] | None = None,
                      merged_odds: list[float | None] | None = None) -> list[float]:
    """The confidence of each bead of a route (`route_features`); 0 for an unpaired sentence."""
    return [0.0 if features is None else _probability(features)
            for features in route_features(kinds, odds, first_odds, merged_odds)]
