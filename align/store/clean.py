"""Memory hygiene: what `tm clean` finds in a memory and the one change it makes.

`findings(memory)` reads the memory and changes nothing. It reports:

- **duplicates**: units with the same English and the same Chinese (runs of whitespace made one, ends
  trimmed), wherever they come from. The newest of each group is kept (latest creation date, then
  the latest added); the others are what `remove_duplicates` deletes;
- **inconsistent** translations: one English sentence stored with different Chinese (compared in
  Simplified, so a change of script alone is no inconsistency), and one Chinese sentence with
  different English (letter case and whitespace ignored);
- **empty or tag-only** units: a side without a letter, digit or character (the text empty, or only
  the inline tags and punctuation left);
- **untranslated** units: the two sides are the same text.

Only duplicates are ever removed, and only by `remove_duplicates`, which first writes a complete copy
of the memory beside it (SQLite's online backup into a temporary file, then renamed), so the removal
can be undone by putting the copy back. The other findings are for a person to judge.
"""

from __future__ import annotations

import os
import re
import sqlite3
import tempfile
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from align.errors import InputError
from align.ingest.language import to_simplified
from align.store.memory import Memory, StoredUnit

_CONTENT = re.compile(r"[^\W_]")


def _key(text: str) -> str:
    return " ".join(text.split())


@dataclass(frozen=True)
class Brief:
    """A unit as a finding shows it."""

    id: int
    document: str
    en: str
    zh: str
    created: str | None

    @classmethod
    def of(cls, unit: StoredUnit) -> "Brief":
        return cls(unit.id, unit.document, unit.en, unit.zh, unit.created)

    def as_dict(self) -> dict:
        return {"id": self.id, "document": self.document, "en": self.en, "zh": self.zh, "created": self.created}


@dataclass(frozen=True)
class Duplicates:
    """Units with the same two sides: `kept` stays, `removed` go."""

    kept: Brief
    removed: tuple[Brief, ...]

    def as_dict(self) -> dict:
        return {"kept": self.kept.as_dict(), "removed": [b.as_dict() for b in self.removed]}


@dataclass(frozen=True)
class Inconsistent:
    """One sentence of side `lang` stored with different translations."""

    lang: str
    text: str
    units: tuple[Brief, ...]

    def as_dict(self) -> dict:
        return {"lang": self.lang, "text": self.text, "units": [b.as_dict() for b in self.units]}


@dataclass(frozen=True)
class Findings:
    units: int
    duplicates: tuple[Duplicates, ...]
    inconsistent: tuple[Inconsistent, ...]
    empty: tuple[Brief, ...]
    untranslated: tuple[Brief, ...]

    @property
    def removable(self) -> int:
        return sum(len(d.removed) for d in self.duplicates)

    def as_dict(self) -> dict:
        return {"units": self.units, "removable": self.removable,
                "duplicates": [d.as_dict() for d in self.duplicates],
                "inconsistent": [i.as_dict() for i in self.inconsistent],
                "empty": [b.as_dict() for b in self.empty], "untranslated": [b.as_dict() for b in self.untranslated]}


def _newest(unit: StoredUnit) -> tuple:
    """Creation dates of any format compare by their digits (20240102T101010Z, 2024-01-02T10:10:10)."""
    return ("".join(ch for ch in unit.created or "" if ch.isdigit()).ljust(14, "0"), unit.id)


def findings(memory: Memory) -> Findings:
    """What `tm clean` reports about `memory` (see the module docstring); nothing is changed."""
    pairs: dict[tuple[str, str], list[StoredUnit]] = defaultdict(list)
    count = 0
    empty, untranslated = [], []
    for unit in memory.units():
        count += 1
        pairs[_key(unit.en), _key(unit.zh)].append(unit)
        if not _CONTENT.search(unit.en) or not _CONTENT.search(unit.zh):
            empty.append(Brief.of(unit))
        elif _key(unit.en) == _key(unit.zh):
            untranslated.append(Brief.of(unit))
    duplicates = []
    for group in pairs.values():
        if len(group) > 1:
            ordered = sorted(group, key=_newest, reverse=True)
            duplicates.append(Duplicates(Brief.of(ordered[0]), tuple(Brief.of(u) for u in ordered[1:])))
    by_en, by_zh = defaultdict(dict), defaultdict(dict)  # one representative unit per distinct translation
    for (en, zh), group in pairs.items():
        if _CONTENT.search(en) and _CONTENT.search(zh) and en != zh:
            newest = max(group, key=_newest)  # the unit that stays
            by_en[en].setdefault(to_simplified(zh), newest)
            by_zh[to_simplified(zh)].setdefault(en.lower(), newest)
    inconsistent = [Inconsistent(lang, text, tuple(Brief.of(u) for u in sorted(units.values(), key=lambda u: u.id)))
                    for lang, table in (("en", by_en), ("zh", by_zh)) for text, units in table.items() if len(units) > 1]
    return Findings(count, tuple(sorted(duplicates, key=lambda d: d.kept.id)),
                    tuple(sorted(inconsistent, key=lambda i: (i.lang, i.units[0].id))), tuple(empty), tuple(untranslated))


def backup_path(path: Path, now: datetime | None = None) -> Path:
    """Where the copy of the memory at `path` goes: beside it, named by the time (UTC)."""
    stamp = (now or datetime.now(timezone.utc)).strftime("%Y%m%dT%H%M%SZ")
    return path.with_name(f"{path.name}.before-clean-{stamp}")


def remove_duplicates(memory: Memory, found: Findings, backup: Path) -> int:
    """Copy the memory to `backup`, then delete the duplicates `found` lists in one transaction.
    Returns how many units were removed. InputError when the copy cannot be written or already exists
    (nothing is deleted then)."""
    ids = [b.id for d in found.duplicates for b in d.removed]
    if not ids:
        return 0
    if backup.exists():
        raise InputError(f"{backup}: already exists; move it away or wait a second and run `tm clean` again")
    memory.check_writable()
    handle, temporary = tempfile.mkstemp(dir=backup.parent, prefix=f".{backup.name}.", suffix=".tmp")
    os.close(handle)
    try:
        with sqlite3.connect(temporary) as copy:
            memory.db.backup(copy)
        copy.close()
        os.replace(temporary, backup)
    except (OSError, sqlite3.DatabaseError) as exc:
        Path(temporary).unlink(missing_ok=True)
        raise InputError(f"{backup}: cannot write the copy of the memory ({exc}); free some space or check the "
                         "folder's permissions; nothing was removed") from None
    with memory.db:
        return memory.delete_units(ids)
