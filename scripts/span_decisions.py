"""How many of pass 3's span texts an exact pruning could leave unencoded (issue 21, docs/aligner.md).

A span text matters only through the beads that use it. Leaving it unencoded keeps the default aligner's
output (route, and bead posteriors within 1e-9) only if every bead that uses it carries a negligible share
of the final model's probability, whatever its real encoding would have given it. This script runs the
default aligner itself (`CombinedAligner.align`, its three passes, every wanted span encoded), then reads, for each
span, the largest probability share of any bead using it under the final model: the share it has with its
real encoding, i.e. an oracle that knows the encoding without computing it. A bound that does not know it
(the cosine lies in [-1, 1]) can only raise that share, by weight * (1 - cosine) / temperature nats. Printed per
document: spans wanted, and how many have every bead below e^-21 (a posterior change under 1e-9) and
below e^-35 (a log-odds change under 1e-9 inside the confidence's range), with the oracle and with the
bound (each bead's cosine at the end of [-1, 1] its weight favours, the other beads and the total as they are:
a first-order estimate; the oracle column is what a pruning by this criterion could drop at best).
Usage: python scripts/span_decisions.py [../shared/data] [--bible]
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np

from align.aligners import dp
from align.aligners.combined import ALL_KINDS, CombinedAligner, CombinedCost, fitted_model
from align.ingest import read_lines


class RecordingAligner(CombinedAligner):
    """The default aligner, keeping the cost its passes searched and their band: after `align`, the final
    model's cost with pass 3's span encodings in it (`align` builds one cost and turns its weights to the final
    model's for pass 3)."""

    def cost(self, src, tgt, margins, length, model, band=None, structure=None, roles=None) -> CombinedCost:
        cost = super().cost(src, tgt, margins, length, model, band, structure, roles)
        self.searched = cost, band
        return cost


def span_shares(src: list[str], tgt: list[str]) -> tuple[np.ndarray, np.ndarray]:
    """Per wanted span, the largest log share of the final model's probability of any bead using it: with
    the beads' real encodings, and with each bead's cosine at the end of [-1, 1] its weight favours."""
    aligner, model = RecordingAligner(), fitted_model("combined")
    aligner.align(src, tgt)
    cost, band = aligner.searched
    margins = cost.margins
    final = dp.CachedCost(cost, band)
    posteriors = dp.Posteriors(final, ALL_KINDS, band, model.temperature)
    layout = posteriors.layout
    rows, cols = layout.coordinates(0, len(layout.lo))
    best: dict[tuple[str, int, int], float] = {}
    bound: dict[tuple[str, int, int], float] = {}
    for a, b in ALL_KINDS:
        if not (a and b) or (a, b) == (1, 1):
            continue
        for name, features in margins.items():
            src_known, tgt_known = features.src_spans.known, features.tgt_spans.known
            if a not in src_known or b not in tgt_known:
                continue
            valid = (rows >= a) & (cols >= b)
            i, j = rows[valid], cols[valid]
            used = src_known[a][i - a] & tgt_known[b][j - b]
            i, j = i[used], j[used]
            start, end = layout.index(i - a, j - b), layout.index(i, j)
            inside = start >= 0
            i, j, start, end = i[inside], j[inside], start[inside], end[inside]
            share = (posteriors.any[start] - final.cost(a, b, i, j) / model.temperature
                     + posteriors.backward[dp.PAIRED, end] - posteriors.total)
            weight = model.weights.get(f"margin_{name}", 0.0)
            optimistic = share + (abs(weight) - weight * features.cosine(a, b, i, j)) / model.temperature
            for side, n, firsts in (("src", a, i - a), ("tgt", b, j - b)):
                if n > 1:
                    for first, value, high in zip(firsts.tolist(), share.tolist(), optimistic.tolist()):
                        key = (side, n, first)
                        best[key] = max(best.get(key, -np.inf), value)
                        bound[key] = max(bound.get(key, -np.inf), high)
    return np.array(list(best.values())), np.array([bound[key] for key in best])


def main(argv: list[str]) -> int:
    data = Path(next((a for a in argv if not a.startswith("--")), "../shared/data"))
    documents = [(f"MAC-Dev {k:03d}", read_lines(data / "mac-dev" / "zh" / f"{k:03d}.zh"),
                  read_lines(data / "mac-dev" / "en" / f"{k:03d}.en")) for k in range(1, 7)]
    if "--bible" in argv:
        documents.append(("Bible", read_lines(data / "bible" / "zh" / "001.zh"), read_lines(data / "bible" / "en" / "001.en")))
    print("document\twanted\toracle<e^-21\toracle<e^-35\tbound<e^-21\tbound<e^-35")
    for name, zh, en in documents:
        shares, bounds = span_shares(zh, en)
        print(f"{name}\t{len(shares)}\t{(shares < -21).sum()}\t{(shares < -35).sum()}\t"
              f"{(bounds < -21).sum()}\t{(bounds < -35).sum()}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
