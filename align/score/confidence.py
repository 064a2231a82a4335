"""Bead confidence: a logistic model of a bead's signals, giving P(bead is exactly right).

The coefficients live in `align/data/confidence.json`, written by `scripts/fit_confidence.py`
from the default aligner's own beads on MAC-Dev labelled against the gold alignment.
"""

from __future__ import annotations

import json
import math
from functools import lru_cache
from importlib import resources

FEATURES = ("margin", "lexical", "length", "gap", "shape_gap", "chrf", "extra_sentences")


def feature_vector(signals: dict[str, float], a: int, b: int) -> list[float]:
    return [1.0, signals["margin"], signals["lexical"], signals["length"], signals["gap"], signals["shape_gap"], signals["chrf"],
            float(a + b - 2)]


@lru_cache(maxsize=1)
def coefficients() -> list[float]:
    with resources.files("align.data").joinpath("confidence.json").open(encoding="utf-8") as handle:
        return json.load(handle)["coefficients"]


def bead_confidence(signals: dict[str, float], a: int, b: int) -> float:
    weights, features = coefficients(), feature_vector(signals, a, b)
    if len(weights) != len(features):
        raise RuntimeError("align/data/confidence.json does not match the confidence features; "
                           "run scripts/fit_confidence.py")
    z = sum(w * x for w, x in zip(weights, features))
    return round(1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z)))), 4)
