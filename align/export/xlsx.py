"""The review sheet: a stored alignment as an Excel workbook for reviewers who live in spreadsheets,
and the reviewer's changes read back as the store's own edits.

The sheet "review" has one row per bead: #, Chinese, English, confidence, status, note, speaker. A
cell with several sentences holds one sentence a line. The confidence and status cells are coloured
(red under the review threshold, green at or above 0.9, yellow between, blue once a person edited
or confirmed the unit); the header row is frozen and filtered; status is a drop-down.

A very hidden sheet "align" records the document's stem and version at export and, per #, the
bead's sentence ids and texts. `review_import` compares each row with that record: a changed text
becomes `EditText` (a line per sentence), status "confirmed" becomes `Confirm` (and back,
`Unconfirm`), a changed note the store's note edit when the memory keeps notes. A changed row whose
bead no longer holds the same sentences (the alignment changed since the export) is a conflict:
conflicts and invalid rows are reported and nothing is applied. Otherwise every edit is applied in
order to the alignment and committed as one undoable change.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from pathlib import Path

from align.errors import InputError
from align.export.atomic import atomic_write
from align.export.xliff import bead_note
from align.store.edits import AUTO, CONFIRMED, EDITED, EDITS, Confirm, EditText, Unconfirm, parse_edit

COLUMNS = ("#", "Chinese", "English", "confidence", "status", "note", "speaker")
STATUSES = (AUTO, EDITED, CONFIRMED)
SHEET, RECORD = "review", "align"
FORMAT = "align review sheet 1"
_GREEN, _YELLOW, _RED, _BLUE = "C6EFCE", "FFEB9C", "FFC7CE", "DDEBF7"


def _sentences(alignment, bead, side: str) -> str:
    return "\n".join(alignment.sentences(side)[i].text for i in bead.side(side))


def _colour(bead, threshold: float) -> str:
    if bead.status != AUTO:
        return _BLUE
    return _RED if bead.confidence < threshold else _GREEN if bead.confidence >= 0.9 else _YELLOW


def review_workbook(stored, threshold: float):
    """The openpyxl workbook of a stored alignment."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment as Align, Font, PatternFill
    from openpyxl.worksheet.datavalidation import DataValidation

    alignment = stored.alignment
    book = Workbook()
    sheet = book.active
    sheet.title = SHEET
    sheet.append(COLUMNS)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    record = book.create_sheet(RECORD)
    record.append(["format", FORMAT])
    record.append(["stem", stored.stem])
    record.append(["version", stored.version])
    record.append(["#", "zh ids", "en ids", "Chinese", "English", "status", "note"])
    for number, bead in enumerate(alignment.beads, start=1):
        speaker = alignment.sentences("zh" if bead.zh else "en")[(bead.zh or bead.en)[0]].speaker
        zh, en, note = _sentences(alignment, bead, "zh"), _sentences(alignment, bead, "en"), bead_note(bead)
        sheet.append([number, zh, en, round(bead.confidence, 4), bead.status, note, speaker or ""])
        record.append([number, ",".join(map(str, bead.zh)), ",".join(map(str, bead.en)), zh, en, bead.status, note])
        fill = PatternFill("solid", start_color=_colour(bead, threshold))
        for column in (4, 5):
            sheet.cell(row=number + 1, column=column).fill = fill
        for column in (2, 3, 6):
            sheet.cell(row=number + 1, column=column).alignment = Align(wrap_text=True, vertical="top")
    for letter, width in zip("ABCDEFG", (6, 50, 60, 11, 11, 30, 16)):
        sheet.column_dimensions[letter].width = width
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = f"A1:G{len(alignment.beads) + 1}"
    choice = DataValidation(type="list", formula1=f'"{",".join(STATUSES)}"', allow_blank=False)
    sheet.add_data_validation(choice)
    choice.add(f"E2:E{len(alignment.beads) + 1}")
    record.sheet_state = "veryHidden"
    return book


def write_xlsx(stored, path: Path, threshold: float) -> int:
    """Write the review sheet of a stored alignment (atomically); returns how many rows (beads)."""
    book = review_workbook(stored, threshold)
    with atomic_write(Path(path)) as handle:
        book.save(handle)
    return len(stored.alignment.beads)


def xlsx_bytes(stored, threshold: float) -> bytes:
    """The review sheet of a stored alignment, for a download."""
    buffer = io.BytesIO()
    review_workbook(stored, threshold).save(buffer)
    return buffer.getvalue()


# reading back

@dataclass(frozen=True)
class Row:
    number: int           # the bead's number (#) at export
    zh_ids: tuple[int, ...]
    en_ids: tuple[int, ...]
    zh: str               # at export, one sentence a line
    en: str
    status: str
    note: str


@dataclass(frozen=True)
class ReviewSheet:
    stem: str
    version: int
    exported: dict[int, Row]            # by #
    reviewed: dict[int, Row]            # what the sheet says now (ids as exported)


@dataclass
class SheetImport:
    """What `review_import` did, or why it did nothing."""

    stem: str
    edits: list[str] = field(default_factory=list)          # descriptions, in order
    conflicts: list[str] = field(default_factory=list)      # "row N: …"
    problems: list[str] = field(default_factory=list)       # invalid rows: "row N: …"
    notes_not_kept: int = 0                                 # the memory keeps no notes yet
    version: int | None = None                              # the document's version after the import

    @property
    def applied(self) -> bool:
        return not self.conflicts and not self.problems

    def as_dict(self) -> dict:
        return {"stem": self.stem, "applied": self.applied, "edits": self.edits, "conflicts": self.conflicts,
                "problems": self.problems, "notes_not_kept": self.notes_not_kept, "version": self.version}


def _ids(text) -> tuple[int, ...]:
    return tuple(int(i) for i in str(text).split(",")) if text not in (None, "") else ()


def _text(value) -> str:
    return "" if value is None else str(value).replace("\r\n", "\n").strip()


def read_review_sheet(path: Path, data: bytes | None = None) -> ReviewSheet:
    """The rows of a review sheet (the file at `path`, or its uploaded `data`) as exported and as the
    reviewer left them; InputError when it is not an Excel workbook written by `export … -o F.xlsx`."""
    import zipfile

    from openpyxl import load_workbook

    path = Path(path)
    try:
        book = load_workbook(path if data is None else io.BytesIO(data))
    except (zipfile.BadZipFile, OSError, KeyError, ValueError) as exc:
        raise InputError(f"{path}: not an Excel workbook ({exc}); give the .xlsx written by `export STEM -o F.xlsx`") from None
    if SHEET not in book.sheetnames or RECORD not in book.sheetnames or book[RECORD]["B1"].value != FORMAT:
        raise InputError(f"{path}: not a review sheet written by `export STEM -o F.xlsx` (its sheets are "
                         f"{', '.join(book.sheetnames)}); export the document again and review that file")
    record = book[RECORD]
    stem, version = str(record["B2"].value), int(record["B3"].value)
    exported = {}
    for number, zh_ids, en_ids, zh, en, status, note in record.iter_rows(min_row=5, max_col=7, values_only=True):
        exported[int(number)] = Row(int(number), _ids(zh_ids), _ids(en_ids), _text(zh), _text(en), str(status), _text(note))
    sheet = book[SHEET]
    header = tuple(_text(c) for c in next(sheet.iter_rows(min_row=1, max_row=1, max_col=7, values_only=True)))
    if header != COLUMNS:
        raise InputError(f"{path}: the header row of sheet {SHEET!r} is {', '.join(header)}; keep the columns "
                         f"{', '.join(COLUMNS)} as exported")
    reviewed = {}
    for line, values in enumerate(sheet.iter_rows(min_row=2, max_col=7, values_only=True), start=2):
        if all(v in (None, "") for v in values):
            continue
        number, zh, en, _confidence, status, note, _speaker = values
        if not isinstance(number, int) or number not in exported:
            raise InputError(f"{path}: row {line}: # is {number!r}, not a number of the exported rows; keep the # "
                             "column as exported (rows may be sorted, not renumbered)")
        if number in reviewed:
            raise InputError(f"{path}: row {line}: # {number} appears twice; keep one row per #")
        was = exported[number]
        reviewed[number] = Row(number, was.zh_ids, was.en_ids, _text(zh), _text(en), _text(status).lower(), _text(note))
    return ReviewSheet(stem, version, exported, reviewed)


def _find(alignment, row: Row) -> int | None:
    """The bead that still holds exactly the sentences `row` was exported with, or None."""
    for k, bead in enumerate(alignment.beads):
        if (bead.zh, bead.en) == (row.zh_ids, row.en_ids):
            same = _sentences(alignment, bead, "zh") == row.zh and _sentences(alignment, bead, "en") == row.en
            return k if same else None
    return None


def plan_import(sheet: ReviewSheet, stored, now: str) -> tuple[object, SheetImport]:
    """The alignment after the sheet's changes (pure: the store's edits applied in order) and the report.
    Nothing is planned when a changed row conflicts with the stored alignment or is invalid."""
    report = SheetImport(sheet.stem)
    keeps_notes = "note" in EDITS
    changes = []
    for number in sorted(sheet.reviewed):
        new, old = sheet.reviewed[number], sheet.exported[number]
        changed = {"zh": new.zh != old.zh, "en": new.en != old.en, "status": new.status != old.status,
                   "note": new.note != old.note}
        if not any(changed.values()):
            continue
        if new.status not in STATUSES:
            report.problems.append(f"row #{number}: status {new.status!r} is not one of {', '.join(STATUSES)}")
            continue
        if changed["status"] and CONFIRMED not in (new.status, old.status):
            report.problems.append(f"row #{number}: status can be set to {CONFIRMED!r} or taken back from it, "
                                   f"not changed from {old.status!r} to {new.status!r}")
            continue
        empty = [side for side in ("zh", "en") if changed[side] and not (old.zh_ids if side == "zh" else old.en_ids)]
        if empty:
            report.problems.append(f"row #{number}: the {'Chinese' if empty[0] == 'zh' else 'English'} cell was empty "
                                   "(an unpaired sentence); pair units in the review page, not in the sheet")
            continue
        k = _find(stored.alignment, old)
        if k is None:
            report.conflicts.append(f"row #{number}: its unit has changed since the sheet was exported (version "
                                    f"{sheet.version}, now {stored.version}); {_preview(old)}")
            continue
        changes.append((k, new, changed))
    if report.conflicts or report.problems:
        return stored.alignment, report
    alignment = stored.alignment
    for k, new, changed in changes:
        edits = []
        for side in ("zh", "en"):
            if changed[side]:
                edits.append(EditText(side, alignment.beads[k].side(side), new.zh if side == "zh" else new.en))
        if changed["status"] and (alignment.beads[k].status == CONFIRMED) != (new.status == CONFIRMED):
            edits.append(Confirm(k) if new.status == CONFIRMED else Unconfirm(k))   # not again when already so
        if changed["note"]:
            if keeps_notes:
                edits.append(parse_edit({"op": "note", "bead": k, "text": new.note}))
            else:
                report.notes_not_kept += 1
        for edit in edits:
            try:
                alignment = edit.apply(alignment, now)
            except InputError as exc:
                report.problems.append(f"row #{new.number}: {exc}")
                return stored.alignment, report
            report.edits.append(f"row #{new.number}: {edit.describe()}")
    return alignment, report


def _preview(row: Row) -> str:
    text = (row.zh or row.en).replace("\n", " ")
    return text if len(text) <= 40 else text[:39] + "…"


def review_import(store, path: Path, data: bytes | None = None, stem: str | None = None) -> SheetImport:
    """Apply a review sheet's changes (the file at `path`, or its uploaded `data`) to its stored alignment as
    one undoable change; NotFoundError for an unknown document, InputError for a file that is not a
    review sheet (or, given `stem`, the sheet of another document). Conflicting or invalid rows are
    returned in the report and nothing is applied."""
    from align.store.alignments import now_iso

    sheet = read_review_sheet(path, data)
    if stem is not None and sheet.stem != stem:
        raise InputError(f"{path}: this sheet is of {sheet.stem!r}, not of {stem!r}; upload it on its own document")
    stored = store.get(sheet.stem)
    alignment, report = plan_import(sheet, stored, now_iso())
    if report.applied and report.edits:
        after = store.replace_alignment(sheet.stem, alignment, stored.version,
                                        f"imported {len(report.edits)} change(s) from {Path(path).name}")
        report.version = after.version
    return report
