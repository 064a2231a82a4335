"""The `run` pipeline for one document pair: load → align → units → TMX + review file.

Also finds the pairs in a corpus folder (`corpora/en/<stem>.txt` with `corpora/zh/<stem>.txt`;
a trailing language tag in the stem, `name.en.txt` / `name.zh.txt`, is ignored for pairing).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from align.aligners import Aligner
from align.aligners.anchored import align_documents
from align.aligners.ladder import read_ladder
from align.document import Bead, Document
from align.errors import InputError
from align.evaluate import Scores, score_alignments
from align.export.review import ReviewItem, write_review
from align.export.tmx import TmxHeader, TmxUnit, alignment_props, tmx_date, write_tmx
from align.ingest import load_document

REVIEW_THRESHOLD = 0.5


@dataclass(frozen=True)
class DocumentPair:
    stem: str
    en: Path
    zh: Path
    gold: Path | None = None


@dataclass(frozen=True)
class PairResult:
    pair: DocumentPair
    tmx: Path
    review: Path
    en_sentences: int
    zh_sentences: int
    units: int
    unpaired: int
    low_confidence: int
    mean_confidence: float
    scores: Scores | None
    dropped_lines: int
    beads: tuple[Bead, ...]
    tmx_units: tuple[TmxUnit, ...]

    def as_dict(self) -> dict:
        return {
            "stem": self.pair.stem, "tmx": str(self.tmx), "review": str(self.review),
            "en_sentences": self.en_sentences, "zh_sentences": self.zh_sentences, "units": self.units,
            "unpaired_sentences": self.unpaired, "units_to_review": self.low_confidence,
            "mean_confidence": round(self.mean_confidence, 4), "web_residue_lines_left_out": self.dropped_lines,
            "scores": self.scores.as_dict() if self.scores else None,
        }


def _pair_stem(path: Path, lang: str) -> str:
    stem = path.stem
    return stem[: -len(lang) - 1] if stem.endswith("." + lang) else stem


def find_pairs(corpus: Path) -> list[DocumentPair]:
    """All en/zh pairs of a corpus folder. InputError for a file without its partner."""
    corpus = Path(corpus)
    en_dir, zh_dir = corpus / "en", corpus / "zh"
    if not en_dir.is_dir() or not zh_dir.is_dir():
        raise InputError(f"{corpus}: expected the folders {en_dir} and {zh_dir}")
    en = {_pair_stem(p, "en"): p for p in sorted(en_dir.glob("*.txt"))}
    zh = {_pair_stem(p, "zh"): p for p in sorted(zh_dir.glob("*.txt"))}
    for stem in sorted(set(en) ^ set(zh)):
        have, missing = (en[stem], zh_dir) if stem in en else (zh[stem], en_dir)
        raise InputError(f"{have}: no partner file for {stem!r} in {missing}; "
                         f"add {missing / (stem + '.txt')} or move the file out of the corpus")
    if not en:
        raise InputError(f"{corpus}: no *.txt pairs found in {en_dir} and {zh_dir}")
    gold_dir = corpus / "gold"
    return [DocumentPair(stem, en[stem], zh[stem], gold if (gold := gold_dir / f"{stem}.align").is_file() else None)
            for stem in sorted(en)]


def _lines(doc: Document, ids: tuple[int, ...]) -> str:
    return ",".join(dict.fromkeys(str(doc.sentences[i].line) for i in ids))


def units_from_beads(beads: list[Bead], zh: Document, en: Document, aligner: str,
                     en_lang: str = "en-US", zh_lang: str = "zh-CN") -> list[TmxUnit]:
    created = tmx_date()
    units = []
    for bead in beads:
        if not bead.paired:
            continue
        props = alignment_props(bead.confidence, aligner, en.path.name, en.sentences[bead.tgt[0]].speaker)
        units.append(TmxUnit(
            segments={en_lang: " ".join(en.sentences[j].text for j in bead.tgt),
                      zh_lang: "".join(zh.sentences[i].text for i in bead.src)},
            props=props, creationdate=created,
        ))
    return units


def review_items(beads: list[Bead], zh: Document, en: Document, threshold: float) -> list[ReviewItem]:
    items = []
    for bead in beads:
        if bead.paired and bead.confidence >= threshold:
            continue
        items.append(ReviewItem(
            "unpaired" if not bead.paired else "low-confidence", bead.confidence,
            _lines(en, bead.tgt), " ".join(en.sentences[j].text for j in bead.tgt),
            _lines(zh, bead.src), "".join(zh.sentences[i].text for i in bead.src)))
    return items


def check_pair_languages(en_path: Path, zh_path: Path) -> None:
    """Catch swapped or same-language inputs before the expensive work, with one clear line."""
    from align.ingest.decode import read_text
    from align.ingest.language import detect_language

    en_lang, zh_lang = detect_language(read_text(en_path)), detect_language(read_text(zh_path))
    if en_lang == "zh" and zh_lang == "en":
        raise InputError(f"{en_path} and {zh_path}: the languages are swapped "
                         "(the English file is Chinese and the Chinese file is English); swap --en and --zh")
    if en_lang == zh_lang and en_lang is not None:
        name = "English" if en_lang == "en" else "Chinese"
        raise InputError(f"{en_path} and {zh_path}: both files are {name}; give one English and one Chinese transcript")


def run_pair(pair: DocumentPair, aligner: Aligner, out: Path, *, en_lang: str = "en-US", zh_lang: str = "zh-CN",
             threshold: float = REVIEW_THRESHOLD) -> PairResult:
    check_pair_languages(pair.en, pair.zh)
    en = load_document(pair.en, "en")
    zh = load_document(pair.zh, "zh")
    beads = align_documents(zh, en, aligner)
    units = units_from_beads(beads, zh, en, aligner.name, en_lang, zh_lang)
    write_tmx(out, units, TmxHeader(srclang=en_lang, adminlang="en-US"))
    review_path = out.with_suffix(".review.tsv")
    items = review_items(beads, zh, en, threshold)
    write_review(review_path, items)
    paired = [b for b in beads if b.paired]
    scores = score_alignments([(read_ladder(pair.gold), beads)]) if pair.gold else None
    return PairResult(
        pair, out, review_path, len(en.sentences), len(zh.sentences), len(units),
        unpaired=sum(len(b.src) + len(b.tgt) for b in beads if not b.paired),
        low_confidence=sum(1 for b in paired if b.confidence < threshold),
        mean_confidence=sum(b.confidence for b in paired) / len(paired) if paired else 0.0,
        scores=scores, dropped_lines=len(en.dropped_lines) + len(zh.dropped_lines), beads=tuple(beads),
        tmx_units=tuple(units))
