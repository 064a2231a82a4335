"""`bench quality`: alignment quality (strict/lax P/R/F1, AUC) of each method on MAC-Dev (read from
`../shared/data`, or --data)."""

from __future__ import annotations

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

