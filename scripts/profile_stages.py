"""CPU seconds per stage of one Bible alignment, as `bench speed` runs it (issue 21, docs/aligner.md "Speed").

The aligner is loaded and warmed up on 40 sentences, then the Bible set (English first, 5,000 × 6,301 lines; its
first halves with --half) is aligned --runs times, each from empty caches (`bench.speed.forget_texts`: the encoders'
vectors and the quantities; before 2026-12-01 late evening the quantities stayed cached, so runs 2 and 3 of the
half text, under the cache's 8,192 texts, parsed none, and those of the whole text all again). Each stage
function is wrapped with a `time.thread_time` accumulator (no profiler, so Python-heavy stages are not
inflated): CPU time, which other processes on a shared machine disturb far less than wall-clock time. Run
it with OPENBLAS_NUM_THREADS=1 so that the encoder's and the similarity matrix's BLAS work is on the thread
measured. Prints one JSON line per run and the stages summed over the runs; --beads FILE writes the last
run's beads and confidences (JSON) to compare two versions of the code.
Usage: OPENBLAS_NUM_THREADS=1 python scripts/profile_stages.py [--method fast] [--runs 3] [--half]
       [--data ../shared/data] [--beads FILE]
"""

from __future__ import annotations

import argparse
import json
import time
from collections import defaultdict
from pathlib import Path

from align.aligners import combined, dp, get_aligner
from align.ingest import read_lines
from align.bench.speed import forget_texts
from align.score.embed import get_encoder

SPENT: dict[str, float] = defaultdict(float)


def timed(stage: str, function):
    """`function`, its thread CPU time added to SPENT[stage] on every call."""
    def wrapper(*args, **kwargs):
        start = time.thread_time()
        try:
            return function(*args, **kwargs)
        finally:
            SPENT[stage] += time.thread_time() - start
    return wrapper


def instrument() -> None:
    """Wrap the functions of each stage (none of them calls another's)."""
    aligner = combined.CombinedAligner
    aligner.encode = timed("USE sentence pass", aligner.encode)
    combined.span_features = timed("span features", combined.span_features)
    dp._cost_rows = timed("bead costs", dp._cost_rows)
    aligner._lexical = staticmethod(timed("lexicon", aligner._lexical))
    dp._viterbi_rows = timed("Viterbi", dp._viterbi_rows)
    dp._forward = timed("forward-backward", dp._forward)
    dp._backward = timed("forward-backward", dp._backward)
    aligner._encode_into = timed("span encodings (pass 3)", aligner._encode_into)
    combined.anchors = timed("anchors and bands", combined.anchors)
    dp.band_of_boxes = timed("anchors and bands", dp.band_of_boxes)
    dp.band_around = timed("anchors and bands", dp.band_around)
    dp.Posteriors.log_odds = timed("log-odds", dp.Posteriors.log_odds)
    aligner.clause_gains = timed("moved clauses (confidence)", aligner.clause_gains)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--method", default="fast")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--half", action="store_true", help="the first half of each side, as bench speed's half text")
    parser.add_argument("--data", type=Path, default=Path("../shared/data"))
    parser.add_argument("--beads", type=Path)
    args = parser.parse_args()
    instrument()
    bible = args.data / "bible"
    en, zh = read_lines(bible / "en" / "001.en"), read_lines(bible / "zh" / "001.zh")
    if args.half:
        en, zh = en[: len(en) // 2], zh[: len(zh) // 2]
    get_encoder("use").encode(["loaded before the clock starts"])
    aligner = get_aligner(args.method)
    aligner.align(en[:40], zh[:50], "en", "zh")
    runs = []
    for _ in range(args.runs):
        forget_texts()
        SPENT.clear()
        start = time.thread_time()
        beads = aligner.align(en, zh, "en", "zh")
        run = {**SPENT, "total": time.thread_time() - start}
        run["rest"] = run["total"] - sum(SPENT.values())
        run["outside the USE pass"] = run["total"] - run.get("USE sentence pass", 0.0)
        runs.append(run)
        print(json.dumps({stage: round(seconds, 2) for stage, seconds in run.items()}), flush=True)
    print(json.dumps({stage: round(sum(run[stage] for run in runs), 2) for stage in runs[0]}, indent=1))
    if args.beads:
        args.beads.write_text(json.dumps([[b.src, b.tgt, b.confidence] for b in beads]))


if __name__ == "__main__":
    main()
