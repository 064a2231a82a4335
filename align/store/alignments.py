"""Stored alignments: each document pair's sentences, beads and edit history, in the memory file.

`AlignmentStore(memory)` keeps, beside the translation-memory units, every aligned pair as data a
reviewer can change: the two documents (each sentence with its text, speaker, turn, paragraph and
line), the beads (sentence ids, confidence, status, when), a version number that every change
raises, and the history that undo and redo walk. The document's memory units are derived from its
beads and replaced in the same transaction as every change, so search, lookup and export see an
edit at once. Old memory files get these tables on first open; their units are kept.
"""

from __future__ import annotations

import contextlib
import json
import zlib
from dataclasses import dataclass, replace
from datetime import datetime, timezone
from typing import Iterator

from align.document import Sentence
from align.errors import ConflictError, InputError, NotFoundError
from align.export.tmx import TmxUnit, alignment_props, tmx_date
from align.store.edits import AUTO, CONFIRMED, Alignment, Edit, StoredBead
from align.store.memory import Memory

SCHEMA = """
CREATE TABLE IF NOT EXISTS alignments (
    id INTEGER PRIMARY KEY,
    stem TEXT NOT NULL UNIQUE,
    en_file TEXT NOT NULL, zh_file TEXT NOT NULL,
    en_hash TEXT NOT NULL, zh_hash TEXT NOT NULL,
    aligner TEXT NOT NULL,
    en_lang TEXT NOT NULL, zh_lang TEXT NOT NULL,
    version INTEGER NOT NULL DEFAULT 1,
    updated TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS sentences (
    alignment INTEGER NOT NULL REFERENCES alignments(id) ON DELETE CASCADE,
    side TEXT NOT NULL, position INTEGER NOT NULL,
    text TEXT NOT NULL, speaker TEXT, turn INTEGER NOT NULL, paragraph INTEGER NOT NULL, line INTEGER NOT NULL,
    PRIMARY KEY (alignment, side, position)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS beads (
    alignment INTEGER NOT NULL REFERENCES alignments(id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    zh TEXT NOT NULL, en TEXT NOT NULL,          -- sentence ids, comma-separated
    confidence REAL NOT NULL, status TEXT NOT NULL, changed TEXT,
    PRIMARY KEY (alignment, position)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS edits (
    id INTEGER PRIMARY KEY,
    alignment INTEGER NOT NULL REFERENCES alignments(id) ON DELETE CASCADE,
    description TEXT NOT NULL,
    before BLOB NOT NULL, after BLOB NOT NULL,   -- zlib-compressed JSON of the beads (and sentences that changed)
    undone INTEGER NOT NULL DEFAULT 0,
    created TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS edits_alignment ON edits(alignment, id);
"""


def now_iso() -> str:
    return datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


@dataclass(frozen=True)
class StoredAlignment:
    """A stored pair: where it came from, who aligned it, its version and its `Alignment`."""

    stem: str
    en_file: str
    zh_file: str
    en_hash: str
    zh_hash: str
    aligner: str
    en_lang: str
    zh_lang: str
    version: int
    updated: str
    alignment: Alignment

    @property
    def human_beads(self) -> int:
        return sum(1 for b in self.alignment.beads if b.human)


@dataclass(frozen=True)
class Summary:
    """The counts a documents list shows."""

    stem: str
    en_file: str
    zh_file: str
    aligner: str
    version: int
    updated: str
    beads: int
    units: int
    unpaired: int
    under_threshold: int
    confirmed: int
    edited: int

    @property
    def reviewed(self) -> int:
        return self.confirmed + self.edited

    def as_dict(self) -> dict:
        fields = {k: getattr(self, k) for k in self.__dataclass_fields__}
        return {**fields, "reviewed": self.reviewed,
                "reviewed_share": round(self.reviewed / self.beads, 4) if self.beads else 0.0}


def summarize(stored: StoredAlignment, threshold: float) -> Summary:
    beads = stored.alignment.beads
    return Summary(
        stored.stem, stored.en_file, stored.zh_file, stored.aligner, stored.version, stored.updated,
        beads=len(beads), units=sum(1 for b in beads if b.paired),
        unpaired=sum(len(b.zh) + len(b.en) for b in beads if not b.paired),
        under_threshold=sum(1 for b in beads if b.paired and b.status == AUTO and b.confidence < threshold),
        confirmed=sum(1 for b in beads if b.status == CONFIRMED),
        edited=sum(1 for b in beads if b.status not in (AUTO, CONFIRMED)))


def unit_confidence(bead: StoredBead) -> float:
    """What a unit's x-confidence says: 1.0 once a person has edited or confirmed the bead."""
    return 1.0 if bead.human else bead.confidence


def tmx_units(stored: StoredAlignment, *, confirmed_only: bool = False, min_confidence: float | None = None,
              aligner: str | None = None) -> list[TmxUnit]:
    """The translation units of a stored alignment: one per paired bead, in document order.
    A confirmed or edited bead has confidence 1.0 and an x-status prop."""
    alignment = stored.alignment
    units = []
    for bead in alignment.beads:
        confidence = unit_confidence(bead)
        if not bead.paired or (confirmed_only and not bead.human) or \
                (min_confidence is not None and confidence < min_confidence):
            continue
        speaker = alignment.en[bead.en[0]].speaker
        props = alignment_props(confidence, aligner or stored.aligner.split(" ")[0], stored.en_file, speaker)
        if bead.human:
            props.append(("x-status", bead.status))
        units.append(TmxUnit(
            segments={stored.en_lang: alignment.text(bead, "en"), stored.zh_lang: alignment.text(bead, "zh")},
            props=props, creationdate=tmx_date() if bead.changed is None else bead.changed.replace("-", "").replace(":", "")))
    return units


def _ids(text: str) -> tuple[int, ...]:
    return tuple(int(i) for i in text.split(",")) if text else ()


def _pack(before: Alignment, after: Alignment) -> tuple[bytes, bytes]:
    """Undo/redo snapshots: the beads, plus the sentences of a side only when the change touched them."""
    def snapshot(alignment: Alignment) -> bytes:
        data = {"beads": [[list(b.zh), list(b.en), b.confidence, b.status, b.changed] for b in alignment.beads]}
        for side in ("zh", "en"):
            if before.sentences(side) != after.sentences(side):
                data[side] = [[s.text, s.turn, s.paragraph, s.speaker, s.line] for s in alignment.sentences(side)]
        return zlib.compress(json.dumps(data, ensure_ascii=False).encode("utf-8"))

    return snapshot(before), snapshot(after)


def _unpack(blob: bytes, current: Alignment) -> Alignment:
    data = json.loads(zlib.decompress(blob))
    beads = tuple(StoredBead(tuple(zh), tuple(en), confidence, status, changed)
                  for zh, en, confidence, status, changed in data["beads"])
    sides = {side: tuple(Sentence(*row) for row in data[side]) for side in ("zh", "en") if side in data}
    return replace(current, beads=beads, **sides)


class AlignmentStore:
    """Stored alignments in a memory file. Every change is one transaction that also replaces the
    document's units; a change made against an old version raises ConflictError and changes nothing."""

    def __init__(self, memory: Memory):
        self.memory = memory
        self.db = memory.db
        self.db.executescript(SCHEMA)

    # reading

    def stems(self) -> list[str]:
        return [stem for (stem,) in self.db.execute("SELECT stem FROM alignments ORDER BY stem")]

    def find(self, stem: str) -> StoredAlignment | None:
        row = self.db.execute("SELECT id, stem, en_file, zh_file, en_hash, zh_hash, aligner, en_lang, zh_lang, "
                              "version, updated FROM alignments WHERE stem = ?", (stem,)).fetchone()
        if row is None:
            return None
        key, *meta = row
        sides = {}
        for side in ("zh", "en"):
            sides[side] = tuple(Sentence(text, turn, paragraph, speaker, line) for text, speaker, turn, paragraph, line
                                in self.db.execute("SELECT text, speaker, turn, paragraph, line FROM sentences "
                                                   "WHERE alignment = ? AND side = ? ORDER BY position", (key, side)))
        beads = tuple(StoredBead(_ids(zh), _ids(en), confidence, status, changed)
                      for zh, en, confidence, status, changed in self.db.execute(
                          "SELECT zh, en, confidence, status, changed FROM beads WHERE alignment = ? ORDER BY position",
                          (key,)))
        return StoredAlignment(*meta, alignment=Alignment(sides["zh"], sides["en"], beads))

    def get(self, stem: str) -> StoredAlignment:
        """The stored alignment of `stem`; NotFoundError when there is none."""
        stored = self.find(stem)
        if stored is None:
            raise NotFoundError(f"no stored alignment named {stem!r}; run `python -m align run` on the pair first")
        return stored

    def at_version(self, stem: str, version: int) -> StoredAlignment:
        """The stored alignment of `stem` if it is still at `version`; ConflictError when it has changed."""
        stored = self.get(stem)
        if stored.version != version:
            raise ConflictError(f"{stem} has changed since version {version} (it is at version "
                                f"{stored.version}); reload it and make the change again")
        return stored

    def can_undo(self, stem: str) -> bool:
        return self._history(stem, undone=False) is not None

    def can_redo(self, stem: str) -> bool:
        return self._history(stem, undone=True) is not None

    def _history(self, stem: str, *, undone: bool):
        order = "ASC" if undone else "DESC"
        return self.db.execute(
            f"SELECT e.id, e.description, e.before, e.after FROM edits e JOIN alignments a ON a.id = e.alignment "
            f"WHERE a.stem = ? AND e.undone = ? ORDER BY e.id {order} LIMIT 1", (stem, int(undone))).fetchone()

    # writing

    def save(self, stored: StoredAlignment) -> StoredAlignment:
        """Store a pair as aligned by `run` (replacing an earlier alignment of the same stem, its history
        and its units). Runs inside the caller's transaction when there is one."""
        old = self.db.execute("SELECT id, version FROM alignments WHERE stem = ?", (stored.stem,)).fetchone()
        version = old[1] + 1 if old else 1
        stored = replace(stored, version=version, updated=now_iso())
        values = (stored.en_file, stored.zh_file, stored.en_hash, stored.zh_hash, stored.aligner,
                  stored.en_lang, stored.zh_lang, version, stored.updated)
        if old:
            key = old[0]
            self.db.execute("UPDATE alignments SET en_file=?, zh_file=?, en_hash=?, zh_hash=?, aligner=?, en_lang=?, "
                            "zh_lang=?, version=?, updated=? WHERE id=?", (*values, key))
            for table in ("sentences", "beads", "edits"):
                self.db.execute(f"DELETE FROM {table} WHERE alignment = ?", (key,))
        else:
            key = self.db.execute("INSERT INTO alignments (stem, en_file, zh_file, en_hash, zh_hash, aligner, en_lang, "
                                  "zh_lang, version, updated) VALUES (?,?,?,?,?,?,?,?,?,?)",
                                  (stored.stem, *values)).lastrowid
        for side in ("zh", "en"):
            self._write_sentences(key, side, stored.alignment.sentences(side))
        self._write_beads(key, stored.alignment.beads, 0)
        return stored

    def units_changed(self, stored: StoredAlignment) -> tuple[int, int]:
        """Replace the document's memory units by those derived from its beads: (added, removed)."""
        return self.memory.replace_units(stored.en_file, tmx_units(stored))

    def apply(self, stem: str, edit: Edit, version: int) -> StoredAlignment:
        """Apply one edit made against `version`. InputError when impossible, ConflictError when stale."""
        with self._transaction(stem, version) as (key, stored):
            after = edit.apply(stored.alignment, now_iso())
            return self._commit(key, stored, after, edit.describe())

    def replace_alignment(self, stem: str, alignment: Alignment, version: int, description: str) -> StoredAlignment:
        """Put a whole new `Alignment` (a re-alignment) in place of the one at `version`, undoably."""
        with self._transaction(stem, version) as (key, stored):
            return self._commit(key, stored, alignment, description)

    def undo(self, stem: str, version: int) -> tuple[StoredAlignment, str]:
        """Take back the latest edit not yet undone; returns the document and what was undone."""
        return self._walk(stem, version, undone=False)

    def redo(self, stem: str, version: int) -> tuple[StoredAlignment, str]:
        """Make again the earliest undone edit; returns the document and what was redone."""
        return self._walk(stem, version, undone=True)

    def _walk(self, stem: str, version: int, *, undone: bool) -> tuple[StoredAlignment, str]:
        with self._transaction(stem, version) as (key, stored):
            row = self._history(stem, undone=undone)
            if row is None:
                raise InputError(f"nothing to {'redo' if undone else 'undo'} in {stem}")
            edit_id, description, before, after = row
            target = _unpack(after if undone else before, stored.alignment)
            self.db.execute("UPDATE edits SET undone = ? WHERE id = ?", (int(not undone), edit_id))
            return self._store_change(key, stored, target), description

    @contextlib.contextmanager
    def _transaction(self, stem: str, version: int) -> Iterator[tuple[int, StoredAlignment]]:
        """One write transaction on `stem` at `version`, taken before reading so that two tabs cannot
        both change the same version."""
        self.db.execute("BEGIN IMMEDIATE")
        try:
            stored = self.at_version(stem, version)
            key = self.db.execute("SELECT id FROM alignments WHERE stem = ?", (stem,)).fetchone()[0]
            yield key, stored
        except BaseException:
            self.db.rollback()
            raise
        else:
            self.db.commit()

    def _commit(self, key: int, stored: StoredAlignment, after: Alignment, description: str) -> StoredAlignment:
        before_blob, after_blob = _pack(stored.alignment, after)
        self.db.execute("DELETE FROM edits WHERE alignment = ? AND undone = 1", (key,))
        self.db.execute("INSERT INTO edits (alignment, description, before, after, created) VALUES (?,?,?,?,?)",
                        (key, description, before_blob, after_blob, now_iso()))
        return self._store_change(key, stored, after)

    def _store_change(self, key: int, stored: StoredAlignment, after: Alignment) -> StoredAlignment:
        for side in ("zh", "en"):
            if after.sentences(side) != stored.alignment.sentences(side):
                self.db.execute("DELETE FROM sentences WHERE alignment = ? AND side = ?", (key, side))
                self._write_sentences(key, side, after.sentences(side))
        old, new = stored.alignment.beads, after.beads
        first = next((k for k, (a, b) in enumerate(zip(old, new)) if a != b), min(len(old), len(new)))
        self.db.execute("DELETE FROM beads WHERE alignment = ? AND position >= ?", (key, first))
        self._write_beads(key, new[first:], first)
        result = replace(stored, version=stored.version + 1, updated=now_iso(), alignment=after)
        self.db.execute("UPDATE alignments SET version = ?, updated = ? WHERE id = ?", (result.version, result.updated, key))
        self.units_changed(result)
        return result

    def _write_sentences(self, key: int, side: str, sentences: tuple[Sentence, ...]) -> None:
        self.db.executemany(
            "INSERT INTO sentences (alignment, side, position, text, speaker, turn, paragraph, line) VALUES (?,?,?,?,?,?,?,?)",
            [(key, side, k, s.text, s.speaker, s.turn, s.paragraph, s.line) for k, s in enumerate(sentences)])

    def _write_beads(self, key: int, beads: tuple[StoredBead, ...], offset: int) -> None:
        self.db.executemany(
            "INSERT INTO beads (alignment, position, zh, en, confidence, status, changed) VALUES (?,?,?,?,?,?,?)",
            [(key, offset + k, ",".join(map(str, b.zh)), ",".join(map(str, b.en)), b.confidence, b.status, b.changed)
             for k, b in enumerate(beads)])
