"""The review sheet: Excel out for reviewers, their changes back in through the store's edits."""

import pytest
from openpyxl import load_workbook

from align.cli import main
from align.export.xlsx import COLUMNS
from align.store.alignments import AlignmentStore
from align.store.edits import CONFIRMED, EDITED, Merge
from align.store.memory import Memory


def export(memory_file, out, *extra):
    assert main(["export", "demo", "-o", str(out), "--tm", str(memory_file), *extra]) == 0
    return out


def stored(memory_file):
    with Memory(memory_file, readonly=True) as memory:
        return AlignmentStore(memory).get("demo")


def test_the_sheet_has_the_columns_a_frozen_header_and_colours_by_confidence(memory_file, tmp_path, capsys):
    xlsx = export(memory_file, tmp_path / "demo.xlsx", "--review-threshold", "0.9995")
    assert capsys.readouterr().out == f"21 row(s) → {xlsx}\n"
    book = load_workbook(xlsx)
    sheet = book["review"]
    assert tuple(c.value for c in sheet[1]) == COLUMNS
    assert sheet.freeze_panes == "A2"
    assert book["align"].sheet_state == "veryHidden"
    beads = stored(memory_file).alignment.beads
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    assert [r[0] for r in rows] == list(range(1, 22))
    assert rows[1][1:3] == ("中国在世界上的目标是什么？", "What is China's goal in the world?")
    assert rows[2][2] == ("Recently, there has been some concern that the wider difference between China and the West "
                          "could divide the world into different camps and endanger the international order.\n"
                          "What's your response to these comments?")     # one sentence a line
    assert rows[1][4:] == ("auto", None, "凤凰卫视记者")
    colours = {sheet.cell(row=k + 2, column=4).fill.start_color.rgb[-6:] for k, b in enumerate(beads)
               if b.confidence < 0.9995}
    assert colours == {"FFC7CE"}
    assert {sheet.cell(row=k + 2, column=4).fill.start_color.rgb[-6:] for k, b in enumerate(beads)
            if b.confidence >= 0.9995} == {"C6EFCE"}


def review(xlsx, changes):
    """Edit the sheet as a reviewer would: {#: {column: value}}."""
    book = load_workbook(xlsx)
    sheet = book["review"]
    for row in sheet.iter_rows(min_row=2):
        for column, value in changes.get(row[0].value, {}).items():
            row[COLUMNS.index(column)].value = value
    book.save(xlsx)


def test_review_import_applies_text_edits_and_confirmations_as_one_undoable_step(memory_file, tmp_path, capsys):
    xlsx = export(memory_file, tmp_path / "demo.xlsx")
    before = stored(memory_file)
    version = before.version
    review(xlsx, {2: {"English": "What is China's aim in the world?", "status": "confirmed"},
                  3: {"Chinese": "近来有人担忧。\n你对此有何回应？"}, 21: {"status": "confirmed"}})
    capsys.readouterr()
    assert main(["review", "import", str(xlsx), "--tm", str(memory_file)]) == 0
    assert capsys.readouterr().out == (
        "row #2: edited English sentence 1\nrow #2: confirmed bead 1\nrow #3: edited Chinese sentence 2\n"
        "row #21: confirmed bead 20\n"
        f"demo: 4 change(s) applied, now version {version + 1} (one step to undo in the review page)\n")
    after = stored(memory_file)
    alignment = after.alignment
    assert (alignment.text(alignment.beads[1], "en"), alignment.beads[1].status) == ("What is China's aim in the world?", CONFIRMED)
    assert [alignment.zh[i].text for i in alignment.beads[2].zh] == ["近来有人担忧。", "你对此有何回应？"]
    assert (alignment.beads[2].status, alignment.beads[20].status) == (EDITED, CONFIRMED)
    with Memory(memory_file) as memory:
        store = AlignmentStore(memory)
        undone, description = store.undo("demo", after.version)
    assert description == "imported 4 change(s) from demo.xlsx"
    assert undone.alignment == before.alignment


def test_a_sheet_whose_units_changed_since_export_is_reported_and_nothing_is_applied(memory_file, tmp_path, capsys):
    xlsx = export(memory_file, tmp_path / "demo.xlsx")
    with Memory(memory_file) as memory:
        store = AlignmentStore(memory)
        store.apply("demo", Merge(1), store.get("demo").version)      # beads #2 and #3 become one
    before = stored(memory_file)
    review(xlsx, {2: {"status": "confirmed"}, 5: {"English": "The goal is clear."}})
    capsys.readouterr()
    assert main(["review", "import", str(xlsx), "--tm", str(memory_file)]) == 1
    assert capsys.readouterr().err == (
        f"{xlsx}: row #2: its unit has changed since the sheet was exported (version 1, now 2); 中国在世界上的目标是什么？\n"
        f"error: 1 conflicting and 0 invalid row(s); nothing was applied to demo (export the document again and carry "
        "the changes over)\n")
    assert stored(memory_file) == before


def test_an_unknown_status_is_reported_and_nothing_is_applied(memory_file, tmp_path, capsys):
    xlsx = export(memory_file, tmp_path / "demo.xlsx")
    before = stored(memory_file)
    review(xlsx, {4: {"English": "You asked about our goal."}, 6: {"status": "done"}})
    capsys.readouterr()
    assert main(["review", "import", str(xlsx), "--tm", str(memory_file)]) == 1
    assert capsys.readouterr().err.splitlines()[0] == f"{xlsx}: row #6: status 'done' is not one of auto, edited, confirmed"
    assert stored(memory_file) == before


def test_a_workbook_that_is_not_a_review_sheet_is_refused_in_one_line(memory_file, tmp_path, capsys):
    from openpyxl import Workbook

    other = tmp_path / "budget.xlsx"
    Workbook().save(other)
    assert main(["review", "import", str(other), "--tm", str(memory_file)]) == 2
    assert capsys.readouterr().err.strip() == (f"error: {other}: not a review sheet written by `export STEM -o F.xlsx` "
                                               "(its sheets are Sheet); export the document again and review that file")


def test_a_changed_note_is_applied_when_the_memory_keeps_notes_and_reported_when_it_does_not(memory_file, tmp_path, capsys):
    from align.store.edits import EDITS

    xlsx = export(memory_file, tmp_path / "demo.xlsx")
    review(xlsx, {4: {"note": "check 宗旨 against the glossary"}})
    capsys.readouterr()
    assert main(["review", "import", str(xlsx), "--tm", str(memory_file)]) == 0
    out = capsys.readouterr().out
    if "note" in EDITS:      # the store's edit model has notes on units
        assert stored(memory_file).alignment.beads[3].note == "check 宗旨 against the glossary"
    else:
        assert out == ("note: 1 changed note(s) not applied: this memory keeps no notes on units yet\n"
                       "demo: 0 change(s) applied\n")


def test_the_page_api_downloads_xliff_and_the_sheet_and_takes_the_reviewed_sheet_back(memory_file, tmp_path):
    from fastapi.testclient import TestClient

    from align.review.app import create_app

    with TestClient(create_app(memory_file), base_url="http://127.0.0.1") as client:
        xliff = client.get("/api/documents/demo/xliff")
        assert xliff.status_code == 200 and xliff.headers["content-disposition"] == ("attachment; filename=\"demo.xlf\"; "
                                                                               "filename*=UTF-8''demo.xlf")
        assert "<source xml:lang=\"zh-CN\">中国在世界上的目标是什么？</source>" in xliff.text
        sheet = client.get("/api/documents/demo/xlsx")
        assert sheet.status_code == 200
        xlsx = tmp_path / "demo.xlsx"
        xlsx.write_bytes(sheet.content)
        review(xlsx, {2: {"status": "confirmed"}})
        answer = client.post("/api/documents/demo/xlsx", files={"sheet": ("demo.xlsx", xlsx.read_bytes())})
        assert answer.status_code == 200
        assert answer.json()["edits"] == ["row #2: confirmed bead 1"]
        again = client.post("/api/documents/demo/xlsx", files={"sheet": ("demo.xlsx", xlsx.read_bytes())})
        assert (again.status_code, again.json()["edits"]) == (200, [])      # already confirmed: nothing to do
        version = client.get("/api/documents/demo", params={"limit": 1}).json()["version"]
        assert client.post("/api/documents/demo/edits", json={"op": "merge", "bead": 1, "version": version}).status_code == 200
        again = client.post("/api/documents/demo/xlsx", files={"sheet": ("demo.xlsx", xlsx.read_bytes())})
        assert again.status_code == 409
        assert again.json()["detail"].startswith("row #2: its unit has changed since the sheet was exported")
