"""Bead confidence: P(bead is exactly right), a logistic model of the bead's posterior log-odds under the
aligner's final search and under its first (forward–backward, `align.aligners.dp.Posteriors`), of
whether the bead is many-to-many (2-2, 2-3, 3-2), of how much better a clause at its boundary matches the
neighbouring unit than its own (`align.score.clauses`: a many-to-many the route split), and of how much of the
rest of its speaker turn has no counterpart (`align.aligners.structure.unpaired_in_turn`: a unit glued across
a gap that one version's missing question, answer or conference leaves).

`route_confidences` gives every bead of a route its confidence (0 for an unpaired sentence);
`bead_confidence` one bead's. The six coefficients live in `align/data/confidence.json`, written by
`scripts/fit_confidence.py` from the default aligner's own units on MAC-Dev, the Bible, texts with a
block removed and press-dev's training half (raw transcripts through `run`'s path, as they are, without a
paragraph, and in threes without the middle conference on one side), labelled against their gold. Other bead
features were tried there and dropped because they added nothing leave one corpus out or made right units look wrong, among them the mean posterior log-odds of the
units around the bead and a 1-1's merge with a neighbour (docs/aligner.md, "Tried and rejected").
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

FEATURES = ("bias", "posterior_log_odds", "first_pass_log_odds", "many_to_many", "clause_moved", "turn_unpaired")


def _clip(log_odds: float) -> float:
    return max(-LOG_ODDS_LIMIT, min(LOG_ODDS_LIMIT, log_odds))


def feature_vector(posterior_log_odds: float, first_pass_log_odds: float | None = None,
                   many_to_many: bool = False, clause_moved: float = 0.0, turn_unpaired: float = 0.0) -> list[float]:
    """The model's inputs for a bead, the bias term first: its posterior log-odds under the model that chose
    the route and under the first search's model (the same when there is one search), whether it is
    many-to-many, its moved-clause gain (`clauses.route_clause_gains`; 0 where not read) and the unpaired share
    of the rest of its speaker turn (`structure.unpaired_in_turn`; 0 without turns)."""
    own = _clip(posterior_log_odds)
    first = own if first_pass_log_odds is None else _clip(first_pass_log_odds)
    return [1.0, own, first, float(many_to_many), float(clause_moved), float(turn_unpaired)]


def route_features(kinds: list[tuple[int, int]], odds: list[float], first_odds: list[float] | None = None,
                   clause_gains: list[float] | None = None,
                   turn_unpaired: list[float] | None = None) -> list[list[float] | None]:
    """`feature_vector` of each bead of a route (its kinds, (Chinese, English) sentence counts, posterior
    log-odds under the final and the first search, moved-clause gains and unpaired shares of their turns); None
    for an unpaired sentence."""
    first_odds = odds if first_odds is None else first_odds
    clause_gains = [0.0] * len(kinds) if clause_gains is None else clause_gains
    turn_unpaired = [0.0] * len(kinds) if turn_unpaired is None else turn_unpaired
    return [feature_vector(float(o), float(f), a > 1 and b > 1, float(c), float(t)) if a and b else None
            for (a, b), o, f, c, t in zip(kinds, odds, first_odds, clause_gains, turn_unpaired)]


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
                    many_to_many: bool = False, clause_moved: float = 0.0, turn_unpaired: float = 0.0) -> float:
    return _probability(feature_vector(posterior_log_odds, first_pass_log_odds, many_to_many, clause_moved,
                                       turn_unpaired))


def route_confidences(kinds: list[tuple[int, int]], odds: list[float], first_odds: list[float] | None = None,
                      clause_gains: list[float] | None = None, turn_unpaired: list[float] | None = None) -> list[float]:
    """The confidence of each bead of a route (`route_features`); 0 for an unpaired sentence."""
    return [0.0 if features is None else _probability(features)
            for features in route_features(kinds, odds, first_odds, clause_gains, turn_unpaired)]
