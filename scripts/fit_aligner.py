"""Fit the aligner's feature weights on MAC-Dev (with omissions) and write align/data/aligner.json.

For each method (`combined`: both encoders; `fast`: USE alone; `e5`: e5 alone; each with the lexicon,
length and punctuation signals) the weights of `align.aligners.combined.FEATURES` are learned by minimising
the structured hinge loss against the DP's own best route: for each chapter the loss-augmented route (every
bead not in the gold alignment earns a bonus: 1 per sentence of its larger side if it holds a sentence the gold
leaves unpaired, else PLAIN_SHARE per sentence beyond the first, `_loss`) is searched, and the weights step towards
the gold route's summed features and away from that route's, each feature with its own step size (AdaGrad: RATE over the root
of its summed squared steps), so that the shape weights learn as fast as the margin's; the weights are
averaged over every step. The features are those of
`CombinedAligner.fitting_cost`: every span of up to four sentences really encoded by each encoder for
the methods with pass 3, sums of sentence vectors for `fast`.

A method with pass 3 gets two weight vectors: one fitted on the features of real span encodings (pass 3)
and one on sums of sentence vectors (`search_weights`, passes 1 and 2, whose posteriors are the
confidences). The posterior temperature of each method is then chosen for the ROC-AUC of those
posteriors, and
the script reports strict/lax F1 of the real aligner with the fitted weights: in sample and leave one
chapter out (weights fitted on five chapters, the sixth aligned with them). Deterministic.

Gaps: MAC-Dev's gold has almost no sentence without a counterpart, so the training set also holds
OMISSION_WINDOWS stretches of each chapter with a block of 1–15 sentences removed from one side
(`align.bench.omissions`, another seed than the benchmark's), from which the weights of the skip
features and of the gap opening (`CombinedCost.opening`, paid once per run of 1-0 / 0-1 beads) are
learned. A chapter's windows are held out with it.

Speaker turns, paragraphs, quantities and roles, a second stage (`SECOND_STAGE_KINDS`): the structure features
(`STRUCTURE_FEATURES`, zero on text without turns or paragraphs), the quantity features (`numbers_matched`,
`numbers_unmatched`: MAC-Dev states few numbers, press-dev many) and the role feature (`turn_role`: a question
paired with an answer) are then learned on the training half of
press-dev (`press_training_set`, with each sentence's turn and paragraph), every other weight frozen at the
first stage's: the turn features alone first, then the paragraph features alone, then the quantity features
alone, then the role feature alone, then `paragraph_glued` (a whole paragraph of one side glued to a piece of the
other's) alone, each kind frozen once learned. (All ten learned together from zero moved the turn weights, e.g.
turn_start −1.36 → −0.76, and `bench press`'s held-out paragraph-removed row fell 0.842 → 0.835.) Only `combined`
learns the quantity features (`METHODS`): with them `fast` lost Bible strict F1 0.9202 → 0.9178.
Fitting every weight on MAC-Dev and press together moved the shared gap weights
towards press-dev's short texts and cost MAC-Dev strict F1 0.902 / 0.903 → 0.896 / 0.893. The
leave-one-chapter-out figures put the second stage on each fold's first-stage weights, as on the shipped ones.
Held weights (`--hold NAME,...`): the named features keep the values aligner.json ships for the method (each of
its two weight vectors its own), in both stages and in every leave-one-chapter-out fold (whose held values were
fitted on all six chapters), and the fit learns only the others; for a new feature, so that fitting it does not
move the weights it does not need. The LINE_ONLY weights (`sure_boundary`, by how much pass 3's reading of a bead through a
span encoded only for a paired neighbour must beat the bead's cost without it, which the fit's features cannot show)
are always held.
Line search (`--line NAME --grid a,b,...`, one method): strict F1 of the real aligner on MAC-Dev's chapters for each
value of one weight, all else shipped, in sample and leave one chapter out; with `--press` press-dev's training half
is aligned too, with `--bible` the Bible set's training half (`align.bench.common.bible_halves`: its chapters of even
index back to back, aligned English first in one text as `bench speed` aligns the set), and the value is chosen by
the mean of the corpora's strict F1 (`objective`: each corpus once, whatever its size).
Usage: python scripts/fit_aligner.py [../shared/data/mac-dev] [--methods combined,fast] [--second-stage]
[--hold NAME,...] | --methods NAME --line NAME --grid a,b,... [--press] [--bible]
(methods not named keep their weights in aligner.json; `--second-stage` runs the second stage alone on the
shipped weights: 7 s of CPU for `combined` on 2026-12-01, against about 7 minutes for its whole fit with the
leave-one-chapter-out folds; it keeps the recorded MAC-Dev figures, which the quantity features move: re-measure
them with `python -m align bench quality --method NAME`)
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np

from align.aligners import dp
from align.aligners.combined import ALL_KINDS, FEATURES, STRUCTURE_FEATURES, CombinedAligner, Model, fitted_model
from align.aligners.ladder import read_ladder
from align.bench.common import BibleText, bible_halves
from align.bench.omissions import Source, mac_dev_sources, window_variants
from align.document import Bead
from align.evaluate import Scores, roc_auc, score_alignments
from align.ingest import read_lines

# method: (encoders, pass 3 with real span encodings, quantity features) — as in align/aligners/__init__.py
METHODS = {"combined": (("use",), True, True), "fast": (("use",), False, False), "e5": (("e5",), True, False),
           "two-encoders": (("use", "e5"), True, False)}
# AdaGrad's base rate: with one bonus per wrong bead, MAC-Dev strict F1 in sample 0.9035 at 0.03, 0.9054 at 0.1,
# 0.9055 at 0.3 (20 epochs; scripts/fit_aligner.py --methods combined reports it).
EPOCHS, RATE, LOSS_BONUS = 20, 0.1, 1.0
# A wrong paired bead that holds a sentence the gold leaves unpaired (a glued orphan) earns LOSS_BONUS once per
# sentence of its larger side; any other wrong bead LOSS_BONUS for its first sentence and PLAIN_SHARE of it for
# each sentence beyond.
# MAC-Dev strict F1 in sample / leave one chapter out, `bench omissions`' all-row orphan recall, Bible default strict
# F1 (docs/aligner.md, "The loss between the two"): 1 0.9023 / 0.9026, 0.960, 0.9215; 0.75 0.9044 / 0.9033, 0.957,
# 0.9215; 0.5 0.9056 / 0.9063, 0.948, 0.9223; 0 0.9065 / 0.9065, 0.945, 0.9232 (the recall lost is the Bible's).
PLAIN_SHARE = 0.75
TEMPERATURES = (0.25, 0.35, 0.5, 0.75, 1.0)
START = {"lexical": 1.5, "length": 0.2, "punctuation": 0.2, "bias": 0.5, "extra_sentences": -0.3, "skip": -1.0,
         "skip_match": -3.0, "gap_open": -2.5}
# Stretches with a gap made per chapter for training (seeded, not the benchmark's variants).
OMISSION_WINDOWS, OMISSION_SEED, WINDOW_CONTEXT = 3, 1017, 25
# press-dev's training half: variants without a paragraph per conference and side (seeded); their group.
PRESS_PARAGRAPH_VARIANTS, PRESS_GROUP = 2, "press-dev training half"
# What the second stage learns on press-dev's training half, kind after kind: the structure features (zero on
# MAC-Dev) and the quantity features (MAC-Dev's literary text states few numbers, press-dev many: 38 of its 100
# gold units state one on both sides), then the turns' roles (`turn_role`, zero on MAC-Dev), then `paragraph_glued`
# (zero on MAC-Dev), each of these two learned after the kinds before it so that they come out as they did without it.
QUANTITY_FEATURES = ("numbers_matched", "numbers_unmatched")
SECOND_STAGE_KINDS = (STRUCTURE_FEATURES["turn"], STRUCTURE_FEATURES["paragraph"], QUANTITY_FEATURES, ("turn_role",),
                      ("paragraph_glued",))
SECOND_STAGE = tuple(name for names in SECOND_STAGE_KINDS for name in names)
# Weights of pass 3 that the hinge fit cannot learn and keeps as shipped in every fit and fold: `sure_boundary` (zero
# in `fitting_cost`'s features, which have no pass 2), chosen by `--line sure_boundary --press`.
LINE_ONLY = ("sure_boundary",)

Route = list[tuple[int, int, int, int]]   # (a, b, i_end, j_end) per bead


def _loss(gold: list[Bead], n: int, m: int) -> dict[tuple[int, int], np.ndarray]:
    """What an a-b bead ending at [i, j] counts when it is wrong, for each kind of ALL_KINDS: 1 and, per sentence
    of its larger side beyond the first, 1 if it glues a sentence the gold leaves unpaired, else PLAIN_SHARE. Each
    side's orphans are counted once, for every kind."""
    def orphans_before(size: int, orphans: set[int]) -> np.ndarray:
        """How many of sentences [0, end) are orphans, for each end."""
        return np.concatenate(([0], np.cumsum([k in orphans for k in range(size)])))

    def glued(counts: np.ndarray, span: int) -> np.ndarray:
        """Whether sentences [end - span, end) hold an orphan, for each end (False below `span`)."""
        size = len(counts) - 1
        out = np.zeros(size + 1, dtype=bool)
        if span <= size:
            out[span:] = counts[span:] > counts[:size + 1 - span]
        return out

    zh = orphans_before(n, {i for g in gold if not g.tgt for i in g.src})
    en = orphans_before(m, {j for g in gold if not g.src for j in g.tgt})
    return {(a, b): 1.0 + (max(a, b) - 1) * np.where(glued(zh, a)[:, None] | glued(en, b)[None, :], 1.0, PLAIN_SHARE)
            if a and b else np.ones((n + 1, m + 1)) for a, b in ALL_KINDS}


class Chapter:
    """One training text: sentences, gold route and every bead's features (Chinese first), and the features a
    1-0 / 0-1 bead pays when it opens a run of them; `group` is the MAC-Dev chapter it comes from (held out
    together), or the press-dev half; `zh_turns` / `en_turns` each sentence's speaker turn and `zh_paragraphs` /
    `en_paragraphs` its paragraph (None: plain text)."""

    def __init__(self, stem: str, zh: list[str], en: list[str], gold: list[Bead], encoders: tuple[str, ...], group: str,
                 zh_turns: list[int] | None = None, en_turns: list[int] | None = None,
                 zh_paragraphs: list[int] | None = None, en_paragraphs: list[int] | None = None):
        self.stem, self.zh, self.en, self.gold, self.group = stem, zh, en, gold, group
        self.zh_turns, self.en_turns = zh_turns, en_turns
        self.zh_paragraphs, self.en_paragraphs = zh_paragraphs, en_paragraphs
        n, m = len(self.zh), len(self.en)
        self.by_spans = {}    # encoded spans or not → kind → features[i_end, j_end]
        self.openings = {}    # encoded spans or not → 1-0 / 0-1 → opening features[i_end, j_end]
        for spans in (True, False):
            cost = CombinedAligner(encoders=encoders).fitting_cost(self.zh, self.en, spans, zh_turns, en_turns,
                                                                   zh_paragraphs, en_paragraphs)
            self.by_spans[spans], self.openings[spans] = features, openings = {}, {}
            for a, b in ALL_KINDS:
                x = np.zeros((n + 1, m + 1, len(FEATURES)), dtype=np.float32)
                opened = np.zeros_like(x) if not (a and b) else None
                for i in range(a, n + 1):
                    x[i, b:] = cost.features(a, b, i, np.arange(b, m + 1))
                    if opened is not None:
                        opened[i, b:] = cost.opening_features(a, b, i, np.arange(b, m + 1))
                features[(a, b)] = x
                if opened is not None:
                    openings[(a, b)] = opened
        self.route = self._representable([(len(g.src), len(g.tgt)) for g in self.gold])
        self.loss = _loss(gold, n, m)   # a wrong bead's, per kind and bead end

    @staticmethod
    def _representable(kinds: list[tuple[int, int]]) -> Route:
        """The gold route, its few beads of kinds the search does not have (3-3, 2-4…) cut into
        one-source-sentence beads."""
        route, i, j = [], 0, 0
        for a, b in kinds:
            pieces = [(a, b)] if (a, b) in ALL_KINDS else [(1, b // a + (k < b % a)) for k in range(a)]
            for pa, pb in pieces:
                i, j = i + pa, j + pb
                route.append((pa, pb, i, j))
        return route

    def summed(self, route: Route, mask: np.ndarray, spans: bool) -> np.ndarray:
        """The route's features summed over its beads, with the opening features of each run of 1-0 / 0-1
        beads."""
        features, openings = self.by_spans[spans], self.openings[spans]
        out = sum(features[(a, b)][i, j] for a, b, i, j in route).astype(np.float64)
        for k, (a, b, i, j) in enumerate(route):
            if not (a and b) and (k == 0 or route[k - 1][:2] != (a, b)):
                out += openings[(a, b)][i, j]
        return out * mask


def training_set(mac_dev: Path, encoders: tuple[str, ...]) -> list[Chapter]:
    """MAC-Dev's chapters and, for each, OMISSION_WINDOWS stretches around a removed block."""
    import random

    rng = random.Random(OMISSION_SEED)
    chapters = []
    for gold_file in sorted((mac_dev / "gold").glob("*.align")):
        stem = gold_file.stem
        zh, en = read_lines(mac_dev / "zh" / f"{stem}.zh"), read_lines(mac_dev / "en" / f"{stem}.en")
        gold = read_ladder(gold_file)
        chapters.append(Chapter(stem, zh, en, gold, encoders, stem))
        source = Source(stem, tuple(zh), tuple(en), tuple(gold))
        for variant in window_variants(source, "mac-dev", OMISSION_WINDOWS, WINDOW_CONTEXT, rng):
            chapters.append(Chapter(variant.name, list(variant.zh), list(variant.en), list(variant.gold), encoders, stem))
        print(f"{stem}: features ready", flush=True)
    return chapters


def _with_structure(case) -> Source:
    """A `bench.press.Case` as a gold-aligned text with each sentence's speaker turn and paragraph."""
    from align.bench.press import sentence_paragraphs, sentence_turns

    return Source(case.name, case.zh, case.en, case.gold, tuple(sentence_turns(case.zh, "zh")),
                  tuple(sentence_turns(case.en, "en")), tuple(sentence_paragraphs(list(case.zh), case.zh_text)),
                  tuple(sentence_paragraphs(list(case.en), case.en_text)))


def press_training_texts(press_dev: Path) -> list[Source]:
    """The training half of press-dev (`align.bench.press.halves`), with its speaker turns and paragraphs
    (`align.bench.press.sentence_paragraphs`): each conference as
    it is, without one paragraph of either side (PRESS_PARAGRAPH_VARIANTS each) and without one whole turn of
    one side (a question, an answer, both: `turn_variants`), and the half put back to back in one text with
    its turn variants; each text once, none without a paired gold bead. Empty when press-dev is absent."""
    import random

    from align.bench.omissions import press_sources, turn_variants
    from align.bench.press import cases, gapped, halves

    if not (press_dev / "gold").is_dir():
        print(f"{press_dev}: press-dev not found; fitting without speaker turns", flush=True)
        return []
    found = cases(press_dev)
    training = halves([pair.stem for pair, _ in found])[0]
    rng = random.Random(OMISSION_SEED)
    texts = []
    for pair, case in found:
        if pair.stem not in training:
            continue
        whole = _with_structure(case)
        texts.append(whole)
        texts += [_with_structure(cut) for _ in range(PRESS_PARAGRAPH_VARIANTS) for _, cut in gapped([(pair, case)], rng)]
        texts += turn_variants(whole, "press-dev", rng)
    joined = press_sources(press_dev, per_text=len(training), stems=training)
    texts += joined + [v for source in joined for v in turn_variants(source, "press-dev", rng)]
    kept, seen = [], set()
    for text in texts:
        if text.name not in seen and any(b.src and b.tgt for b in text.gold) and text.zh and text.en:
            seen.add(text.name)
            kept.append(text)
    return kept


def press_training_set(press_dev: Path, encoders: tuple[str, ...]) -> list[Chapter]:
    """`press_training_texts` with their features."""
    chapters = [Chapter(text.name, list(text.zh), list(text.en), list(text.gold), encoders, PRESS_GROUP,
                        list(text.zh_turns), list(text.en_turns), list(text.zh_paragraphs), list(text.en_paragraphs))
                for text in press_training_texts(press_dev)]
    if chapters:
        print(f"press-dev training half: {len(chapters)} texts ready", flush=True)
    return chapters


class _Scores:
    """dp.BeadCost over a chapter's precomputed features (with encoded spans or not); `bonus` times the bead's
    `_loss` is added to beads off the gold route (with one bonus per bead everywhere, a rival that fuses a 1-1 and
    five orphans into one 6-1 bead paid the loss of one wrong bead; with one per sentence everywhere, the fitted
    weights merged right 1-1s of MAC-Dev into 2-2 / 2-3 beads)."""

    def __init__(self, chapter: Chapter, w: np.ndarray, spans: bool, bonus: float = 0.0):
        self.n_src, self.n_tgt = len(chapter.zh), len(chapter.en)
        self.opens = {kind: x @ w for kind, x in chapter.openings[spans].items()}
        self.score = {kind: x @ w + bonus * chapter.loss[kind] for kind, x in chapter.by_spans[spans].items()}
        for a, b, i, j in chapter.route if bonus else ():
            self.score[(a, b)][i, j] -= bonus * chapter.loss[(a, b)][i, j]

    def cost(self, a: int, b: int, i: int, js: np.ndarray) -> np.ndarray:
        return -self.score[(a, b)][i, js]

    def opening(self, a: int, b: int, i: int, js: np.ndarray) -> np.ndarray:
        return -self.opens[(a, b)][i, js]


def _route(scores: _Scores) -> Route:
    return [(a, b, i, j) for (a, b), i, j in dp.search(scores, ALL_KINDS)]


def fit(chapters: list[Chapter], encoders: tuple[str, ...], spans: bool, start: np.ndarray | None = None,
        learn: tuple[str, ...] | None = None, held: dict[str, float] | None = None) -> np.ndarray:
    """Weights minimising the structured hinge loss (the loss-augmented best route's score minus the gold
    route's), by stochastic subgradient steps with AdaGrad's per-feature step sizes, averaged over every step.
    (An averaged perceptron with one rate for all features, as before, moved the shape weights — bias,
    extra_sentences, many_to_many — little from START while the margin's weight grew: merges of two right 1-1s
    into a 2-2 became cheaper, MAC-Dev strict F1 0.907 → 0.902.) From `start` (default START), moving only the
    features named in `learn` (default all but the margins of other encoders and the second stage's) and not in
    `held`, whose features start (when `start` is None) and stay at its values."""
    held = held or {}
    mask = np.array([0.0 if name.startswith("margin_") and name[7:] not in encoders else 1.0 for name in FEATURES])
    mask *= np.array([name in learn if learn is not None else name not in SECOND_STAGE for name in FEATURES])
    mask *= np.array([name not in held for name in FEATURES])
    if start is None:
        start = np.array([START.get(name, 6.0 / len(encoders) if name.startswith("margin_") else 0.0)
                          for name in FEATURES]) * mask + np.array([held.get(name, 0.0) for name in FEATURES])
    w = start.copy()
    squares, total = np.full_like(w, 1e-8), np.zeros_like(w)
    order = np.random.default_rng(0)
    for _ in range(EPOCHS):
        for k in order.permutation(len(chapters)):
            chapter = chapters[k]
            rival = _route(_Scores(chapter, w, spans, LOSS_BONUS))
            gradient = chapter.summed(rival, mask, spans) - chapter.summed(chapter.route, mask, spans)
            squares += gradient ** 2
            w = w - RATE * gradient / np.sqrt(squares)
            total += w
    return total / (EPOCHS * len(chapters))


def posterior_auc(chapters: list[Chapter], w: np.ndarray, temperature: float) -> float:
    """ROC-AUC of the posteriors of pass 2 (sums of sentence vectors), where the confidences come from."""
    labels, odds = [], []
    for chapter in chapters:
        scores = _Scores(chapter, w, spans=False)
        route = dp.search(scores, ALL_KINDS)
        gold = {(g.src, g.tgt) for g in chapter.gold}
        posteriors = dp.Posteriors(scores, ALL_KINDS, None, temperature)
        for ((a, b), i, j), value in zip(route, posteriors.log_odds(route)):
            if a and b:
                labels.append((tuple(range(i - a, i)), tuple(range(j - b, j))) in gold)
                odds.append(value)
    return roc_auc(np.array(labels), np.array(odds))


def held_values(shipped: Model | None, hold: tuple[str, ...]) -> tuple[dict[str, float], dict[str, float]]:
    """The values of the `hold` features in `shipped`'s weights of pass 3 and of the passes before it (the same
    vector for a method without pass 3); nothing held without a shipped model."""
    if shipped is None:
        return {}, {}
    search = shipped.search()
    return ({name: shipped.weights.get(name, 0.0) for name in hold},
            {name: search.weights.get(name, 0.0) for name in hold})


def fitted(chapters: list[Chapter], encoders: tuple[str, ...], spans: bool, temperature: float | None = None,
           held: tuple[dict[str, float], dict[str, float]] = ({}, {})) -> Model:
    """The method's model: weights for its features, and for a method with pass 3 also the weights of the
    passes before it (on sums of sentence vectors), whose posteriors give the confidences; the temperature
    is chosen for their ROC-AUC unless given. `held` (`held_values`) fixes some features of each."""
    def rounded(w: np.ndarray) -> dict[str, float]:
        return {name: round(float(v), 4) for name, v in zip(FEATURES, w) if v}

    search = fit(chapters, encoders, spans=False, held=held[1])
    if temperature is None:
        temperature = max(TEMPERATURES, key=lambda t: posterior_auc(chapters, search, t))
    if not spans:
        return Model(rounded(search), temperature)
    return Model(rounded(fit(chapters, encoders, spans=True, held=held[0])), temperature, rounded(search))


def second_stage(texts: list[Chapter], encoders: tuple[str, ...], spans: bool, numbers: bool, model: Model,
                 hold: tuple[str, ...] = ()) -> Model:
    """`model` with its SECOND_STAGE features learned afresh (from zero) on `texts` (press-dev's training half),
    kind after kind (turns, then paragraphs, then, with `numbers`, quantities, then roles, then glued paragraphs),
    each alone with every other weight frozen, those learned before it too: the same result whether `model` already
    had those weights or not. The features named in `hold` keep `model`'s values."""
    def learned(weights: dict[str, float], with_spans: bool) -> dict[str, float]:
        w = np.array([0.0 if name in SECOND_STAGE and name not in hold else weights.get(name, 0.0)
                      for name in FEATURES])
        for names in (kind for kind in SECOND_STAGE_KINDS if numbers or kind != QUANTITY_FEATURES):
            if set(names) - set(hold):
                w = fit(texts, encoders, with_spans, w, names, {name: weights.get(name, 0.0) for name in hold})
        return {name: round(float(v), 4) for name, v in zip(FEATURES, w) if v}

    if not texts:
        return model
    if not spans:
        return Model(learned(model.weights, False), model.temperature)
    return Model(learned(model.weights, True), model.temperature, learned(model.search_weights, False))


def aligned(chapter: Chapter | Source, encoders: tuple[str, ...], spans: bool,
            model: Model) -> tuple[list[Bead], list[Bead]]:
    aligner = CombinedAligner(encoders=encoders, model=model, refine=spans)
    return list(chapter.gold), aligner.align(
        list(chapter.zh), list(chapter.en), "zh", "en",
        src_turns=list(chapter.zh_turns) if chapter.zh_turns else None,
        tgt_turns=list(chapter.en_turns) if chapter.en_turns else None,
        src_paragraphs=list(chapter.zh_paragraphs) if chapter.zh_paragraphs else None,
        tgt_paragraphs=list(chapter.en_paragraphs) if chapter.en_paragraphs else None)


def aligned_bible(text: BibleText, encoders: tuple[str, ...], spans: bool, model: Model) -> tuple[list[Bead], list[Bead]]:
    """`text`'s gold and its alignment, English first as `bench speed` aligns the Bible set."""
    aligner = CombinedAligner(encoders=encoders, model=model, refine=spans)
    return list(text.gold), aligner.align(list(text.en), list(text.zh), "en", "zh")


def with_weight(model: Model, name: str, value: float) -> Model:
    """`model` with `name`'s weight of pass 3 set to `value` and its weight in the passes before scaled by the same
    factor (set to `value` too where pass 3's was zero; left alone for a LINE_ONLY feature, which only pass 3 reads)."""
    shipped = model.weights.get(name, 0.0)
    weights = {**model.weights, name: value}
    if not model.search_weights:
        return Model(weights, model.temperature)
    if name in LINE_ONLY:
        return Model(weights, model.temperature, model.search_weights)
    twin = model.search_weights.get(name, 0.0) * value / shipped if shipped else value
    return Model(weights, model.temperature, {**model.search_weights, name: round(twin, 4)})


def nearest_best(f1: dict[float, float], shipped: float) -> float:
    """The value of highest F1, of those tied the nearest to `shipped`."""
    return max(f1, key=lambda value: (f1[value], -abs(value - shipped)))


def objective(mac_dev: Scores, *others: Scores | None) -> float:
    """What `--line` maximises: the mean of the strict F1 of MAC-Dev and of each other corpus given (`--press`:
    press-dev's training half, `--bible`: the Bible's), each corpus once, whatever its size."""
    scores = [mac_dev] + [other for other in others if other is not None]
    return sum(score.strict_f1 for score in scores) / len(scores)


def line_search(texts: list[Source], method: str, model: Model, name: str, grid: list[float],
                press: list[Source] = (), bible: BibleText | None = None
                ) -> tuple[dict[float, Scores], dict[float, Scores], dict[float, Scores], list[float], Scores]:
    """Strict/lax F1 of `method` on `texts` (MAC-Dev's chapters), on `press` (press-dev's training half, if given)
    and on `bible` (the Bible's training half, if given) for each value of `name`'s weight in `grid` (`with_weight`:
    every other weight as `model` has it), in sample; and leave one chapter out: for each chapter the value
    `nearest_best` by `objective` with that chapter out of MAC-Dev's part, and the scores of each chapter aligned
    with its value, pooled."""
    encoders, spans, _ = METHODS[method]
    pairs, on_press, on_bible = {}, {}, {}
    for value in grid:
        weighted = with_weight(model, name, value)
        pairs[value] = [aligned(text, encoders, spans, weighted) for text in texts]
        if press:
            on_press[value] = score_alignments([aligned(text, encoders, spans, weighted) for text in press])
        if bible:
            on_bible[value] = score_alignments([aligned_bible(bible, encoders, spans, weighted)])
        print(f"{name}={value}: aligned", flush=True)
    in_sample = {value: score_alignments(found) for value, found in pairs.items()}
    shipped = model.weights.get(name, 0.0)
    picks = [nearest_best({value: objective(score_alignments(found[:k] + found[k + 1:]), on_press.get(value),
                                            on_bible.get(value))
                           for value, found in pairs.items()}, shipped) for k in range(len(texts))]
    return in_sample, on_press, on_bible, picks, score_alignments([pairs[value][k] for k, value in enumerate(picks)])


def line_main(mac_dev: Path, method: str, name: str, grid: list[float], with_press: bool = False,
              with_bible: bool = False) -> None:
    """Print `line_search`'s figures for `method`'s shipped model (aligner.json is not written); with
    `with_press`, press-dev's training half is aligned too and in the objective, with `with_bible` the Bible's (read
    beside MAC-Dev, at ../bible)."""
    if name not in FEATURES:
        raise SystemExit(f"--line: not a feature: {name}")
    texts, model = mac_dev_sources(mac_dev), fitted_model(method)
    press = press_training_texts(mac_dev.parent / "press-dev") if with_press else []
    if with_press and not press:
        raise SystemExit("--press: press-dev's training half not found")
    bible = bible_halves(mac_dev.parent / "bible")[0] if with_bible else None
    shipped = model.weights.get(name, 0.0)
    in_sample, on_press, on_bible, picks, held_out = line_search(texts, method, model, name, grid, press, bible)
    for value, scores in in_sample.items():
        line = (f"{method} {name}={value}: MAC-Dev strict F1 {scores.strict_f1:.4f} in sample (P "
                f"{scores.strict_precision:.4f} R {scores.strict_recall:.4f}; lax {scores.lax_f1:.4f}; AUC {scores.auc:.4f})")
        if value in on_press:
            line += (f"; press-dev training half ({len(press)} texts) strict F1 {on_press[value].strict_f1:.4f} (lax "
                     f"{on_press[value].lax_f1:.4f})")
        if value in on_bible:
            line += (f"; Bible training half ({len(bible.gold)} gold beads) strict F1 {on_bible[value].strict_f1:.4f} "
                     f"(lax {on_bible[value].lax_f1:.4f})")
        if on_press or on_bible:
            line += f"; objective {objective(scores, on_press.get(value), on_bible.get(value)):.4f}"
        print(line, flush=True)
    best = nearest_best({value: objective(scores, on_press.get(value), on_bible.get(value))
                         for value, scores in in_sample.items()}, shipped)
    print(f"in-sample best {name}={best}; leave one chapter out: values "
          f"{', '.join(f'{t.name} {v}' for t, v in zip(texts, picks))}; MAC-Dev strict F1 {held_out.strict_f1:.4f} "
          f"(lax {held_out.lax_f1:.4f}; AUC {held_out.auc:.4f})")


def main(mac_dev: Path, methods: list[str], second_only: bool = False, hold: tuple[str, ...] = ()) -> None:
    from align.aligners.combined import fitted_model

    unknown = set(hold) - set(FEATURES)
    if unknown:
        raise SystemExit(f"--hold: not features: {', '.join(sorted(unknown))}")
    hold = tuple(dict.fromkeys(hold + LINE_ONLY))

    encoders = tuple(sorted({name for method in methods for name in METHODS[method][0]}))
    chapters = [] if second_only else training_set(mac_dev, encoders)
    whole = [c for c in chapters if c.stem == c.group]
    press = press_training_set(mac_dev.parent / "press-dev", encoders)
    out_path = Path(__file__).resolve().parent.parent / "align" / "data" / "aligner.json"
    out = json.loads(out_path.read_text(encoding="utf-8"))
    out["fitted_on"] = ("MAC-Dev (6 chapters) and 18 stretches of them with a block removed from one side; the "
                        "turn, paragraph, (combined only) quantity, role and glued-paragraph features alone, kind after kind, on "
                        f"{len(press)} texts from press-dev's training half (with speaker turns and paragraphs; some "
                        "without a paragraph or a whole turn of one side)")
    for method in methods:
        encoders, spans, numbers = METHODS[method]
        if second_only:
            model = second_stage(press, encoders, spans, numbers, fitted_model(method), hold)
            out["methods"][method].update({"weights": model.weights, **(
                {"search_weights": model.search_weights} if model.search_weights else {})})
            learned = {k: v for k, v in model.weights.items() if k in SECOND_STAGE}
            print(f"{method}: second stage {learned}", flush=True)
            continue
        shipped = fitted_model(method) if hold else None
        held = held_values(shipped, hold)
        model = second_stage(press, encoders, spans, numbers, fitted(chapters, encoders, spans, held=held), hold)
        in_sample = score_alignments([aligned(c, encoders, spans, model) for c in whole])
        held_out = score_alignments([aligned(c, encoders, spans, second_stage(press, encoders, spans, numbers, fitted(
            [o for o in chapters if o.group != c.group], encoders, spans, model.temperature, held), hold))
            for c in whole])
        out["methods"][method] = {
            "weights": model.weights, "temperature": model.temperature,
            **({"search_weights": model.search_weights} if model.search_weights else {}),
            "strict_f1_in_sample": round(in_sample.strict_f1, 4), "lax_f1_in_sample": round(in_sample.lax_f1, 4),
            "strict_f1_leave_one_chapter_out": round(held_out.strict_f1, 4),
            "lax_f1_leave_one_chapter_out": round(held_out.lax_f1, 4),
            "auc_in_sample": round(in_sample.auc, 4), "auc_leave_one_chapter_out": round(held_out.auc, 4)}
        print(f"{method}: strict F1 {in_sample.strict_f1:.4f} in sample, {held_out.strict_f1:.4f} leave one "
              f"chapter out (lax {in_sample.lax_f1:.4f} / {held_out.lax_f1:.4f}; AUC {in_sample.auc:.4f} / "
              f"{held_out.auc:.4f}); T={model.temperature}; {model.weights}",
              flush=True)
    partial = out_path.with_suffix(".json.partial")
    partial.write_text(json.dumps(out, indent=2) + "\n", encoding="utf-8")
    partial.replace(out_path)
    print(f"→ {out_path}")


if __name__ == "__main__":
    import argparse

    parser = argparse.ArgumentParser(description="Fit the aligner's weights on MAC-Dev with omissions.")
    parser.add_argument("mac_dev", nargs="?", type=Path,
                        default=Path(__file__).resolve().parents[2] / "shared" / "data" / "mac-dev")
    parser.add_argument("--methods", default=",".join(METHODS), help="comma-separated, of: " + ", ".join(METHODS))
    parser.add_argument("--second-stage", action="store_true",
                        help="learn only the turn, paragraph, quantity, role and glued-paragraph features, on the shipped weights (the "
                             "second stage alone)")
    parser.add_argument("--hold", default="", help="comma-separated features that keep the values aligner.json ships "
                                                   "for each method (both stages); the fit learns the others")
    parser.add_argument("--line", default="", help="a feature: print MAC-Dev's strict F1 for each --grid value of its "
                                                   "weight, all else shipped (one method; aligner.json not written)")
    parser.add_argument("--grid", default="0.8,0.9,1.0,1.1,1.2,1.3,1.4,1.5,1.6", help="comma-separated, for --line")
    parser.add_argument("--press", action="store_true", help="with --line: align press-dev's training half too and "
                                                             "choose by the mean of its strict F1 and MAC-Dev's")
    parser.add_argument("--bible", action="store_true", help="with --line: align the Bible's training half (its chapters "
                                                             "of even index) too, a corpus of the mean")
    args = parser.parse_args()
    if args.line:
        line_main(args.mac_dev, args.methods, args.line, [float(v) for v in args.grid.split(",")], args.press,
                  args.bible)
    else:
        main(args.mac_dev, args.methods.split(","), args.second_stage, tuple(filter(None, args.hold.split(","))))
