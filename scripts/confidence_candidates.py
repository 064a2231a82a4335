"""Measure candidate confidence inputs beside the shipped ones, leave one corpus out, on `fit_confidence.py`'s data.

Each candidate is one more column (or a few) beside `align.score.confidence.route_features`' inputs, computed
from a judged unit and where it stands in its route (`fit_confidence.Judged`). For each, the logistic model is
fitted as `fit_confidence.py` fits it (press-dev's held-out half and the gold-sentence transcripts not fitted on,
the press corpora left out together) and the leave-one-corpus-out figures that its adoption rule reads are
printed per corpus (press-dev's gold-sentence row too): AUC, the share of the wrong units among the least
confident 20%, right 1-1 units beside another kind under 0.5, units holding an orphan at ≥ 0.8. "adoptable" says
whether the candidate passes that rule against the shipped inputs: AUC up on at least two of MAC-Dev / omissions
/ press (training half), down nowhere by more than 0.003; the 20% share down nowhere by more than 1 point; right
1-1 units beside another kind under 0.5 up by at most 1 and units with an orphan at ≥ 0.8 not up, on any corpus
but the gold-sentence row. It is a first reading: a candidate is adopted on the figures of `fit_confidence.py`
once the aligner computes it (the opposite length deviations read "adoptable" here and failed there:
docs/aligner.md, "Tried and rejected").

The candidates read the length model's deviation (`score.length.LengthModel.deviation`; the ratio of the whole
text, where the aligner uses each call's own), the bead's kind,
its posterior log-odds, and with `--e5` the multilingual-e5 encoder the default does not load: the cosine gained
by merging a unit with a paired neighbour, for units whose final log-odds are under E5_GATE (the others get 0),
encoding a few thousand spans (minutes of CPU); with `--clause`, a clause moved across the sentence boundary in
translation (`clause_moves`: the edge clauses of the units whose final log-odds are under `--clause-gate`, encoded
by USE, matched against the sentences across the boundary and their own unit's; also by CC-CEDICT). With
`--composed`, the USE gains again with each edge clause composed from its sentence's token features
(`composed_edge_clauses`). With `--rival-margins 1,2,3`, the composed USE gain (either end) again, read only
at the boundaries where the search had a live 2-2 rival (`LiveRival`: two 1-1s whose joined 2-2 costs less than
the margin more than the two under pass 2's or pass 3's costs, recorded as the routes are made, `rival_routes`),
one candidate a margin, and again at any two paired neighbours whose joined bead is a kind the search reads
("live merge rival"; a 2-1 beside a 1-1: the 3-2); the margin of the 2-2 gate chosen: of those whose counts
(right 1-1 beside another kind under 0.5, orphan units at ≥ 0.8) are above the shipped inputs' on no corpus, the
highest mean AUC over MAC-Dev, omissions and the press training half, ties to the smaller margin.
Usage: python scripts/confidence_candidates.py [../shared/data] [--routes routes.pkl] [--e5] [--clause
[--clause-gate 4] [--composed [--rival-margins 1,2,3,5]]] [--only TEXT ...]
"""

from __future__ import annotations

import math
import pickle
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, NamedTuple

import numpy as np

import fit_confidence
from align.aligners import dp
from align.aligners.spans import centre
from align.evaluate import roc_auc
from align.score import clauses as score_clauses
from align.score.clauses import paired_neighbours, unit_of
from align.score.length import LengthModel, text_length
from fit_confidence import GOLD_SENTENCES, Judged, caught, judged, leave_one_out, routes

CORPORA = ("mac-dev", "bible", "omissions", "press", "press held-out", GOLD_SENTENCES)
RISING = ("mac-dev", "omissions", "press")
E5_GATE = 4.0
CLAUSE_GATE = 4.0
# English clauses also cut before a conjunction (the "marks and conjunctions" rows)
_EN_CONJUNCTIONS = re.compile(r"(?<=[,;:—])\s*|\s+(?=(?:but|until|because|while|then|so)\b)")


def _merged(u: Judged, m: int) -> tuple[tuple[int, ...], tuple[int, ...]]:
    (zs, es), (zn, en) = unit_of(u.path, u.k), unit_of(u.path, m)
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
        own = z(u, unit_of(u.path, u.k))
        opposite = smaller = gain = 0.0
        for m in paired_neighbours(u.path, u.k):
            theirs = z(u, unit_of(u.path, m))
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
    shortest = np.array([math.log(1 + min(min(text_length(u.zh[i]) for i in unit_of(u.path, u.k)[0]),
                                          min(text_length(u.en[j]) for j in unit_of(u.path, u.k)[1]) / 2))
                         for u in found])
    return {"sentences beyond 1-1": size, "log of the shortest side": shortest,
            "hinge max(0, 2 - odds)": np.maximum(0.0, 2.0 - odds),
            "quadratic in the two odds": np.column_stack([odds * first, odds * odds, first * first]) / 10}


def e5_merge_gain(found: list[Judged]) -> np.ndarray:
    from align.score.embed import get_encoder

    def texts(u: Judged, unit) -> tuple[str, str]:
        return "".join(u.zh[i] for i in unit[0]), " ".join(u.en[j] for j in unit[1])

    wanted = [(u, [unit_of(u.path, u.k)] + [_merged(u, m) for m in paired_neighbours(u.path, u.k)])
              for u in found if u.odds[u.k] < E5_GATE]
    pending = sorted({t for u, spans in wanted for span in spans for t in texts(u, span)})
    vectors = dict(zip(pending, get_encoder("e5").encode(pending)))

    def cosine(u: Judged, span) -> float:
        zh, en = (vectors[t] for t in texts(u, span))
        return float(zh @ en / (np.linalg.norm(zh) * np.linalg.norm(en)))

    gain = {id(u): max([cosine(u, s) - cosine(u, spans[0]) for s in spans[1:]], default=0.0) for u, spans in wanted}
    return np.array([gain.get(id(u), 0.0) for u in found])


def clauses(sentence: str, zh: bool, conjunctions: bool = False) -> list[str]:
    """`score.clauses.clauses`, English cut before conjunctions too when `conjunctions`."""
    return score_clauses.clauses(sentence, zh, _EN_CONJUNCTIONS if conjunctions and not zh else None)


class Move(NamedTuple):
    """An edge clause that may have moved across a boundary: the sentence across the boundary on the other
    side that would hold it (`toward`), the sentence on the other side of its own unit (`own`), whether the
    clause is Chinese, the clauses of those two sentences at the boundary (the whole sentence when it is one
    clause), the counterpart of the sentence across (the sentence across the boundary on the clause's own
    side), the clause's own sentence with the clause's place in it (0 first, -1 last), and the rest of that
    sentence (its other clauses)."""

    clause: str
    toward: str
    own: str
    zh: bool
    toward_edge: str
    own_edge: str
    across: str
    sentence: str
    at: int
    rest: str


def _moved_clauses(u: Judged, m: int, conjunctions: bool) -> list[list[Move]]:
    """Where the boundary between unit `u.k` and its paired neighbour `m` may have moved a clause, in each of the
    two directions: the earlier unit's last Chinese clause into the later unit's English (then the later English
    sentence's first clause belongs with the earlier Chinese one), or the later unit's first Chinese clause into
    the earlier unit's English (then the earlier English sentence's last clause belongs with the later Chinese).
    Each direction lists a `Move` for each of its two edge sentences of more than one clause."""
    earlier, later = (unit_of(u.path, k) for k in sorted((u.k, m)))
    ze, zl, ee, el = u.zh[earlier[0][-1]], u.zh[later[0][0]], u.en[earlier[1][-1]], u.en[later[1][0]]
    directions = (((ze, -1, el, ee, zl, True), (el, 0, ze, zl, ee, False)),
                  ((zl, 0, ee, el, ze, True), (ee, -1, zl, ze, el, False)))
    out = []
    for direction in directions:
        moves = []
        for sentence, at, toward, own, across, zh in direction:
            parts = clauses(sentence, zh, conjunctions)
            if len(parts) > 1:
                rest = ("" if zh else " ").join(parts[1:] if at == 0 else parts[:-1])
                moves.append(Move(parts[at], toward, own, zh, clauses(toward, not zh, conjunctions)[-1 - at],
                                  clauses(own, not zh, conjunctions)[at], across, sentence, at, rest))
        out.append(moves)
    return out


def _centred_text(zh: list[str], en: list[str], encoder) -> tuple[tuple[np.ndarray, np.ndarray], dict, dict]:
    """A text's sentence vectors as the aligner's margins read them: each side's mean (Chinese, English),
    every sentence's centred vector, and its hubness (the mean of its NEIGHBOURS best cosines with the other
    side's sentences, `spans.hubness`)."""
    from align.aligners.combined import NEIGHBOURS
    from align.aligners.spans import hubness

    z, e = encoder.encode(zh), encoder.encode(en)
    means = (z.mean(axis=0), e.mean(axis=0))
    zc, ec = centre(z, means[0]), centre(e, means[1])
    zh_hub, en_hub = hubness(zc @ ec.T, min(NEIGHBOURS, len(en)), min(NEIGHBOURS, len(zh)))
    return (means, {**dict(zip(zh, zc)), **dict(zip(en, ec))},
            {**dict(zip(zh, zh_hub.tolist())), **dict(zip(en, en_hub.tolist()))})


def composed_edge_clauses(encoder, edges: dict[str, tuple[str, int]]) -> dict[str, np.ndarray]:
    """Edge clauses' USE vectors composed from their sentences' token features, as the sentence pass could keep
    them at each sentence's clause cuts (`edges`: clause -> its sentence and place, 0 first, -1 last): the
    projected feature sums of the sentence's first tokens (BOS and as many as the clause has) or its last ones
    (as many and EOS), with the sentence's EOS or BOS features for the clause's other end, finished as a text of
    the clause's token count. Approximate: the tokens within REACH of the cut see the rest of the sentence, and
    the borrowed BOS / EOS the sentence's other end; the sentence's tokens at the cut are taken as the clause's
    own (their count, not their ids)."""
    from align.score.use_network import BRANCH, EMBEDDING, ORDERS, _budget_groups, _laid_end_to_end

    model = encoder.encoder
    network = model.network
    texts = list(edges)
    row = {t: i for i, t in enumerate(texts)}
    counts = {t: len(ids) - 2 for t, ids in zip(texts, model.token_ids(texts))}
    by_sentence: dict[str, list[str]] = {}
    for t in texts:
        by_sentence.setdefault(edges[t][0], []).append(t)
    sentences = sorted(by_sentence)
    ids = model.token_ids(sentences)
    sums = np.zeros((len(texts), EMBEDDING + len(ORDERS) * BRANCH), dtype=np.float32)
    lengths = np.zeros(len(texts), dtype=np.int64)
    for first, end in _budget_groups([len(x) for x in ids]):
        flat, starts, lens = _laid_end_to_end(ids[first:end])
        feats = network.token_features(flat, starts, lens)
        for s, start, n in zip(range(first, end), starts, lens):
            f = feats[start:start + n]
            for t in by_sentence[sentences[s]]:
                k = min(counts[t], int(n) - 2)
                sums[row[t]] = f[:1 + k].sum(axis=0) + f[-1] if edges[t][1] == 0 else f[0] + f[n - 1 - k:].sum(axis=0)
                lengths[row[t]] = k + 2
    return dict(zip(texts, network.finish(sums @ network.cnn_W, lengths)))


def clause_moves(found: list[Judged], conjunctions: bool = False, gate: float = CLAUSE_GATE, composed: bool = False,
                 rivals: dict[str, Callable[[Judged, int], bool]] | None = None
                 ) -> tuple[dict[str, np.ndarray], int, int]:
    """A clause moved across the sentence boundary in translation (a split 2-2 / 1-2): how much better an edge
    clause of the unit or of its paired neighbour matches the sentence across the boundary on the other side
    than its own unit's (`_moved_clauses`), for units whose final log-odds are under `gate` (the others 0),
    by USE cosine of the clause's own encoding and the sentences' (the aligner's sentence vectors; "beyond the
    counterpart across": better also than the clause's cosine with the sentence across the boundary on its own
    side, so that the receiving sentence holds what its own counterpart lacks, not the story's thread; "beyond
    its sentence's lean": less the same gain of the clause's whole sentence, the continuity of topic that the
    sentence shows too; "beyond its sentence's lean across": less that gain only where it is above 0; "beyond
    the rest's lean": less the same gain of the rest of its sentence, which did not move), and by
    CC-CEDICT (the share of the clause's words with a translation in the sentence). "either end": the largest
    gain of any edge clause; "both ends": the largest over the directions of the lesser of its two clauses'
    gains (the moved clause matches across, and the sentence that received it holds what its own counterpart
    lacks; a direction with an edge sentence of one clause counts nothing). With `composed`, the USE gains
    again with the edge clauses composed from their sentences' token features (`composed_edge_clauses`), and
    how close those are to the clauses' own encodings is printed. With `rivals` (a name -> whether the boundary
    between unit `u.k` and its neighbour `m` is read, `LiveRival`), the composed USE gain, either end, again read
    only at those boundaries (0 elsewhere). Also the clause texts encoded and their tokens."""
    from align.score.embed import get_encoder
    from align.score.lexicon import chinese_words, english_stems

    wanted = [(u, [(m, d) for m in paired_neighbours(u.path, u.k) for d in _moved_clauses(u, m, conjunctions)])
              for u in found if u.odds[u.k] < gate]
    moves = [move for _, directions in wanted for _, found_moves in directions for move in found_moves]
    sentences = sorted({t for move in moves for t in (move.toward, move.own, move.across, move.sentence)})
    edges = {**{move.clause: (move.sentence, move.at) for move in moves},
             **{move.toward_edge: (move.toward, -1 - move.at) for move in moves},
             **{move.own_edge: (move.own, move.at) for move in moves},
             **{move.rest: (move.sentence, -1 - move.at) for move in moves}}
    extra = sorted(set(edges) - set(sentences))
    encoder = get_encoder("use")
    vectors = dict(zip(extra + sentences, encoder.encode(extra + sentences)))
    tokens = sum(len(ids) for ids in encoder.encoder.token_ids(extra)) if extra else 0
    readings = {"": vectors}
    if composed:
        built = composed_edge_clauses(encoder, {t: edges[t] for t in extra})
        closeness = np.array([float(vectors[t] @ built[t]) for t in extra])
        print(f"composed edge clauses against their own encodings ({len(extra)}): cosine mean {closeness.mean():.4f}, "
              f"median {np.median(closeness):.4f}, 5th percentile {np.percentile(closeness, 5):.4f}, "
              f"least {closeness.min():.4f}")
        readings[" composed"] = {**vectors, **built}
    texts = {id(u.path): u for u, _ in wanted}
    centred = {key: _centred_text(u.zh, u.en, encoder) for key, u in texts.items()}

    def lexical(clause: str, sentence: str, zh: bool) -> float:
        if zh:
            words, stems = chinese_words(clause), english_stems(sentence)
            return sum(bool(w & stems) for w in words) / max(1, len(words))
        stems, words = english_stems(clause), chinese_words(sentence)
        covered = frozenset().union(*words) if words else frozenset()
        return len(stems & covered) / max(1, len(stems))

    columns = {}
    for reading, read in readings.items():
        def cosine(a: str, b: str) -> float:
            return float(read[a] @ read[b])

        def csls(u: Judged, m: Move, hub: bool) -> float:
            means, sentence, hubs = centred[id(u.path)]
            c = centre(read[m.clause][None], means[not m.zh])[0]
            gain = float(c @ sentence[m.toward] - c @ sentence[m.own])
            return 2 * gain - (hubs[m.toward] - hubs[m.own]) if hub else gain

        def lean(m: Move, text: str) -> float:
            """How much better `text` matches the sentence across the boundary than its own unit's."""
            return cosine(text, m.toward) - cosine(text, m.own)

        gains = {"USE": lambda u, m: lean(m, m.clause),
                 "USE, beyond its sentence's lean": lambda u, m: lean(m, m.clause) - lean(m, m.sentence),
                 "USE, beyond its sentence's lean across":
                     lambda u, m: lean(m, m.clause) - max(0.0, lean(m, m.sentence)),
                 "USE, beyond the rest's lean": lambda u, m: lean(m, m.clause) - lean(m, m.rest),
                 "USE, sentence or its clause at the boundary":
                     lambda u, m: (max(cosine(m.clause, m.toward), cosine(m.clause, m.toward_edge))
                                   - max(cosine(m.clause, m.own), cosine(m.clause, m.own_edge))),
                 "USE, beyond the counterpart across":
                     lambda u, m: cosine(m.clause, m.toward) - max(cosine(m.clause, m.own), cosine(m.clause, m.across)),
                 "USE centred": lambda u, m: csls(u, m, False),
                 "USE CSLS": lambda u, m: csls(u, m, True)}
        if not reading:
            gains["CC-CEDICT"] = lambda u, m: lexical(m.clause, m.toward, m.zh) - lexical(m.clause, m.own, m.zh)
        for name, gain in gains.items():
            either, both = {}, {}
            for u, directions in wanted:
                scored = [[gain(u, move) for move in found_moves] for _, found_moves in directions]
                either[id(u)] = max([g for found_gains in scored for g in found_gains], default=0.0)
                both[id(u)] = max([min(g) for g in scored if len(g) == 2], default=0.0)
            columns[f"{name}{reading}, either end"] = np.array([either.get(id(u), 0.0) for u in found])
            columns[f"{name}{reading}, both ends"] = np.array([both.get(id(u), 0.0) for u in found])
            if reading == " composed" and name == "USE":
                for rival, live in (rivals or {}).items():
                    gated = {id(u): max([gain(u, move) for m, found_moves in directions if live(u, m)
                                         for move in found_moves], default=0.0) for u, directions in wanted}
                    columns[f"{name}{reading}, either end, {rival}"] = np.array([gated.get(id(u), 0.0) for u in found])
    return columns, len(extra), tokens


_PASS_COSTS: list = []     # the costs each Posteriors of the running alignment read, pass 2's then pass 3's


class _KeptPosteriors(dp.Posteriors):
    def __init__(self, scorer, *args, **kwargs):
        super().__init__(scorer, *args, **kwargs)
        _PASS_COSTS.append(self.scorer)


@dataclass
class _RivalRecorder(fit_confidence._Recorder):
    """`fit_confidence`'s recorder that also keeps, for each two consecutive paired beads of a route whose joined
    bead is of a kind the search reads (two 1-1s: a 2-2), how much more the joined bead costs than the two
    together, under pass 2's and pass 3's costs (`gaps`, keyed by the two beads' Chinese and English texts;
    `_KeptPosteriors` hands it the costs)."""

    gaps: dict = field(default_factory=dict)

    def _confidences(self, path, odds, first_odds, src, tgt, *turns):
        from align.aligners.combined import ALL_KINDS

        passes = _PASS_COSTS[-2:]
        _PASS_COSTS.clear()
        for k in range(1, len(path)):
            (a, b), i, j = path[k]
            (c, d), _, _ = path[k - 1]
            if (a + c, b + d) in ALL_KINDS and a * b * c * d:
                key = (tuple(src[i - a - c:i - a]), tuple(tgt[j - b - d:j - b]),
                       tuple(src[i - a:i]), tuple(tgt[j - b:j]))
                at = np.array([j])
                self.gaps[key] = tuple(float(cost.cost(a + c, b + d, i, at)[0] - cost.cost(a, b, i, at)[0]
                                             - cost.cost(c, d, i - a, at - b)[0]) for cost in passes)
        return super()._confidences(path, odds, first_odds, src, tgt, *turns)


def rival_routes(data: Path, cache: Path | None) -> list[dict]:
    """`fit_confidence.routes` with each record's 2-2 rival gaps (`_RivalRecorder.gaps`, under "gaps"); read from
    `cache` when it exists (it must hold them), else written there."""
    if cache and cache.is_file():
        with cache.open("rb") as handle:
            records = pickle.load(handle)
        if not all("gaps" in record for record in records):
            raise SystemExit(f"{cache}: routes without the 2-2 rival gaps (written without --rival-margins)")
        return records
    recorders = []

    def recorder() -> _RivalRecorder:
        recorders.append(_RivalRecorder())
        return recorders[-1]

    kept = fit_confidence._Recorder, dp.Posteriors
    fit_confidence._Recorder, dp.Posteriors = recorder, _KeptPosteriors
    try:
        records = routes(data, None)
    finally:
        fit_confidence._Recorder, dp.Posteriors = kept
    for record, made in zip(records, recorders, strict=True):
        record["gaps"] = made.gaps
    if cache:
        with cache.open("wb") as handle:
            pickle.dump(records, handle)
    return records


class LiveRival:
    """Whether the search had a live rival at the boundary between unit `u.k` and its paired neighbour `m`: the bead
    joining them costs less than `margin` more than the two together under pass 2's or pass 3's costs
    (`rival_routes`' gaps). The two must be 1-1s (a 2-2 rival) unless `merges`, when any two whose joined bead is a
    kind the search reads will do."""

    def __init__(self, records: list[dict], margin: float, merges: bool = False):
        self.margin, self.merges = margin, merges
        # a unit's record is found by its texts and route (`judged` copies the texts for each unit)
        self.gaps = {(*map(tuple, record["sentences"] or (record["text"].zh, record["text"].en)),
                      tuple(bead for route, *_ in record["segments"] for bead in route)): record["gaps"]
                     for record in records}
        self._by_path: dict[int, dict] = {}

    def gap(self, u: Judged, m: int) -> tuple[float, ...] | None:
        first, second = (unit_of(u.path, k) for k in sorted((u.k, m)))
        if not self.merges and not all(len(side) == 1 for side in first + second):
            return None
        gaps = self._by_path.get(id(u.path))
        if gaps is None:
            gaps = self._by_path[id(u.path)] = self.gaps[(tuple(u.zh), tuple(u.en), tuple(u.path))]
        texts = (tuple(u.zh[i] for i in first[0]), tuple(u.en[j] for j in first[1]),
                 tuple(u.zh[i] for i in second[0]), tuple(u.en[j] for j in second[1]))
        return gaps.get(texts)

    def __call__(self, u: Judged, m: int) -> bool:
        gap = self.gap(u, m)
        return gap is not None and min(gap) < self.margin


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
                               and new[c][2] <= old[c][2] + 1 and new[c][3] <= old[c][3]
                               for c in CORPORA if c != GOLD_SENTENCES))


def passes_counts(new: dict, old: dict) -> bool:
    """No corpus with more right 1-1 units beside another kind under 0.5 or more units holding an orphan at ≥ 0.8."""
    return all(new[c][2] <= old[c][2] and new[c][3] <= old[c][3] for c in CORPORA)


def main(data: Path, cache: Path | None, e5: bool, clause: float | None, composed: bool = False,
         only: tuple[str, ...] = ("",), margins: tuple[float, ...] = ()) -> None:
    records = rival_routes(data, cache) if margins else routes(data, cache)
    found = list(judged(records))
    x = np.array([u.features for u in found])
    y = np.array([u.right for u in found], dtype=float)
    corpora = np.array([u.corpus for u in found])
    orphan, beside = np.array([u.holds_orphan for u in found]), np.array([u.beside_other for u in found])
    candidates = {**length_candidates(found), **shape_candidates(found, x)}
    rivals = {f"live 2-2 rival within {margin:g}": LiveRival(records, margin) for margin in margins}
    rivals.update({f"live merge rival within {margin:g}": LiveRival(records, margin, True) for margin in margins})
    if rivals:
        live = next(iter(rivals.values()))
        boundaries = [(u, m) for u in found for m in paired_neighbours(u.path, u.k)]
        missing = sum(live.gap(u, m) is None for u, m in boundaries
                      if tuple(u.path[u.k][0]) == (1, 1) and tuple(u.path[m][0]) == (1, 1))
        print(f"boundaries of a judged 1-1 with a 1-1 without a recorded gap: {missing}")
        for name, rival in rivals.items():
            read = {id(u) for u, m in boundaries if rival(u, m) and (clause is None or u.odds[u.k] < clause)}
            print(f"{name}: {len(read)} units read ({sum(1 for u in found if id(u) in read and not u.right)} wrong)")
    if e5:
        candidates[f"e5 merge gain (final odds < {E5_GATE:g})"] = e5_merge_gain(found)
    if clause is not None:
        for conjunctions in (False, True):
            moves, encoded, tokens = clause_moves(found, conjunctions, clause, composed, rivals)
            split = "marks and conjunctions" if conjunctions else "marks"
            print(f"clauses at {split}: {encoded} clause texts encoded ({tokens} tokens) for "
                  f"{sum(u.odds[u.k] < clause for u in found)} units under the gate of {len(found)}")
            for name, column in moves.items():
                candidates[f"clause moved, {name}, at {split} (final odds < {clause:g})"] = column
                candidates[f"clause moved, {name}, at {split}, floored at 0"] = np.maximum(column, 0.0)
    print("leave one corpus out, " + " / ".join(CORPORA) + ": AUC; errors among the least confident 20%; "
          "right 1-1 beside another kind < 0.5; units with an orphan ≥ 0.8")
    shipped = figures(x, y, corpora, orphan, beside, 1e-2)
    runs = [("shipped inputs", x, 1e-2)] + [(name, np.column_stack([x, column]), 1e-2) for name, column in candidates.items()]
    runs.append(("quadratic in the two odds, L2 10", np.column_stack([x, candidates["quadratic in the two odds"]]), 10.0))
    runs = [run for run in runs if run[1] is x or any(text in run[0] for text in only)]
    measured = {}
    for name, columns, l2 in runs:
        f = measured[name] = shipped if columns is x else figures(columns, y, corpora, orphan, beside, l2)
        print(f"{name}: AUC {' / '.join(f'{v[0]:.4f}' for v in f.values())}; "
              f"{' / '.join(f'{v[1]:.0%}' for v in f.values())}; {' / '.join(str(v[2]) for v in f.values())}; "
              f"{' / '.join(str(v[3]) for v in f.values())}" + ("; adoptable" if adoptable(f, shipped) else ""), flush=True)
    # The margin: among the gated composed inputs at marks whose counts pass, the highest mean AUC over RISING,
    # ties to the smaller margin (stated before measuring, issue 17 round five).
    gated = [(margin, f"clause moved, USE composed, either end, live 2-2 rival within {margin:g}, at marks "
                      f"(final odds < {clause:g})") for margin in margins if clause is not None]
    eligible = [(margin, name) for margin, name in gated if name in measured and passes_counts(measured[name], shipped)]
    for margin, name in gated:
        if name in measured:
            mean = np.mean([measured[name][c][0] for c in RISING])
            print(f"margin {margin:g}: mean AUC over {' / '.join(RISING)} {mean:.4f}, counts "
                  f"{'pass' if passes_counts(measured[name], shipped) else 'fail'}")
    if eligible:
        margin, name = max(eligible, key=lambda e: (round(np.mean([measured[e[1]][c][0] for c in RISING]), 12), -e[0]))
        print(f"chosen margin {margin:g}: {name}")
    elif gated:
        print("no margin's counts pass")


if __name__ == "__main__":
    import argparse

    parser = argparse.ArgumentParser(description="Measure candidate confidence inputs leave one corpus out.")
    parser.add_argument("data", nargs="?", type=Path, default=Path(__file__).resolve().parents[2] / "shared" / "data")
    parser.add_argument("--routes", type=Path, help="fit_confidence.py's routes file (read when it exists, else written)")
    parser.add_argument("--e5", action="store_true", help="also the e5 merge gain (encodes spans: minutes of CPU)")
    parser.add_argument("--clause", action="store_true", help="also the clause moved across a boundary (USE, "
                                                              "CC-CEDICT; encodes the doubtful units' edge clauses)")
    parser.add_argument("--clause-gate", type=float, default=CLAUSE_GATE,
                        help="the final log-odds under which a unit's clauses are read (default %(default)s)")
    parser.add_argument("--composed", action="store_true", help="with --clause, also the USE gains with the edge "
                                                                "clauses composed from their sentences' token features")
    parser.add_argument("--rival-margins", default="", help="with --composed, also the composed USE gain read only "
                        "at boundaries with a live 2-2 rival, one candidate per margin (e.g. 1,2,3,5; the routes "
                        "then record the rivals' cost gaps: a --routes file written without this option is refused)")
    parser.add_argument("--only", action="append", help="measure only the candidates whose name contains this "
                                                        "text (repeatable: any of them)")
    args = parser.parse_args()
    main(args.data, args.routes, args.e5, args.clause_gate if args.clause else None, args.composed,
         tuple(args.only or [""]), tuple(float(g) for g in args.rival_margins.split(",") if g))
