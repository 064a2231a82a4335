"""`bench press`: `align run` end to end on press-dev, scored against the sentence gold by text.

Each of press-dev's pairs goes through what `run` does — the raw transcripts of `corpora/zh` and
`corpora/en` read, segmented by our segmenter and aligned (`pipeline.align_pair`) — and, beside it, the
aligner alone on the gold's hand-split sentences (`zh/`, `en/`). Our sentences differ from the gold's
(speaker labels are stripped, a sentence may be split otherwise), so units are compared by text: each
side's text is normalised (NFKC, lower case, letters and digits only), our sentences are laid over the
gold's by matching the two character streams, and a unit of ours is exact when its text is exactly the
text of one gold unit on both sides (every gold sentence it touches wholly inside it, nothing else).
Reported: exact-unit precision/recall/F1 of the paired units for `run` and for the aligner on gold
sentences; how many of `run`'s wrong units touch a gold sentence our segmenter cut otherwise (segmentation)
or not (alignment); and how many gold-unpaired sentences end up inside a unit. press-dev's gold has no
unpaired sentence, so the same is measured again on each pair with one paragraph of one side removed
(`without_paragraph`, seeded: one Chinese and one English variant per pair), the gold sentences of that
paragraph's partners becoming 1-0 / 0-1, and on each pair without each whole speaker turn of one side, and each
two turns in a row (`without_turns`: a question, an answer, a question with its answer; every such variant), and
on the conferences of each half in threes back to back with the middle one missing from one side
(`missing_conference`: a whole conference one version lacks), where the units holding a sentence without
counterpart are counted, and those of them at confidence ≥ `GLUED_SURE`; and press-dev again with its Chinese in
Traditional characters (`in_traditional`; two of its pages are Traditional already). The
aligner on gold sentences is given their speaker turns (a gold
sentence keeps its label) and paragraphs (the raw text's line it lies on, `sentence_paragraphs`), as `run`
has them from the transcript. Every row is reported again for the half
of press-dev the aligner's weights were not fitted on (`halves`).
"""

from __future__ import annotations

import random
import unicodedata
from dataclasses import dataclass, replace
from difflib import SequenceMatcher
from pathlib import Path

from align.aligners.ladder import read_ladder
from align.document import Bead
from align.errors import InputError
from align.ingest import read_lines
from align.ingest.transcript import speaker_label

SEED = 17
GLUED_SURE = 0.8     # a unit holding a sentence without counterpart must not look this sure (issue 17)


def normalise(text: str) -> str:
    """The characters a comparison by text looks at: NFKC, lower case, letters and digits only."""
    return "".join(c for c in unicodedata.normalize("NFKC", text).lower() if c.isalnum())


def overlay(gold: list[str], ours: list[str]) -> tuple[list[set[int]], list[set[int]]]:
    """Which gold sentences each of our sentences holds and which of ours each gold sentence is in: two
    sentences are linked when they share at least half of the shorter one's characters (the character
    streams matched by difflib; a speaker label kept in the gold matches nothing of ours)."""
    def stream(sentences: list[str]) -> tuple[str, list[int]]:
        texts = [normalise(s) for s in sentences]
        return "".join(texts), [k for k, t in enumerate(texts) for _ in t]

    gold_text, gold_owner = stream(gold)
    our_text, our_owner = stream(ours)
    shared: dict[tuple[int, int], int] = {}
    for block in SequenceMatcher(None, gold_text, our_text, autojunk=False).get_matching_blocks():
        for k in range(block.size):
            key = (gold_owner[block.a + k], our_owner[block.b + k])
            shared[key] = shared.get(key, 0) + 1
    gold_sizes, our_sizes = [len(normalise(s)) for s in gold], [len(normalise(s)) for s in ours]
    of_ours: list[set[int]] = [set() for _ in ours]
    of_gold: list[set[int]] = [set() for _ in gold]
    for (g, o), n in shared.items():
        if 2 * n >= min(gold_sizes[g], our_sizes[o]):
            of_ours[o].add(g)
            of_gold[g].add(o)
    return of_ours, of_gold


def sentence_paragraphs(sentences: list[str], text: str) -> list[int]:
    """Each gold sentence's paragraph: the number of the first non-blank line of the raw `text` it lies on
    (`overlay`; a sentence on no line keeps the paragraph of the sentence before it)."""
    lines = [line for line in text.split("\n") if normalise(line)]
    _, of_sentence = overlay(list(sentences), lines)
    paragraphs, last = [], 0
    for found in of_sentence:
        last = min(found, default=last)
        paragraphs.append(last)
    return paragraphs


def sentence_turns(sentences: list[str], lang: str, start: int = 0) -> list[int]:
    """Each sentence's speaker turn, counted from `start`: a sentence that begins with a speaker label
    (`ingest.transcript.speaker_label`) starts the next one (gold sentences keep their labels)."""
    turns, turn = [], start
    for sentence in sentences:
        turn += speaker_label(sentence, lang) is not None
        turns.append(turn)
    return turns


def halves(stems: list[str]) -> tuple[list[str], list[str]]:
    """press-dev's conferences split for fitting the aligner, by a rule on the file names fixed before any
    result was seen: in sorted order the 1st, 3rd, 5th … train (`scripts/fit_aligner.py`), the 2nd, 4th,
    6th … are held out."""
    ordered = sorted(stems)
    return ordered[0::2], ordered[1::2]


@dataclass(frozen=True)
class PairScore:
    """One pair's (or all pairs') counts."""

    name: str
    units: int                # our paired units
    exact: int                # of them, exactly a gold unit by text
    gold_units: int           # paired gold units
    cut_otherwise: int        # gold sentences our segmenter cut otherwise
    wrong_segmentation: int   # our wrong units touching one of them
    unpaired_gold: int        # gold sentences without counterpart
    unpaired_inside: int      # of them, inside one of our paired units
    glued: int                # our paired units holding one of them
    glued_sure: int           # of those, at confidence >= GLUED_SURE

    @property
    def precision(self) -> float:
        return self.exact / self.units if self.units else 0.0

    @property
    def recall(self) -> float:
        return self.exact / self.gold_units if self.gold_units else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def as_dict(self) -> dict:
        return {"name": self.name, "units": self.units, "exact": self.exact, "gold_units": self.gold_units,
                "precision": round(self.precision, 4), "recall": round(self.recall, 4), "f1": round(self.f1, 4),
                "gold_sentences_cut_otherwise": self.cut_otherwise,
                "wrong_units_touching_them": self.wrong_segmentation,
                "gold_unpaired": self.unpaired_gold, "gold_unpaired_inside_units": self.unpaired_inside,
                "units_holding_them": self.glued, f"of_them_at_least_{GLUED_SURE}": self.glued_sure}


@dataclass(frozen=True)
class TextOverlay:
    """Our sentences `zh`/`en` laid over the gold's (`overlay`), to judge our units against the `gold` beads by
    text."""

    zh_of_ours: list[set[int]]
    zh_of_gold: list[set[int]]
    en_of_ours: list[set[int]]
    en_of_gold: list[set[int]]
    gold_units: frozenset[tuple[tuple[int, ...], tuple[int, ...]]]
    cut: frozenset[tuple[str, int]]        # gold sentences our segmenter cut otherwise
    orphans: frozenset[tuple[str, int]]    # gold sentences without counterpart

    @classmethod
    def of(cls, gold: list[Bead], gold_zh: list[str], gold_en: list[str], zh: list[str], en: list[str]) -> "TextOverlay":
        zh_of_ours, zh_of_gold = overlay(gold_zh, zh)
        en_of_ours, en_of_gold = overlay(gold_en, en)
        # a gold sentence is cut otherwise when it does not map to exactly one of ours that maps back to it alone
        cut = {("zh", g) for g, o in enumerate(zh_of_gold) if len(o) != 1 or len(zh_of_ours[next(iter(o))]) != 1}
        cut |= {("en", g) for g, o in enumerate(en_of_gold) if len(o) != 1 or len(en_of_ours[next(iter(o))]) != 1}
        orphans = {("zh", i) for b in gold if not b.tgt for i in b.src} | {("en", j) for b in gold if not b.src for j in b.tgt}
        return cls(zh_of_ours, zh_of_gold, en_of_ours, en_of_gold,
                   frozenset((b.src, b.tgt) for b in gold if b.src and b.tgt), frozenset(cut), frozenset(orphans))

    def judge(self, src: tuple[int, ...], tgt: tuple[int, ...]) -> tuple[bool, set[tuple[str, int]]]:
        """Whether our unit (`src`, `tgt`) is exactly a gold unit by text, and the gold sentences it touches."""
        g_zh = set().union(*(self.zh_of_ours[i] for i in src))
        g_en = set().union(*(self.en_of_ours[j] for j in tgt))
        touched = {("zh", g) for g in g_zh} | {("en", g) for g in g_en}
        whole = (set().union(set(), *(self.zh_of_gold[g] for g in g_zh)) == set(src)
                 and set().union(set(), *(self.en_of_gold[g] for g in g_en)) == set(tgt))
        return whole and (tuple(sorted(g_zh)), tuple(sorted(g_en))) in self.gold_units, touched


def score_by_text(name: str, gold: list[Bead], gold_zh: list[str], gold_en: list[str], beads: list[Bead],
                  zh: list[str], en: list[str]) -> PairScore:
    """Our `beads` over our sentences `zh`/`en` against the `gold` beads over the gold's sentences, by text."""
    laid = TextOverlay.of(gold, gold_zh, gold_en, zh, en)
    exact = wrong_segmentation = 0
    inside: set[tuple[str, int]] = set()
    glued: list[float] = []
    for bead in (b for b in beads if b.src and b.tgt):
        right, touched = laid.judge(bead.src, bead.tgt)
        inside |= touched & laid.orphans
        if touched & laid.orphans:
            glued.append(bead.confidence)
        if right:
            exact += 1
        elif touched & laid.cut:
            wrong_segmentation += 1
    return PairScore(name, sum(1 for b in beads if b.src and b.tgt), exact, len(laid.gold_units), len(laid.cut),
                     wrong_segmentation, len(laid.orphans), len(inside), len(glued),
                     sum(c >= GLUED_SURE for c in glued))


def pooled(name: str, scores: list[PairScore]) -> PairScore:
    return PairScore(name, *(sum(getattr(s, f) for s in scores)
                             for f in ("units", "exact", "gold_units", "cut_otherwise", "wrong_segmentation", "unpaired_gold",
                                       "unpaired_inside", "glued", "glued_sure")))


@dataclass(frozen=True)
class Case:
    """A pair to align end to end: the raw texts, and the gold sentences and beads (Chinese first)."""

    name: str
    zh_text: str
    en_text: str
    zh: tuple[str, ...]
    en: tuple[str, ...]
    gold: tuple[Bead, ...]


def without_paragraph(case: Case, side: str, rng: random.Random) -> Case | None:
    """`case` without one paragraph (a line of the raw text, chosen by `rng`) of `side`, with the gold
    sentences it holds; their partners become 1-0 / 0-1 gold beads. Only paragraphs that hold whole gold
    beads of that side are candidates (None when there is none)."""
    lines = _lines(case, side)
    usable = _usable(case, side, [[k] for k, line in enumerate(lines) if normalise(line)])
    return _without(case, side, *rng.choice(usable), "line {}") if usable else None


def without_turns(case: Case, side: str) -> list[Case]:
    """`case` without each whole speaker turn of `side`, and without each two turns in a row (a question with its
    answer), one variant each: a turn is a line that starts with a speaker label (`speaker_label`) and the lines
    after it up to the next such line, or the lines before the first label; the gold sentences they hold go too
    (as `without_paragraph`: only blocks that hold whole gold beads and leave a paired one)."""
    turns: list[list[int]] = [[]]
    for k, line in enumerate(_lines(case, side)):
        if speaker_label(line.strip(), side) is not None and turns[-1]:
            turns.append([])
        if normalise(line):
            turns[-1].append(k)
    turns = [turn for turn in turns if turn]
    blocks = [(turn, "turn at line {}") for turn in turns]
    blocks += [(first + second, "turns at line {} and the next") for first, second in zip(turns, turns[1:])]
    return [_without(case, side, block, removed, named) for block, named in blocks
            for _, removed in _usable(case, side, [block])]


def _lines(case: Case, side: str) -> list[str]:
    return (case.zh_text if side == "zh" else case.en_text).split("\n")


def _mine(side: str):
    """A gold bead's sentence ids on `side`."""
    return (lambda b: b.src) if side == "zh" else (lambda b: b.tgt)


def _usable(case: Case, side: str, blocks: list[list[int]]) -> list[tuple[list[int], set[int]]]:
    """The `blocks` (each some non-blank lines of `side`'s raw text) that can go, with the gold sentences of
    `side` each holds: those holding whole gold sentences and whole gold beads of that side, and leaving a
    paired gold bead."""
    lines = _lines(case, side)
    candidates = [k for k, line in enumerate(lines) if normalise(line)]
    _, of_gold = overlay(list(case.zh if side == "zh" else case.en), [lines[k] for k in candidates])
    mine = _mine(side)
    usable = []
    for block in blocks:
        inside = {candidates.index(k) for k in block}
        removed = {g for g, lines_of in enumerate(of_gold) if lines_of & inside}
        beads = [b for b in case.gold if set(mine(b)) & removed]
        if (removed and all(of_gold[g] <= inside for g in removed) and all(set(mine(b)) <= removed for b in beads)
                and len(beads) < sum(1 for b in case.gold if b.src and b.tgt)):
            usable.append((block, removed))
    return usable


def _without(case: Case, side: str, block: list[int], removed: set[int], named: str) -> Case:
    """`case` without the lines `block` of `side` and the gold sentences `removed` they hold; their partners become
    1-0 / 0-1 gold beads; `named` (with {} for the first line's number) says what went in the case's name."""
    lines, sentences, mine = _lines(case, side), case.zh if side == "zh" else case.en, _mine(side)
    keep = [g for g in range(len(sentences)) if g not in removed]
    new_id = {g: k for k, g in enumerate(keep)}
    gold = []
    for bead in case.gold:
        ids = mine(bead)
        if ids and set(ids) <= removed:
            other = bead.tgt if side == "zh" else bead.src
            gold += [Bead((), (k,)) if side == "zh" else Bead((k,), ()) for k in other]
        else:
            moved = tuple(new_id[g] for g in ids)
            gold.append(Bead(moved, bead.tgt) if side == "zh" else Bead(bead.src, moved))
    text = "\n".join(line for k, line in enumerate(lines) if k not in block)
    kept = tuple(sentences[g] for g in keep)
    name = f"{case.name} without {side} {named.format(block[0] + 1)}"
    return (Case(name, text, case.en_text, kept, case.en, tuple(gold)) if side == "zh"
            else Case(name, case.zh_text, text, case.zh, kept, tuple(gold)))


def back_to_back(parts: list[Case]) -> Case:
    """Transcripts one after another as one: their raw texts with a blank line between, their gold sentences
    and beads in order."""
    zh: list[str] = []
    en: list[str] = []
    gold: list[Bead] = []
    for part in parts:
        gold += [Bead(tuple(len(zh) + i for i in b.src), tuple(len(en) + j for j in b.tgt)) for b in part.gold]
        zh, en = zh + list(part.zh), en + list(part.en)
    return Case("+".join(p.name for p in parts), "\n\n".join(p.zh_text.strip("\n") for p in parts),
                "\n\n".join(p.en_text.strip("\n") for p in parts), tuple(zh), tuple(en), tuple(gold))


def without_middle(parts: list[Case], side: str) -> Case:
    """Three transcripts back to back (`back_to_back`) without the middle one on `side`: its lines and gold
    sentences go, their partners become 1-0 / 0-1 gold beads (a whole conference one version lacks)."""
    first, middle, _ = parts
    start = len(_lines(back_to_back([first]), side)) + 1
    block = list(range(start, start + len(_lines(back_to_back([middle]), side))))
    ahead = len(first.zh if side == "zh" else first.en)
    removed = set(range(ahead, ahead + len(middle.zh if side == "zh" else middle.en)))
    return _without(back_to_back(parts), side, block, removed, f"conference {middle.name} (line {{}} on)")


def missing_conference(found: list[tuple["DocumentPair", Case]]) -> list[tuple["DocumentPair", Case]]:
    """Every three consecutive conferences of each half (`halves`: a text never mixes them) back to back,
    without the middle one on one side, each side in turn; each with the middle conference's pair."""
    by_stem = {pair.stem: (pair, case) for pair, case in found}
    out = []
    for half in halves(list(by_stem)):
        for k in range(len(half) - 2):
            trio = [by_stem[stem] for stem in half[k:k + 3]]
            out += [(trio[1][0], without_middle([case for _, case in trio], side)) for side in ("zh", "en")]
    return out


def in_traditional(found: list[tuple["DocumentPair", Case]]) -> list[tuple["DocumentPair", Case]]:
    """Each pair with its Chinese (raw text and gold sentences) in Traditional characters (OpenCC's s2t), as a
    Hong Kong or Taiwan page gives it; the gold beads are the same."""
    import opencc

    convert = opencc.OpenCC("s2t").convert
    return [(pair, replace(case, name=f"{case.name} in Traditional", zh_text=convert(case.zh_text),
                           zh=tuple(convert(s) for s in case.zh))) for pair, case in found]


@dataclass(frozen=True)
class PressReport:
    """Pooled scores of `run` and of the aligner on the gold sentences, on press-dev as it is and on its
    texts with a paragraph, whole turns or a whole conference of one side removed, and each text's."""

    rows: tuple[tuple[str, PairScore, PairScore], ...]      # (what, run, aligner on gold sentences)
    pairs: tuple[tuple[PairScore, PairScore], ...]

    def as_dict(self) -> dict:
        return {"rows": [{"texts": what, "run": r.as_dict(), "aligner_on_gold_sentences": g.as_dict()}
                         for what, r, g in self.rows],
                "pairs": [{"run": r.as_dict(), "aligner_on_gold_sentences": g.as_dict()} for r, g in self.pairs]}


def cases(press_dev: Path) -> list[tuple["DocumentPair", Case]]:
    """press-dev's pairs (as `run` finds them in corpora/) with their raw texts, gold sentences and gold beads;
    InputError when press-dev is not in `press_dev`."""
    from align.pipeline import find_pairs, read_pair

    if not (press_dev / "gold").is_dir() or not (press_dev / "corpora").is_dir():
        raise InputError(f"{press_dev}: press-dev not found (expected corpora/, gold/, zh/, en/)")
    found = []
    for pair in find_pairs(press_dev / "corpora"):
        gold_path = press_dev / "gold" / f"{pair.stem}.align"
        if gold_path.is_file():
            text = read_pair(pair)
            found.append((pair, Case(pair.stem, text.zh_text, text.en_text,
                                     tuple(read_lines(press_dev / "zh" / f"{pair.stem}.zh")),
                                     tuple(read_lines(press_dev / "en" / f"{pair.stem}.en")),
                                     tuple(read_ladder(gold_path)))))
    return found


def gapped(found: list[tuple["DocumentPair", Case]], rng: random.Random) -> list[tuple["DocumentPair", Case]]:
    """Each pair without one paragraph of Chinese, and without one of English (`without_paragraph`)."""
    return [(pair, cut) for pair, case in found for side in ("zh", "en")
            if (cut := without_paragraph(case, side, rng)) is not None]


def turnless(found: list[tuple["DocumentPair", Case]]) -> list[tuple["DocumentPair", Case]]:
    """Each pair without each whole speaker turn of either side, one at a time (`without_turns`)."""
    return [(pair, cut) for pair, case in found for side in ("zh", "en") for cut in without_turns(case, side)]


def press(press_dev: Path, method: str | None = None) -> PressReport:
    """`run`'s alignment of every press-dev pair and the aligner's on the gold sentences, scored by text;
    InputError when press-dev is not in `press_dev`."""
    from align.aligners import get_aligner
    from align.pipeline import PairText, align_pair

    aligner = get_aligner(method)
    found = cases(press_dev)
    held_out = set(halves([pair.stem for pair, _ in found])[1])

    def score(pair, case: Case) -> tuple[PairScore, PairScore]:
        alignment = align_pair(PairText(pair, case.en_text, case.zh_text, "", ""), aligner).stored.alignment
        ours = [Bead(b.zh, b.en, b.confidence) for b in alignment.beads]
        on_gold = aligner.align(list(case.zh), list(case.en), "zh", "en", src_turns=sentence_turns(case.zh, "zh"),
                                tgt_turns=sentence_turns(case.en, "en"),
                                src_paragraphs=sentence_paragraphs(list(case.zh), case.zh_text),
                                tgt_paragraphs=sentence_paragraphs(list(case.en), case.en_text))
        gold, zh, en = list(case.gold), list(case.zh), list(case.en)
        return (score_by_text(case.name, gold, zh, en, ours, [s.text for s in alignment.zh],
                              [s.text for s in alignment.en]),
                score_by_text(case.name, gold, zh, en, on_gold, zh, en))

    rows, pairs = [], []
    for what, group in (("press-dev", found),
                        ("press-dev, one paragraph of one side removed", gapped(found, random.Random(SEED))),
                        ("press-dev, whole turns of one side removed", turnless(found)),
                        ("press-dev in threes, the middle one missing on one side", missing_conference(found)),
                        ("press-dev, the Chinese in Traditional characters", in_traditional(found))):
        scored = [score(pair, case) for pair, case in group]
        pairs += scored
        rows.append((what, pooled(what, [r for r, _ in scored]), pooled(what, [g for _, g in scored])))
        kept = [both for (pair, _), both in zip(group, scored) if pair.stem in held_out]
        what = f"{what}, held-out half"
        rows.append((what, pooled(what, [r for r, _ in kept]), pooled(what, [g for _, g in kept])))
    return PressReport(tuple(rows), tuple(pairs))
