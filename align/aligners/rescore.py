"""A second opinion on a pairing a person made: the aligner's confidence for one bead in its context.

`rescore(aligner, zh, en, beads, wanted)` looks at a window of the beads around each wanted bead.
The combined aligners read the bead's posterior from the forward–backward sums over every route
through that window (so a pairing the aligner would not have chosen still gets a number: "you paired
these; the aligner gives 0.12"); other aligners align the window again and give the bead's confidence
when they make the same bead, else 0. Pure: texts in, numbers out.
"""

from __future__ import annotations

from align.aligners import Aligner

CONTEXT = 4   # beads on each side of the one scored (enough for the encoders' margins to mean something)


def _window(beads: list[tuple[tuple[int, ...], tuple[int, ...]]], k: int) -> tuple[int, int]:
    return max(0, k - CONTEXT), min(len(beads), k + CONTEXT + 1)


def _span(beads, side: int) -> tuple[int, int]:
    ids = [i for b in beads for i in b[side]]
    return (min(ids), max(ids) + 1) if ids else (0, 0)


def _posterior(aligner, zh: list[str], en: list[str], path: list[tuple[tuple[int, int], int, int]], k: int) -> float | None:
    """The combined aligner's P(bead k of `path` is right) over all routes through the window, judged with
    the window's other beads as its context."""
    from align.aligners import dp
    from align.aligners.combined import ALL_KINDS, anchors, fitted_model, length_model, span_features
    from align.ingest.language import to_simplified
    from align.score.confidence import route_confidences

    kind = path[k][0]
    if kind not in ALL_KINDS or not all(kind):
        return None
    zh = [to_simplified(sentence) for sentence in zh]   # as `CombinedAligner.align` reads the Chinese
    model = aligner.model or fitted_model(aligner.fitted_as)
    margins = {name: span_features(*aligner.encode(name, zh, en)) for name in aligner.encoders}
    weights = model.search() if aligner.refine and margins else model
    cost = dp.CachedCost(aligner.cost(zh, en, margins, length_model(zh, en, anchors(margins)), weights))
    posteriors = dp.Posteriors(cost, ALL_KINDS, None, model.temperature)
    # the window's beads of shapes the aligner never makes are no context (read as unpaired)
    known = [bead if bead[0] in ALL_KINDS else ((0, 0), bead[1], bead[2]) for bead in path]
    paired = iter(float(o) for o in posteriors.log_odds([b for b in known if all(b[0])]))
    odds = [next(paired) if all(b[0]) else 0.0 for b in known]
    return route_confidences([b[0] for b in known], odds, None, aligner.clause_gains(known, odds, zh, en))[k]


def rescore(aligner: Aligner, zh: list[str], en: list[str], beads: list[tuple[tuple[int, ...], tuple[int, ...]]],
            wanted: list[int]) -> dict[int, float]:
    """The aligner's confidence for each wanted paired bead (by index in `beads`, which cover both
    documents in order); a bead it cannot judge (a shape it never makes) is left out."""
    scores = {}
    for k in wanted:
        if not (beads[k][0] and beads[k][1]):
            continue
        lo, hi = _window(beads, k)
        window = beads[lo:hi]
        (z0, z1), (e0, e1) = _span(window, 0), _span(window, 1)
        zh_part, en_part = zh[z0:z1], en[e0:e1]
        target = (tuple(i - z0 for i in beads[k][0]), tuple(j - e0 for j in beads[k][1]))
        if hasattr(aligner, "encoders"):
            path, i, j = [], 0, 0
            for z_ids, e_ids in window:
                i, j = i + len(z_ids), j + len(e_ids)
                path.append(((len(z_ids), len(e_ids)), i, j))
            score = _posterior(aligner, zh_part, en_part, path, k - lo)
        else:
            made = {(b.src, b.tgt): b.confidence for b in aligner.align(zh_part, en_part, "zh", "en")}
            score = made.get(target, 0.0)
        if score is not None:
            scores[k] = round(float(score), 4)
    return scores
