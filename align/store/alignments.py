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
import hashlib
import itertools
import json
import sqlite3
import zlib
from dataclasses import dataclass, replace
from datetime import datetime, timezone
from typing import Callable, Iterator

from align.document import Sentence
from align.errors import ConflictError, InputError, NotFoundError
from align.export.tmx import TmxUnit, alignment_props, tmx_date
from align.store.edits import AUTO, CHANGED, CONFIRMED, EDITED, Alignment, Edit, StoredBead
from align.store.memory import Memory, database_error

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
    origin TEXT, part INTEGER NOT NULL DEFAULT 0,  -- a text edit: the file's sentences it replaced (JSON list)
    PRIMARY KEY (alignment, side, position)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS beads (
    alignment INTEGER NOT NULL REFERENCES alignments(id) ON DELETE CASCADE,
    position INTEGER NOT NULL,                   -- how many sentences precede the bead: orders the beads
    zh TEXT NOT NULL, en TEXT NOT NULL,          -- sentence ids, comma-separated
    confidence REAL NOT NULL, status TEXT NOT NULL, changed TEXT,
    note TEXT NOT NULL DEFAULT '',
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
CREATE TABLE IF NOT EXISTS not_kept (              -- what the last run could not keep of a person's work, and why
    alignment INTEGER NOT NULL REFERENCES alignments(id) ON DELETE CASCADE,
    position INTEGER NOT NULL, message TEXT NOT NULL,
    PRIMARY KEY (alignment, position)
) WITHOUT ROWID;
"""
# columns added since the first stored alignments: (table, column, declaration)
ADDED_COLUMNS = (("sentences", "origin", "TEXT"), ("sentences", "part", "INTEGER NOT NULL DEFAULT 0"),
                 ("beads", "note", "TEXT NOT NULL DEFAULT ''"))

# PRAGMA user_version from which beads are keyed by the sentences before them (memory.SCHEMA_VERSION
# is the units' version; this one follows it)
ALIGNMENTS_VERSION = 3


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
    not_kept: tuple[str, ...] = ()   # what the last run could not keep of a person's work, and why

    @property
    def method(self) -> str:
        """The alignment method named in `aligner` ("combined (align 0.1.0)" → "combined")."""
        return self.aligner.split(" ")[0]

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
    changed: int

    @property
    def reviewed(self) -> int:
        return self.confirmed + self.edited

    def as_dict(self) -> dict:
        fields = {k: getattr(self, k) for k in self.__dataclass_fields__}
        return {**fields, "reviewed": self.reviewed,
                "reviewed_share": round(self.reviewed / self.beads, 4) if self.beads else 0.0}


def summarize(stored: StoredAlignment, threshold: float) -> Summary:
    """The counts of a stored alignment; `under_threshold` counts automatic units under `threshold`."""
    beads = stored.alignment.beads
    return Summary(
        stored.stem, stored.en_file, stored.zh_file, stored.aligner, stored.version, stored.updated,
        beads=len(beads), units=sum(1 for b in beads if b.paired),
        unpaired=sum(len(b.zh) + len(b.en) for b in beads if not b.paired),
        under_threshold=sum(1 for b in beads if b.paired and not b.human and b.confidence < threshold),
        confirmed=sum(1 for b in beads if b.status == CONFIRMED),
        edited=sum(1 for b in beads if b.status == EDITED), changed=sum(1 for b in beads if b.status == CHANGED))


def unit_confidence(bead: StoredBead) -> float:
    """What a unit's x-confidence says: 1.0 once a person has edited or confirmed the bead."""
    return 1.0 if bead.human else bead.confidence


def unit_ids(stored: StoredAlignment) -> dict[int, str]:
    """A tuid for each paired bead (by index): the document's stem and a digest of the unit's two texts,
    with `-2`, `-3` … for a repeat of the same pair. It names the same unit in every export of the
    alignment, whatever is filtered out, and across runs that leave the unit as it was."""
    alignment = stored.alignment
    seen: dict[str, int] = {}
    ids = {}
    for k, bead in enumerate(alignment.beads):
        if not bead.paired:
            continue
        digest = hashlib.sha1(f"{alignment.text(bead, 'zh')}\t{alignment.text(bead, 'en')}".encode("utf-8")).hexdigest()[:12]
        seen[digest] = seen.get(digest, 0) + 1
        ids[k] = f"{stored.stem}-{digest}" + (f"-{seen[digest]}" if seen[digest] > 1 else "")
    return ids


def tmx_units(stored: StoredAlignment, *, confirmed_only: bool = False, min_confidence: float | None = None,
              indexes: range | None = None) -> list[TmxUnit]:
    """The translation units of a stored alignment (or of its beads at `indexes`): one per paired bead,
    in document order. A confirmed or edited bead has confidence 1.0 and an x-status prop; a neighbour
    changed by an edit keeps its own confidence with x-status "changed"; a note becomes a <note>."""
    alignment = stored.alignment
    created = tmx_date()
    tuids = unit_ids(stored)
    units = []
    for k in range(len(alignment.beads)) if indexes is None else indexes:
        bead = alignment.beads[k]
        confidence = unit_confidence(bead)
        if not bead.paired or (confirmed_only and not bead.human) or \
                (min_confidence is not None and confidence < min_confidence):
            continue
        speaker = alignment.en[bead.en[0]].speaker
        props = alignment_props(confidence, stored.method, stored.en_file, speaker)
        if bead.status != AUTO:
            props.append(("x-status", bead.status))
        units.append(TmxUnit(
            segments={stored.en_lang: alignment.text(bead, "en"), stored.zh_lang: alignment.text(bead, "zh")},
            props=props, notes=[bead.note] if bead.note else [], tuid=tuids[k],
            creationdate=created if bead.changed is None else bead.changed.replace("-", "").replace(":", "")))
    return units


Rescorer = Callable[[Alignment, list[int]], dict[int, float]]


def new_pairings(before: Alignment, after: Alignment) -> list[int]:
    """Indexes of the paired beads of `after` that pair texts no bead of `before` paired."""
    change = changed_range(before, after)
    old = {(before.text(b, "zh"), before.text(b, "en")) for b in before.beads[change.start:change.old_stop]}
    return [k for k in range(change.start, change.new_stop) if after.beads[k].paired
            and (after.text(after.beads[k], "zh"), after.text(after.beads[k], "en")) not in old]


def rescored(before: Alignment, after: Alignment, rescore: Rescorer) -> Alignment:
    """`after` with the aligner's confidence on every pairing that is new since `before`."""
    wanted = new_pairings(before, after)
    scores = rescore(after, wanted) if wanted else {}
    return replace(after, beads=tuple(replace(b, confidence=scores[k]) if k in scores else b
                                      for k, b in enumerate(after.beads)))


def _ids(text: str) -> tuple[int, ...]:
    return tuple(int(i) for i in text.split(",")) if text else ()


@dataclass(frozen=True)
class Change:
    """Beads [start:old_stop] of the old alignment became beads [start:new_stop] of the new one; the
    beads before and after it are the same (after a sentence split or join, those after it refer to the
    same sentences under ids moved by the same amount)."""

    start: int
    old_stop: int
    new_stop: int
    sentences: bool          # a side's sentences changed (a text edit)


def _first_difference(old: tuple, new: tuple) -> int:
    if old is new:
        return len(old)
    return next((k for k, (a, b) in enumerate(zip(old, new)) if a != b), min(len(old), len(new)))


def changed_range(old: Alignment, new: Alignment) -> Change:
    """The smallest run of beads that differs between two versions of an alignment."""
    sentences = {side: (old.sentences(side), new.sentences(side)) for side in ("zh", "en")}
    first = {side: _first_difference(*pair) for side, pair in sentences.items()}
    shift = {side: len(b) - len(a) for side, (a, b) in sentences.items()}
    # sentences from `tail[side]` on (old ids) are the same in both versions
    tail = {side: len(a) - _first_difference(a[::-1], b[::-1]) for side, (a, b) in sentences.items()}
    ob, nb = old.beads, new.beads
    start, limit = 0, min(len(ob), len(nb))
    while start < limit and ob[start] == nb[start] and all(i < first[side] for side in ("zh", "en")
                                                           for i in ob[start].side(side)):
        start += 1
    end = 0
    while end < limit - start:
        a, b = ob[-1 - end], nb[-1 - end]
        if (a.confidence, a.status, a.changed, a.note) != (b.confidence, b.status, b.changed, b.note) or any(
                tuple(i + shift[side] for i in a.side(side)) != b.side(side) or any(i < tail[side] for i in a.side(side))
                for side in ("zh", "en")):
            break
        end += 1
    return Change(start, len(ob) - end, len(nb) - end, sentences=any(first[side] < max(len(a), len(b))
                                                                       for side, (a, b) in sentences.items()))


def _bead_rows(beads) -> list:
    return [[list(b.zh), list(b.en), b.confidence, b.status, b.changed, b.note] for b in beads]


def _sentence_row(s: Sentence) -> list:
    return [s.text, s.turn, s.paragraph, s.speaker, s.line, list(s.origin), s.part]


def _sentence(row: list) -> Sentence:
    text, turn, paragraph, speaker, line, *rest = row
    origin, part = rest if rest else ((), 0)
    return Sentence(text, turn, paragraph, speaker, line, tuple(origin or ()), part)


# what a run records of the files it read, so that undoing the run also says again where the alignment came from
SOURCE = ("en_file", "zh_file", "en_hash", "zh_hash", "aligner", "en_lang", "zh_lang")


def _source(stored: StoredAlignment) -> dict:
    return {name: getattr(stored, name) for name in SOURCE}


def _pack(before: Alignment, after: Alignment, change: Change,
          sources: tuple[dict, dict] = ({}, {})) -> tuple[bytes, bytes]:
    """Undo/redo records: the run of beads that changed; the whole alignment when sentences changed;
    with `sources` (a run), where each side of the change came from."""
    def record(alignment: Alignment, stop: int, replaces: int, source: dict) -> bytes:
        data = {"source": source} if source else {}
        if change.sentences:
            data["beads"] = _bead_rows(alignment.beads)
            for side in ("zh", "en"):
                data[side] = [_sentence_row(s) for s in alignment.sentences(side)]
        else:
            data.update(start=change.start, replaces=replaces, beads=_bead_rows(alignment.beads[change.start:stop]))
        return zlib.compress(json.dumps(data, ensure_ascii=False).encode("utf-8"))

    old_size, new_size = change.old_stop - change.start, change.new_stop - change.start
    return record(before, change.old_stop, new_size, sources[0]), record(after, change.new_stop, old_size, sources[1])


def _unpack(data: dict, current: Alignment) -> Alignment:
    beads = tuple(StoredBead(tuple(zh), tuple(en), confidence, status, changed, *note)
                  for zh, en, confidence, status, changed, *note in data["beads"])
    if "start" in data:
        start = data["start"]
        return replace(current, beads=current.beads[:start] + beads + current.beads[start + data["replaces"]:])
    # records written before 815e304 hold the sentences of the sides an edit changed only: the others
    # are as they stand now, since undo and redo walk the history in order
    sides = {side: tuple(_sentence(row) for row in data[side]) for side in ("zh", "en") if side in data}
    return replace(current, beads=beads, **sides)


def _size(bead: StoredBead) -> int:
    return len(bead.zh) + len(bead.en)


def check_sentence_ids(stem: str, alignment: Alignment) -> None:
    """ConflictError unless the beads take every sentence of each side once, in order: what an edit
    built against another copy of the document (a memory file replaced meanwhile) would break."""
    for side in ("zh", "en"):
        ids = [i for bead in alignment.beads for i in bead.side(side)]
        if ids != list(range(len(alignment.sentences(side)))):
            raise ConflictError(f"{stem}: this change would leave {side} sentences repeated, missing or out of "
                                "order (the memory has changed under it); reload the document and make the "
                                "change again")


def _migrate_positions(db) -> None:
    """Memories written before 815e304 keyed beads by their index; beads are now keyed by how many
    sentences precede them. Rewrites the keys of every alignment still in the old form, once."""
    alignments = {}
    for alignment, position, zh, en in db.execute("SELECT alignment, position, zh, en FROM beads "
                                                  "ORDER BY alignment, position"):
        alignments.setdefault(alignment, []).append((position, len(_ids(zh)) + len(_ids(en))))
    for alignment, beads in alignments.items():
        positions = [position for position, _ in beads]
        keys = list(itertools.accumulate((size for _, size in beads[:-1]), initial=0))
        if keys != positions:
            for position, key in zip(positions, keys):   # negative first: no clash with keys not yet moved
                db.execute("UPDATE beads SET position = ? WHERE alignment = ? AND position = ?",
                           (-1 - key, alignment, position))
            db.execute("UPDATE beads SET position = -1 - position WHERE alignment = ? AND position < 0", (alignment,))


class AlignmentStore:
    """Stored alignments in a memory file. Every change is one transaction that also replaces the
    document's units; a change made against an old version raises ConflictError and changes nothing."""

    def __init__(self, memory: Memory, cache: dict[str, tuple[tuple, StoredAlignment]] | None = None):
        """`cache` (stem → which file and row the alignment came from, and the alignment), shared between
        requests by the server, saves reading a large document again while the file is the same file
        (device and inode: a replaced file is another file) and the document's row the same row at the same
        version and time of change (every change raises the version). The file's modification time is no
        part of it: SQLite's checkpoints change it without changing a document."""
        self.memory = memory
        self.db = memory.db
        self.cache = cache
        if memory.readonly:
            self.has_alignments = self.db.execute("SELECT 1 FROM sqlite_master WHERE name = 'alignments'").fetchone() is not None
        else:
            self.db.executescript(SCHEMA)
            for table, column, declaration in ADDED_COLUMNS:
                if column not in self._columns(table):
                    self.db.execute(f"ALTER TABLE {table} ADD COLUMN {column} {declaration}")
            self.db.commit()
            self.has_alignments = True
            if self.db.execute("PRAGMA user_version").fetchone()[0] < ALIGNMENTS_VERSION:
                self._upgrade()

    def _upgrade(self) -> None:
        """Bring the beads of a memory written before 815e304 to today's keys, once."""
        with self.writing():
            if self.db.execute("PRAGMA user_version").fetchone()[0] < ALIGNMENTS_VERSION:
                _migrate_positions(self.db)
                self.db.execute(f"PRAGMA user_version = {ALIGNMENTS_VERSION}")

    def _columns(self, table: str) -> set[str]:
        return {row[1] for row in self.db.execute(f"PRAGMA table_info({table})")}

    # reading

    def stems(self) -> list[str]:
        if not self.has_alignments:
            return []
        return [stem for (stem,) in self.db.execute("SELECT stem FROM alignments ORDER BY stem")]

    def find(self, stem: str) -> StoredAlignment | None:
        if not self.has_alignments:   # a memory opened read-only that has never held an alignment
            return None
        row = self.db.execute("SELECT id, stem, en_file, zh_file, en_hash, zh_hash, aligner, en_lang, zh_lang, "
                              "version, updated FROM alignments WHERE stem = ?", (stem,)).fetchone()
        if row is None:
            return None
        key, *meta = row
        source, cached = self.cache.get(stem, (None, None)) if self.cache is not None else (None, None)
        if cached is not None and source == self._source(key) and (cached.version, cached.updated) == tuple(row[-2:]):
            return cached
        current = self._columns("beads") >= {"note"}   # False only for an old file opened read-only
        origin, note = ("origin, part", "note") if current else ("NULL, 0", "''")
        sides = {}
        for side in ("zh", "en"):
            sides[side] = tuple(
                Sentence(text, turn, paragraph, speaker, line, tuple(json.loads(origin)) if origin else (), part)
                for text, speaker, turn, paragraph, line, origin, part in self.db.execute(
                    f"SELECT text, speaker, turn, paragraph, line, {origin} FROM sentences "
                    "WHERE alignment = ? AND side = ? ORDER BY position", (key, side)))
        beads = tuple(StoredBead(_ids(zh), _ids(en), confidence, status, changed, note)
                      for zh, en, confidence, status, changed, note in self.db.execute(
                          f"SELECT zh, en, confidence, status, changed, {note} FROM beads WHERE alignment = ? "
                          "ORDER BY position", (key,)))
        not_kept = tuple(message for (message,) in self.db.execute(
            "SELECT message FROM not_kept WHERE alignment = ? ORDER BY position", (key,))) if current else ()
        stored = StoredAlignment(*meta, alignment=Alignment(sides["zh"], sides["en"], beads), not_kept=not_kept)
        self._remember(key, stored)
        return stored

    def _source(self, key: int) -> tuple | None:
        """The file (device, inode) and the alignment's row a cached alignment must come from to be reused;
        None (matching nothing) when the file was replaced while this connection opened."""
        identity = self.memory.identity
        return (identity[:2], key) if isinstance(identity, tuple) else None

    def _remember(self, key: int, stored: StoredAlignment) -> None:
        if self.cache is not None:
            self.cache[stored.stem] = (self._source(key), stored)

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
        """Store a pair as aligned by `run`, replacing an earlier alignment of the same stem and its units;
        the replacement is one more step of the document's history, so undo brings the earlier alignment
        back, with the record of the files it came from (and the edits before it stay undoable). Runs
        inside the caller's transaction when there is one."""
        old = self.find(stored.stem)
        values = (stored.en_file, stored.zh_file, stored.en_hash, stored.zh_hash, stored.aligner,
                  stored.en_lang, stored.zh_lang)
        if old:
            key = self.db.execute("SELECT id FROM alignments WHERE stem = ?", (stored.stem,)).fetchone()[0]
            self.db.execute("UPDATE alignments SET en_file=?, zh_file=?, en_hash=?, zh_hash=?, aligner=?, en_lang=?, "
                            "zh_lang=? WHERE id=?", (*values, key))
            result = self._commit(key, replace(stored, version=old.version, alignment=old.alignment), stored.alignment,
                                  f"aligned again by run ({stored.method})", units=False,
                                  sources=(_source(old), _source(stored)))
            self.db.execute("DELETE FROM not_kept WHERE alignment = ?", (key,))
        else:
            result = replace(stored, version=1, updated=now_iso())
            key = self.db.execute("INSERT INTO alignments (stem, en_file, zh_file, en_hash, zh_hash, aligner, en_lang, "
                                  "zh_lang, version, updated) VALUES (?,?,?,?,?,?,?,?,?,?)",
                                  (stored.stem, *values, 1, result.updated)).lastrowid
            for side in ("zh", "en"):
                self._write_sentences(key, side, stored.alignment.sentences(side))
            self._write_beads(key, stored.alignment.beads, 0)
        self.db.executemany("INSERT INTO not_kept (alignment, position, message) VALUES (?,?,?)",
                            [(key, k, message) for k, message in enumerate(stored.not_kept)])
        result = replace(result, not_kept=stored.not_kept)
        self._remember(key, result)
        return result

    def units_changed(self, stored: StoredAlignment) -> tuple[int, int]:
        """Replace the document's memory units by those derived from its beads: (added, removed)."""
        return self.memory.replace_units(stored.en_file, tmx_units(stored))

    def apply(self, stem: str, edit: Edit, version: int, rescore: Rescorer | None = None) -> StoredAlignment:
        """Apply one edit made against `version`. InputError when impossible, ConflictError when stale.
        With `rescore`, every pairing the edit made gets the aligner's confidence (a second opinion)."""
        with self._transaction(stem, version) as (key, stored):
            after = edit.apply(stored.alignment, now_iso())
            if rescore is not None:
                after = rescored(stored.alignment, after, rescore)
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
            data = json.loads(zlib.decompress(after if undone else before))
            target = _unpack(data, stored.alignment)
            self.db.execute("UPDATE edits SET undone = ? WHERE id = ?", (int(not undone), edit_id))
            if "source" in data:   # a run: the alignment comes from the files it came from then
                stored = replace(stored, **data["source"])
                self.db.execute(f"UPDATE alignments SET {', '.join(f'{name} = ?' for name in SOURCE)} WHERE id = ?",
                                (*data["source"].values(), key))
            return self._store_change(key, stored, target), description

    @contextlib.contextmanager
    def writing(self) -> Iterator[None]:
        """One write transaction, taken before anything is read (BEGIN IMMEDIATE: waits for another
        writer up to the memory's timeout, then BusyError); committed when the block completes, rolled
        back on any exception. SQLite's faults come out as the memory's one-line InputErrors."""
        try:
            self.db.execute("BEGIN IMMEDIATE")
            try:
                yield
            except BaseException:
                self.db.rollback()
                raise
            self.db.commit()
        except sqlite3.DatabaseError as exc:
            raise database_error(self.memory.path, exc) from None

    @contextlib.contextmanager
    def _transaction(self, stem: str, version: int) -> Iterator[tuple[int, StoredAlignment]]:
        """One write transaction on `stem` at `version`, taken before reading so that two tabs cannot
        both change the same version."""
        with self.writing():
            stored = self.at_version(stem, version)
            key = self.db.execute("SELECT id FROM alignments WHERE stem = ?", (stem,)).fetchone()[0]
            yield key, stored

    def _commit(self, key: int, stored: StoredAlignment, after: Alignment, description: str, *,
                units: bool = True, sources: tuple[dict, dict] = ({}, {})) -> StoredAlignment:
        change = changed_range(stored.alignment, after)
        before_blob, after_blob = _pack(stored.alignment, after, change, sources)
        self.db.execute("DELETE FROM edits WHERE alignment = ? AND undone = 1", (key,))
        self.db.execute("INSERT INTO edits (alignment, description, before, after, created) VALUES (?,?,?,?,?)",
                        (key, description, before_blob, after_blob, now_iso()))
        return self._store_change(key, stored, after, change, units=units)

    def _store_change(self, key: int, stored: StoredAlignment, after: Alignment,
                      change: Change | None = None, *, units: bool = True) -> StoredAlignment:
        """Write what changed (beads are keyed by how many sentences precede them, so the beads after a
        merge or split keep their keys), raise the version, and swap the changed beads' units."""
        check_sentence_ids(stored.stem, after)
        before = stored.alignment
        change = change or changed_range(before, after)
        key_start = sum(_size(b) for b in before.beads[:change.start])
        if change.sentences:
            for side in ("zh", "en"):
                if after.sentences(side) != before.sentences(side):
                    self.db.execute("DELETE FROM sentences WHERE alignment = ? AND side = ?", (key, side))
                    self._write_sentences(key, side, after.sentences(side))
            self.db.execute("DELETE FROM beads WHERE alignment = ? AND position >= ?", (key, key_start))
            self._write_beads(key, after.beads[change.start:], key_start)
        else:
            key_stop = key_start + sum(_size(b) for b in before.beads[change.start:change.old_stop])
            self.db.execute("DELETE FROM beads WHERE alignment = ? AND position >= ? AND position < ?",
                            (key, key_start, key_stop))
            self._write_beads(key, after.beads[change.start:change.new_stop], key_start)
        result = replace(stored, version=stored.version + 1, updated=now_iso(), alignment=after)
        self.db.execute("UPDATE alignments SET version = ?, updated = ? WHERE id = ?", (result.version, result.updated, key))
        if units:
            self._swap_units(stored, result, change)
        self._remember(key, result)
        return result

    def _swap_units(self, before: StoredAlignment, after: StoredAlignment, change: Change) -> None:
        old = before.alignment
        removed = {(old.text(b, "en"), old.text(b, "zh")) for b in old.beads[change.start:change.old_stop] if b.paired}
        added = tmx_units(after, indexes=range(change.start, change.new_stop))
        if removed:   # a unit whose text another bead still gives (a repeated sentence) stays
            new = after.alignment
            outside = new.beads[:change.start] + new.beads[change.new_stop:]
            removed -= {(new.text(b, "en"), new.text(b, "zh")) for b in outside if b.paired}
        self.memory.swap_units(after.en_file, removed, added)

    def _write_sentences(self, key: int, side: str, sentences: tuple[Sentence, ...]) -> None:
        self.db.executemany(
            "INSERT INTO sentences (alignment, side, position, text, speaker, turn, paragraph, line, origin, part) "
            "VALUES (?,?,?,?,?,?,?,?,?,?)",
            [(key, side, k, s.text, s.speaker, s.turn, s.paragraph, s.line,
              json.dumps(list(s.origin), ensure_ascii=False) if s.origin else None, s.part)
             for k, s in enumerate(sentences)])

    def _write_beads(self, key: int, beads: tuple[StoredBead, ...], first_key: int) -> None:
        rows, position = [], first_key
        for b in beads:
            rows.append((key, position, ",".join(map(str, b.zh)), ",".join(map(str, b.en)), b.confidence, b.status,
                         b.changed, b.note))
            position += _size(b)
        self.db.executemany(
            "INSERT INTO beads (alignment, position, zh, en, confidence, status, changed, note) VALUES (?,?,?,?,?,?,?,?)",
            rows)
