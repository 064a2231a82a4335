"""Strict F1 of the Bible set aligned as `bench speed` aligns it (English first, one text, verse gold), without
timing: the whole set (bench speed's F1 column) and the two halves of `align.bench.common.bible_halves` (the
training half that `scripts/fit_aligner.py --line --bible` reads, the held half), for one method, optionally with one
weight set as `fit_aligner.with_weight` sets it; and pass 3's span work on the whole set, counted: the span texts
encoded and the sentences they hold (`CombinedAligner._encode_into`'s requests).
Usage: python scripts/bible_f1.py [../shared/data/bible] [--method combined] [--weight sure_boundary=0.3]
"""

from __future__ import annotations

import sys
from pathlib import Path

from align.aligners import get_aligner
from align.aligners.combined import fitted_model
from align.aligners.ladder import read_ladder
from align.bench.common import bible_halves
from align.evaluate import score_alignments
from align.ingest import read_lines

sys.path.insert(0, str(Path(__file__).resolve().parent))
from fit_aligner import with_weight  # noqa: E402  (a script beside this one)


def counting_spans(aligner) -> dict[str, int]:
    """Wrap `aligner`'s span encoding so that each request adds its span texts and their sentences to the
    returned counts."""
    counts = {"span_texts": 0, "span_sentences": 0}
    encode_into = aligner._encode_into

    def counted(name, jobs, progress=False):
        for _, n, starts, _, _ in jobs:
            counts["span_texts"] += len(starts)
            counts["span_sentences"] += n * len(starts)
        return encode_into(name, jobs, progress)

    aligner._encode_into = counted
    return counts


def main(bible: Path, method: str, weight: str) -> None:
    aligner = get_aligner(method)
    label = method
    if weight:
        name, value = weight.split("=")
        aligner.model = with_weight(fitted_model(aligner.fitted_as), name, float(value))
        label += f" {name}={float(value)}"
    counts = counting_spans(aligner)
    en, zh = read_lines(bible / "en" / "001.en"), read_lines(bible / "zh" / "001.zh")
    texts = [("whole", en, zh, read_ladder(bible / "gold" / "001.align"))]
    texts += [(text.name.rsplit(", ", 1)[1], list(text.en), list(text.zh), list(text.gold)) for text in bible_halves(bible)]
    for name, en, zh, gold in texts:
        spent = dict(counts)
        beads = aligner.align(en, zh, "en", "zh")
        scores = score_alignments([(gold, beads)])
        work = {key: counts[key] - spent[key] for key in counts}
        print(f"{label}: the Bible, {name}: strict F1 {scores.strict_f1:.5f} (P {scores.strict_precision:.5f} R "
              f"{scores.strict_recall:.5f}; lax {scores.lax_f1:.4f}; {len(beads)} beads); pass 3 encoded "
              f"{work['span_texts']} span texts, {work['span_sentences']} sentences' worth", flush=True)


if __name__ == "__main__":
    import argparse

    parser = argparse.ArgumentParser(description="Strict F1 of the Bible set, whole and in halves, as bench speed aligns it.")
    parser.add_argument("bible", nargs="?", type=Path,
                        default=Path(__file__).resolve().parents[2] / "shared" / "data" / "bible")
    parser.add_argument("--method", default="combined")
    parser.add_argument("--weight", default="", help="NAME=VALUE: one weight set as fit_aligner's --line sets it")
    args = parser.parse_args()
    main(args.bible, args.method, args.weight)
