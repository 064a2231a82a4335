"""Benchmarks (measurements, not tests): alignment quality per method on MAC-Dev, and speed,
memory and growth on the Bible set. Both read `../shared/data` (or --data)."""

from __future__ import annotations

import resource
import time
from dataclasses import dataclass
from pathlib import Path

from align.aligners import ALIGNERS, get_aligner
from align.aligners.ladder import read_ladder
from align.errors import InputError
from align.evaluate import Scores, score_alignments
from align.ingest import read_lines


def _pair_files(data: Path, stem: str, src_lang: str, tgt_lang: str) -> tuple[Path, Path, Path]:
    return data / src_lang / f"{stem}.{src_lang}", data / tgt_lang / f"{stem}.{tgt_lang}", data / "gold" / f"{stem}.align"


def quality(mac_dev: Path, methods: list[str] | None = None) -> dict[str, Scores]:
    """Strict/lax P/R/F1 and AUC of each method on MAC-Dev (Chinese first, as in its gold)."""
    if not (mac_dev / "gold").is_dir():
        raise InputError(f"{mac_dev}: MAC-Dev not found (expected gold/, zh/, en/)")
    results = {}
    for method in methods or list(ALIGNERS):
        aligner = get_aligner(method)
        pairs = []
        for gold in sorted((mac_dev / "gold").glob("*.align")):
            src, tgt, _ = _pair_files(mac_dev, gold.stem, "zh", "en")
            pairs.append((read_ladder(gold), aligner.align(read_lines(src), read_lines(tgt), "zh", "en")))
        results[method] = score_alignments(pairs)
    return results


@dataclass(frozen=True)
class SpeedReport:
    sentences: int
    encoder_seconds: float
    align_seconds: float
    half_align_seconds: float
    peak_memory_mib: float
    scores: Scores

    @property
    def encoder_multiple(self) -> float:
        return self.align_seconds / self.encoder_seconds

    @property
    def doubling_ratio(self) -> float:
        return self.align_seconds / self.half_align_seconds

    def as_dict(self) -> dict:
        return {"sentences": self.sentences, "encoder_pass_s": round(self.encoder_seconds, 1),
                "align_s": round(self.align_seconds, 1), "sentences_per_s": round(self.sentences / self.align_seconds, 1),
                "multiple_of_encoder_pass": round(self.encoder_multiple, 2),
                "half_text_align_s": round(self.half_align_seconds, 1), "doubling_ratio": round(self.doubling_ratio, 2),
                "peak_memory_mib": round(self.peak_memory_mib), "scores": self.scores.as_dict()}


def speed(bible: Path, method: str | None = None) -> SpeedReport:
    """End-to-end alignment of the Bible set (English first, as in its gold) against one encoder pass."""
    from align.score.embed import default_encoder

    en, zh = read_lines(bible / "en" / "001.en"), read_lines(bible / "zh" / "001.zh")
    encoder = default_encoder()
    start = time.perf_counter()
    encoder.encode(en + zh, progress=True)
    encoder_seconds = time.perf_counter() - start

    aligner = get_aligner(method)
    aligner.progress = True
    start = time.perf_counter()
    aligner.align(en[: len(en) // 2], zh[: len(zh) // 2], "en", "zh")
    half = time.perf_counter() - start
    start = time.perf_counter()
    beads = aligner.align(en, zh, "en", "zh")
    full = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    scores = score_alignments([(read_ladder(bible / "gold" / "001.align"), beads)])
    return SpeedReport(len(en) + len(zh), encoder_seconds, full, half, peak, scores)
