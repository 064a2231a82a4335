"""The `run` pipeline for one document pair: load → align (keeping human edits) → store → TMX + review file.

Also finds the pairs in a corpus folder (`corpora/en/<stem>.txt` with `corpora/zh/<stem>.txt`;
a trailing language tag in the stem, `name.en.txt` / `name.zh.txt`, is ignored for pairing).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, replace
from difflib import SequenceMatcher
from pathlib import Path

from align import __version__
from align.aligners import Aligner
from align.aligners.anchored import align_between
from align.aligners.ladder import read_ladder
from align.document import Bead, Document, Sentence
from align.errors import InputError
from align.evaluate import Scores, score_alignments
from align.export.atomic import atomic_write
from align.export.review import ReviewItem, review_tsv
from align.export.schema import write_tree
from align.export.tmx import TmxHeader, tmx_tree, write_tmx
from align.ingest import document_from_text
from align.store.alignments import AlignmentStore, StoredAlignment, tmx_units, unit_confidence
from align.store.edits import Alignment, StoredBead

REVIEW_THRESHOLD = 0.5


@dataclass(frozen=True)
class DocumentPair:
    stem: str
    en: Path
    zh: Path
    gold: Path | None = None


def pair_stem(path: Path, lang: str) -> str:
    stem = path.stem
    return stem[: -len(lang) - 1] if stem.endswith("." + lang) else stem


def find_pairs(corpus: Path) -> list[DocumentPair]:
    """All en/zh pairs of a corpus folder. InputError for a file without its partner."""
    corpus = Path(corpus)
    en_dir, zh_dir = corpus / "en", corpus / "zh"
    if not en_dir.is_dir() or not zh_dir.is_dir():
        raise InputError(f"{corpus}: expected the folders {en_dir} and {zh_dir}")
    en = {pair_stem(p, "en"): p for p in sorted(en_dir.glob("*.txt"))}
    zh = {pair_stem(p, "zh"): p for p in sorted(zh_dir.glob("*.txt"))}
    for stem in sorted(set(en) ^ set(zh)):
        have, missing = (en[stem], zh_dir) if stem in en else (zh[stem], en_dir)
        raise InputError(f"{have}: no partner file for {stem!r} in {missing}; "
                         f"add {missing / (stem + '.txt')} or move the file out of the corpus")
    if not en:
        raise InputError(f"{corpus}: no *.txt pairs found in {en_dir} and {zh_dir}")
    gold_dir = corpus / "gold"
    return [DocumentPair(stem, en[stem], zh[stem], gold if (gold := gold_dir / f"{stem}.align").is_file() else None)
            for stem in sorted(en)]


def review_path(tmx: Path) -> Path:
    """The review file written beside a pair's TMX."""
    return Path(tmx).with_suffix(".review.tsv")


def _check_languages(en_text: str, zh_text: str, en_path: Path, zh_path: Path) -> None:
    from align.ingest.language import detect_language

    en_lang, zh_lang = detect_language(en_text), detect_language(zh_text)
    if en_lang == "zh" and zh_lang == "en":
        raise InputError(f"{en_path} and {zh_path}: the languages are swapped "
                         "(the English file is Chinese and the Chinese file is English); swap --en and --zh")
    if en_lang == zh_lang and en_lang is not None:
        name = "English" if en_lang == "en" else "Chinese"
        raise InputError(f"{en_path} and {zh_path}: both files are {name}; give one English and one Chinese transcript")


def describe_method(method: str | None) -> str:
    """Provenance stored with an alignment: the method and the package version that made it."""
    from align.aligners import DEFAULT_METHOD

    return f"{method or DEFAULT_METHOD} (align {__version__})"


@dataclass(frozen=True)
class PairText:
    """A pair as read by the client: the decoded texts and the hashes of the files' bytes. This is
    what travels to a batch worker; workers never read the user's files."""

    pair: DocumentPair
    en_text: str
    zh_text: str
    en_hash: str
    zh_hash: str


def read_texts(pair: DocumentPair) -> tuple[str, str]:
    """The decoded English and Chinese texts; InputError when a file is missing, empty, not text, or
    the two are the same language or swapped."""
    from align.ingest.decode import read_text

    en_text, zh_text = read_text(pair.en), read_text(pair.zh)
    _check_languages(en_text, zh_text, pair.en, pair.zh)
    return en_text, zh_text


def read_pair(pair: DocumentPair) -> PairText:
    """`read_texts` and the hashes of both files' bytes."""
    en_text, zh_text = read_texts(pair)
    digest = {path: hashlib.sha256(Path(path).read_bytes()).hexdigest() for path in (pair.en, pair.zh)}
    return PairText(pair, en_text, zh_text, digest[pair.en], digest[pair.zh])


def is_unchanged(texts: PairText, previous: StoredAlignment | None, method: str | None,
                 en_lang: str = "en-US", zh_lang: str = "zh-CN") -> bool:
    """True when `previous` was aligned from the same files, by the same method and version."""
    return previous is not None and (previous.en_hash, previous.zh_hash, previous.aligner, previous.en_lang,
                                     previous.zh_lang) == (texts.en_hash, texts.zh_hash, describe_method(method),
                                                           en_lang, zh_lang)


@dataclass(frozen=True)
class AlignedPair:
    """A pair ready to be written: the alignment to store and how it came about."""

    pair: DocumentPair
    stored: StoredAlignment
    reused: bool            # the files and the aligner are unchanged: nothing was re-aligned
    kept: int               # beads a person had edited or confirmed, kept as anchors
    dropped_lines: int


def _one_run(ids: list[int | None]) -> bool:
    """True when every sentence was found and they still follow one another."""
    return None not in ids and ids == list(range(ids[0], ids[0] + len(ids))) if ids else True


def _kept_anchors(previous: StoredAlignment, zh: Document, en: Document) -> list[StoredBead]:
    """The human beads of `previous` whose sentences all still exist, with the same text and in one
    run, renumbered to the new documents."""
    mapping = {}
    for side, doc in (("zh", zh), ("en", en)):
        old = [s.text for s in previous.alignment.sentences(side)]
        matcher = SequenceMatcher(None, old, doc.texts, autojunk=False)
        mapping[side] = {a + k: b + k for a, b, size in matcher.get_matching_blocks() for k in range(size)}
    anchors = []
    for bead in previous.alignment.beads:
        if not bead.human:
            continue
        ids = {side: [mapping[side].get(i) for i in bead.side(side)] for side in ("zh", "en")}
        if all(_one_run(found) for found in ids.values()):
            anchors.append(replace(bead, zh=tuple(ids["zh"]), en=tuple(ids["en"])))
    return anchors


def align_around(zh: Document, en: Document, anchors: list[StoredBead], aligner: Aligner) -> tuple[StoredBead, ...]:
    """Beads for the whole documents: the `anchors` (beads a person fixed) as they are, everything
    between them aligned by `aligner`."""
    kept = {(b.zh, b.en): b for b in anchors}
    beads = align_between(zh, en, [Bead(b.zh, b.en, b.confidence) for b in anchors], aligner)
    return tuple(kept.get((b.src, b.tgt)) or StoredBead(b.src, b.tgt, b.confidence) for b in beads)


def align_pair(texts: PairText, aligner: Aligner, previous: StoredAlignment | None = None, *,
                discard_edits: bool = False, en_lang: str = "en-US", zh_lang: str = "zh-CN") -> AlignedPair:
    """Segment and align a pair's texts. Beads a person edited or confirmed in `previous` are kept as
    fixed anchors unless `discard_edits`. Pure: reads and writes nothing (a batch worker runs it)."""
    pair = texts.pair
    en = document_from_text(texts.en_text, pair.en, "en")
    zh = document_from_text(texts.zh_text, pair.zh, "zh")
    anchors = _kept_anchors(previous, zh, en) if previous and not discard_edits else []
    stored = StoredAlignment(pair.stem, pair.en.name, pair.zh.name, texts.en_hash, texts.zh_hash,
                             describe_method(aligner.name), en_lang, zh_lang, version=0, updated="",
                             alignment=Alignment(zh.sentences, en.sentences, align_around(zh, en, anchors, aligner)))
    return AlignedPair(pair, stored, reused=False, kept=len(anchors),
                       dropped_lines=len(en.dropped_lines) + len(zh.dropped_lines))


@dataclass(frozen=True)
class UnpairedBlock:
    """A run of consecutive sentences of one side that the aligner left without counterpart: the side,
    its sentence ids, their source lines, and how many whole speaker turns it is (questions, answers)."""

    side: str
    sentences: tuple[int, ...]
    first_line: int
    last_line: int
    turns: tuple[str, ...]       # "question" / "answer" for each whole turn inside it

    def describe(self) -> str:
        """E.g. "Chinese lines 41–47 (one answer) have no English counterpart"."""
        lang, other = ("Chinese", "English") if self.side == "zh" else ("English", "Chinese")
        lines = f"line {self.first_line}" if self.first_line == self.last_line else f"lines {self.first_line}–{self.last_line}"
        count = len(self.sentences)
        what = _turns_phrase(self.turns) if self.turns else f"{count} sentence{'s' * (count > 1)}"
        return f"{lang} {lines} ({what}) {'has' if self.first_line == self.last_line else 'have'} no {other} counterpart"

    def as_dict(self) -> dict:
        return {"side": self.side, "sentences": list(self.sentences), "first_line": self.first_line,
                "last_line": self.last_line, "turns": list(self.turns), "description": self.describe()}


_COUNTS = {1: "one", 2: "two", 3: "three", 4: "four", 5: "five"}


def _turns_phrase(turns: tuple[str, ...]) -> str:
    if len(turns) == 2 and turns == ("question", "answer"):
        return "a question and its answer"
    kinds = set(turns)
    noun = turns[0] if len(kinds) == 1 else "turn"
    return f"{_COUNTS.get(len(turns), str(len(turns)))} {noun}{'s' * (len(turns) > 1)}"


def _is_question(sentences: list[Sentence]) -> bool:
    return any(s.text.rstrip().endswith(("?", "？")) for s in sentences)


def unpaired_blocks(alignment: Alignment) -> list[UnpairedBlock]:
    """The runs of unpaired sentences of each side, in document order; each says which whole speaker
    turns it holds (a turn counts when all its sentences are in the run)."""
    blocks = []
    for side in ("zh", "en"):
        sentences = alignment.sentences(side)
        unpaired = sorted(i for b in alignment.beads if not b.paired for i in b.side(side))
        runs: list[list[int]] = []
        for i in unpaired:
            if runs and runs[-1][-1] == i - 1:
                runs[-1].append(i)
            else:
                runs.append([i])
        for run in runs:
            touched = dict.fromkeys(sentences[i].turn for i in run)
            members = {t: [k for k, s in enumerate(sentences) if s.turn == t] for t in touched}
            whole = all(t and set(run).issuperset(members[t]) for t in touched)
            turns = tuple("question" if _is_question([sentences[k] for k in members[t]]) else "answer"
                          for t in touched) if whole else ()
            blocks.append(UnpairedBlock(side, tuple(run), sentences[run[0]].line, sentences[run[-1]].line, turns))
    position = {(side, i): k for k, b in enumerate(alignment.beads) for side in ("zh", "en") for i in b.side(side)}
    return sorted(blocks, key=lambda b: position[(b.side, b.sentences[0])])


def review_items(stored: StoredAlignment, threshold: float) -> list[ReviewItem]:
    """What a person should look at: each block of unpaired sentences as one item, and automatic units
    under `threshold`."""
    alignment = stored.alignment

    def lines(side: str, ids) -> str:
        return ",".join(dict.fromkeys(str(alignment.sentences(side)[i].line) for i in ids))

    def text(side: str, ids) -> str:
        return ("" if side == "zh" else " ").join(alignment.sentences(side)[i].text for i in ids)

    items = []
    blocks = {(block.side, block.sentences[0]): block for block in unpaired_blocks(alignment)}
    for bead in alignment.beads:
        if bead.paired:
            if not (bead.human or bead.confidence >= threshold):
                items.append(ReviewItem("low-confidence", bead.confidence, lines("en", bead.en), text("en", bead.en),
                                        lines("zh", bead.zh), text("zh", bead.zh)))
            continue
        block = blocks.get(("zh", bead.zh[0]) if bead.zh else ("en", bead.en[0]))
        if block is None:
            continue    # inside a block already listed
        ids = block.sentences
        en_ids, zh_ids = (ids, ()) if block.side == "en" else ((), ids)
        items.append(ReviewItem("unpaired", 0.0, lines("en", en_ids), text("en", en_ids), lines("zh", zh_ids),
                                text("zh", zh_ids)))
    return items


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
    reused: bool
    kept: int
    added: int
    removed: int
    unpaired_blocks: tuple[UnpairedBlock, ...] = ()

    def as_dict(self) -> dict:
        return {
            "stem": self.pair.stem, "tmx": str(self.tmx), "review": str(self.review),
            "en_sentences": self.en_sentences, "zh_sentences": self.zh_sentences, "units": self.units,
            "unpaired_sentences": self.unpaired, "units_to_review": self.low_confidence,
            "mean_confidence": round(self.mean_confidence, 4), "web_residue_lines_left_out": self.dropped_lines,
            "scores": self.scores.as_dict() if self.scores else None,
            "realigned": not self.reused, "human_beads_kept": self.kept,
            "memory_units_added": self.added, "memory_units_removed": self.removed,
            "unpaired_blocks": [b.as_dict() for b in self.unpaired_blocks],
        }


def write_pair(aligned: AlignedPair, out: Path, store: AlignmentStore, *,
               threshold: float = REVIEW_THRESHOLD) -> PairResult:
    """Commit a pair's TMX, review file, stored alignment and memory units together: the files are
    renamed into place only after the memory transaction has committed."""
    stored = aligned.stored
    review = review_path(out)
    units = tmx_units(stored)
    tree = tmx_tree(units, TmxHeader(srclang=stored.en_lang, adminlang="en-US"), out)
    items = review_items(stored, threshold)
    with atomic_write(out) as tmx_handle, atomic_write(review, "w", encoding="utf-8") as review_handle:
        write_tree(tree, tmx_handle)
        review_handle.write(review_tsv(items))
        with store.db:
            if not aligned.reused:
                stored = store.save(stored)
            added, removed = store.units_changed(stored)
    beads = stored.alignment.beads
    paired = [b for b in beads if b.paired]
    gold = aligned.pair.gold
    scores = score_alignments([(read_ladder(gold), [Bead(b.zh, b.en, b.confidence) for b in beads])]) if gold else None
    return PairResult(
        aligned.pair, out, review, len(stored.alignment.en), len(stored.alignment.zh), len(units),
        unpaired=sum(len(b.zh) + len(b.en) for b in beads if not b.paired),
        low_confidence=sum(1 for b in paired if not b.human and b.confidence < threshold),
        mean_confidence=sum(unit_confidence(b) for b in paired) / len(paired) if paired else 0.0,
        scores=scores, dropped_lines=aligned.dropped_lines, reused=aligned.reused, kept=aligned.kept,
        added=added, removed=removed, unpaired_blocks=tuple(unpaired_blocks(stored.alignment)))


def export_alignment(store: AlignmentStore, stem: str, out: Path, *, confirmed_only: bool = False,
                     min_confidence: float | None = None) -> int:
    """Write the TMX of a stored alignment (atomically); returns how many units it holds."""
    stored = store.get(stem)
    units = tmx_units(stored, confirmed_only=confirmed_only, min_confidence=min_confidence)
    write_tmx(out, units, TmxHeader(srclang=stored.en_lang, adminlang="en-US"))
    return len(units)
