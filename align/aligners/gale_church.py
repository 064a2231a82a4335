"""Gale–Church: the length-only baseline every other aligner is measured against."""

from __future__ import annotations

import math

import numpy as np

from align.aligners import dp
from align.document import Bead
from align.score.length import LengthModel, text_length

# Bead priors from Gale & Church (1993).
PRIORS = {(1, 1): 0.89, (1, 0): 0.0099 / 2, (0, 1): 0.0099 / 2, (1, 2): 0.089 / 2, (2, 1): 0.089 / 2, (2, 2): 0.011}
KINDS = list(PRIORS)


class _GaleChurchCost:
    def __init__(self, model: LengthModel, n_src: int, n_tgt: int):
        self.model, self.n_src, self.n_tgt = model, n_src, n_tgt
        self.log_prior = {k: math.log(p) for k, p in PRIORS.items()}

    def cost(self, a: int, b: int, i: int, js: np.ndarray) -> np.ndarray:
        return -(self.log_prior[(a, b)] + self.model.log_match(a, b, i, js))


class GaleChurchAligner:
    name = "length"
    progress = False   # fast enough never to need a progress bar

    def align(self, src: list[str], tgt: list[str], src_lang: str = "zh", tgt_lang: str = "en", *,
              src_turns: list[int] | None = None, tgt_turns: list[int] | None = None,
              src_paragraphs: list[int] | None = None, tgt_paragraphs: list[int] | None = None) -> list[Bead]:
        """Beads by length alone (speaker turns and paragraphs are not used)."""
        if not src or not tgt:
            return [Bead((i,), ()) for i in range(len(src))] + [Bead((), (j,)) for j in range(len(tgt))]
        model = LengthModel(np.array([text_length(s) for s in src]), np.array([text_length(t) for t in tgt]))
        scorer = _GaleChurchCost(model, len(src), len(tgt))
        path = dp.search(scorer, KINDS)
        best_prior = max(PRIORS.values())
        beads = []
        for (a, b), i, j in path:
            log_p = model.log_match(a, b, i, np.array([j]))[0]
            confidence = math.exp(log_p) * PRIORS[(a, b)] / best_prior
            beads.append(Bead(tuple(range(i - a, i)), tuple(range(j - b, j)), round(confidence, 4)))
        return beads
