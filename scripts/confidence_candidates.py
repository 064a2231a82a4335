"""Measure candidate confidence inputs beside the shipped ones, leave one corpus out, on `fit_confidence.py`'s data.

Each candidate is one more column (or a few) beside `align.score.confidence.route_features`' inputs, computed
from a judged unit and where it stands in its route (`fit_confidence.Judged`). For each, the logistic model is
fitted as `fit_confidence.py` fits it (press-dev's held-out half and the gold-sentence transcripts not fitted on,
the press corpora left out together) and the leave-one-corpus-out figures that its adoption rule reads are
printed per corpus: AUC, the share of the wrong units among the least confident 20%, right 1-1 units beside
another kind under 0.5, units holding an orphan at ≥ 0.8. "adoptable" says whether the candidate passes that
rule against the shipped inputs: AUC up on at least two of MAC-Dev / omissions / press (training half), down
nowhere by more than 0.003; the 20% share down nowhere by more than 1 point; right 1-1 units beside another kind
under 0.5 up by at most 1 and units with an orphan at ≥ 0.8 not up, on any corpus. It is a first reading: a
candidate is adopted on the figures of `fit_confidence.py` once the aligner computes it (the opposite length
deviations read "adoptable" here and failed there: docs/aligner.md, "Tried and rejected").

The candidates read the length model's deviation (`score.length.LengthModel.deviation`; the ratio of the whole
text, where the aligner uses each call's own), the bead's kind,
its posterior log-odds, and with `--e5` the multilingual-e5 encoder the default does not load: the cosine gained
by merging a unit with a paired neighbour, for units whose final log-odds are under E5_GATE (the others get 0),
encoding a few thousand spans (minutes of CPU).
Usage: python scripts/confidence_candidates.py [../shared/data] [--routes routes.pkl] [--e5]
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np

from align.evaluate import roc_auc
from align.score.length import LengthModel, text_length
from fit_confidence import Judged, caught, judged, leave_one_out, routes

CORPORA = ("mac-dev", "bible", "omissions", "press", "press held-out")
RISING = ("mac-dev", "omissions", "press")
E5_GATE = 4.0


def _unit(path: list, k: int) -> tuple[tuple[int, ...], tuple[int, ...]]:
    (a, b), i, j = path[k]
    return tuple(range(i - a, i)), tuple(range(j - b, j))


def _paired_neighbours(u: Judged) -> list[int]:
    return [m for m in (u.k - 1, u.k + 1) if 0 <= m < len(u.path) and all(u.path[m][0])]


def _merged(u: Judged, m: int) -> tuple[tuple[int, ...], tuple[int, ...]]:
    (zs, es), (zn, en) = _unit(u.path, u.k), _unit(u.path, m)
    return tuple(sorted(zs + zn)), tuple(sorted(es + en))


class Deviation:
    """The length model's deviation of a span pair: below 0 when the English is shorter than the Chinese
    predicts (one `LengthModel` a text)."""

    def __init__(self):
        self.models: dict[int, LengthModel] = {}

    def __call__(self, u: Judged, unit: tuple[tuple[int, ...], tuple[int, ...]]) -> float:
        model = self.models.get(id(u.zh))
        if model is None:
            model = self.models[id(u.zh)] = LengthModel(np.array([text_length(s) for s in u.zh]),
                                                         np.array([text_length(s) for s in u.en]))
        zh, en = unit
        return float(model.deviation(len(zh), len(en), zh[-1] + 1, np.array([en[-1] + 1]))[0])


def length_candidates(found: list[Judged]) -> dict[str, np.ndarray]:
    """A split many-to-many leaves pieces skewed in opposite directions (a clause moved across the boundary):
    the unit's own deviation either way, its product with a paired neighbour's when the two deviate opposite
    ways (−d·d', else 0), the smaller of the two then, and how much merging with the neighbour brings the
    deviation down."""
    z = Deviation()
    rows = []
    for u in found:
        own = z(u, _unit(u.path, u.k))
        opposite = smaller = gain = 0.0
        for m in _paired_neighbours(u):
            theirs = z(u, _unit(u.path, m))
            opposite = max(opposite, -own * theirs)
            if own * theirs < 0:
                smaller = max(smaller, min(abs(own), abs(theirs)))
            gain = max(gain, abs(own) - abs(z(u, _merged(u, m))))
        rows.append((abs(own), opposite, smaller, gain))
    columns = np.array(rows)
    return {"length deviation |z|": columns[:, 0], "opposite deviations -d·d'": columns[:, 1],
            "opposite deviations, the smaller": columns[:, 2], "merge's length gain": columns[:, 3]}


def shape_candidates(found: list[Judged], x: np.ndarray) -> dict[str, np.ndarray]:
    odds, first = x[:, 1], x[:, 2]
    size = np.array([sum(u.path[u.k][0]) - 2 for u in found], dtype=float)
    shortest = np.array([math.log(1 + min(min(text_length(u.zh[i]) for i in _unit(u.path, u.k)[0]),
                                          min(text_length(u.en[j]) for j in _unit(u.path, u.k)[1]) / 2))
                         for u in found])
    return {"sentences beyond 1-1": size, "log of the shortest side": shortest,
            "hinge max(0, 2 - odds)": np.maximum(0.0, 2.0 - odds),
            "quadratic in the two odds": np.column_stack([odds * first, odds * odds, first * first]) / 10}


def e5_merge_gain(found: list[Judged]) -> np.ndarray:
    from align.score.embed import get_encoder

    def texts(u: Judged, unit) -> tuple[str, str]:
        return "".join(u.zh[i] for i in unit[0]), " ".join(u.en[j] for j in unit[1])

    wanted = [(u, [_unit(u.path, u.k)] + [_merged(u, m) for m in _paired_neighbours(u)])
              for u in found if u.odds[u.k] < E5_GATE]
    pending = sorted({t for u, spans in wanted for span in spans for t in texts(u, span)})
    vectors = dict(zip(pending, get_encoder("e5").encode(pending)))

    def cosine(u: Judged, span) -> float:
        zh, en = (vectors[t] for t in texts(u, span))
        return float(zh @ en / (np.linalg.norm(zh) * np.linalg.norm(en)))

    gain = {id(u): max([cosine(u, s) - cosine(u, spans[0]) for s in spans[1:]], default=0.0) for u, spans in wanted}
    return np.array([gain.get(id(u), 0.0) for u in found])


def figures(x: np.ndarray, y: np.ndarray, corpora: np.ndarray, orphan: np.ndarray, beside: np.ndarray,
            l2: float) -> dict[str, tuple[float, float, int, int]]:
    out = {}
    for corpus in CORPORA:
        here = corpora == corpus
        p = leave_one_out(x, y, corpora, here, l2)
        right_beside = (y[here] == 1) & beside[here]
        out[corpus] = (roc_auc(y[here], p), caught(y[here], p), int((p[right_beside] < 0.5).sum()),
                       int((p[orphan[here]] >= 0.8).sum()))
    return out


def adoptable(new: dict, old: dict) -> bool:
    rises = sum(new[c][0] > old[c][0] for c in RISING)
    return (rises >= 2 and all(new[c][0] >= old[c][0] - 0.003 and new[c][1] >= old[c][1] - 0.01
                               and new[c][2] <= old[c][2] + 1 and new[c][3] <= old[c][3] for c in CORPORA))


def main(data: Path, cache: Path | None, e5: bool) -> None:
    found = list(judged(routes(data, cache)))
    x = np.array([u.features for u in found])
    y = np.array([u.right for u in found], dtype=float)
    corpora = np.array([u.corpus for u in found])
    orphan, beside = np.array([u.holds_orphan for u in found]), np.array([u.beside_other for u in found])
    candidates = {**length_candidates(found), **shape_candidates(found, x)}
    if e5:
        candidates[f"e5 merge gain (final odds < {E5_GATE:g})"] = e5_merge_gain(found)
    print("leave one corpus out, " + " / ".join(CORPORA) + ": AUC; errors among the least confident 20%; "
          "right 1-1 beside another kind < 0.5; units with an orphan ≥ 0.8")
    shipped = figures(x, y, corpora, orphan, beside, 1e-2)
    runs = [("shipped inputs", x, 1e-2)] + [(name, np.column_stack([x, column]), 1e-2) for name, column in candidates.items()]
    runs.append(("quadratic in the two odds, L2 10", np.column_stack([x, candidates["quadratic in the two odds"]]), 10.0))
    for name, columns, l2 in runs:
        f = shipped if columns is x else figures(columns, y, corpora, orphan, beside, l2)
        print(f"{name}: AUC {' / '.join(f'{v[0]:.3f}' for v in f.values())}; "
              f"{' / '.join(f'{v[1]:.0%}' for v in f.values())}; {' / '.join(str(v[2]) for v in f.values())}; "
              f"{' / '.join(str(v[3]) for v in f.values())}" + ("; adoptable" if adoptable(f, shipped) else ""), flush=True)


if __name__ == "__main__":
    import argparse

    parser = argparse.ArgumentParser(description="Measure candidate confidence inputs leave one corpus out.")
    parser.add_argument("data", nargs="?", type=Path, default=Path(__file__).resolve().parents[2] / "shared" / "data")
    parser.add_argument("--routes", type=Path, help="fit_confidence.py's routes file (read when it exists, else written)")
    parser.add_argument("--e5", action="store_true", help="also the e5 merge gain (encodes spans: minutes of CPU)")
    args = parser.parse_args()
    main(args.data, args.routes, args.e5)
