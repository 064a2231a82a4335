"""A translation memory in one SQLite file, with FTS5 search on both languages.

Chinese is indexed by character trigrams, so substring search works without a segmenter:
命运共同体 finds 人类命运共同体 (queries under three characters fall back to LIKE). English is
indexed by words with Porter stemming, so a phrase query finds its inflected forms ("build a
community" finds "building a community"). A unit is identified by (English, Chinese, document), so
adding the same units twice stores them once.

Simplified and Traditional Chinese are one memory: the Chinese index holds every unit's Chinese in
Simplified (OpenCC, `align.ingest.language.to_simplified`, registered as the SQL function
`simplified`), and a query is searched in Simplified too, so 備忘錄 and 备忘录 find each other. The
units themselves keep their own characters. A memory indexed before this is re-indexed the first
time it is opened for writing (the `settings` row `zh_index` marks the key: `simplified+variants` since
Hong Kong and Taiwan variant characters such as 衞 are keyed as their Simplified form, `simplified` before).
"""

from __future__ import annotations

import json
import os
import re
import sqlite3
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Iterator

from align.errors import BusyError, InputError
from align.export.tmx import TmxUnit, alignment_props, iter_tmx
from align.ingest.decode import remove_controls
from align.ingest.language import han_ratio, script, script_variants, to_simplified

DEFAULT_TM = Path("tmx/memory.sqlite")

SCHEMA_VERSION = 2
APPLICATION_ID = int.from_bytes(b"alTM", "big")  # PRAGMA application_id: this file is an align memory
SCHEMA = """
CREATE TABLE IF NOT EXISTS units (
    id INTEGER PRIMARY KEY,
    en TEXT NOT NULL, zh TEXT NOT NULL,
    en_lang TEXT NOT NULL, zh_lang TEXT NOT NULL,
    en_markup TEXT, zh_markup TEXT,
    document TEXT NOT NULL DEFAULT '', speaker TEXT, aligner TEXT,
    confidence REAL, created TEXT,
    props TEXT NOT NULL DEFAULT '[]', notes TEXT NOT NULL DEFAULT '[]',
    extra TEXT NOT NULL DEFAULT '{}',
    UNIQUE (en, zh, document)
);
CREATE VIRTUAL TABLE IF NOT EXISTS units_en USING fts5(en, content='units', content_rowid='id', tokenize='porter unicode61 remove_diacritics 2');
CREATE VIRTUAL TABLE IF NOT EXISTS units_zh USING fts5(zh, content='units', content_rowid='id', tokenize='trigram');
CREATE INDEX IF NOT EXISTS units_en_length ON units(length(en));
CREATE INDEX IF NOT EXISTS units_zh_length ON units(length(zh));
DROP TRIGGER IF EXISTS units_ai;  -- early memories indexed row by row; `add` now indexes in bulk
CREATE TABLE IF NOT EXISTS settings (name TEXT PRIMARY KEY, value TEXT NOT NULL);
"""
# how the Chinese index is keyed (see the module docstring); a memory without this setting is keyed by the raw text
ZH_INDEX = ("zh_index", "simplified+variants")  # "simplified": before Hong Kong/Taiwan variants (衞) were


@dataclass(frozen=True)
class StoredUnit:
    id: int
    en: str
    zh: str
    document: str
    speaker: str | None
    aligner: str | None
    confidence: float | None
    en_lang: str = "en-US"
    zh_lang: str = "zh-CN"
    created: str | None = None
    props: tuple[tuple[str, str], ...] = ()
    notes: tuple[str, ...] = ()
    en_markup: str | None = None
    zh_markup: str | None = None
    extra: str = "{}"  # JSON: tuid and the other <tu>/<tuv> attributes of an imported unit

    @classmethod
    def from_row(cls, row: tuple) -> "StoredUnit":
        *head, props, notes, en_markup, zh_markup, extra = row
        return cls(*head, props=tuple(tuple(p) for p in json.loads(props or "[]")),
                   notes=tuple(json.loads(notes or "[]")), en_markup=en_markup, zh_markup=zh_markup, extra=extra or "{}")

    @property
    def script(self) -> str:
        """The script of the Chinese side: 'Simplified' or 'Traditional' (align.ingest.language.script)."""
        return script(self.zh, self.zh_lang)

    def as_dict(self) -> dict:
        """The fields by their names, for --json; `extra` as the object it holds; the Chinese side's script."""
        fields = {name: getattr(self, name) for name in self.__dataclass_fields__}
        return {**fields, "props": [list(p) for p in self.props], "notes": list(self.notes), "extra": json.loads(self.extra),
                "script": self.script}

    def as_tmx_unit(self) -> TmxUnit:
        """The unit as TMX: an imported unit exactly as it came (props, notes, inline markup, dates,
        tuid), one of ours with its alignment props."""
        extra = json.loads(self.extra)
        markup = {lang: text for lang, text in ((self.en_lang, self.en_markup), (self.zh_lang, self.zh_markup)) if text}
        tuv = extra.get("tuv", {})
        return TmxUnit(segments={self.en_lang: self.en, self.zh_lang: self.zh},
                       props=list(self.props) or (alignment_props(self.confidence, self.aligner, self.document, self.speaker)
                                                  if self.aligner else []),  # our units stored before props were
                       notes=list(self.notes), markup=markup, tuid=extra.get("tuid"), creationdate=self.created,
                       attributes=extra.get("tu", {}),
                       tuv_attributes={lang: tuv[side] for lang, side in ((self.en_lang, "en"), (self.zh_lang, "zh"))
                                       if side in tuv})


def _side(lang: str) -> str | None:
    lang = lang.lower()
    return "en" if lang.startswith("en") else "zh" if lang.startswith("zh") else None


def _confidence(unit: TmxUnit, source: str) -> float | None:
    """The unit's x-confidence prop as a number in [0, 1]; None, with a warning, for anything else."""
    value = unit.prop("x-confidence")
    if value is None or not value.strip():
        return None
    try:
        number = float(value)
    except ValueError:
        number = None
    if number is None or not 0.0 <= number <= 1.0:
        warnings.warn(f"{source}:{unit.line}: <prop type=\"x-confidence\">{value}</prop> is not a number from 0 to 1; "
                      "the unit is kept without a confidence", stacklevel=3)
        return None
    return number


_LANGUAGE_TAG = re.compile(r"[a-zA-Z]{1,8}(-[a-zA-Z0-9]{1,8})*")


def _language_tag(lang: str, default: str, source: str, line: int) -> str:
    """`lang` as a language tag TMX accepts (en_US → en-US); the default, with a warning, when it is not one."""
    tag = lang.replace("_", "-")
    if _LANGUAGE_TAG.fullmatch(tag):
        return tag
    warnings.warn(f"{source}:{line}: xml:lang=\"{lang}\" is not a language tag; the unit is stored as {default}",
                  stacklevel=3)
    return default


def _row(unit: TmxUnit, source: str) -> tuple | None:
    """The database row of a unit; None (with a warning) for a unit whose segments are all empty."""
    sides: dict[str, str] = {}
    for lang in unit.segments:
        side = _side(lang)
        if side and side not in sides:
            sides[side] = lang
    if len(sides) < 2:
        raise InputError(f"{source}:{unit.line}: <tu> without both an English and a Chinese <tuv> "
                         f"(found: {', '.join(unit.segments) or 'none'}); fix or remove this unit")
    en, zh = remove_controls(unit.segments[sides["en"]]), remove_controls(unit.segments[sides["zh"]])
    en_lang, zh_lang = _language_tag(sides["en"], "en-US", source, unit.line), _language_tag(sides["zh"], "zh-CN", source, unit.line)
    if not en.strip() and not zh.strip():
        warnings.warn(f"{source}:{unit.line}: <tu> whose English and Chinese segments are both empty; skipped",
                      stacklevel=3)
        return None
    confidence = _confidence(unit, source)
    extra = {key: value for key, value in (
        ("tuid", unit.tuid), ("tu", unit.attributes),
        ("tuv", {side: unit.tuv_attributes[lang] for side, lang in sides.items() if lang in unit.tuv_attributes}))
        if value}
    return (en, zh, en_lang, zh_lang,
            unit.markup.get(sides["en"]), unit.markup.get(sides["zh"]),
            unit.prop("x-document") or source, unit.prop("x-speaker"), unit.prop("x-aligner"),
            confidence, unit.creationdate,
            json.dumps(unit.props, ensure_ascii=False), json.dumps(unit.notes, ensure_ascii=False),
            json.dumps(extra, ensure_ascii=False))


def _check_path(path: Path) -> None:
    """InputError for a path that cannot be a memory: a folder, or a file this user may not read.

    The file itself is never opened here, nor anywhere outside SQLite: on Linux, closing any descriptor
    of a file drops every POSIX lock the process holds on it, including those of SQLite connections
    still open in this process (a server's requests), and another process closing its connection would
    then take itself for the last user and delete the -wal and -shm files under them. Whether the file
    is SQLite at all is SQLite's to say (SQLITE_NOTADB)."""
    if path.is_dir():
        raise InputError(f"{path}: is a folder; give the memory's file name with --tm, e.g. {path / 'memory.sqlite'}")
    if path.is_file() and not os.access(path, os.R_OK):
        raise InputError(f"{path}: cannot read the memory (permission denied); check its permissions")


def _file_key(path: Path) -> tuple | None:
    """The file's identity and state (device, inode, modification time, size); None when it is absent."""
    try:
        stat = os.stat(path)
    except OSError:
        return None
    return stat.st_dev, stat.st_ino, stat.st_mtime_ns, stat.st_size


def read_only_folder(folder: Path) -> bool:
    """True when nothing can be created in `folder` (a read-only mount, or no write permission)."""
    try:
        return bool(os.statvfs(folder).f_flag & os.ST_RDONLY) or not os.access(folder, os.W_OK)
    except OSError:
        return False


def database_error(path: Path, exc: sqlite3.DatabaseError) -> InputError:
    """One line for what SQLite says about the memory file, naming the real cause."""
    text, code = str(exc), (getattr(exc, "sqlite_errorcode", None) or 0) & 0xFF   # the primary result code
    if code in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED) or "locked" in text or "busy" in text:
        return BusyError(f"{path}: the memory is in use by another program ({text}); wait for it to finish "
                         "or close it, then try again")
    if code == sqlite3.SQLITE_FULL:
        return InputError(f"{path}: the disk is full ({text}); the memory is unchanged; free some space, "
                          "then try again")
    if code == sqlite3.SQLITE_NOTADB:
        return InputError(f"{path}: not a translation memory (not an SQLite database); give another --tm path")
    if code in (sqlite3.SQLITE_READONLY, sqlite3.SQLITE_CANTOPEN) or "readonly" in text or "unable to open" in text:
        if read_only_folder(path.absolute().parent):
            return InputError(f"{path}: its folder {path.absolute().parent} is read-only, and changing the memory "
                              f"needs files beside it ({text}); make the folder writable or copy the memory to "
                              "one that is")
        if "readonly" in text or "read-only" in text:
            return InputError(f"{path}: the memory is read-only ({text}); make it writable or give another --tm path")
        return InputError(f"{path}: cannot open the memory ({text}); check the path and its permissions")
    return InputError(f"{path}: not a translation-memory database or damaged ({text}); give another --tm path")


def _text(text: str, what: str) -> str:
    """`text` unchanged; InputError when it holds bytes that are not UTF-8 (a terminal in another
    encoding hands them over as lone surrogates, which SQLite cannot take)."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        raise InputError(f"{what} {text!r} is not valid UTF-8 text; "
                         "set your terminal to UTF-8 and type it again") from None
    return text


def like_escape(text: str) -> str:
    """`text` for a LIKE pattern with ESCAPE '\\': its %, _ and \\ match themselves."""
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


class Memory:
    """The memory file. `readonly=True` opens it for reading only: nothing is created, converted or
    written (commands that only read use it). InputError when the file is not ours, damaged, locked
    or not writable when writing is needed."""

    def __init__(self, path: Path = DEFAULT_TM, *, readonly: bool = False, timeout: float = 5.0):
        self.path = Path(path)
        self.readonly = readonly
        _check_path(self.path)
        before = _file_key(self.path)
        try:
            if readonly:
                self.db = self._connect_readonly(timeout)
                self._check_ours()
                self.db.execute("PRAGMA query_only = 1")
                self._check_current()
            else:
                self.path.parent.mkdir(parents=True, exist_ok=True)
                self.db = sqlite3.connect(str(self.path), timeout=timeout, check_same_thread=False)
                self.db.create_function("simplified", 1, to_simplified, deterministic=True)
                self._check_ours()
                # WAL with normal sync: durable at every committed import, much faster than the defaults
                self.db.execute("PRAGMA journal_mode=WAL")
                self.db.execute("PRAGMA synchronous=NORMAL")
                self.db.executescript(SCHEMA)
                self._upgrade()
            columns = {row[1] for row in self.db.execute("PRAGMA table_info(units)")}
            self._columns = _COLUMNS if "extra" in columns else _COLUMNS.replace("extra", "'{}'")
        except sqlite3.DatabaseError as exc:
            raise database_error(self.path, exc) from None
        # which file this is: a memory replaced under a running server is another file, whatever its
        # versions say; replaced while this connection opened, it matches nothing
        after = _file_key(self.path)
        self.identity = after if after and before and after[:2] == before[:2] else object()

    def _connect_readonly(self, timeout: float) -> sqlite3.Connection:
        """A read-only connection. In a read-only folder WAL cannot create its -shm index beside the file;
        nothing can write the memory there either, so it is read as an immutable file."""
        uri = self.path.absolute().as_uri()
        db = sqlite3.connect(f"{uri}?mode=ro", uri=True, timeout=timeout, check_same_thread=False)
        try:
            db.execute("PRAGMA schema_version").fetchone()
            return db
        except sqlite3.OperationalError as exc:
            db.close()
            if exc.sqlite_errorcode & 0xFF != sqlite3.SQLITE_CANTOPEN or not read_only_folder(self.path.absolute().parent):
                raise
        wal = self.path.with_name(self.path.name + "-wal")
        if wal.is_file() and wal.stat().st_size > 0:
            raise InputError(f"{self.path}: its folder is read-only and the memory's latest changes are still in "
                             f"{wal.name} beside it; make the folder writable once, or copy both files to a "
                             "writable folder")
        return sqlite3.connect(f"{uri}?immutable=1", uri=True, timeout=timeout, check_same_thread=False)

    def _check_ours(self) -> None:
        """InputError for another application's SQLite file (before anything is written to it)."""
        application_id = self.db.execute("PRAGMA application_id").fetchone()[0]
        if application_id == APPLICATION_ID:
            return
        tables = [row[0] for row in self.db.execute("SELECT name FROM sqlite_master WHERE type='table' ORDER BY name")]
        columns = {row[1] for row in self.db.execute("PRAGMA table_info(units)")}
        if application_id == 0 and (not tables or {"en", "zh", "en_lang", "zh_lang"} <= columns):
            return  # a new file, or a memory written before files were marked
        shown = ", ".join(tables[:5]) + (" …" if len(tables) > 5 else "")
        raise InputError(f"{self.path}: another application's database (tables: {shown or 'none'}), not a translation "
                         "memory of align; give the path of an align memory with --tm")

    def _check_current(self) -> None:
        if self.db.execute("PRAGMA user_version").fetchone()[0] < SCHEMA_VERSION:
            raise InputError(f"{self.path}: the memory was written by an older version of align and must be upgraded "
                             "first; run `python -m align tm import` on it once (any TMX file)")

    def check_writable(self) -> None:
        """InputError unless a write can start now: the file is writable and no other program holds it."""
        try:
            self.db.execute("BEGIN IMMEDIATE")
            self.db.execute("ROLLBACK")
        except sqlite3.DatabaseError as exc:
            raise database_error(self.path, exc) from None

    def _upgrade(self) -> None:
        """Memories written before the split English/Chinese indexes get them built once; those
        written before the `extra` column get it; those whose Chinese index is not keyed by Simplified
        get it re-keyed; every memory is marked with our application id."""
        if self.db.execute("PRAGMA application_id").fetchone()[0] != APPLICATION_ID:
            self.db.execute(f"PRAGMA application_id = {APPLICATION_ID}")
        if "extra" not in {row[1] for row in self.db.execute("PRAGMA table_info(units)")}:
            with self.db:
                self.db.execute("ALTER TABLE units ADD COLUMN extra TEXT NOT NULL DEFAULT '{}'")
        if self.db.execute("PRAGMA user_version").fetchone()[0] < SCHEMA_VERSION:
            with self.db:
                self.db.execute("DROP TABLE IF EXISTS units_fts")
                self.db.execute("INSERT INTO units_en(units_en) VALUES ('rebuild')")
                self.db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
        if self.db.execute("SELECT value FROM settings WHERE name = ?", ZH_INDEX[:1]).fetchone() != ZH_INDEX[1:]:
            with self.db:  # the Chinese index keyed by Simplified, once
                self.db.execute("INSERT INTO units_zh(units_zh) VALUES ('delete-all')")
                self.db.execute("INSERT INTO units_zh(rowid, zh) SELECT id, simplified(zh) FROM units")
                self.db.execute("INSERT OR REPLACE INTO settings (name, value) VALUES (?, ?)", ZH_INDEX)

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> "Memory":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def add(self, units: Iterable[TmxUnit], source: str, batch: int = 5000, progress: bool = False) -> int:
        """Add units in one transaction: all of them or, on any fault, none. Returns how many were new.
        The search index is filled once at the end for all new units (much faster than row by row)."""
        from tqdm import tqdm

        insert = _INSERT
        try:
            with self.db:
                # the write lock first: units other programs add meanwhile are neither counted nor indexed twice
                self.db.execute("BEGIN IMMEDIATE")
                before = self.count()
                last_id = self.db.execute("SELECT coalesce(max(id), 0) FROM units").fetchone()[0]
                rows = []
                for unit in tqdm(units, desc=f"importing {source}", unit=" units", disable=not progress, leave=False):
                    if (row := _row(unit, source)) is not None:
                        rows.append(row)
                    if len(rows) >= batch:
                        self.db.executemany(insert, rows)
                        rows.clear()
                self.db.executemany(insert, rows)
                self.db.execute("INSERT INTO units_en(rowid, en) SELECT id, en FROM units WHERE id > ?", (last_id,))
                self.db.execute("INSERT INTO units_zh(rowid, zh) SELECT id, simplified(zh) FROM units WHERE id > ?", (last_id,))
                added = self.count() - before
        except sqlite3.DatabaseError as exc:
            raise database_error(self.path, exc) from None
        return added

    def import_tmx(self, path: Path, progress: bool = False) -> int:
        return self.add(iter_tmx(path), Path(path).name, progress=progress)

    def sample(self, size: int = 400) -> list[StoredUnit]:
        """A fixed pseudo-random sample of the memory (the same while the memory is unchanged): the
        background against which lookup judges how specific a rendering is."""
        import random

        top = self.db.execute("SELECT coalesce(max(id), 0) FROM units").fetchone()[0]
        key = (top, size)
        if getattr(self, "_sample_key", None) != key:
            ids = sorted(random.Random(top).sample(range(1, top + 1), min(size, top)))
            marks = ",".join("?" * len(ids))
            self._sample = [StoredUnit.from_row(row) for row in self.db.execute(
                f"SELECT {self._columns} FROM units WHERE id IN ({marks})", ids)] if ids else []
            self._sample_key = key
        return self._sample

    def count(self) -> int:
        return self.db.execute("SELECT count(*) FROM units").fetchone()[0]

    def units(self, min_confidence: float | None = None, document: str | None = None) -> Iterator[StoredUnit]:
        sql, args = f"SELECT {self._columns} FROM units WHERE 1=1", []
        if min_confidence is not None:
            sql += " AND confidence >= ?"
            args.append(min_confidence)
        if document:
            document = _text(document, "--doc")
            sql += " AND (document = ? OR document LIKE ? ESCAPE '\\')"
            args += [document, f"{like_escape(document)}.%"]
        for row in self.db.execute(sql + " ORDER BY id", args):
            yield StoredUnit.from_row(row)

    def _match(self, query: str) -> tuple[str, str, tuple]:
        """The WHERE clause (and side) that finds `query` as a substring of one side."""
        query = _text(query.strip(), "the search text")
        if not query:
            raise InputError("give a word or phrase to search for")
        side = "zh" if han_ratio(query) > 0.5 else "en"
        if side == "en" and re.search(r"[^\W_]", query) or len(query) >= 3:
            # the index is keyed by Simplified; the query as typed too, for a memory indexed before that
            forms = dict.fromkeys((to_simplified(query), query)) if side == "zh" else (query,)
            phrase = " OR ".join('"' + form.replace('"', '""') + '"' for form in forms)
            return side, f"id IN (SELECT rowid FROM units_{side} WHERE units_{side} MATCH ?)", (phrase,)
        forms = script_variants(query) if side == "zh" else (query,)  # Simplified and Traditional find each other
        where = " OR ".join(f"{side} LIKE ? ESCAPE '\\'" for _ in forms)
        return side, f"({where})", tuple(f"%{like_escape(form)}%" for form in forms)

    def search(self, query: str, limit: int = 20, ranked: bool = True) -> list[StoredUnit]:
        """Units whose English or Chinese contains `query` (Chinese in either script), best match first: the tighter the segment
        around the query, the better; then the higher the confidence. `ranked=False` takes the first
        units found (a fast sample, in the order they were added)."""
        side, where, args = self._match(query)
        order = f"ORDER BY length({side}), confidence DESC, id" if ranked else ""
        rows = self.db.execute(f"SELECT {self._columns} FROM units WHERE {where} {order} LIMIT ?", (*args, limit))
        return [StoredUnit.from_row(row) for row in rows]

    def count_matches(self, query: str, cap: int = 2000) -> int:
        """How many units contain `query`, counted up to `cap` (enough to tell rare from common)."""
        _, where, args = self._match(query)
        return self.db.execute(f"SELECT count(*) FROM (SELECT 1 FROM units WHERE {where} LIMIT ?)", (*args, cap)).fetchone()[0]

    def replace_units(self, document: str, units: Iterable[TmxUnit]) -> tuple[int, int]:
        """Make `units` all of the document's units, inside the caller's transaction: units no longer
        derived are deleted, new ones inserted, changed ones updated. Returns (added, removed)."""
        existing = {(en, zh) for en, zh in self.db.execute("SELECT en, zh FROM units WHERE document = ?", (document,))}
        rows = [row for row in (_row(unit, document) for unit in units) if row]
        return self._upsert(document, rows), self._delete(document, existing - {(row[0], row[1]) for row in rows})

    def swap_units(self, document: str, removed: Iterable[tuple[str, str]], added: Iterable[TmxUnit]) -> tuple[int, int]:
        """Delete the document's units with the (English, Chinese) texts `removed` and insert or update
        `added`, inside the caller's transaction (an edit touches only its own units). Returns (added, removed)."""
        rows = [row for row in (_row(unit, document) for unit in added) if row]
        return self._upsert(document, rows), self._delete(document, set(removed) - {(row[0], row[1]) for row in rows})

    def delete_units(self, ids: Iterable[int]) -> int:
        """Delete the units with these ids (and their index entries), inside the caller's transaction.
        Returns how many were deleted."""
        ids = list(ids)
        gone = [row for start in range(0, len(ids), 500) for row in self.db.execute(
            f"SELECT id, en, zh FROM units WHERE id IN ({','.join('?' * len(ids[start:start + 500]))})", ids[start:start + 500])]
        return self._unindex(gone)

    def _delete(self, document: str, keys: set[tuple[str, str]]) -> int:
        gone = [row for en, zh in keys for row in self.db.execute(
            "SELECT id, en, zh FROM units WHERE en = ? AND zh = ? AND document = ?", (en, zh, document))]
        return self._unindex(gone)

    def _unindex(self, gone: list[tuple[int, str, str]]) -> int:
        """Delete these (id, en, zh) rows and their index entries; how many."""
        for uid, en, zh in gone:
            self.db.execute("INSERT INTO units_en(units_en, rowid, en) VALUES ('delete', ?, ?)", (uid, en))
            self.db.execute("INSERT INTO units_zh(units_zh, rowid, zh) VALUES ('delete', ?, ?)", (uid, to_simplified(zh)))
        self.db.executemany("DELETE FROM units WHERE id = ?", [(uid,) for uid, _, _ in gone])
        return len(gone)

    def _upsert(self, document: str, rows: list[tuple]) -> int:
        """Insert the rows that are new (indexing them) and update speaker, aligner, confidence and props
        of those already there. Returns how many were new."""
        last_id = self.db.execute("SELECT coalesce(max(id), 0) FROM units").fetchone()[0]
        before = self.db.total_changes
        self.db.executemany(_INSERT, rows)
        added = self.db.total_changes - before
        self.db.execute("INSERT INTO units_en(rowid, en) SELECT id, en FROM units WHERE id > ?", (last_id,))
        self.db.execute("INSERT INTO units_zh(rowid, zh) SELECT id, simplified(zh) FROM units WHERE id > ?", (last_id,))
        self.db.executemany(
            "UPDATE units SET speaker = ?, aligner = ?, confidence = ?, props = ? WHERE en = ? AND zh = ? AND document = ? "
            "AND id <= ? AND (speaker IS NOT ? OR aligner IS NOT ? OR confidence IS NOT ? OR props IS NOT ?)",
            [(r[7], r[8], r[9], r[11], r[0], r[1], document, last_id, r[7], r[8], r[9], r[11]) for r in rows])
        return added


_COLUMNS = "id, en, zh, document, speaker, aligner, confidence, en_lang, zh_lang, created, props, notes, en_markup, zh_markup, extra"
_INSERT = ("INSERT OR IGNORE INTO units (en, zh, en_lang, zh_lang, en_markup, zh_markup, document, speaker, "
           "aligner, confidence, created, props, notes, extra) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)")
