"""Measure candidate evidence for a gold 2-2 bead against two gold 1-1s, on MAC-Dev and the Bible (Chinese first).

The candidates are every gold 2-2 bead (positive) and every two consecutive gold 1-1 beads read as one 2-2
(negative): the close rival that pass 2's band always holds. For each the default cost is read as pass 3 reads
it (the 2-2's real span encodings, the shipped weights; a band of 16 around the gold route where the text has
more sentence pairs than `combined.FULL_SEARCH_CELLS`, as the aligner bands it): `cost gain`, the 2-2's score minus its two 1-1 pieces' (above 0: the cost
joins them). Beside it, what a bilingual reader might see when a clause moved across the sentence boundary,
from the single sentence pairs (CSLS margins of the centred USE vectors, as `spans.SpanFeatures` computes them):
the cross margins (first Chinese sentence against the second English one and the other way: their larger, their
mean less the pieces' mean), the lexicon's cross coverage less the pieces' (`combined.LexicalCoverage`), a first
sentence of either side that ends open (Chinese ：，；、“, English : ; ,), the length model's deviations of the
two pieces when they have opposite signs (−d·d') and how much joining them brings |d| down, and the margin the
2-2 gains over its pieces' mean.

Printed per corpus and candidate: ROC-AUC alone, among the close calls (|cost gain| < CLOSE), and of a logistic
model on (cost gain, candidate): on MAC-Dev leave one chapter out, on the Bible fitted on all of MAC-Dev (the
Bible is never fitted on). Encodes MAC-Dev and the Bible once with USE (minutes of CPU).
Usage: python scripts/two_two_evidence.py [../shared/data]
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import numpy as np

from align.aligners import dp
from align.aligners.combined import (FULL_SEARCH_CELLS, CombinedAligner, anchors, fitted_model, in_band, length_model,
                                     span_features)
from align.aligners.ladder import read_ladder
from align.evaluate import roc_auc
from align.ingest import read_lines

CLOSE = 3.0
ZH_OPEN, EN_OPEN = re.compile(r"[：，；、“:,;]\s*$"), re.compile(r"[:;,]\s*[\"'”’]?\s*$")
MEASURES = ("cost gain", "cross max", "cross over pieces", "lexical cross over pieces", "Chinese first open",
            "English first open", "opposite length deviations", "length deviation joined away", "margin gain")


def texts(data: Path):
    """(corpus, chapter, Chinese sentences, English sentences, gold beads as (Chinese, English) index tuples)."""
    for gold_file in sorted((data / "mac-dev" / "gold").glob("*.align")):
        stem = gold_file.stem
        yield ("mac-dev", stem, read_lines(data / "mac-dev" / "zh" / f"{stem}.zh"),
               read_lines(data / "mac-dev" / "en" / f"{stem}.en"), [(g.src, g.tgt) for g in read_ladder(gold_file)])
    bible = data / "bible"   # its ladder is English first
    yield ("bible", "001", read_lines(bible / "zh" / "001.zh"), read_lines(bible / "en" / "001.en"),
           [(g.tgt, g.src) for g in read_ladder(bible / "gold" / "001.align")])


def candidates(gold: list) -> list[tuple[int, int, int]]:
    """(Chinese end, English end, 1 for a gold 2-2 else 0) of each candidate 2-2 bead."""
    out = []
    for k, (zh, en) in enumerate(gold):
        if len(zh) == 2 and len(en) == 2:
            out.append((zh[-1] + 1, en[-1] + 1, 1))
        if (len(zh), len(en)) == (1, 1) and k + 1 < len(gold) and tuple(map(len, gold[k + 1])) == (1, 1):
            out.append((gold[k + 1][0][0] + 1, gold[k + 1][1][0] + 1, 0))
    return out


def measured(zh: list[str], en: list[str], gold: list) -> tuple[np.ndarray, np.ndarray]:
    """Each candidate's MEASURES and its label."""
    aligner, model = CombinedAligner(), fitted_model("combined")
    vectors = aligner.encode("use", zh, en, parts=True)
    features = span_features(*vectors)
    length = length_model(zh, en, anchors({"use": features}))
    ends, i, j = [(0, 0)], 0, 0
    for src, tgt in gold:
        i, j = i + len(src), j + len(tgt)
        ends.append((i, j))
    band = dp.band_around(ends, len(zh), len(en), 16) if len(zh) * len(en) > FULL_SEARCH_CELLS else None
    margins = in_band({"use": features}, band) if band is not None else {"use": features}
    cost = aligner.cost(zh, en, margins, length, model, band)
    found = candidates(gold)
    aligner._encode_spans("use", margins["use"], zh, en, vectors, [(i - 2, i, j - 2, j, 0, 0) for i, j, _ in found])
    w = model.vector()
    one = lambda r, c: cost.features(1, 1, r + 1, np.array([c + 1]))[0]   # the 1-1 bead of sentences r, c
    deviation = lambda a, i, j: float(length.deviation(a, a, i, np.array([j]))[0])
    rows = []
    for i, j, _ in found:
        joined = cost.features(2, 2, i, np.array([j]))[0]
        first, second = one(i - 2, j - 2), one(i - 1, j - 1)
        cross = one(i - 2, j - 1), one(i - 1, j - 2)
        d1, d2 = deviation(1, i - 1, j - 1), deviation(1, i, j)
        rows.append((joined @ w - (first + second) @ w,
                     max(cross[0][0], cross[1][0]),
                     (cross[0][0] + cross[1][0] - first[0] - second[0]) / 2,
                     (cross[0][2] + cross[1][2] - first[2] - second[2]) / 2,
                     float(bool(ZH_OPEN.search(zh[i - 2]))), float(bool(EN_OPEN.search(en[j - 2]))),
                     max(0.0, -d1 * d2), abs(d1) + abs(d2) - abs(deviation(2, i, j)),
                     joined[0] - (first[0] + second[0]) / 2))
    return np.array(rows).reshape(-1, len(MEASURES)), np.array([label for _, _, label in found])


def logistic(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Weights (intercept first) of a logistic regression by Newton's method, a little ridge for separable data."""
    x = np.column_stack([np.ones(len(x)), x])
    w = np.zeros(x.shape[1])
    for _ in range(50):
        p = 1 / (1 + np.exp(-x @ w))
        w += np.linalg.solve((x * (p * (1 - p))[:, None]).T @ x + 1e-3 * np.eye(len(w)), x.T @ (y - p) - 1e-3 * w)
    return w


def scored(w: np.ndarray, x: np.ndarray) -> np.ndarray:
    return np.column_stack([np.ones(len(x)), x]) @ w


def main(data: Path) -> None:
    by_corpus: dict[str, list] = {}
    for corpus, chapter, zh, en, gold in texts(data):
        x, y = measured(zh, en, gold)
        by_corpus.setdefault(corpus, []).append((chapter, x, y))
        print(f"{corpus} {chapter}: {int(y.sum())} gold 2-2s, {int((1 - y).sum())} pairs of 1-1s", flush=True)
    mac = by_corpus["mac-dev"]
    for corpus, parts in by_corpus.items():
        x, y = np.vstack([p[1] for p in parts]), np.concatenate([p[2] for p in parts])
        close = np.abs(x[:, 0]) < CLOSE
        print(f"\n{corpus}: {int(y.sum())} gold 2-2s against {int((1 - y).sum())} pairs of gold 1-1s; the cost joins "
              f"{int((x[y == 1, 0] > 0).sum())} of the 2-2s and {int((x[y == 0, 0] > 0).sum())} of the pairs; "
              f"{int(close.sum())} close calls ({int(y[close].sum())} 2-2s)")
        print("measure | AUC | among close calls | with the cost, logistic | mean of 2-2s / pairs")
        for k, name in enumerate(MEASURES):
            columns = [0] if k == 0 else [0, k]
            if corpus == "mac-dev":   # leave one chapter out
                held = np.concatenate([scored(logistic(np.vstack([o[1][:, columns] for o in mac if o[0] != c]),
                                                       np.concatenate([o[2] for o in mac if o[0] != c])), x_[:, columns])
                                       for c, x_, _ in mac])
            else:
                held = scored(logistic(np.vstack([o[1][:, columns] for o in mac]), np.concatenate([o[2] for o in mac])),
                              x[:, columns])
            among = roc_auc(y[close], x[close, k])
            print(f"{name} | {roc_auc(y, x[:, k]):.3f} | {among if among is None else round(among, 3)} | "
                  f"{roc_auc(y, held):.3f} | {x[y == 1, k].mean():+.3f} / {x[y == 0, k].mean():+.3f}")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).resolve().parents[2] / "shared" / "data")
