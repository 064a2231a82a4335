"""Helpers several benchmarks share: the Bible set read as gold pairs, cut into chapter files or into two halves
of chapters, the generated TMX of `bench memory` and `bench fuzzy`, and the median/95th percentile of timings."""

from __future__ import annotations

from dataclasses import dataclass
from itertools import groupby
from pathlib import Path

from align.aligners import get_aligner
from align.aligners.ladder import read_ladder
from align.document import Bead
from align.errors import InputError
from align.ingest import read_lines


def bible_pairs(bible: Path) -> list[tuple[str, str, str]]:
    """(book, English, Chinese) of every paired bead of the Bible set's gold alignment."""
    gold = bible / "gold" / "001.align"
    if not gold.is_file():
        raise InputError(f"{bible}: the Bible set was not found (expected gold/001.align, en/001.en, zh/001.zh, en.verse)")
    zh, en = read_lines(bible / "zh" / "001.zh"), read_lines(bible / "en" / "001.en")
    books = [line.split(":")[0] for line in read_lines(bible / "en.verse")]
    # the Bible gold is English first ([en ids]:[zh ids]), as bench speed reads it
    return [(books[bead.src[0]], " ".join(en[j] for j in bead.src), "".join(zh[i] for i in bead.tgt))
            for bead in read_ladder(gold) if bead.paired]


def bible_chapters(bible: Path, folder: Path, limit: int | None = None) -> list:
    """The Bible set cut at chapters into transcript-like pairs (one file a side, a sentence a line)."""
    from itertools import groupby

    from align.pipeline import DocumentPair

    sides = {}
    for lang in ("en", "zh"):
        lines = read_lines(bible / lang / f"001.{lang}")
        chapters = [line.rsplit(":", 1)[0] for line in read_lines(bible / f"{lang}.verse")]
        sides[lang] = {chapter: [text for _, text in group]
                       for chapter, group in groupby(zip(chapters, lines), key=lambda item: item[0])}
    pairs = []
    for number, chapter in enumerate([c for c in sides["en"] if c in sides["zh"]][:limit]):
        stem = f"{number:03d}-{chapter.replace(':', '-')}"
        for lang in ("en", "zh"):
            (folder / lang).mkdir(parents=True, exist_ok=True)
            (folder / lang / f"{stem}.txt").write_text("\n".join(sides[lang][chapter]) + "\n", encoding="utf-8")
        pairs.append(DocumentPair(stem, folder / "en" / f"{stem}.txt", folder / "zh" / f"{stem}.txt"))
    return pairs


@dataclass(frozen=True)
class BibleText:
    """Some of the Bible set's chapters back to back, English first as `bench speed` aligns the set, with their
    gold beads ([English ids]:[Chinese ids]) numbered within it."""

    name: str
    en: tuple[str, ...]
    zh: tuple[str, ...]
    gold: tuple[Bead, ...]


def bible_halves(bible: Path) -> tuple[BibleText, BibleText]:
    """The Bible set cut at its 150 chapters (every gold bead lies inside one), as two texts: the chapters of even
    index (Gen 1, Gen 3, …: the training half of `scripts/fit_aligner.py --bible`) and those of odd index (the held
    half), each half's chapters in order."""
    en, zh = read_lines(bible / "en" / "001.en"), read_lines(bible / "zh" / "001.zh")
    chapter_of = {side: [line.rsplit(":", 1)[0] for line in read_lines(bible / f"{side}.verse")] for side in ("en", "zh")}
    order = [chapter for chapter, _ in groupby(chapter_of["en"])]
    gold = [bead for bead in read_ladder(bible / "gold" / "001.align") if bead.src or bead.tgt]
    halves = []
    for name, parity in (("even chapters", 0), ("odd chapters", 1)):
        kept = set(order[parity::2])
        en_ids = [i for i, chapter in enumerate(chapter_of["en"]) if chapter in kept]
        zh_ids = [j for j, chapter in enumerate(chapter_of["zh"]) if chapter in kept]
        en_at, zh_at = {i: k for k, i in enumerate(en_ids)}, {j: k for k, j in enumerate(zh_ids)}
        beads = tuple(Bead(tuple(en_at[i] for i in bead.src), tuple(zh_at[j] for j in bead.tgt))
                      for bead in gold if (chapter_of["en"][bead.src[0]] if bead.src else chapter_of["zh"][bead.tgt[0]]) in kept)
        halves.append(BibleText(f"the Bible, {name}", tuple(en[i] for i in en_ids), tuple(zh[j] for j in zh_ids), beads))
    return halves[0], halves[1]


def generate_tmx(path: Path, units: int, seed: int = 7) -> None:
    """A TMX of `units` distinct units made from the demo corpus' aligned sentences, each varied by a
    number and one of a few hundred invented names so the index sees realistic spread."""
    import random

    from lxml import etree

    from align.aligners.anchored import align_documents
    from align.export.tmx import XML_LANG
    from align.ingest import load_document
    from align.pipeline import find_pairs

    pairs = find_pairs(Path("corpora"))
    base = []
    for pair in pairs:
        en, zh = load_document(pair.en, "en"), load_document(pair.zh, "zh")
        for bead in align_documents(zh, en, get_aligner("length")):
            if bead.paired:
                base.append((" ".join(en.texts[j] for j in bead.tgt), "".join(zh.texts[i] for i in bead.src)))
    rng = random.Random(seed)
    places = [(f"Province {n}", f"第{n}省") for n in range(300)]
    with etree.xmlfile(str(path), encoding="utf-8") as xf:
        xf.write_declaration()
        with xf.element("tmx", version="1.4"):
            xf.write(etree.Element("header", creationtool="align-bench", creationtoolversion="1", segtype="sentence",
                                   **{"o-tmf": "x", "adminlang": "en", "srclang": "en-US", "datatype": "plaintext"}))
            with xf.element("body"):
                for number in range(units):
                    en, zh = base[number % len(base)]
                    place_en, place_zh = places[rng.randrange(len(places))]
                    tu = etree.Element("tu")
                    etree.SubElement(tu, "prop", type="x-confidence").text = f"{rng.random():.4f}"
                    for lang, text in (("en-US", f"{en} ({place_en}, item {number})"), ("zh-CN", f"{zh}（{place_zh}，第{number}项）")):
                        etree.SubElement(etree.SubElement(tu, "tuv", {XML_LANG: lang}), "seg").text = text
                    xf.write(tu)


def percentiles(samples: list[float]) -> tuple[float, float]:
    """The median and the 95th percentile of `samples`."""
    import numpy as np

    return float(np.median(samples)), float(np.percentile(samples, 95))

