"""The omission benchmark: what one version lacks must come out unpaired, and no unit that holds such a
sentence may look sure.

Variants are made from gold alignments by removing, deterministically (seeded), one block of consecutive
beads' sentences from one side: blocks of 1–15 sentences from MAC-Dev chapters and from Bible chapters
(the verse gold cut at chapters), and whole speaker turns (a question, an answer, or a question with its
answer) from the press-dev transcripts put back to back in fours. The sentences of the other side of
the removed beads are the orphans; the variant's gold keeps them as 1-0 / 0-1 beads. Reported per
corpus: orphan recall (orphans output unpaired), the glued units (paired units holding an orphan) with
their confidences, and strict F1 on the rest (units without orphans, against the gold pairs). A last row,
outside "all", repeats the transcript variants on the half of press-dev the aligner was not fitted on
(`press.halves`; the "press-dev" row mixes both halves). Transcript variants are aligned as `run` aligns a
transcript (`anchored.align_documents`), with their speaker turns and paragraphs (each gold sentence's line in
the raw transcript, as `run` reads it).
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from itertools import groupby
from pathlib import Path

from align.aligners.ladder import read_ladder
from align.bench.press import cases, halves, sentence_paragraphs, sentence_turns
from align.document import Bead, Document, Sentence
from align.errors import InputError
from align.ingest import read_lines

SEED = 17
MAX_BLOCK = 15
GLUED_THRESHOLDS = (0.5, 0.8)
HELD_OUT = "press-dev held out"


@dataclass(frozen=True)
class Source:
    """A gold-aligned text (Chinese first) with the speaker turn and paragraph of each sentence (empty where
    the text has none)."""

    name: str
    zh: tuple[str, ...]
    en: tuple[str, ...]
    gold: tuple[Bead, ...]
    zh_turns: tuple[int, ...] = ()
    en_turns: tuple[int, ...] = ()
    zh_paragraphs: tuple[int, ...] = ()
    en_paragraphs: tuple[int, ...] = ()


@dataclass(frozen=True)
class Variant:
    """A source with one block removed from one side: texts, gold with the orphans as 1-0 / 0-1 beads,
    and the orphans as (side, id) in the variant's numbering."""

    name: str
    corpus: str
    zh: tuple[str, ...]
    en: tuple[str, ...]
    gold: tuple[Bead, ...]
    orphans: frozenset[tuple[str, int]]
    zh_turns: tuple[int, ...] = ()
    en_turns: tuple[int, ...] = ()
    zh_paragraphs: tuple[int, ...] = ()
    en_paragraphs: tuple[int, ...] = ()


def documents(text: Source | Variant) -> tuple[Document, Document]:
    """The Chinese and English of a text as `run` reads them: each sentence with its speaker turn and paragraph
    (0 where the text has none)."""
    def side(lang: str, sentences: tuple[str, ...], turns: tuple[int, ...], paragraphs: tuple[int, ...]) -> Document:
        return Document(Path(f"{text.name}.{lang}"), lang,
                        tuple(Sentence(sentence, turns[k] if turns else 0, paragraphs[k] if paragraphs else 0)
                              for k, sentence in enumerate(sentences)))

    return (side("zh", text.zh, text.zh_turns, text.zh_paragraphs), side("en", text.en, text.en_turns, text.en_paragraphs))


def remove_beads(source: Source, corpus: str, first: int, last: int, side: str) -> Variant:
    """`source` without the `side` sentences of gold beads [first, last]; their partners become orphans."""
    removed = {i for bead in source.gold[first:last + 1] for i in (bead.src if side == "zh" else bead.tgt)}
    keep_zh = [i for i in range(len(source.zh)) if not (side == "zh" and i in removed)]
    keep_en = [j for j in range(len(source.en)) if not (side == "en" and j in removed)]
    new_zh, new_en = {i: k for k, i in enumerate(keep_zh)}, {j: k for k, j in enumerate(keep_en)}
    gold, orphans = [], set()
    for number, bead in enumerate(source.gold):
        src = tuple(new_zh[i] for i in bead.src if i in new_zh)
        tgt = tuple(new_en[j] for j in bead.tgt if j in new_en)
        if first <= number <= last:
            orphans |= {("zh", i) for i in src} | {("en", j) for j in tgt}
            gold += [Bead((i,), ()) for i in src] + [Bead((), (j,)) for j in tgt]
        elif src or tgt:
            gold.append(Bead(src, tgt))
    lost = "Chinese" if side == "zh" else "English"
    start = min(removed)

    def kept(ids: tuple, keep: list[int]) -> tuple:
        return tuple(ids[k] for k in keep) if ids else ()

    return Variant(f"{source.name} without {lost} {start}–{max(removed)}", corpus,
                   kept(source.zh, keep_zh), kept(source.en, keep_en), tuple(gold), frozenset(orphans),
                   kept(source.zh_turns, keep_zh), kept(source.en_turns, keep_en),
                   kept(source.zh_paragraphs, keep_zh), kept(source.en_paragraphs, keep_en))


def _pick_block(source: Source, rng: random.Random, number: int) -> tuple[int, int, str]:
    """Gold beads [first, last] of 1–MAX_BLOCK sentences on one side (alternating sides), all paired."""
    paired = [k for k, bead in enumerate(source.gold) if bead.src and bead.tgt]
    side = ("zh", "en")[(number + rng.randrange(2)) % 2]
    wanted = rng.randint(1, MAX_BLOCK)
    first = rng.choice(paired)
    last, size = first, 0
    for k in range(first, len(source.gold)):
        bead = source.gold[k]
        taken = len(bead.src if side == "zh" else bead.tgt)
        if not (bead.src and bead.tgt) or size and size + taken > wanted:
            break
        last, size = k, size + taken
    return first, last, side


def _block_variants(source: Source, corpus: str, count: int, rng: random.Random) -> list[Variant]:
    """`count` variants of `source`, each without a block of 1–MAX_BLOCK sentences of one side."""
    return [remove_beads(source, corpus, *_pick_block(source, rng, number)) for number in range(count)]


def window(source: Source, first: int, last: int) -> Source:
    """Gold beads [first, last] of `source` as a text of their own."""
    beads = source.gold[first:last + 1]
    zs, es = [i for b in beads for i in b.src], [j for b in beads for j in b.tgt]
    z0, e0 = min(zs, default=0), min(es, default=0)
    return Source(f"{source.name}[{first}:{last + 1}]", source.zh[z0:max(zs, default=-1) + 1],
                  source.en[e0:max(es, default=-1) + 1],
                  tuple(Bead(tuple(i - z0 for i in b.src), tuple(j - e0 for j in b.tgt)) for b in beads))


def window_variants(source: Source, corpus: str, count: int, context: int, rng: random.Random) -> list[Variant]:
    """`count` stretches of `source`, `context` beads either side of a block of 1–MAX_BLOCK sentences of
    one side, without that block: short texts with a gap, for training."""
    out = []
    for number in range(count):
        first, last, side = _pick_block(source, rng, number)
        start, stop = max(0, first - context), min(len(source.gold) - 1, last + context)
        out.append(remove_beads(window(source, start, stop), corpus, first - start, last - start, side))
    return out


def turn_variants(source: Source, corpus: str, rng: random.Random) -> list[Variant]:
    """Variants of a transcript without one whole turn of one side: a question, an answer, or both."""
    turns = [list(group) for _, group in groupby(range(len(source.gold)), key=lambda k: _bead_turn(source, k))]
    asks = [any(source.zh[i].rstrip().endswith(("?", "？")) for k in turn for i in source.gold[k].src) for turn in turns]
    starts = {"question": [k for k, ask in enumerate(asks) if ask],
              "answer": [k for k in range(1, len(turns)) if asks[k - 1] and not asks[k]],
              "question and answer": [k for k in range(len(turns) - 1) if asks[k] and not asks[k + 1]]}
    variants = []
    for shape, side in (("question", "en"), ("answer", "zh"), ("question and answer", "en"), ("answer", "en"),
                        ("question", "zh"), ("question and answer", "zh")):
        if not starts[shape]:
            continue
        k = rng.choice(starts[shape])
        beads = turns[k] + turns[k + 1] if shape == "question and answer" else turns[k]
        variant = remove_beads(source, corpus, beads[0], beads[-1], side)
        variants.append(Variant(f"{variant.name} ({shape})", *list(variant.__dict__.values())[1:]))
    return variants


def _bead_turn(source: Source, k: int) -> int:
    bead = source.gold[k]
    return source.zh_turns[bead.src[0]] if bead.src else source.en_turns[bead.tgt[0]]


def mac_dev_sources(mac_dev: Path) -> list[Source]:
    if not (mac_dev / "gold").is_dir():
        raise InputError(f"{mac_dev}: MAC-Dev not found (expected gold/, zh/, en/)")
    return [Source(f"mac-dev/{g.stem}", tuple(read_lines(mac_dev / "zh" / f"{g.stem}.zh")),
                   tuple(read_lines(mac_dev / "en" / f"{g.stem}.en")), tuple(read_ladder(g)))
            for g in sorted((mac_dev / "gold").glob("*.align"))]


def bible_sources(bible: Path) -> list[Source]:
    """The Bible set cut at chapters (verse gold, English first: no bead crosses a chapter), Chinese first."""
    if not (bible / "gold" / "001.align").is_file():
        raise InputError(f"{bible}: the Bible set not found (expected gold/001.align, zh/, en/, zh.verse)")
    zh, en = read_lines(bible / "zh" / "001.zh"), read_lines(bible / "en" / "001.en")
    chapter_of = [line.rsplit(":", 1)[0] for line in read_lines(bible / "en.verse")]
    sources = []
    flipped = [Bead(b.tgt, b.src) for b in read_ladder(bible / "gold" / "001.align")]
    for chapter, group in groupby(flipped,
                                  key=lambda b: chapter_of[b.tgt[0]] if b.tgt else None):
        beads = list(group)
        if chapter is None or sum(1 for b in beads if b.src and b.tgt) < len(beads) * 0.9:
            continue   # the end of the set, where the English stops
        zs = sorted(i for b in beads for i in b.src)
        es = sorted(j for b in beads for j in b.tgt)
        z0, e0 = zs[0], es[0]
        gold = tuple(Bead(tuple(i - z0 for i in b.src), tuple(j - e0 for j in b.tgt)) for b in beads)
        sources.append(Source(f"bible/{chapter}", tuple(zh[z0:zs[-1] + 1]), tuple(en[e0:es[-1] + 1]), gold))
    return sources




def press_sources(press: Path, per_text: int = 4, stems: list[str] | None = None) -> list[Source]:
    """The press-dev transcripts (all, or those of `stems`) put back to back, `per_text` to a text, with their
    speaker turns (a new transcript starts a new turn) and paragraphs (`press.sentence_paragraphs`)."""
    found = {case.name: case for _, case in cases(press)}
    stems = stems if stems is not None else sorted(found)
    sources = []
    for k in range(0, len(stems), per_text):
        zh, en, gold, zh_turns, en_turns, zh_paragraphs, en_paragraphs = [], [], [], [], [], [], []
        for stem in stems[k:k + per_text]:
            case = found[stem]
            z, e = list(case.zh), list(case.en)
            gold += [Bead(tuple(len(zh) + i for i in b.src), tuple(len(en) + j for j in b.tgt)) for b in case.gold]
            zh_turns += sentence_turns(z, "zh", max(zh_turns, default=0) + 1)
            en_turns += sentence_turns(e, "en", max(en_turns, default=0) + 1)
            zh_paragraphs += [max(zh_paragraphs, default=-1) + 1 + p for p in sentence_paragraphs(z, case.zh_text)]
            en_paragraphs += [max(en_paragraphs, default=-1) + 1 + p for p in sentence_paragraphs(e, case.en_text)]
            zh, en = zh + z, en + e
        sources.append(Source(f"press-dev/{stems[k]}+{len(stems[k:k + per_text]) - 1}", tuple(zh), tuple(en),
                              tuple(gold), tuple(zh_turns), tuple(en_turns), tuple(zh_paragraphs),
                              tuple(en_paragraphs)))
    return sources


def variants(data: Path, per_source: int = 2, bible_chapters: int = 24) -> list[Variant]:
    """The benchmark's variants (deterministic): `per_source` per MAC-Dev chapter, one per each of
    `bible_chapters` Bible chapters spread over the set, six per press-dev text."""
    rng = random.Random(SEED)
    out = []
    for source in mac_dev_sources(data / "mac-dev"):
        out += _block_variants(source, "mac-dev", per_source, rng)
    chapters = bible_sources(data / "bible")
    step = max(1, len(chapters) // bible_chapters)
    for source in chapters[::step][:bible_chapters]:
        out += _block_variants(source, "bible", 1, rng)
    for source in press_sources(data / "press-dev"):
        out += turn_variants(source, "press-dev", rng)
    return out




def held_out_variants(data: Path) -> list[Variant]:
    """Turn variants of the press-dev conferences the aligner's weights were not fitted on
    (`halves`), put back to back in fours, corpus "press-dev held out" (seeded apart from `variants`)."""
    stems = [g.stem for g in sorted((data / "press-dev" / "gold").glob("*.align"))]
    rng = random.Random(SEED)
    return [v for source in press_sources(data / "press-dev", stems=halves(stems)[1])
            for v in turn_variants(source, HELD_OUT, rng)]


@dataclass(frozen=True)
class OmissionScores:
    """One corpus's figures: orphans, how many came out unpaired, the glued units' confidences, and strict
    P/R/F1 of the units without orphans."""

    corpus: str
    variants: int
    orphans: int
    unpaired: int
    glued: tuple[float, ...]          # confidence of each paired unit holding an orphan
    rest_hits: int
    rest_units: int
    gold_pairs: int
    gold_found: int

    @property
    def orphan_recall(self) -> float:
        return self.unpaired / self.orphans if self.orphans else 1.0

    @property
    def strict_f1(self) -> float:
        p = self.rest_hits / self.rest_units if self.rest_units else 0.0
        r = self.gold_found / self.gold_pairs if self.gold_pairs else 0.0
        return 2 * p * r / (p + r) if p + r else 0.0

    def glued_at_least(self, threshold: float) -> int:
        return sum(c >= threshold for c in self.glued)

    def as_dict(self) -> dict:
        return {"corpus": self.corpus, "variants": self.variants, "orphans": self.orphans,
                "orphan_recall": round(self.orphan_recall, 4), "glued_units": len(self.glued),
                **{f"glued_at_least_{t}": self.glued_at_least(t) for t in GLUED_THRESHOLDS},
                "strict_f1_rest": round(self.strict_f1, 4)}


def judge(variant: Variant, beads: list[Bead]) -> OmissionScores:
    """The figures of one variant aligned as `beads` (Chinese first)."""
    orphan = variant.orphans
    unpaired = sum(1 for b in beads if not (b.src and b.tgt)
                   for ref in [("zh", i) for i in b.src] + [("en", j) for j in b.tgt] if ref in orphan)
    glued, rest = [], []
    for b in beads:
        if b.src and b.tgt:
            refs = {("zh", i) for i in b.src} | {("en", j) for j in b.tgt}
            (glued if refs & orphan else rest).append(b)
    gold_pairs = {(b.src, b.tgt) for b in variant.gold if b.src and b.tgt}
    found = {(b.src, b.tgt) for b in beads if b.src and b.tgt}
    return OmissionScores(variant.corpus, 1, len(orphan), unpaired, tuple(b.confidence for b in glued),
                          sum((b.src, b.tgt) in gold_pairs for b in rest), len(rest), len(gold_pairs),
                          len(gold_pairs & found))


def pooled(scores: list[OmissionScores], corpus: str) -> OmissionScores:
    return OmissionScores(corpus, sum(s.variants for s in scores), sum(s.orphans for s in scores),
                          sum(s.unpaired for s in scores), tuple(c for s in scores for c in s.glued),
                          sum(s.rest_hits for s in scores), sum(s.rest_units for s in scores),
                          sum(s.gold_pairs for s in scores), sum(s.gold_found for s in scores))


def omissions(data: Path, method: str | None = None) -> list[OmissionScores]:
    """Per corpus and over all: orphan recall, glued units and strict F1 of the rest for `method`; InputError
    when a corpus is missing from `data`."""
    from align.aligners import get_aligner

    aligner = get_aligner(method)
    by_corpus: dict[str, list[OmissionScores]] = {}
    for variant in variants(data) + held_out_variants(data):
        beads = align_variant(aligner, variant)
        by_corpus.setdefault(variant.corpus, []).append(judge(variant, beads))
    rows = [pooled(scores, corpus) for corpus, scores in by_corpus.items() if corpus != HELD_OUT]
    return rows + [pooled(rows, "all"), pooled(by_corpus[HELD_OUT], HELD_OUT)]


def align_variant(aligner, variant: Variant) -> list[Bead]:
    """The variant aligned by `aligner` (Chinese first): a transcript (a text with speaker turns) as `run` aligns
    it (`anchored.align_documents`, with each sentence's turn and paragraph), other text as it is."""
    from align.aligners.anchored import align_documents

    if variant.zh_turns:
        return align_documents(*documents(variant), aligner)
    return aligner.align(list(variant.zh), list(variant.en), "zh", "en")
