"""The `run` pipeline for one document pair: load → align (keeping human edits) → store → TMX + review file.

Also finds the pairs in a corpus folder (`corpora/en/<stem>.<ext>` with `corpora/zh/<stem>.<ext>`,
whatever each file's format: .txt, .html, .docx or .pdf; a trailing language tag in the stem,
`name.en.txt` / `name.zh.html`, is ignored for pairing).
"""

from __future__ import annotations

import hashlib
import itertools
from dataclasses import dataclass, replace
from difflib import SequenceMatcher
from pathlib import Path

from align import __version__
from align.aligners import Aligner
from align.aligners.anchored import align_between
from align.aligners.ladder import read_ladder
from align.document import Bead, Document, Sentence
from align.errors import ConflictError, InputError
from align.evaluate import Scores, score_alignments
from align.export.atomic import atomic_write
from align.export.review import ReviewItem, review_tsv
from align.export.schema import write_tree
from align.export.tmx import TmxHeader, tmx_tree, write_tmx
from align.ingest import document_from_text
from align.store.alignments import AlignmentStore, StoredAlignment, tmx_units, unit_confidence
from align.store.edits import AUTO, Alignment, StoredBead, unpaired_runs

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


def _documents(folder: Path, lang: str) -> dict[str, Path]:
    """stem → file for the documents of one side; InputError when two files give the same stem."""
    from align.ingest.formats import SUFFIXES

    found: dict[str, Path] = {}
    for path in sorted(folder.iterdir()):
        if path.suffix.lower() not in SUFFIXES or not path.is_file():
            continue
        stem = pair_stem(path, lang)
        if stem in found:
            raise InputError(f"{path}: {found[stem].name} is the same document ({stem!r}) in another format; "
                             f"keep one of the two in {folder}")
        found[stem] = path
    return found


def find_pairs(corpus: Path) -> list[DocumentPair]:
    """All en/zh pairs of a corpus folder. InputError for a file without its partner."""
    corpus = Path(corpus)
    en_dir, zh_dir = corpus / "en", corpus / "zh"
    if not en_dir.is_dir() or not zh_dir.is_dir():
        raise InputError(f"{corpus}: expected the folders {en_dir} and {zh_dir}")
    en, zh = _documents(en_dir, "en"), _documents(zh_dir, "zh")
    for stem in sorted(set(en) ^ set(zh)):
        have, missing = (en[stem], zh_dir) if stem in en else (zh[stem], en_dir)
        raise InputError(f"{have}: no partner file for {stem!r} in {missing}; "
                         f"add {missing / stem}.txt (or .html, .docx, .pdf) or move the file out of the corpus")
    if not en:
        raise InputError(f"{corpus}: no document pairs (*.txt, *.html, *.docx, *.pdf) found in {en_dir} and {zh_dir}")
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
    """The transcript texts of the English and Chinese documents (any supported format); InputError when
    a file is missing, empty, not what its extension says, without text, or the two are the same
    language or swapped."""
    from align.ingest.formats import read_document

    en_text, zh_text = read_document(pair.en), read_document(pair.zh)
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
    base: StoredAlignment | None = None   # the stored alignment it was built from (what `write_pair` merges against)


def _one_run(ids: list[int | None]) -> bool:
    """True when every sentence was found and they still follow one another."""
    return None not in ids and ids == list(range(ids[0], ids[0] + len(ids))) if ids else True


def _clip(text: str, size: int = 40) -> str:
    return f"“{text if len(text) <= size else text[:size - 1] + '…'}”"


@dataclass(frozen=True)
class Carried:
    """One side of a re-run: the new document's sentences with the person's text edits made again,
    where each old sentence went (old id → new id), and what could not be kept."""

    sentences: tuple[Sentence, ...]
    moved: dict[int, int]
    not_kept: tuple[str, ...]


def carry_text_edits(old: tuple[Sentence, ...], new: tuple[Sentence, ...], side: str, file: str) -> Carried:
    """Make the text edits of `old` (sentences with an origin) again on `new`, the same side read anew
    from its file: an edit is kept when the file still has the sentences it replaced, in one run, or
    when the file now has the edited text itself (the file was corrected the same way)."""
    groups: list[tuple[range, tuple[str, ...]]] = []   # old ids, and the file's sentences they stand for
    i = 0
    while i < len(old):
        j = i + 1
        if old[i].origin:
            while j < len(old) and old[j].part > 0:
                j += 1
        groups.append((range(i, j), old[i].origin or (old[i].text,)))
        i = j
    source = [text for _, texts in groups for text in texts]
    matcher = SequenceMatcher(None, source, [s.text for s in new], autojunk=False)
    found = {a + k: b + k for a, b, size in matcher.get_matching_blocks() for k in range(size)}
    replaced: dict[int, tuple[int, range]] = {}   # first new id → (new ids replaced, old ids that replace them)
    as_edited: dict[int, int] = {}                 # old id → new id: the file now says what the edit said
    matched = set(found.values())
    unmatched = [k for k in range(len(new)) if k not in matched]
    not_kept, first = [], 0
    name = "Chinese" if side == "zh" else "English"
    for ids, texts in groups:
        at = [found.get(first + k) for k in range(len(texts))]
        first += len(texts)
        if old[ids[0]].origin:
            lines = [old[k].text for k in ids]
            same = next((k for k in unmatched if [s.text for s in new[k:k + len(lines)]] == lines
                         and all(k + n in unmatched for n in range(len(lines)))), None)
            if _one_run(at):
                replaced[at[0]] = (at[-1] + 1, ids)
            elif same is not None:
                as_edited.update({old_id: same + n for n, old_id in enumerate(ids)})
                unmatched = [k for k in unmatched if not same <= k < same + len(lines)]
            else:
                edited = " / ".join(old[k].text for k in ids)
                not_kept.append(f"the edit of {name} sentence {_clip(texts[0])} to {_clip(edited)}: "
                                f"{file} no longer has {'that sentence' if len(texts) == 1 else 'those sentences'}")
    sentences: list[Sentence] = []
    at_new: dict[int, int] = {}
    moved: dict[int, int] = {}
    k = 0
    while k < len(new):
        if k in replaced:
            stop, ids = replaced[k]
            for n, old_id in enumerate(ids):
                where = new[min(k + n, stop - 1)]
                moved[old_id] = len(sentences)
                sentences.append(replace(old[old_id], turn=where.turn, paragraph=where.paragraph,
                                         speaker=where.speaker, line=where.line))
            k = stop
        else:
            at_new[k] = len(sentences)
            sentences.append(new[k])
            k += 1
    first = 0
    for ids, texts in groups:
        if not old[ids[0]].origin and found.get(first) in at_new:
            moved[ids[0]] = at_new[found[first]]
        first += len(texts)
    moved.update({old_id: at_new[k] for old_id, k in as_edited.items()})
    return Carried(tuple(sentences), moved, tuple(not_kept))


def _describe(alignment: Alignment, bead: StoredBead) -> str:
    text = alignment.text(bead, "en") or alignment.text(bead, "zh")
    what = "the note on" if not bead.human else "the confirmed" if bead.status == "confirmed" else "the edited"
    return f"{what} unit {_clip(text)}"


def carry_human_work(previous: Alignment, zh: Document, en: Document) -> tuple[Alignment, list[StoredBead], list[str]]:
    """The new documents with the person's text edits made again, the human beads (and notes) of
    `previous` renumbered to them, and one line for each piece of work that could not be kept."""
    carried = {side: carry_text_edits(previous.sentences(side), doc.sentences, side, doc.path.name)
               for side, doc in (("zh", zh), ("en", en))}
    not_kept = [*carried["zh"].not_kept, *carried["en"].not_kept]
    anchors = []
    for bead in previous.beads:
        if not (bead.human or bead.note):
            continue
        ids = {side: [carried[side].moved.get(i) for i in bead.side(side)] for side in ("zh", "en")}
        if all(_one_run(found) for found in ids.values()):
            anchors.append(replace(bead, zh=tuple(ids["zh"]), en=tuple(ids["en"])))
        else:
            lost = [side for side in ("zh", "en") if not _one_run(ids[side])]
            files = " and ".join((zh if side == "zh" else en).path.name for side in lost)
            not_kept.append(f"{_describe(previous, bead)}: its sentences changed in {files}")
    new = Alignment(carried["zh"].sentences, carried["en"].sentences, ())
    return new, anchors, not_kept


def align_around(zh: Document, en: Document, anchors: list[StoredBead], aligner: Aligner) -> tuple[StoredBead, ...]:
    """Beads for the whole documents: the `anchors` (beads a person fixed) as they are, everything
    between them aligned by `aligner`. A note on an automatic bead goes to the new bead that has its
    first sentence."""
    fixed = [b for b in anchors if b.human]
    kept = {(b.zh, b.en): b for b in fixed}
    beads = align_between(zh, en, [Bead(b.zh, b.en, b.confidence) for b in fixed], aligner)
    result = [kept.get((b.src, b.tgt)) or StoredBead(b.src, b.tgt, b.confidence) for b in beads]
    for note in (b for b in anchors if not b.human):
        side = "zh" if note.zh else "en"
        k = next(k for k, b in enumerate(result) if note.side(side)[0] in b.side(side))
        result[k] = replace(result[k], note="\n".join(dict.fromkeys(filter(None, (result[k].note, note.note)))))
    return tuple(result)


def align_pair(texts: PairText, aligner: Aligner, previous: StoredAlignment | None = None, *,
                discard_edits: bool = False, en_lang: str = "en-US", zh_lang: str = "zh-CN") -> AlignedPair:
    """Segment and align a pair's texts. The text edits, beads and notes a person made in `previous`
    are kept (unless `discard_edits`); what cannot be kept is listed in the result's `not_kept`. Pure:
    reads and writes nothing (a batch worker runs it)."""
    pair = texts.pair
    en = document_from_text(texts.en_text, pair.en, "en")
    zh = document_from_text(texts.zh_text, pair.zh, "zh")
    anchors, not_kept = [], []
    if previous and not discard_edits:
        carried, anchors, not_kept = carry_human_work(previous.alignment, zh, en)
        zh = replace(zh, sentences=carried.zh)
        en = replace(en, sentences=carried.en)
    stored = StoredAlignment(pair.stem, pair.en.name, pair.zh.name, texts.en_hash, texts.zh_hash,
                             describe_method(aligner.name), en_lang, zh_lang, version=0, updated="",
                             alignment=Alignment(zh.sentences, en.sentences, align_around(zh, en, anchors, aligner)),
                             not_kept=tuple(not_kept))
    return AlignedPair(pair, stored, reused=False, kept=sum(1 for b in anchors if b.human),
                       dropped_lines=len(en.dropped_lines) + len(zh.dropped_lines), base=previous)


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
    """The runs of unpaired sentences of one side (`unpaired_runs`), in document order; each says which
    whole speaker turns it holds (a turn counts when all its sentences are in the run)."""
    blocks = []
    for run in unpaired_runs(alignment):
        sentences, ids = alignment.sentences(run.side), tuple(run.sentences)
        touched = dict.fromkeys(sentences[i].turn for i in ids)
        members = {t: [k for k, s in enumerate(sentences) if s.turn == t] for t in touched}
        whole = all(t and set(ids).issuperset(members[t]) for t in touched)
        turns = tuple("question" if _is_question([sentences[k] for k in members[t]]) else "answer"
                      for t in touched) if whole else ()
        blocks.append(UnpairedBlock(run.side, ids, sentences[ids[0]].line, sentences[ids[-1]].line, turns))
    return blocks


def review_items(stored: StoredAlignment, threshold: float) -> list[ReviewItem]:
    """What a person should look at, in document order: each run of consecutive unpaired sentences of
    one side as one item (sentences a person deliberately left unpaired are not listed), the automatic or
    changed units under `threshold`, and those whose two sides state different numbers (`align.store.qa`)."""
    from align.store.qa import check_numbers

    alignment = stored.alignment

    def lines(side: str, ids) -> str:
        numbers = sorted(dict.fromkeys(alignment.sentences(side)[i].line for i in ids))
        if len(numbers) > 2 and numbers == list(range(numbers[0], numbers[-1] + 1)):
            return f"{numbers[0]}-{numbers[-1]}"
        return ",".join(map(str, numbers))

    runs = {run.first: run for run in unpaired_runs(alignment, automatic_only=True)}
    items = []
    for k, bead in enumerate(alignment.beads):
        if k in runs:
            run = runs[k]
            joiner = "" if run.side == "zh" else " "
            where = (lines(run.side, run.sentences), joiner.join(alignment.sentences(run.side)[i].text for i in run.sentences))
            nothing = ("", "")
            items.append(ReviewItem("unpaired", 0.0, *(where if run.side == "en" else nothing),
                                    *(where if run.side == "zh" else nothing)))
        elif bead.paired and not bead.human and (
                bead.confidence < threshold
                or not check_numbers(alignment.text(bead, "en"), alignment.text(bead, "zh")).agrees):
            reason = "low-confidence" if bead.confidence < threshold else "numbers"
            items.append(ReviewItem(reason, bead.confidence, lines("en", bead.en), alignment.text(bead, "en"),
                                    lines("zh", bead.zh), alignment.text(bead, "zh")))
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
    not_kept: tuple[str, ...] = ()
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
            "not_kept": list(self.not_kept),
            "unpaired_blocks": [b.as_dict() for b in self.unpaired_blocks],
        }


def _sentence_mapping(old: tuple, new: tuple) -> dict[int, int]:
    """Old sentence id → new sentence id, for the sentences whose text is unchanged."""
    matcher = SequenceMatcher(None, [s.text for s in old], [s.text for s in new], autojunk=False)
    return {a + k: b + k for a, b, size in matcher.get_matching_blocks() for k in range(size)}


def merge_meanwhile(aligned: AlignedPair, current: StoredAlignment | None) -> StoredAlignment:
    """The alignment to store for `aligned`, given what the memory holds now (`current`, read inside the
    write transaction). Beads a person confirmed or changed since `aligned.base` was read take the place
    of the new beads over the same sentences; beads a person un-confirmed meanwhile lose their status.
    ConflictError, naming the document, when such a change does not fit the new alignment (its sentences
    were edited, or the new beads cut across them): the caller then writes nothing for it."""
    new, base = aligned.stored, aligned.base
    if current is None or (base is not None and current.version == base.version):
        return new
    stem = aligned.pair.stem

    def conflict(why: str) -> ConflictError:
        since = f"since version {base.version}" if base else "by another program"
        return ConflictError(f"{stem}: changed in the memory while it was being aligned (now version {current.version}, "
                             f"{since}) and {why}; nothing was written for it; run again to align it with those changes")

    if base is not None and (base.alignment.zh, base.alignment.en) != (current.alignment.zh, current.alignment.en):
        raise conflict("its sentences changed (edited, or aligned again from changed files)")
    mapping = {side: _sentence_mapping(current.alignment.sentences(side), new.alignment.sentences(side))
               for side in ("zh", "en")}
    def touched(bead: StoredBead) -> bool:   # edited, confirmed, or changed by a neighbour's edit
        return bead.status != AUTO

    before = {b for b in base.alignment.beads if touched(b)} if base else set()
    now = [b for b in current.alignment.beads if touched(b)]
    beads = list(new.alignment.beads)
    # runs of neighbouring beads changed meanwhile (an unpair, split or shift changes two) go in together
    for changed, group in itertools.groupby(current.alignment.beads, key=lambda b: touched(b) and b not in before):
        if not changed:
            continue
        run, moved = list(group), []
        for bead in run:
            ids = {side: [mapping[side].get(i) for i in bead.side(side)] for side in ("zh", "en")}
            if not all(_one_run(found) for found in ids.values()):
                raise conflict(f"the sentences of a bead changed meanwhile ({bead.status}) are not in the new text")
            moved.append(replace(bead, zh=tuple(ids["zh"]), en=tuple(ids["en"])))
        wanted = {side: [i for b in moved for i in b.side(side)] for side in ("zh", "en")}
        covering = [k for k, b in enumerate(beads) if set(b.zh) & set(wanted["zh"]) or set(b.en) & set(wanted["en"])]
        if not covering or covering != list(range(covering[0], covering[-1] + 1)) or any(
                sorted(i for k in covering for i in beads[k].side(side)) != wanted[side] for side in ("zh", "en")):
            raise conflict(f"a bead {run[0].status} meanwhile does not fit the new alignment")
        beads[covering[0]:covering[-1] + 1] = moved
    still = set(now)
    for bead in (b for b in before if b not in still):   # un-confirmed or undone meanwhile
        moved = replace(bead, zh=tuple(mapping["zh"].get(i, -1) for i in bead.zh),
                        en=tuple(mapping["en"].get(i, -1) for i in bead.en))
        beads = [replace(b, status=AUTO, changed=None) if b == moved else b for b in beads]
    return replace(new, alignment=replace(new.alignment, beads=tuple(beads)))


def write_pair(aligned: AlignedPair, out: Path, store: AlignmentStore, *,
               threshold: float = REVIEW_THRESHOLD) -> PairResult:
    """Commit a pair's TMX, review file, stored alignment and memory units together: the files are
    renamed into place only after the memory transaction has committed. The stored alignment is read
    again inside that transaction, so edits made while the pair was aligned are merged, not lost
    (`merge_meanwhile`); ConflictError, and nothing written, where they cannot be."""
    review = review_path(out)
    with atomic_write(out) as tmx_handle, atomic_write(review, "w", encoding="utf-8") as review_handle:
        with store.writing():
            current = store.find(aligned.pair.stem)
            if aligned.reused and current is not None:
                stored = current
            else:
                stored = store.save(merge_meanwhile(aligned, current))
            added, removed = store.units_changed(stored)
            units = tmx_units(stored)
            write_tree(tmx_tree(units, TmxHeader(srclang=stored.en_lang, adminlang="en-US"), out), tmx_handle)
            review_handle.write(review_tsv(review_items(stored, threshold)))
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
        added=added, removed=removed, not_kept=() if aligned.reused else stored.not_kept,
        unpaired_blocks=tuple(unpaired_blocks(stored.alignment)))


def export_alignment(store: AlignmentStore, stem: str, out: Path, *, confirmed_only: bool = False,
                     min_confidence: float | None = None, threshold: float = REVIEW_THRESHOLD) -> int:
    """Write a stored alignment (atomically) as TMX, or by `out`'s extension as XLIFF 1.2 (.xlf, .xliff)
    or an Excel sheet (.xlsx); returns how many units (rows) it holds. NotFoundError for an unknown
    stem; InputError when filters are given for XLIFF or Excel, which hold every bead."""
    stored = store.get(stem)
    suffix = Path(out).suffix.lower()
    if suffix in (".xlf", ".xliff", ".xlsx"):
        if confirmed_only or min_confidence is not None:
            raise InputError(f"{out}: --confirmed-only and --min-confidence filter TMX units; XLIFF and Excel files "
                             "hold every unit with its state")
        if suffix == ".xlsx":
            from align.export.xlsx import write_xlsx
            return write_xlsx(stored, out, threshold)
        from align.export.xliff import write_xliff
        return write_xliff(stored, out, threshold)
    units = tmx_units(stored, confirmed_only=confirmed_only, min_confidence=min_confidence)
    write_tmx(out, units, TmxHeader(srclang=stored.en_lang, adminlang="en-US"))
    return len(units)
