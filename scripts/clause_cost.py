"""What reading clauses in pass 3 (`clause_cross`, `clauses.clause_crossing`) costs and changes on the Bible, as
`bench speed` aligns it (English first, the default aligner): alignments with the shipped weights and with
`clause_cross` at WEIGHT alternate in one process, each from empty caches, and each one's CPU time (one process,
`time.process_time`; run with OPENBLAS_NUM_THREADS=1) is printed with the 2-2 beads read, the clause texts encoded
and their tokens (counts of work, which load does not move), and the strict F1 against the verse gold.
Usage: python scripts/clause_cost.py WEIGHT [../shared/data/bible] [--repeat 2]
"""

from __future__ import annotations

import time
from pathlib import Path

from align.aligners import combined
from align.aligners.combined import CombinedAligner, fitted_model
from align.aligners.ladder import read_ladder
from align.bench.speed import forget_texts
from align.evaluate import score_alignments
from align.ingest import read_lines
from align.score.embed import get_encoder
from fit_aligner import with_weight


def main(weight: float, bible: Path, repeat: int) -> None:
    en, zh = read_lines(bible / "en" / "001.en"), read_lines(bible / "zh" / "001.zh")
    gold = read_ladder(bible / "gold" / "001.align")
    shipped = fitted_model("combined")
    read = with_weight(shipped, "clause_cross", weight)
    work = []
    counted = combined.clause_crossing

    def counting(src, tgt, vectors, ends, encode):
        texts = []
        found = counted(src, tgt, vectors, ends, lambda batch: (texts.extend(batch), encode(batch))[1])
        tokens = sum(len(ids) for ids in get_encoder("use").encoder.token_ids(texts)) if texts else 0
        work.append((len(ends), len(texts), tokens, len(found.keys)))
        return found

    combined.clause_crossing = counting
    get_encoder("use").encode(["loaded before the clock starts"])
    CombinedAligner(model=read).align(en[:40], zh[:50], "en", "zh")
    for _ in range(repeat):
        for name, model in (("shipped", shipped), (f"clause_cross={weight:g}", read)):
            forget_texts()
            work.clear()
            start = time.process_time()
            beads = CombinedAligner(model=model).align(en, zh, "en", "zh")
            seconds = time.process_time() - start
            scores = score_alignments([(gold, beads)])
            read_work = (f"; 2-2 beads read {work[0][0]}, clause texts {work[0][1]} ({work[0][2]} tokens), "
                         f"gain > 0 {work[0][3]}") if work else ""
            print(f"{name}: {seconds:.2f} s CPU, strict F1 {scores.strict_f1:.4f} (lax {scores.lax_f1:.4f}, "
                  f"{len(beads)} beads){read_work}", flush=True)


if __name__ == "__main__":
    import argparse

    parser = argparse.ArgumentParser(description="CPU and F1 of pass 3's clause reading on the Bible.")
    parser.add_argument("weight", type=float)
    parser.add_argument("bible", nargs="?", type=Path, default=Path(__file__).resolve().parents[2] / "shared" / "data" / "bible")
    parser.add_argument("--repeat", type=int, default=2)
    args = parser.parse_args()
    main(args.weight, args.bible, args.repeat)
