"""The gloss signal (Bleualign's idea without an MT system): the Chinese span glossed word by word
from CC-CEDICT, scored against the English span with sacrebleu's chrF.

It is too slow for every cell of the search, so it is computed for the beads of the final route and
feeds their confidence.
"""

from __future__ import annotations

from functools import lru_cache

from sacrebleu.metrics import CHRF

from align.score.lexicon import gloss


@lru_cache(maxsize=1)
def _metric() -> CHRF:
    return CHRF()


class GlossChrf:
    def __init__(self, chinese: list[str], english: list[str]):
        self.glosses = [gloss(s) for s in chinese]
        self.english = english

    def span(self, zh_ids: range, en_ids: range) -> float:
        """chrF in [0, 1] of the gloss of Chinese sentences `zh_ids` against English sentences `en_ids`."""
        hypothesis = " ".join(self.glosses[i] for i in zh_ids)
        reference = " ".join(self.english[j] for j in en_ids)
        if not hypothesis.strip() or not reference.strip():
            return 0.0
        return _metric().sentence_score(hypothesis, [reference]).score / 100.0
