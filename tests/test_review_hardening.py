"""The review server against a hostile web and a memory shared with other programs: every refusal is
one clear line, nothing acknowledged is lost, and failures leave a trace in the log."""

import json
import logging
import os
import shutil
import sqlite3
import zlib
from urllib.parse import quote

import pytest
from fastapi.testclient import TestClient

from align.errors import BusyError, InputError
from align.export.tmx import TmxUnit, read_tmx
from align.review.app import create_app
from align.store.alignments import AlignmentStore, check_sentence_ids, tmx_units
from align.store.edits import Confirm, Merge
from align.store.memory import Memory

from conftest import DEMO_EN, DEMO_ZH
from test_review_api import _wait

LOCAL = "http://127.0.0.1"


@pytest.fixture
def client(memory_file):
    with TestClient(create_app(memory_file), base_url=LOCAL) as client:
        yield client


def _version(client, stem="demo") -> int:
    return client.get(f"/api/documents/{quote(stem)}", params={"limit": 1}).json()["version"]


def _beads(path, stem="demo"):
    with Memory(path, readonly=True) as memory:
        return AlignmentStore(memory).get(stem).alignment.beads


# DNS rebinding

def test_a_request_addressed_to_another_host_name_is_refused_and_changes_nothing(client, memory_file):
    before = _beads(memory_file)
    answer = client.get("/api/documents", headers={"Host": "evil.example:8765"})
    assert answer.status_code == 400
    assert answer.json()["detail"] == ("this review server answers only to 127.0.0.1, [::1], localhost on its port, "
                                       "not to the host 'evil.example:8765'; open the address it printed at start")
    edit = client.post("/api/documents/demo/edits", json={"version": 1, "op": "confirm", "bead": 1},
                       headers={"Host": "evil.example", "Origin": "http://evil.example"})
    assert edit.status_code == 400
    assert _beads(memory_file) == before


def test_the_servers_own_names_on_its_port_are_answered_and_other_ports_are_not(client):
    for host in ("127.0.0.1", "localhost", "LOCALHOST", "[::1]", "127.0.0.1:80"):
        assert client.get("/api/documents", headers={"Host": host}).status_code == 200, host
    assert client.get("/api/documents", headers={"Host": "127.0.0.1:9999"}).status_code == 400


def test_with_a_token_any_host_name_is_answered_when_the_request_carries_the_token(memory_file):
    with TestClient(create_app(memory_file, token="s3cret", host="0.0.0.0"), base_url=LOCAL) as client:
        headers = {"Host": "translator-laptop.lan:8765"}
        assert client.get("/api/documents", headers=headers).status_code == 401
        assert client.get("/api/documents", headers={**headers, "Authorization": "Bearer s3cret"}).status_code == 200


def test_a_non_ascii_token_is_refused_with_401_not_a_server_error(memory_file):
    with TestClient(create_app(memory_file, token="s3cret"), base_url=LOCAL) as client:
        assert client.get("/api/documents?token=%C3%A9").status_code == 401
        assert client.get("/api/documents", headers={"Authorization": "Bearer é".encode()}).status_code == 401
        assert client.get("/api/documents", headers={"Cookie": "align_token=é".encode()}).status_code == 401
        assert client.get("/api/documents?token=s3cret").status_code == 200


# downloads, replaced files, old memories

def test_a_chinese_document_name_downloads_its_tmx_under_that_name(memory_file, tmp_path):
    with sqlite3.connect(memory_file) as db:
        db.execute("UPDATE alignments SET stem = '外交部发布会'")
    with TestClient(create_app(memory_file), base_url=LOCAL) as client:
        answer = client.get(f"/api/documents/{quote('外交部发布会')}/tmx")
    assert answer.status_code == 200
    assert answer.headers["content-disposition"] == (
        "attachment; filename=\"______.tmx\"; filename*=UTF-8''%E5%A4%96%E4%BA%A4%E9%83%A8%E5%8F%91%E5%B8%83%E4%BC%9A.tmx")
    (tmp_path / "got.tmx").write_bytes(answer.content)
    assert len(read_tmx(tmp_path / "got.tmx")) == len(tmx_units(AlignmentStore(Memory(memory_file)).get("外交部发布会")))


def test_a_memory_file_replaced_under_the_server_is_read_again_and_edited_without_losing_sentences(client, memory_file, tmp_path):
    replacement = tmp_path / "replacement.sqlite"
    shutil.copy(memory_file, replacement)
    with Memory(replacement) as memory:
        AlignmentStore(memory).apply("demo", Merge(1), 1)                # the other file: bead 1 merged, version 2
    version = _version(client)
    assert client.post("/api/documents/demo/edits", json={"version": version, "op": "merge", "bead": 3}).status_code == 200
    expected = _beads(replacement)
    os.replace(replacement, memory_file)                                  # version 2 here too, other beads
    document = client.get("/api/documents/demo").json()
    assert [(tuple(s["id"] for s in b["zh"]), tuple(s["id"] for s in b["en"])) for b in document["beads"]] == \
        [(b.zh, b.en) for b in expected]
    assert client.post("/api/documents/demo/edits", json={"version": 2, "op": "confirm", "bead": 2}).status_code == 200
    with Memory(memory_file, readonly=True) as memory:
        stored = AlignmentStore(memory).get("demo")
        check_sentence_ids("demo", stored.alignment)
        assert stored.alignment.beads[2].status == "confirmed" and len(stored.alignment.beads) == len(expected)


def _as_before_815e304(path):
    """Rewrite a memory as align wrote it before 815e304: beads keyed by their index, and one undo record
    (confirming bead 2) holding only the beads."""
    with sqlite3.connect(path) as db:
        beads = db.execute("SELECT position, zh, en, confidence, status, changed FROM beads ORDER BY position").fetchall()
        db.execute("DELETE FROM beads")
        db.executemany("INSERT INTO beads (alignment, position, zh, en, confidence, status, changed) VALUES (1,?,?,?,?,?,?)",
                       [(k, *row[1:]) for k, row in enumerate(beads)])
        rows = [[[int(i) for i in zh.split(",") if i], [int(i) for i in en.split(",") if i], c, s, ch]
                for _, zh, en, c, s, ch in beads]
        confirmed = [row[:3] + ["confirmed", "2026-11-01T10:00:00Z"] if k == 2 else row for k, row in enumerate(rows)]
        db.execute("UPDATE beads SET status = 'confirmed', changed = '2026-11-01T10:00:00Z' WHERE position = 2")
        db.execute("INSERT INTO edits (alignment, description, before, after, created) VALUES (1, 'confirm bead 2', ?, ?, ?)",
                   (zlib.compress(json.dumps({"beads": rows}).encode()), zlib.compress(json.dumps({"beads": confirmed}).encode()),
                    "2026-11-01T10:00:00Z"))
        db.execute("PRAGMA user_version = 2")
    return [tuple(r[:2]) for r in rows]


def test_a_memory_written_before_beads_were_keyed_by_sentences_is_migrated_and_edits_and_undo_stay_whole(memory_file):
    original = _as_before_815e304(memory_file)
    with Memory(memory_file) as memory:
        store = AlignmentStore(memory)
        store.apply("demo", Merge(5), store.get("demo").version)
        stored, description = store.undo("demo", store.get("demo").version)   # the merge
        stored, description = store.undo("demo", stored.version)              # the old record: confirm bead 2
        assert description == "confirm bead 2"
    with Memory(memory_file, readonly=True) as memory:
        fresh = AlignmentStore(memory).get("demo").alignment
        check_sentence_ids("demo", fresh)
        assert [(list(b.zh), list(b.en)) for b in fresh.beads] == [tuple(pair) for pair in original]
        assert all(b.status == "auto" for b in fresh.beads)


def test_an_edit_whose_beads_would_repeat_a_sentence_is_refused_before_anything_is_written(memory_file):
    from dataclasses import replace

    with Memory(memory_file) as memory:
        store = AlignmentStore(memory)
        stored = store.get("demo")
        broken = replace(stored.alignment, beads=stored.alignment.beads[:3] + stored.alignment.beads[2:])
        with pytest.raises(InputError, match=r"^demo: this change would leave zh sentences repeated, missing or out of order"):
            store.replace_alignment("demo", broken, stored.version, "broken")
    assert _beads(memory_file) == stored.alignment.beads


# busy, full, logged

def test_an_edit_while_another_program_holds_the_memory_waits_then_gets_503_with_one_line(memory_file):
    with TestClient(create_app(memory_file, busy_timeout=0.2), base_url=LOCAL) as client:
        version = _version(client)
        holder = sqlite3.connect(memory_file)
        holder.execute("BEGIN IMMEDIATE")      # as a long `tm import` does
        try:
            answer = client.post("/api/documents/demo/edits", json={"version": version, "op": "confirm", "bead": 1})
        finally:
            holder.rollback()
            holder.close()
        assert answer.status_code == 503
        assert answer.json()["detail"] == (f"{memory_file}: the memory is in use by another program (database is locked); "
                                           "wait for it to finish or close it, then try again")
        assert client.post("/api/documents/demo/edits", json={"version": version, "op": "confirm", "bead": 1}).status_code == 200


def test_a_full_disk_is_reported_as_a_full_disk_and_the_memory_is_unchanged(tmp_path):
    path = tmp_path / "memory.sqlite"
    with Memory(path) as memory:
        memory.add([TmxUnit(segments={"en-US": "Peace.", "zh-CN": "和平。"})], "a")
        pages = memory.db.execute("PRAGMA page_count").fetchone()[0]
        memory.db.execute(f"PRAGMA max_page_count = {pages}")   # no room for one more page, as on a full disk
        units = [TmxUnit(segments={"en-US": f"Sentence {n} " + "x" * 200, "zh-CN": f"句子{n}"}) for n in range(500)]
        with pytest.raises(InputError) as caught:
            memory.add(units, "b")
        assert str(caught.value) == (f"{path}: the disk is full (database or disk is full); the memory is unchanged; "
                                     "free some space, then try again")
        assert memory.count() == 1


def test_each_failed_request_leaves_one_log_line_without_the_token(memory_file, caplog):
    caplog.set_level(logging.WARNING, logger="align.review")
    with TestClient(create_app(memory_file, token="s3cret"), base_url=LOCAL) as client:
        assert client.get("/api/documents", headers={"Authorization": "Bearer wrong"}).status_code == 401
        assert client.get("/api/documents/nothing-here?token=s3cret").status_code == 404
        assert client.get("/api/documents?token=s3cret").status_code == 200
    lines = [r.getMessage() for r in caplog.records if r.name == "align.review"]
    assert lines == ["GET /api/documents → 401 this review server needs its token: open the URL it printed at start",
                     "GET /api/documents/nothing-here → 404 no stored alignment named 'nothing-here'; "
                     "run `python -m align run` on the pair first"]
    assert "s3cret" not in caplog.text


def test_a_busy_memory_is_a_busy_error_on_the_command_line_too(memory_file):
    holder = sqlite3.connect(memory_file)
    holder.execute("BEGIN IMMEDIATE")
    try:
        with Memory(memory_file, timeout=0.1) as memory, pytest.raises(BusyError):
            AlignmentStore(memory).apply("demo", Confirm(1), 1)
    finally:
        holder.rollback()
        holder.close()


# uploads

OTHER_EN = b"Good morning. Let us begin.\n\nThe weather is fine today.\n"
OTHER_ZH = "早上好。我们开始吧。\n\n今天天气很好。\n".encode()
DEMO_EN_BYTES, DEMO_ZH_BYTES = (path.read_bytes() for path in (DEMO_EN, DEMO_ZH))


def test_an_upload_named_like_a_stored_document_is_refused_and_the_document_is_kept(client, memory_file):
    version = _version(client)
    client.post("/api/documents/demo/edits", json={"version": version, "op": "confirm", "bead": 1})
    before = _beads(memory_file)
    answer = client.post("/api/import", files={"en": ("demo.en.txt", OTHER_EN), "zh": ("demo.zh.txt", OTHER_ZH)})
    assert answer.status_code == 409
    units = sum(1 for b in before if b.zh and b.en)
    assert answer.json()["detail"] == (
        f"a document named demo exists with {units} units, 1 of them reviewed; send replace=true to align it again "
        "from these files (as `run` does: reviewed units whose sentences remain are kept), or name=demo-2 to import "
        "them as a new document")
    assert _beads(memory_file) == before
    assert not (memory_file.parent / "imports").exists()


def test_an_upload_under_a_new_name_is_a_new_document_beside_the_old_one(client, memory_file):
    before = _beads(memory_file)
    job = client.post("/api/import", files={"en": ("demo.en.txt", OTHER_EN), "zh": ("demo.zh.txt", OTHER_ZH)},
                      data={"name": "demo-2", "method": "length"}).json()["job"]
    assert _wait(client, job)["state"] == "done"
    assert [d["stem"] for d in client.get("/api/documents").json()["documents"]] == ["demo", "demo-2"]
    assert _beads(memory_file) == before
    assert len(_beads(memory_file, "demo-2")) == 3
    [saved] = (memory_file.parent / "imports").glob("demo-2.*/en/demo-2.en.txt")
    assert saved.read_bytes() == OTHER_EN


def test_an_upload_with_replace_aligns_the_document_again_from_the_new_files(client, memory_file):
    job = client.post("/api/import", files={"en": ("demo.en.txt", OTHER_EN), "zh": ("demo.zh.txt", OTHER_ZH)},
                      data={"replace": "true", "method": "length"}).json()["job"]
    assert _wait(client, job)["state"] == "done"
    assert len(_beads(memory_file)) == 3


def test_an_upload_name_longer_than_a_file_name_may_be_is_a_clear_400(client):
    name = "演" * 90 + ".en.txt"
    answer = client.post("/api/import", files={"en": (name, OTHER_EN), "zh": ("b.zh.txt", OTHER_ZH)})
    assert (answer.status_code, answer.json()) == (400, {"detail": "the en file: the name is 277 bytes long, more than "
                                                                   "the 255 a file name may have; rename it shorter"})


def test_an_oversized_request_is_refused_with_413_before_anything_is_saved(client, memory_file):
    big = b"x" * (41 * 2**20)
    answer = client.post("/api/import", files={"en": ("big.en.txt", big), "zh": ("big.zh.txt", OTHER_ZH)})
    assert (answer.status_code, answer.json()) == (413, {"detail": "the request is larger than 40 MB; align files that "
                                                                   "large with `python -m align run` instead"})

    def chunks():   # no Content-Length: counted as it streams in
        yield b"--x\r\nContent-Disposition: form-data; name=\"en\"; filename=\"big.en.txt\"\r\n\r\n"
        for _ in range(41):
            yield b"x" * 2**20
    answer = client.post("/api/import", content=chunks(), headers={"Content-Type": "multipart/form-data; boundary=x"})
    assert answer.status_code == 413
    assert not (memory_file.parent / "imports").exists()


# load: cheap improvements

def test_a_document_is_paged_by_default_and_its_json_is_gzipped_for_clients_that_accept_it(tmp_path):
    from align.cli import main
    from align.review.routes.documents import PAGE

    from conftest import DEMO_EN, DEMO_ZH

    en, zh, tm = tmp_path / "long.en.txt", tmp_path / "long.zh.txt", tmp_path / "m.sqlite"
    en.write_text("\n\n".join([DEMO_EN.read_text(encoding="utf-8")] * 12), encoding="utf-8")
    zh.write_text("\n\n".join([DEMO_ZH.read_text(encoding="utf-8")] * 12), encoding="utf-8")
    assert main(["run", "--en", str(en), "--zh", str(zh), "-o", str(tmp_path / "long.tmx"), "--tm", str(tm),
                 "--method", "length"]) == 0
    with TestClient(create_app(tm), base_url=LOCAL) as client:
        document = client.get("/api/documents/long", headers={"Accept-Encoding": "gzip"})
        assert document.headers["content-encoding"] == "gzip"
        answer = document.json()
        assert answer["total"] > PAGE and (answer["limit"], len(answer["beads"])) == (PAGE, PAGE)
        assert len(client.get("/api/documents/long", params={"limit": 1000}).json()["beads"]) == answer["total"]
        plain = client.get("/api/documents/long", headers={"Accept-Encoding": "identity"})
        assert "content-encoding" not in plain.headers and plain.json() == answer


def test_two_uploads_of_one_new_name_waiting_at_once_make_one_document_and_the_second_job_fails(client, memory_file):
    import threading

    busy = threading.Event()
    client.app.state.jobs._pool.submit(busy.wait)      # the job worker is busy: both uploads wait their turn
    first = client.post("/api/import", files={"en": ("twin.en.txt", OTHER_EN), "zh": ("twin.zh.txt", OTHER_ZH)},
                        data={"method": "length"})
    second = client.post("/api/import", files={"en": ("twin.en.txt", DEMO_EN_BYTES), "zh": ("twin.zh.txt", DEMO_ZH_BYTES)},
                         data={"method": "length"})
    busy.set()
    assert _wait(client, first.json()["job"])["state"] == "done"
    assert _wait(client, second.json()["job"]) == {
        "id": second.json()["job"], "kind": "import", "stem": "twin", "state": "failed",
        "message": "a document named twin exists with 3 units, 0 of them reviewed; send replace=true to align it again "
                   "from these files (as `run` does: reviewed units whose sentences remain are kept), or name=twin-2 to "
                   "import them as a new document"}
    assert len(_beads(memory_file, "twin")) == 3       # the first upload's text, not overwritten by the second's
