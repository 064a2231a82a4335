"""Fit the bead-confidence model and write align/data/confidence.json.

Aligns texts of five corpora with the default aligner, labels each paired unit by whether it is exactly
in the gold alignment, and fits a logistic regression (Newton–Raphson, light L2) on the unit's features
(`align.score.confidence.route_features`: its posterior log-odds under the final search and under pass 2's,
whether it is many-to-many, its moved-clause gain, the unpaired share of the rest of its speaker turn). The
corpora:
MAC-Dev's six chapters; chapters of the Bible spread over the set (verse gold: a unit inside a gold bead of
several sentences is left out, the gold cannot judge it); omission variants (`align.bench.omissions.
window_variants`: MAC-Dev and Bible stretches with a block of one side removed, another seed than the
benchmark's, so that units holding a sentence without counterpart are in the data; the Bible's stretches judged
by its verse rule); press, press-dev's pairs
through `run`'s path (`pipeline.align_pair` on the raw transcripts: our segmenter, speaker turns, paragraphs),
as they are, each without one paragraph of one side (`bench.press.without_paragraph`, PARAGRAPH_ROUNDS draws
a side, another seed than `bench press`'s), and in threes back to back without the middle conference on one side
(`bench.press.missing_conference`, the texts `bench press` reads), our units judged against the gold by text
(`bench.press.TextOverlay`).
Only press-dev's training half (`bench.press.halves`) is fitted on; its held-out half is reported as "press
held-out". So is "press-dev", the gold sentences of press-dev put back to back in fours and each again without a
question, an answer or both of one side (`turn_variants`), aligned as `run` aligns a transcript
(`align_documents` with each sentence's speaker turn and paragraph): it holds both halves, so it is not fitted
on. A unit that comes out the same (same texts, same label) in several texts of a corpus — the variants repeat
most of their text — counts once. Reported per corpus: ROC-AUC in sample and leave one corpus out (fitted on
the other fitted corpora; the three press corpora are left out together), the expected calibration error and
a reliability table of the leave-one-corpus-out confidences, the share of the wrong units among the least
confident 20%, the units holding an orphan (a sentence whose counterpart was removed) at ≥ 0.8, and the right
1-1 units next to another kind under 0.5; on the corpora not fitted on, the shipped model's AUC, ECE, share and
orphan units too (leave one corpus out leaves the press training half out with them, and with it the only
units the turn input is read on).
Usage: python scripts/fit_confidence.py [../shared/data] [--routes routes.pkl] [--hold FEATURE=VALUE ...]
(--routes keeps the aligner's routes in that file, and reads them from it when it exists: the fit again
without aligning. Delete it after changing the aligner. --hold keeps a coefficient at a value in every fit,
leave one corpus out too, and fits the others beside it.)
"""

from __future__ import annotations

import json
import pickle
import random
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from align.aligners.anchored import align_documents
from align.aligners.combined import CombinedAligner
from align.aligners.structure import unpaired_in_turn
from align.bench.omissions import (bible_sources, documents, mac_dev_sources, press_sources, turn_variants,
                                   window_variants)
from align.bench.press import Case, TextOverlay, cases, gapped, halves, missing_conference
from align.document import Bead
from align.evaluate import roc_auc
from align.pipeline import DocumentPair, PairText, align_pair
from align.score.confidence import FEATURES, route_features

BIBLE_CHAPTERS, OMISSION_SEED, WINDOWS, CONTEXT = 30, 2017, 2, 25
PARAGRAPH_ROUNDS = 2     # press-dev pairs without a paragraph: this many draws a side (a repeated draw counts once)
BINS = 10
PRESS, HELD_OUT, GOLD_SENTENCES = "press", "press held-out", "press-dev"
# not fitted on: press-dev's held-out half (run's path) and the gold-sentence transcripts (all of press-dev)
REPORTED_ONLY = (HELD_OUT, GOLD_SENTENCES)
BOTH_HALVES = "press, both halves"     # reported pooled too: leave one corpus out never fits on either half


@dataclass
class _Recorder(CombinedAligner):
    """The default aligner, keeping the route of each of its calls and the route's posterior log-odds (final,
    pass 2). Its beads carry no confidence: the fit reads the odds, not the model it replaces (which may have
    other features)."""

    calls: list = field(default_factory=list)

    def _confidences(self, path, odds, first_odds, src, tgt, src_turns=None, tgt_turns=None):
        odds = [float(o) for o in odds]
        self.calls.append(([((a, b), i, j) for (a, b), i, j in path], odds, [float(f) for f in first_odds],
                           self.clause_gains(path, odds, src, tgt), unpaired_in_turn(path, src_turns, tgt_turns)))
        return [0.0] * len(path)


def _last_calls(calls: list, size: int) -> list:
    """The fewest last `calls` whose routes hold `size` beads together (all of them when they hold fewer)."""
    held = 0
    for k in range(len(calls) - 1, -1, -1):
        held += len(calls[k][0])
        if held >= size:
            return calls[k:]
    return calls


def _placed(calls: list, beads: list[Bead]) -> list[tuple]:
    """The routes of the calls that made `beads`, in the text's ids. `align_documents` makes one call for the
    whole transcript, or one per turn, or both (whole, then turn by turn when its turns pair in order; a transcript
    beyond `anchored.WHOLE_CHECK_CELLS` goes turn by turn without the whole call) and returns the beads of its
    last calls in order, shifted: those whose routes add up to the number of beads (`_last_calls`)."""
    calls = _last_calls(calls, len(beads))
    out, at = [], 0
    for path, *inputs in calls:
        here = beads[at:at + len(path)]
        at += len(path)
        z0 = next(b.src[0] - (i - a) for ((a, _), i, _), b in zip(path, here) if a)
        e0 = next(b.tgt[0] - (j - c) for ((_, c), _, j), b in zip(path, here) if c)
        shifted = [((a, c), i + z0, j + e0) for (a, c), i, j in path]
        if [(tuple(range(i - a, i)), tuple(range(j - c, j))) for (a, c), i, j in shifted] != [(b.src, b.tgt) for b in here]:
            raise RuntimeError("the aligner's calls do not add up to the beads it returned")
        out.append((shifted, *inputs))
    if at != len(beads):
        raise RuntimeError("beads outside the aligner's recorded calls")
    return out


def _aligned(text, recorder: _Recorder) -> tuple[list[Bead], tuple[list[str], list[str]] | None]:
    """`text`'s beads by `recorder`, and our sentences when they are not the gold's: a press-dev pair (`Case`)
    goes through `run`'s path from its raw transcripts (`pipeline.align_pair`: our segmenter, turns and
    paragraphs); a transcript of gold sentences through `align_documents` with its turns and paragraphs; other
    texts whole, as plain text."""
    if isinstance(text, Case):
        pair = DocumentPair(text.name, Path(f"{text.name}.en"), Path(f"{text.name}.zh"))
        alignment = align_pair(PairText(pair, text.en_text, text.zh_text, "", ""), recorder).stored.alignment
        return ([Bead(b.zh, b.en) for b in alignment.beads],
                ([s.text for s in alignment.zh], [s.text for s in alignment.en]))
    if text.zh_turns:
        return align_documents(*documents(text), recorder), None
    return recorder.align(list(text.zh), list(text.en), "zh", "en"), None


def routes(data: Path, cache: Path | None = None) -> list[dict]:
    """The default aligner's routes over every text of `texts`, as {"corpus", "text", "sentences": our (zh, en)
    sentences when they are not the gold's, else None, "segments": one per call of the aligner, (beads as
    (kind, i, j) in the text's ids, their posterior log-odds, their pass-2 log-odds, their moved-clause gains,
    the unpaired shares of their turns)}, aligned as `_aligned` says (a transcript as `run` aligns it:
    `align_documents`, turn by turn when the turns pair in order, else whole with its turns and paragraphs as
    evidence). Read from `cache` when given and present (else written there, through a temporary file)."""
    if cache and cache.is_file():
        with cache.open("rb") as handle:
            return pickle.load(handle)
    out = []
    for corpus, text in texts(data):
        recorder = _Recorder()
        beads, sentences = _aligned(text, recorder)
        segments = _placed(recorder.calls, beads)
        out.append({"corpus": corpus, "text": text, "sentences": sentences, "segments": segments})
        print(f"{corpus} {text.name}: {len(beads)} beads in {len(segments)} call(s)", flush=True)
    if cache:
        partial = cache.with_name(cache.name + ".partial")
        with partial.open("wb") as handle:
            pickle.dump(out, handle)
        partial.replace(cache)
    return out


def fit_logistic(x: np.ndarray, y: np.ndarray, l2: float = 1e-2, steps: int = 50,
                 held: dict[int, float] | None = None) -> np.ndarray:
    """The coefficients of the logistic model of `y` on `x`; those of the columns in `held` (column -> value) are
    kept at their values and the others fitted beside them."""
    held = held or {}
    w = np.zeros(x.shape[1])
    for k, value in held.items():
        w[k] = value
    free = np.array([k not in held for k in range(x.shape[1])])
    offset = x[:, ~free] @ w[~free]
    xf = x[:, free]
    for _ in range(steps):
        p = 1 / (1 + np.exp(-(xf @ w[free] + offset)))
        gradient = xf.T @ (p - y) + l2 * w[free]
        hessian = (xf * (p * (1 - p))[:, None]).T @ xf + l2 * np.eye(xf.shape[1])
        w[free] -= np.linalg.solve(hessian, gradient)
    return w


def texts(data: Path) -> list[tuple[str, object]]:
    """(corpus, source, variant or press-dev pair) of every text the model learns from or is judged on."""
    rng = random.Random(OMISSION_SEED)
    mac_dev = mac_dev_sources(data / "mac-dev")
    chapters = bible_sources(data / "bible")
    bible = chapters[1::max(1, len(chapters) // BIBLE_CHAPTERS)][:BIBLE_CHAPTERS]
    omissions = [v for s in mac_dev for v in window_variants(s, "omissions", WINDOWS, CONTEXT, rng)]
    omissions += [v for s in bible[::3] for v in window_variants(s, "omissions", 1, CONTEXT, rng)]
    press = press_sources(data / "press-dev")
    press += [v for s in press for v in turn_variants(s, GOLD_SENTENCES, rng)]
    found = cases(data / "press-dev")
    held_out = set(halves([pair.stem for pair, _ in found])[1])
    paragraph_rng = random.Random(OMISSION_SEED)
    pairs = found + [pair for _ in range(PARAGRAPH_ROUNDS) for pair in gapped(found, paragraph_rng)]
    pairs += missing_conference(found)
    run_path = {case.name: (HELD_OUT if pair.stem in held_out else PRESS, case) for pair, case in pairs}
    return ([("mac-dev", s) for s in mac_dev] + [("bible", s) for s in bible] + [("omissions", v) for v in omissions]
            + [(GOLD_SENTENCES, s) for s in press] + list(run_path.values()))


def label(unit: tuple[tuple[int, ...], tuple[int, ...]], gold: list) -> bool | None:
    """Whether a unit is exactly a gold bead; None when the gold cannot tell (the unit lies inside one gold
    bead of several sentences: the Bible's verse gold does not split verses into sentences)."""
    if unit in {(b.src, b.tgt) for b in gold}:
        return True
    owners = {k for k, b in enumerate(gold) for i in b.src if i in unit[0]}
    owners |= {k for k, b in enumerate(gold) for j in b.tgt if j in unit[1]}
    if len(owners) == 1:
        bead = gold[owners.pop()]
        if set(unit[0]) < set(bead.src) or set(unit[1]) < set(bead.tgt):
            return None
    return False


def reliability(y: np.ndarray, p: np.ndarray) -> tuple[float, list[dict]]:
    """Expected calibration error over BINS equal-width bins, and the table (bin, units, mean confidence,
    share right)."""
    rows, ece = [], 0.0
    bins = np.minimum((p * BINS).astype(int), BINS - 1)
    for k in range(BINS):
        inside = bins == k
        if inside.any():
            gap = abs(p[inside].mean() - y[inside].mean())
            ece += inside.mean() * gap
            rows.append({"bin": f"{k / BINS:.1f}–{(k + 1) / BINS:.1f}", "units": int(inside.sum()),
                         "confidence": round(float(p[inside].mean()), 3), "right": round(float(y[inside].mean()), 3)})
    return float(ece), rows


def caught(y: np.ndarray, p: np.ndarray, share: float = 0.2) -> float:
    """Share of the wrong units that are among the least confident `share` of units."""
    wrong = y == 0
    if not wrong.any():
        return 1.0
    order = np.argsort(p, kind="mergesort")[:int(round(share * len(p)))]
    return float(wrong[order].sum() / wrong.sum())


@dataclass(frozen=True)
class Judged:
    """A distinct judged unit and where it stands: bead `k` of `path` (beads as (kind, i, j) over the text's
    `zh` / `en` sentences, one call's route after another, with their final posterior log-odds `odds`)."""

    corpus: str
    features: list[float]
    right: bool
    holds_orphan: bool        # a sentence whose counterpart was removed
    beside_other: bool        # a 1-1 next to a unit of another kind
    path: list
    odds: list[float]
    k: int
    zh: list[str]
    en: list[str]


def _verse_gold(corpus: str, text) -> bool:
    """Whether a text's gold is the Bible's verse gold, which cannot judge a unit inside a verse of several
    sentences (`label`): the Bible's chapters and the omission variants cut from them (named after their
    chapter, `omissions.bible_sources`)."""
    return corpus == "bible" or text.name.startswith("bible/")


def judged(records: list[dict]):
    """The distinct judged units of every route (`Judged`), in order. A unit over our own sentences (a
    press-dev pair on `run`'s path) is judged against the gold by text (`press.TextOverlay`)."""
    seen = set()
    for record in records:
        corpus, text, segments = record["corpus"], record["text"], record["segments"]
        gold = list(text.gold)
        exact = {(b.src, b.tgt) for b in gold}
        orphans = getattr(text, "orphans", frozenset())
        zh, en = record["sentences"] or (text.zh, text.en)
        laid = TextOverlay.of(gold, list(text.zh), list(text.en), zh, en) if record["sentences"] else None
        path = [bead for route, *_ in segments for bead in route]
        odds = [o for _, route_odds, *_ in segments for o in route_odds]
        vectors = [v for route, *inputs in segments for v in route_features([k for k, _, _ in route], *inputs)]
        kinds = [kind for kind, _, _ in path]
        for k, (((a, b), i, j), vector) in enumerate(zip(path, vectors)):
            if vector is None:
                continue
            unit = (tuple(range(i - a, i)), tuple(range(j - b, j)))
            if laid:
                right, touched = laid.judge(*unit)
                holds_orphan = bool(touched & laid.orphans)
            else:
                right = label(unit, gold) if _verse_gold(corpus, text) else unit in exact
                holds_orphan = any(("zh", x) in orphans for x in unit[0]) or any(("en", x) in orphans for x in unit[1])
            key = (corpus, "".join(zh[x] for x in unit[0]), " ".join(en[x] for x in unit[1]), right)
            if right is None or key in seen:
                continue
            seen.add(key)
            beside_other = (a, b) == (1, 1) and any(kinds[m] != (1, 1) for m in (k - 1, k + 1) if 0 <= m < len(kinds))
            yield Judged(corpus, vector, right, holds_orphan, beside_other, path, odds, k, list(zh), list(en))


def units(records: list[dict]) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Features, labels, corpora, whether the unit holds an orphan, and whether it is a 1-1 next to a
    unit of another kind, of the distinct judged units of every route (`judged`)."""
    found = list(judged(records))
    return (np.array([u.features for u in found]), np.array([u.right for u in found], dtype=float),
            np.array([u.corpus for u in found]), np.array([u.holds_orphan for u in found]),
            np.array([u.beside_other for u in found]))


def _family(corpus: str) -> str:
    """The press corpora are one family: leaving one out leaves out all three."""
    return PRESS if corpus in (PRESS, HELD_OUT, GOLD_SENTENCES) else corpus


def leave_one_out(x: np.ndarray, y: np.ndarray, corpora: np.ndarray, here: np.ndarray, l2: float = 1e-2,
                  held: dict[int, float] | None = None) -> np.ndarray:
    """The confidences of the units `here` (one corpus, or the press halves pooled) under the model fitted on the
    fitted units of the other corpora (the press corpora are one family: none of them when `here` is press), the
    coefficients in `held` kept at their values."""
    families = np.array([_family(c) for c in corpora])
    others = ~np.isin(corpora, REPORTED_ONLY) & (families != families[here][0])
    return probabilities(x[here], fit_logistic(x[others], y[others], l2, held=held))


def probabilities(x: np.ndarray, w: np.ndarray) -> np.ndarray:
    """The logistic model's confidences of the units with features `x` under coefficients `w`."""
    return 1 / (1 + np.exp(-(x @ w)))


def main(data: Path, cache: Path | None = None, held: dict[str, float] | None = None) -> None:
    x, y, corpora, glued, beside_other = units(routes(data, cache))
    fitted = ~np.isin(corpora, REPORTED_ONLY)
    held = {FEATURES.index(name): value for name, value in (held or {}).items()}
    w = fit_logistic(x[fitted], y[fitted], held=held)
    report = {}
    groups = [(corpus, corpora == corpus) for corpus in dict.fromkeys(corpora)]
    groups.append((BOTH_HALVES, np.isin(corpora, (PRESS, HELD_OUT))))
    for corpus, here in groups:
        p = leave_one_out(x, y, corpora, here, held=held)
        ece, table = reliability(y[here], p)
        right_beside = (y[here] == 1) & beside_other[here]
        report[corpus] = {"units": int(here.sum()), "right": round(float(y[here].mean()), 4),
                          "auc_in_sample": round(roc_auc(y[here], x[here] @ w), 4),
                          "auc_leave_one_corpus_out": round(roc_auc(y[here], p), 4),
                          "ece_leave_one_corpus_out": round(ece, 4),
                          "errors_in_least_confident_20pct": round(caught(y[here], p), 4),
                          "units_with_an_orphan": int(glued[here].sum()),
                          "of_them_at_least_0.8": int((p[glued[here]] >= 0.8).sum()),
                          "right_1_1_beside_another_kind": int(right_beside.sum()),
                          "of_them_under_0.5": int((p[right_beside] < 0.5).sum()),
                          "reliability": table}
        if corpus in REPORTED_ONLY:
            # not fitted on: the shipped model (fitted on the press training half, unlike leave one corpus out)
            # is judged on it as on held-out text
            shipped = probabilities(x[here], w)
            report[corpus]["shipped_model"] = {
                "auc": round(roc_auc(y[here], shipped), 4), "ece": round(reliability(y[here], shipped)[0], 4),
                "errors_in_least_confident_20pct": round(caught(y[here], shipped), 4),
                "units_with_an_orphan_at_least_0.8": int((shipped[glued[here]] >= 0.8).sum())}
        r = report[corpus]
        print(f"{corpus}: {here.sum()} units, {y[here].mean():.3f} right; AUC {r['auc_in_sample']} in sample, "
              f"{r['auc_leave_one_corpus_out']} leave one corpus out; ECE {ece:.3f}; least confident 20% hold "
              f"{r['errors_in_least_confident_20pct']:.0%} of the errors; units with an orphan ≥ 0.8: "
              f"{r['of_them_at_least_0.8']} of {r['units_with_an_orphan']}; right 1-1 beside another kind < 0.5: "
              f"{r['of_them_under_0.5']} of {r['right_1_1_beside_another_kind']}", flush=True)
        if "shipped_model" in r:
            m = r["shipped_model"]
            print(f"  the shipped model on it (not fitted on it): AUC {m['auc']}, ECE {m['ece']:.3f}, least "
                  f"confident 20% hold {m['errors_in_least_confident_20pct']:.0%} of the errors, units with an orphan ≥ 0.8: "
                  f"{m['units_with_an_orphan_at_least_0.8']} of {r['units_with_an_orphan']}")
        for row in table:
            print(f"    {row['bin']}: {row['units']} units, confidence {row['confidence']:.3f}, right {row['right']:.3f}")
    out = Path(__file__).resolve().parent.parent / "align" / "data" / "confidence.json"
    partial = out.with_name(out.name + ".partial")
    partial.write_text(json.dumps({"features": list(FEATURES), "coefficients": [round(float(v), 5) for v in w],
                                   "fitted_on": ", ".join(f"{c} ({r['units']} units)" for c, r in report.items()
                                                          if c not in REPORTED_ONLY + (BOTH_HALVES,)),
                                   "beads": int(fitted.sum()), "positive_rate": round(float(y[fitted].mean()), 4),
                                   "auc_in_sample": round(roc_auc(y[fitted], x[fitted] @ w), 4), "corpora": report},
                                  indent=2, ensure_ascii=False) + "\n")
    partial.replace(out)    # written whole, then renamed: an interrupted fit leaves the shipped model as it was
    print(f"{int(fitted.sum())} units fitted on; coefficients {np.round(w, 3).tolist()} → {out}")


if __name__ == "__main__":
    import argparse

    parser = argparse.ArgumentParser(description="Fit the bead-confidence model.")
    parser.add_argument("data", nargs="?", type=Path, default=Path(__file__).resolve().parents[2] / "shared" / "data")
    parser.add_argument("--routes", type=Path, help="keep the aligner's routes in this file, or read them from it "
                                                    "when it exists (fit again without aligning)")
    parser.add_argument("--hold", action="append", default=[], metavar="FEATURE=VALUE",
                        help="keep this feature's coefficient at VALUE (in every fit, leave one corpus out too) and "
                             "fit the others beside it; repeatable")
    args = parser.parse_args()
    main(args.data, args.routes, {name: float(value) for name, value in (h.split("=") for h in args.hold)})
