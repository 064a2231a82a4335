"""The default aligner: two sentence encoders + lexicon + length + punctuation, a learned linear
combination, searched with the shared DP.

Each bead (1-1 up to 1-6 / 6-1, and 1-0 / 0-1) is described by a few features (`FEATURES`): the CSLS
margin of each encoder, CC-CEDICT coverage, the length model, punctuation agreement, the bead's kind and
its weakest sentence's margin to the other side (`SpanFeatures.weakest`: a 6-1 bead whose extra sentences
have nothing to do with the other side is dear), and what its sentences beyond the best-matched one of each side
gain by being in it, against their best match outside it, where the bead stays inside one turn and paragraph
(`extra_margin`); a 1-0 / 0-1 bead by how well its sentence matches
anything on the other side, and a run of them pays one gap opening (`CombinedCost.opening`, the DP's state machine), so that a block the other version
lacks stays unpaired instead of being glued to its neighbours; in a transcript, its speaker turns and
paragraphs say where a bead or a gap may start and end (`structure.Boundaries`; a whole paragraph of one side glued
to a piece of the other's is dearer still), and a question paired with an answer is dear (`structure.Roles`); quantities stated on both sides
of a bead are anchors (`numbers.QuantityAgreement`). A bead's score is the weighted sum of its features, with
weights fitted on MAC-Dev and stretches of it with a block removed, the turn, paragraph, quantity, role and
glued-paragraph weights on press-dev's training half (`scripts/fit_aligner.py`, stored in `align/data/aligner.json`).
Pass 1 (large inputs only) finds a rough route over the whole matrix without the lexicon; pass 2 searches
with every signal inside a band around it, scoring multi-sentence spans by the sum of their sentence vectors
(passes 1 and 2 use the weights fitted for such sums); pass 3 encodes the real text of the spans around the
uncertain beads of pass 2, their paired neighbours and the beads beside its gaps (each encoder within its budget)
and searches again; a bead read through a span encoded only for a neighbour (a reading that moves a boundary pass 2
was sure of) counts only where it beats the same bead read as before by `sure_boundary`.
Each bead's confidence comes from its posterior probability under
all routes (forward–backward, `dp.Posteriors`) of the model that chose the route, and of pass 2's,
calibrated by a logistic model (`scripts/fit_confidence.py`).
"""

from __future__ import annotations

import copy
import json
from bisect import bisect_left
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources

import numpy as np

from align.aligners import dp
from align.aligners.numbers import QuantityAgreement
from align.aligners.spans import EncodedSpans, RowBand, SpanFeatures, block_sum, prefix1d
from align.aligners.structure import Boundaries, Roles, structure_evidence, turn_roles, unpaired_in_turn
from align.document import Bead
from align.ingest.language import to_simplified
from align.score.clauses import route_clause_gains
from align.score.confidence import route_confidences
from align.score.length import LengthModel, text_length
from align.score.punctuation import PunctuationAgreement

ALL_KINDS = [(1, 1), (1, 2), (2, 1), (2, 2), (1, 3), (3, 1), (2, 3), (3, 2), (1, 4), (4, 1), (1, 5), (5, 1),
             (1, 6), (6, 1), (1, 0), (0, 1)]
ENCODERS = ("use", "e5")
# One feature per encoder (its CSLS margin), then the other signals, the bead's shape, and `weakest` (the
# lowest margin of one of its sentences to the bead's other side, averaged over the encoders), and `extra_margin`
# (`margins_beyond_elsewhere`, averaged over the encoders: each sentence beyond the best-matched one of each side
# counts its margin to the bead's other side less its best positive margin to a sentence outside the bead; a bead's
# score is paid once per bead, so without it two 1-1s count their margins twice where the 2-2 that joins them counts
# its margin once; zero for a bead that crosses a turn or paragraph boundary on either side,
# `structure.Boundaries.inside`: there a larger bead may be a question glued to its answer, or a block one version
# lacks glued to its neighbour; a sentence without counterpart glued to its neighbour adds about nothing where it
# matches the bead as well as its neighbours and costs what it fails to match where it matches nothing).
# A 1-0 / 0-1 bead has three: `skip` (one per sentence left unpaired), `skip_match` (how well that sentence
# matches its best counterpart anywhere, CSLS) and `gap_open` (one per run of them, paid by `opening`).
# Speaker turns (`structure.Boundaries`, zero for plain text): `turn_cut` and `turn_start` of a paired bead
# (it crosses a turn boundary / starts a turn on one side only), `skip_turn_end` of a 1-0 / 0-1 bead (its
# sentence ends its turn) and `gap_inside_turn`, paid with the opening (the run starts inside a turn); the
# same four of paragraphs (`paragraph_cut` …, zero for one-sentence-a-line text). Quantities
# (`numbers.QuantityAgreement`) of a paired bead: `numbers_matched` (how many have an equal on the other side)
# and `numbers_unmatched` (the share without one, when both sides state some). `turn_role` of a paired bead: its
# number of sentences when they all ask on one side and none does on the other (`structure.Roles`).
# `paragraph_glued` of a paired bead: it crosses a paragraph boundary on one side only and holds a whole paragraph
# of that side and none of the other (`structure.Boundaries.glues_whole`: a paragraph one version lacks, glued).
# `sure_boundary` is no bead feature (the cost leaves it zero): its weight is what pass 3's reading of a bead through
# a span encoded only for a paired neighbour (`_uncertain`: a 2-sentence span across the boundary between a sure 1-1
# and an uncertain bead) must beat the same bead's cost without that span by (`_keeping_sure_boundaries`). Chosen by
# `scripts/fit_aligner.py --line sure_boundary --press`, not by the hinge fit (which has no pass 2).
STRUCTURE_FEATURES = {kind: (f"{kind}_cut", f"{kind}_start", f"skip_{kind}_end", f"gap_inside_{kind}")
                      for kind in ("turn", "paragraph")}
FEATURES = tuple(f"margin_{name}" for name in ENCODERS) + (
    "lexical", "length", "punctuation", "bias", "extra_sentences", "many_to_many", "weakest", "extra_margin", "skip",
    "skip_match", "gap_open") + STRUCTURE_FEATURES["turn"] + STRUCTURE_FEATURES["paragraph"] + (
    "numbers_matched", "numbers_unmatched", "turn_role", "paragraph_glued", "sure_boundary")
EXTRA_MARGIN, SKIP, SKIP_MATCH, GAP_OPEN, NUMBERS_MATCHED, NUMBERS_UNMATCHED, TURN_ROLE, PARAGRAPH_GLUED = (
    FEATURES.index(name) for name in ("extra_margin", "skip", "skip_match", "gap_open", "numbers_matched", "numbers_unmatched",
                                      "turn_role", "paragraph_glued"))
# (cut, start, skip end, gap inside) columns of each kind of structure
STRUCTURE_COLUMNS = {kind: tuple(FEATURES.index(name) for name in names) for kind, names in STRUCTURE_FEATURES.items()}
# log P(length) below this says only "far off"; the tail beyond it would let one odd bead outweigh the rest.
LENGTH_FLOOR = -15.0


@dataclass(frozen=True)
class Model:
    """The weights of a method's features (a bead's score is their dot product with its features; the
    DP maximises the summed scores), the temperature of its bead posteriors, and the weights fitted for
    the passes before span encodings (`search_weights`: multi-sentence spans as sums of sentence
    vectors score differently from their real encodings), when the method has pass 3."""

    weights: dict[str, float]
    temperature: float = 1.0
    search_weights: dict[str, float] | None = None

    def vector(self) -> np.ndarray:
        return np.array([self.weights.get(name, 0.0) for name in FEATURES])

    def search(self) -> "Model":
        """The model of passes 1 and 2."""
        return Model(self.search_weights, self.temperature) if self.search_weights else self


@lru_cache(maxsize=1)
def _fitted() -> dict:
    with resources.files("align.data").joinpath("aligner.json").open(encoding="utf-8") as handle:
        return json.load(handle)


def fitted_model(method: str) -> Model:
    """The weights `scripts/fit_aligner.py` fitted for `method` on MAC-Dev."""
    entry = _fitted()["methods"][method]
    return Model(entry["weights"], entry["temperature"], entry.get("search_weights"))


class CombinedCost:
    """The DP's cost of a bead: minus the dot product of its features with the model's weights.
    Signals that are off (None) contribute a zero feature."""

    def __init__(self, margins: dict[str, SpanFeatures], length: LengthModel, model: Model,
                 lexical: "LexicalCoverage | None" = None, punctuation: PunctuationAgreement | None = None,
                 structure: dict[str, Boundaries] | None = None, numbers: QuantityAgreement | None = None,
                 roles: Roles | None = None):
        self.margins, self.length, self.lexical, self.punctuation = margins, length, lexical, punctuation
        self.structure = structure or {}   # "turn" / "paragraph" → its boundaries (`structure_evidence`)
        self.numbers, self.roles = numbers, roles
        self.w = model.vector()
        self.n_src, self.n_tgt = length.n_src, length.n_tgt

    def features(self, a: int, b: int, i: int, js: np.ndarray, wanted: np.ndarray | None = None) -> np.ndarray:
        """One row of FEATURES per bead [i-a, i) × [j-b, j), j in js; with `wanted` (a mask over FEATURES) the
        signals outside it are not computed and stay zero."""
        want = (lambda k: True) if wanted is None else (lambda k: bool(wanted[k]))
        x = np.zeros((len(js), len(FEATURES)))
        if a == 0 or b == 0:
            x[:, SKIP] = 1.0
            if self.margins and want(SKIP_MATCH):
                best = [f.best_src[i - 1] if a else f.best_tgt[js - 1] for f in self.margins.values()]
                x[:, SKIP_MATCH] = np.mean(best, axis=0)
            for kind, found in self.structure.items():
                if want(STRUCTURE_COLUMNS[kind][2]):
                    x[:, STRUCTURE_COLUMNS[kind][2]] = found.skip_ends(a, i, js)
            return x
        margins = {k: self.margins[name].margin(a, b, i, js) for k, name in enumerate(ENCODERS)
                   if name in self.margins and (want(k) or want(EXTRA_MARGIN))}
        for k, margin in margins.items():
            if want(k):
                x[:, k] = margin
        k = len(ENCODERS)
        if self.lexical is not None and want(k):
            x[:, k] = self.lexical.coverage(a, b, i, js)
        if want(k + 1):
            x[:, k + 1] = np.maximum(self.length.log_match(a, b, i, js), LENGTH_FLOOR)
        if self.punctuation is not None and want(k + 2):
            x[:, k + 2] = self.punctuation.agreement(a, b, i, js)
        x[:, k + 3] = 1.0
        x[:, k + 4] = a + b - 2
        x[:, k + 5] = float(a > 1 and b > 1)
        if self.margins and (want(k + 6) or want(EXTRA_MARGIN)):
            each = [f.sentence_margins(a, b, i, js) for f in self.margins.values()]
            if want(k + 6):
                x[:, k + 6] = np.mean([m.min(axis=0) for m in each], axis=0)
            if margins and want(EXTRA_MARGIN):
                elsewhere = np.mean([f.elsewhere(a, b, i, js) for f in self.margins.values()], axis=0)
                x[:, EXTRA_MARGIN] = margins_beyond_elsewhere(np.mean(each, axis=0), elsewhere, a)
                for found in self.structure.values():
                    x[:, EXTRA_MARGIN] *= found.inside(a, b, i, js)
        for kind, found in self.structure.items():
            cut, start, _, _ = STRUCTURE_COLUMNS[kind]
            if want(cut):
                x[:, cut] = found.cut(a, b, i, js)
            if want(start):
                x[:, start] = found.start_mismatch(a, b, i, js)
        if "paragraph" in self.structure and want(PARAGRAPH_GLUED):
            x[:, PARAGRAPH_GLUED] = self.structure["paragraph"].glues_whole(a, b, i, js)
        if self.numbers is not None and (want(NUMBERS_MATCHED) or want(NUMBERS_UNMATCHED)):
            x[:, NUMBERS_MATCHED], x[:, NUMBERS_UNMATCHED] = self.numbers.features(a, b, i, js)
        if self.roles is not None and want(TURN_ROLE):
            x[:, TURN_ROLE] = self.roles.mismatch(a, b, i, js)
        return x

    def opening_features(self, a: int, b: int, i: int, js: np.ndarray) -> np.ndarray:
        """One row of FEATURES per 1-0 / 0-1 bead ending at (i, j), j in js, that starts a run of them: the
        features paid once per run (`gap_open`, `gap_inside_turn`, `gap_inside_paragraph`), the others zero."""
        x = np.zeros((len(js), len(FEATURES)))
        x[:, GAP_OPEN] = 1.0
        for kind, found in self.structure.items():
            x[:, STRUCTURE_COLUMNS[kind][3]] = found.opens_inside(a, i, js)
        return x

    def cost(self, a: int, b: int, i: int, js: np.ndarray) -> np.ndarray:
        """Minus the weighted sum of the bead's features. A feature of weight zero adds ±0 to every cost, so it
        is not computed (`fast` has no `weakest`, `skip_match` or `gap_open`): the same costs, bit for bit."""
        return -(self.features(a, b, i, js, self.w != 0) @ self.w)

    def opening(self, a: int, b: int, i: int, js: np.ndarray) -> np.ndarray:
        """The cost of starting a run of 1-0 / 0-1 beads (`dp.opening`)."""
        return -(self.opening_features(a, b, i, js) @ self.w)


def margins_beyond_elsewhere(sentence_margins: np.ndarray, elsewhere: np.ndarray, a: int) -> np.ndarray:
    """Per bead, what its sentences beyond the best of each side gain by being in it: each one's margin to the
    bead's other side (`SpanFeatures.sentence_margins`, the `a` source sentences' rows first) less its best positive
    margin to a sentence outside the bead (`SpanFeatures.elsewhere`), summed. Zero for a 1-1; positive where each
    sentence matches the bead better than anything else; about zero for a sentence without counterpart that matches
    the bead's side as well as its neighbours (the same template or topic), and negative by as much as it fails to
    match for one that matches nothing."""
    gain = sentence_margins - np.maximum(elsewhere, 0.0)
    src, tgt = gain[:a], gain[a:]
    return src.sum(axis=0) - src.max(axis=0) + tgt.sum(axis=0) - tgt.max(axis=0)


def keeping_sure_boundaries(final: dp.CachedCost, neighbours_only: dict[str, dict[str, list[tuple[int, int]]]],
                            weight: float) -> dp.CachedCost:
    """`final` (pass 3's costs, its scorer a `CombinedCost`) in which each bead read through a span that was encoded
    only for a paired neighbour (`neighbours_only[encoder][side]`: (length, start) of such spans) costs the lower of
    that reading plus `weight` and the same bead without those spans (scored as if they had not been encoded): the
    neighbours' readings cross a boundary pass 2 was sure of, and count only where they beat that by `weight`. At a
    large weight pass 3 reads as without the neighbours; the other beads as in `final`."""
    scorer = final.scorer
    beads = _neighbour_beads(final, neighbours_only)
    if not beads:
        return final
    without = copy.copy(scorer)
    without.margins = {name: _without_spans(features, neighbours_only.get(name, {}))
                       for name, features in scorer.margins.items()}
    table, _ = final.tables(ALL_KINDS)
    changes = {}
    for kind, (i, j) in beads.items():
        cells = final.layout.index(i, j)
        changes[kind] = (cells, np.minimum(table[ALL_KINDS.index(kind), cells] + weight, without.cost(*kind, i, j)))
    return final.replacing(ALL_KINDS, changes)


def _neighbour_beads(final: dp.CachedCost, neighbours_only: dict[str, dict[str, list[tuple[int, int]]]]
                     ) -> dict[tuple[int, int], tuple[np.ndarray, np.ndarray]]:
    """Per bead kind, the ends (i, j), rows increasing, of the beads in `final`'s band that some encoder reads
    through a span of `neighbours_only` (both of their spans encoded: `SpanFeatures.cosine`)."""
    layout, margins = final.layout, final.scorer.margins
    ends: dict[tuple[int, int], set[tuple[int, int]]] = {}
    for name, sides in neighbours_only.items():
        features = margins[name]
        for kind in ALL_KINDS:
            a, b = kind
            if a == 0 or b == 0 or a not in features.src_spans.known or b not in features.tgt_spans.known:
                continue
            for n, first in sides.get("src", ()):
                if n == a and first + a < len(layout.lo):
                    i = first + a
                    for j in range(max(int(layout.lo[i]), b), int(layout.hi[i]) + 1):
                        if features.tgt_spans.known[b][j - b]:
                            ends.setdefault(kind, set()).add((i, j))
            for n, first in sides.get("tgt", ()):
                if n == b:
                    j = first + b
                    for i in np.flatnonzero((layout.lo <= j) & (layout.hi >= j)).tolist():
                        if i >= a and features.src_spans.known[a][i - a]:
                            ends.setdefault(kind, set()).add((i, j))
    return {kind: tuple(np.array(side, dtype=np.int64) for side in zip(*sorted(found)))
            for kind, found in ends.items()}


def _without_spans(features: SpanFeatures, sides: dict[str, list[tuple[int, int]]]) -> SpanFeatures:
    """`features` as if the spans of `sides` ("src" / "tgt": (length, start)) had not been encoded."""
    out = copy.copy(features)
    for side in ("src", "tgt"):
        spans = copy.copy(getattr(features, f"{side}_spans"))
        spans.known = {n: known.copy() for n, known in spans.known.items()}
        for n, first in sides.get(side, ()):
            spans.known[n][first] = False
        setattr(out, f"{side}_spans", spans)
    return out


def anchors(margins: dict[str, SpanFeatures]) -> list[tuple[int, int]]:
    """Points (i, j) that a route almost surely passes through: the ends of sentence pairs that are each
    other's nearest neighbour (CSLS) under every encoder, thinned to the longest chain increasing on both
    sides, so a pair out of order with the bulk of them is dropped. None without encoders."""
    if not margins:
        return []
    mutual = None
    for features in margins.values():
        src = np.arange(features.n_src)
        found = features.nearest_tgt[features.nearest_src] == src
        pairs = set(zip(src[found].tolist(), features.nearest_src[found].tolist()))
        mutual = pairs if mutual is None else mutual & pairs
    chain = longest_increasing_chain(sorted(mutual))
    return [point for i, j in chain for point in ((i, j), (i + 1, j + 1))]


def longest_increasing_chain(pairs: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The longest subsequence of `pairs` (sorted by their first element, each first element once) whose
    second elements increase too (patience sorting, n log n)."""
    tails, tail_at, before = [], [], [-1] * len(pairs)
    for k, (_, j) in enumerate(pairs):
        length = bisect_left(tails, j)
        if length == len(tails):
            tails.append(j)
            tail_at.append(k)
        else:
            tails[length], tail_at[length] = j, k
        before[k] = tail_at[length - 1] if length else -1
    chain, k = [], tail_at[-1] if tail_at else -1
    while k >= 0:
        chain.append(pairs[k])
        k = before[k]
    return chain[::-1]


class LexicalCoverage:
    """Share of each side's content words that the CC-CEDICT glosses connect to the other side. A bead's
    counts are summed over its at most 6 × 6 sentence pairs directly: integer sums, as exact as prefix sums,
    and no n × m prefix matrices to build (the counts are stored in the band only, zero outside it)."""

    def __init__(self, zh_hits: RowBand, en_hits: RowBand, zh_counts: np.ndarray, en_counts: np.ndarray):
        self.zh_hits, self.en_hits = zh_hits, en_hits
        self.zh_counts, self.en_counts = prefix1d(zh_counts), prefix1d(en_counts)

    def coverage(self, a: int, b: int, i, js: np.ndarray) -> np.ndarray:
        zh = block_sum(self.zh_hits, a, b, i, js, np.int64) / np.maximum(1.0, self.zh_counts[i] - self.zh_counts[i - a])
        en = block_sum(self.en_hits, a, b, i, js, np.int64) / np.maximum(1.0, self.en_counts[js] - self.en_counts[js - b])
        return (np.minimum(zh, 1.0) + np.minimum(en, 1.0)) / 2


# Pass 3 encodes the real spans of up to ENCODED_SPAN sentences whose ends lie within one sentence of
# the ends of an uncertain bead: any bead that is not 1-1, a 1-1 whose pass-2 posterior log-odds are under
# REFINE_BELOW, or any bead beside a gap (a 1-0 / 0-1 bead), whose end that touches the gap reaches GAP_REACH;
# and the spans of its paired neighbours whose end at the shared boundary moves by one sentence.
ENCODED_SPAN = 4
# At most this many sentences' worth of spans are encoded per sentence of the input, per encoder: e5's span
# texts cost about as much per sentence as the sentences themselves, so e5 stays under one more pass of its
# own. USE is some fifteen times cheaper and composes its spans from the sentence pass (a seventh of the span
# texts' tokens on the Bible, `bench spans`), so it looks at every uncertain bead: its budget does not bind on
# the Bible and barely on MAC-Dev (at 1,000: the same F1 on both, 2026-12-01).
SPAN_BUDGET = {"use": 4.0, "e5": 0.85}
# The aligner's own posterior, not the calibrated confidence, so that refitting the confidence model never
# moves a route: −0.437 is where the calibration the aligner's weights were fitted with crossed 0.5.
REFINE_BELOW = -0.437
# Beside a gap, the rivals' ends may lie this many sentences from the bead's end that touches it, so the gap may
# grow or shrink by two. `bench omissions` (2026-12-01): all orphan recall 0.948 -> 0.951 (1 and 3 the same as 2);
# before the paragraph features, with the quantity features of commit a411a0c, held-out press recall 0.969 at 1,
# 1.000 at 2 (a 1-4 beside a gap whose right reading is a 1-2).
GAP_REACH = 2
# CSLS: each sentence's hubness is its mean similarity to its NEIGHBOURS nearest on the other side.
NEIGHBOURS = 4

# Above this many sentence pairs the second pass runs in a band around the first pass's route.
FULL_SEARCH_CELLS = 400_000
BAND_WIDTH = 16
# Pass 1 searches the boxes between consecutive anchors widened by this many sentences: on the Bible (3,294
# anchors for 5,000 sentences) its route is the route of the search over the whole matrix at 8, 16 and 24
# (tests/test_pass_one.py); 16 searches 381,901 cells instead of 31.5 million.
ANCHOR_WIDTH = 16


def band_reads(band, n_src: int, n_tgt: int, span: int = 6) -> tuple[np.ndarray, np.ndarray] | None:
    """Each row's columns [first, stop) that a bead of up to `span` × `span` sentences ending in some cell of the
    band (rows r+1 .. r+span of row r, whatever its start) reads, or None (every pair) without a band: where the
    similarities, the lexicon's counts and the shared quantities are kept."""
    if band is None:
        return None
    lo, hi = (np.asarray(x, dtype=np.int64) for x in band)
    ahead = lambda values, pick: pick(np.lib.stride_tricks.sliding_window_view(
        np.concatenate((values[1:], np.repeat(values[-1:], span - 1))), span), axis=1)
    return np.maximum(0, ahead(lo, np.min) - span), np.minimum(n_tgt, ahead(hi, np.max))


def in_band(margins: dict[str, SpanFeatures], band) -> dict[str, SpanFeatures]:
    """Each encoder's features with the similarities that the beads ending in the band read only."""
    return {name: features.in_band(*band_reads(band, features.n_src, features.n_tgt)) for name, features in margins.items()}


def span_features(zh: np.ndarray, en: np.ndarray) -> SpanFeatures:
    """The encoder signals of every bead of a document pair from its sentence vectors (Chinese first), as
    the aligner's search reads them: CSLS margins over NEIGHBOURS, spans of up to 6 sentences."""
    return SpanFeatures(zh, en, max_src=6, max_tgt=6, neighbours=NEIGHBOURS)


def length_model(src: list[str], tgt: list[str], sure: list[tuple[int, int]] = ()) -> LengthModel:
    """The length signal of every bead of a document pair (Chinese first), from the sentences' lengths; with
    the sure pairs' points `sure` (`anchors` of the encoders' margins), its expected ratio leaves out a block at
    the start or end that only one side has before the first or after the last of them (`length.paired_ratio`)."""
    return LengthModel(np.array([text_length(s) for s in src]), np.array([text_length(t) for t in tgt]),
                       first=sure[0] if sure else None, last=sure[-1] if sure else None)


@dataclass
class CombinedAligner:
    """Encoders + lexicon + length + punctuation with learned weights (the default); `encoders` and the
    `use_…` flags select the signals, `model` the weights (default: those fitted for `fitted_as`)."""

    name: str = "combined"
    encoders: tuple[str, ...] = ("use",)
    use_lexicon: bool = True
    use_punctuation: bool = True
    use_numbers: bool = True
    fitted_as: str = "combined"
    model: Model | None = None
    progress: bool = False
    refine: bool = True      # pass 3; off, each encoder reads each sentence once and nothing more
    span_budget: dict[str, float] = field(default_factory=lambda: dict(SPAN_BUDGET))

    def align(self, src: list[str], tgt: list[str], src_lang: str = "zh", tgt_lang: str = "en", *,
              src_turns: list[int] | None = None, tgt_turns: list[int] | None = None,
              src_paragraphs: list[int] | None = None, tgt_paragraphs: list[int] | None = None) -> list[Bead]:
        """Beads over `src` × `tgt` with confidences; `src_turns` / `tgt_turns` are each sentence's speaker
        turn and `src_paragraphs` / `tgt_paragraphs` its paragraph (None for plain text), evidence for the cost
        (`structure.Boundaries`)."""
        if src_lang == "en" and tgt_lang == "zh":
            swapped = self.align(tgt, src, "zh", "en", src_turns=tgt_turns, tgt_turns=src_turns,
                                 src_paragraphs=tgt_paragraphs, tgt_paragraphs=src_paragraphs)
            return [Bead(b.tgt, b.src, b.confidence) for b in swapped]
        if not src or not tgt:
            return [Bead((i,), (), 0.0) for i in range(len(src))] + [Bead((), (j,), 0.0) for j in range(len(tgt))]
        # Every signal reads the Chinese in Simplified characters: USE matches a Traditional sentence with its
        # English at cosine 0.37 where the same sentence in Simplified reads 0.66 (press-dev's Traditional pages)
        src = [to_simplified(sentence) for sentence in src]
        model = self.model or fitted_model(self.fitted_as)
        # the parts USE composes span encodings from only when pass 3 will ask for spans
        vectors = {name: self.encode(name, src, tgt, parts=self.refine) for name in self.encoders}
        margins = {name: span_features(zh, en) for name, (zh, en) in vectors.items()}
        sure = anchors(margins)
        length = length_model(src, tgt, sure)
        structure = structure_evidence(src_turns, tgt_turns, src_paragraphs, tgt_paragraphs, len(src), len(tgt))
        roles = turn_roles(src, tgt, src_turns, tgt_turns)
        refine = self.refine and bool(margins)
        first = model.search() if refine else model
        band = None
        if len(src) * len(tgt) > FULL_SEARCH_CELLS:
            coarse = dp.band_of_boxes(sure, len(src), len(tgt), ANCHOR_WIDTH)
            rough = CombinedCost(in_band(margins, coarse), length, first, structure=structure, roles=roles)
            # Every bead kind, though only 1-1, 1-2, 2-1 and skips would be four times faster: on the Bible (verse
            # gold, many 1-3) that cheaper route strayed from the text for 400 sentences, beyond the band's reach
            # (lax F1 of the final alignment 0.958 instead of 1.000; 12 s of 58 s). The search runs in the boxes
            # between anchors (`anchors`), so it grows with the text, not with its square.
            band = dp.band_around(dp.path_points(dp.search(rough, ALL_KINDS, coarse)), len(src), len(tgt), BAND_WIDTH)
            margins = in_band(margins, band)   # the n × m similarities are let go
        cost = self.cost(src, tgt, margins, length, first, band, structure, roles)
        cached = dp.CachedCost(cost, band)
        path = dp.search(cached, ALL_KINDS, band)
        posteriors = dp.Posteriors(cached, ALL_KINDS, band, model.temperature)
        first_odds = posteriors.log_odds(path)
        if refine:
            # Pass 3: encode the real multi-sentence spans around the uncertain beads, search again with
            # the weights fitted for real span encodings.
            uncertain = self._uncertain(path, [float(o) for o in first_odds])
            neighbours_only = {name: self._encode_spans(name, features, src, tgt, vectors[name], uncertain)
                               for name, features in margins.items()}
            cost.w = model.vector()
            final = keeping_sure_boundaries(dp.CachedCost(cost, band), neighbours_only,
                                            model.weights.get("sure_boundary", 0.0))
            path = dp.search(final, ALL_KINDS, band)
            # The route is judged by the model that chose it. (Judged by pass 2's posteriors, as before, a
            # right 1-1 after beads that pass 3 repaired got odds of e^-10: pass 2 had routed through
            # another corner.) Pass 2's odds of the same bead stay as a second feature: disagreement
            # between the passes is where errors are.
            first_odds = posteriors.log_odds(path)
            posteriors = dp.Posteriors(final, ALL_KINDS, band, model.temperature)
        confidences = self._confidences(path, posteriors.log_odds(path), first_odds, src, tgt, src_turns, tgt_turns)
        return [Bead(tuple(range(i - a, i)), tuple(range(j - b, j)), confidence)
                for ((a, b), i, j), confidence in zip(path, confidences)]

    def cost(self, src: list[str], tgt: list[str], margins: dict[str, SpanFeatures], length: LengthModel,
             model: Model, band=None, structure: dict[str, Boundaries] | None = None,
             roles: Roles | None = None) -> CombinedCost:
        columns = band_reads(band, len(src), len(tgt))
        lexical = self._lexical(src, tgt, columns) if self.use_lexicon else None
        punctuation = PunctuationAgreement(src, tgt) if self.use_punctuation else None
        numbers = QuantityAgreement(src, tgt, columns) if self.use_numbers else None
        return CombinedCost(margins, length, model, lexical, punctuation, structure, numbers, roles)

    def fitting_cost(self, src: list[str], tgt: list[str], spans: bool = True, src_turns: list[int] | None = None,
                     tgt_turns: list[int] | None = None, src_paragraphs: list[int] | None = None,
                     tgt_paragraphs: list[int] | None = None) -> CombinedCost:
        """The cost with every span of up to ENCODED_SPAN sentences really encoded by every encoder (or,
        without `spans`, none), whatever the weights: what `scripts/fit_aligner.py` learns from (Chinese first,
        with each sentence's speaker turn and paragraph when the text has them)."""
        margins = {}
        for name in self.encoders:
            zh, en = self.encode(name, src, tgt, parts=spans)
            margins[name] = span_features(zh, en)
            if not spans:
                continue
            # every span of both sides in one call, as pass 3 asks (USE composes the joins they share once)
            sides = ((src, EncodedSpans(zh, ENCODED_SPAN), ""), (tgt, EncodedSpans(en, ENCODED_SPAN), " "))
            self._encode_into(name, [(encoded, n, list(range(len(sentences) - n + 1)), sentences, joiner)
                                     for sentences, encoded, joiner in sides for n in range(2, ENCODED_SPAN + 1)])
            margins[name].use_encoded_spans(sides[0][1], sides[1][1])
        return self.cost(src, tgt, margins, length_model(src, tgt, anchors(margins)), self.model or fitted_model(self.fitted_as), None,
                         structure_evidence(src_turns, tgt_turns, src_paragraphs, tgt_paragraphs, len(src), len(tgt)),
                         turn_roles(src, tgt, src_turns, tgt_turns))

    @staticmethod
    def _uncertain(path, log_odds: list[float]) -> list[tuple[int, int, int, int, int, int]]:
        """The beads worth a closer look, least sure first: every bead that is not 1-1, 1-1s whose posterior
        log-odds are under REFINE_BELOW, and every bead beside a gap (a 1-0 / 0-1 bead), as (src_start, src_end,
        tgt_start, tgt_end, reach of its start, reach of its end): how far the ends of its rivals may lie from
        its own, GAP_REACH at an end that touches a gap, else 1. Each paired neighbour of such a bead follows it,
        at the same rank, with reach 1 at the end it shares with the bead and 0 at its other end (the only entries
        with a reach of 0): the readings where a sentence crosses the boundary between the two (a sure 1-1 beside
        an unsure 1-3 that should be two 1-2s)."""
        ranked = []
        skip = [not (a and b) for (a, b), _, _ in path]
        for k, (((a, b), i, j), odds) in enumerate(zip(path, log_odds)):
            if skip[k]:
                continue
            before, after = k > 0 and skip[k - 1], k + 1 < len(path) and skip[k + 1]
            if (a, b) != (1, 1) or odds < REFINE_BELOW or before or after:
                ranked.append((odds, k, (i - a, i, j - b, j, GAP_REACH if before else 1, GAP_REACH if after else 1)))
        ranked.sort()
        out = []
        for _, k, bead in ranked:
            out.append(bead)
            for near, reach in ((k - 1, (0, 1)), (k + 1, (1, 0))):
                if 0 <= near < len(path) and not skip[near]:
                    (a, b), i, j = path[near]
                    out.append((i - a, i, j - b, j) + reach)
        return out

    @staticmethod
    def _rival_spans(start: int, end: int, size: int, start_reach: int = 1, end_reach: int = 1) -> set[tuple[int, int]]:
        """(length, start) of the spans whose ends are within `start_reach` / `end_reach` sentences of this
        span's ends."""
        spans = set()
        for s0 in range(start - start_reach, start + start_reach + 1):
            for s1 in range(end - end_reach, end + end_reach + 1):
                if 0 <= s0 and s1 <= size and 2 <= s1 - s0 <= ENCODED_SPAN:
                    spans.add((s1 - s0, s0))
        return spans

    def _encode_spans(self, name: str, features: SpanFeatures, src: list[str], tgt: list[str],
                      vectors: tuple[np.ndarray, np.ndarray],
                      beads: list[tuple[int, int, int, int, int, int]]) -> dict[str, list[tuple[int, int]]]:
        """Encode the rival spans of `beads` (`_uncertain`'s, in its order, while the budget lasts) into `features`;
        return, per side, the (length, start) of the spans wanted only by paired neighbours (an entry with a reach
        of 0), not by a bead `_uncertain` found uncertain itself."""
        src_spans, tgt_spans = EncodedSpans(vectors[0], ENCODED_SPAN), EncodedSpans(vectors[1], ENCODED_SPAN)
        wanted: dict[tuple[str, int], set[int]] = {}
        by_neighbours: set[tuple[str, int, int]] = set()
        by_uncertain: set[tuple[str, int, int]] = set()
        budget = self.span_budget.get(name, 0.0) * (len(src) + len(tgt))   # in sentences encoded
        for s0, s1, t0, t1, start_reach, end_reach in beads:
            if budget <= 0:
                break
            for side, (start, end, size) in (("src", (s0, s1, len(src))), ("tgt", (t0, t1, len(tgt)))):
                for n, first in self._rival_spans(start, end, size, start_reach, end_reach):
                    (by_neighbours if 0 in (start_reach, end_reach) else by_uncertain).add((side, n, first))
                    if first not in wanted.setdefault((side, n), set()):
                        wanted[(side, n)].add(first)
                        budget -= n
        jobs = []
        for (side, n), starts in sorted(wanted.items()):
            sentences, spans, joiner = (src, src_spans, "") if side == "src" else (tgt, tgt_spans, " ")
            jobs.append((spans, n, sorted(starts), sentences, joiner))
        features.use_encoded_spans(src_spans, tgt_spans)
        self._encode_into(name, jobs, self.progress)
        return {side: sorted((n, first) for s, n, first in by_neighbours - by_uncertain if s == side)
                for side in ("src", "tgt")}

    def _encode_into(self, name: str, jobs: list[tuple[EncodedSpans, int, list[int], list[str], str]],
                     progress: bool = False) -> None:
        """Encode the spans of each job (where to keep them, span size n, first sentences, the side's
        sentences, their joiner) with the encoder `name`, in one call, and keep them."""
        spans = [(sentences[k:k + n], joiner) for _, n, starts, sentences, joiner in jobs for k in starts]
        if not spans:
            return
        vectors = self._encoder(name).encode_spans(spans, progress=progress)
        offset = 0
        for encoded, n, starts, _, _ in jobs:
            if starts:
                encoded.add(n, starts, vectors[offset:offset + len(starts)])
            offset += len(starts)

    @staticmethod
    def _encoder(name: str):
        from align.score.embed import get_encoder

        return get_encoder(name)

    def encode(self, name: str, src: list[str], tgt: list[str], parts: bool = False) -> tuple[np.ndarray, np.ndarray]:
        """The sentence vectors of both sides under the encoder `name` (one call, cached per process); with
        `parts`, what spans of them are composed from is kept too (`CachedEncoder.encode`)."""
        vectors = self._encoder(name).encode(src + tgt, progress=self.progress, parts=parts)
        return vectors[:len(src)], vectors[len(src):]

    @staticmethod
    def _lexical(zh: list[str], en: list[str], columns) -> LexicalCoverage:
        from align.score.lexicon import chinese_words, english_stems, pair_counts

        zh_words = [chinese_words(s) for s in zh]
        en_stems = [english_stems(s) for s in en]
        zh_hits, en_hits = pair_counts(zh_words, en_stems, columns)
        return LexicalCoverage(zh_hits, en_hits, np.array([len(w) for w in zh_words]),
                               np.array([len(s) for s in en_stems]))

    def clause_gains(self, path, odds: list[float], src: list[str], tgt: list[str]) -> list[float]:
        """Each doubtful unit's moved-clause gain (`score.clauses.route_clause_gains`), read by the first encoder
        (none without an encoder: 0 for every unit)."""
        if not self.encoders:
            return [0.0] * len(path)
        return route_clause_gains(src, tgt, path, odds, self._encoder(self.encoders[0]).encode)

    def _confidences(self, path, odds: np.ndarray, first_odds: np.ndarray, src: list[str], tgt: list[str],
                     src_turns: list[int] | None = None, tgt_turns: list[int] | None = None) -> list[float]:
        """P(bead is exactly right) for each bead of the route (`score.confidence.route_confidences`: its
        posterior log-odds under the final model and under pass 2's, whether it is many-to-many, its
        moved-clause gain, and how much of the rest of its speaker turn is unpaired); 0 for unpaired sentences."""
        odds = [float(o) for o in odds]
        return route_confidences([kind for kind, _, _ in path], odds, [float(f) for f in first_odds],
                                 self.clause_gains(path, odds, src, tgt), unpaired_in_turn(path, src_turns, tgt_turns))
