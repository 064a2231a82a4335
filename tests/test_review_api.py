"""The review server's JSON API, through FastAPI's TestClient on a copy of the demo memory."""

import time

import pytest
from fastapi.testclient import TestClient

from align.export.tmx import read_tmx
from align.review.app import create_app

from conftest import DEMO_EN, DEMO_ZH


@pytest.fixture
def client(memory_file):
    with TestClient(create_app(memory_file), base_url="http://127.0.0.1") as client:
        yield client


def _document(client, **params):
    answer = client.get("/api/documents/demo", params=params)
    assert answer.status_code == 200
    return answer.json()


def _edit(client, **operation):
    operation.setdefault("version", _document(client, limit=1)["version"])
    return client.post("/api/documents/demo/edits", json=operation)


def test_documents_lists_every_stored_alignment_with_its_counts(client):
    [summary] = client.get("/api/documents").json()["documents"]
    assert summary["stem"] == "demo"
    assert summary["beads"] == summary["units"] + summary["unpaired"]
    assert (summary["confirmed"], summary["edited"], summary["reviewed_share"]) == (0, 0, 0.0)


def test_a_document_gives_beads_with_both_sides_text_confidence_and_status(client):
    document = _document(client)
    first = document["beads"][1]
    assert first["zh"][0]["text"] == "中国在世界上的目标是什么？"
    assert first["en"][0] == {"id": 1, "text": "What is China's goal in the world?", "speaker": "Phoenix TV",
                              "turn": 1, "paragraph": 1, "line": first["en"][0]["line"]}
    assert first["status"] == "auto" and 0 <= first["confidence"] <= 1 and first["turn_break"]
    assert document["total"] == len(document["beads"]) == document["summary"]["beads"]


def test_beads_come_in_pages_and_least_confident_first(client):
    page = _document(client, order="confidence", offset=0, limit=5)
    confidences = [b["confidence"] for b in page["beads"]]
    assert len(confidences) == 5 and confidences == sorted(confidences)
    assert _document(client, offset=5, limit=5)["beads"][0]["index"] == 5


def test_merge_changes_the_beads_the_version_and_the_memory(client):
    before = _document(client)
    answer = _edit(client, op="merge", bead=1)
    assert answer.status_code == 200
    assert answer.json()["message"] == "merged beads 1 and 2"
    after = _document(client)
    assert after["version"] == before["version"] + 1
    assert after["total"] == before["total"] - 1
    assert after["beads"][1]["status"] == "edited"
    found = client.get("/api/search", params={"q": "What is China's goal"}).json()["units"]
    assert found[0]["en"].startswith("What is China's goal in the world? Recently,")


@pytest.mark.parametrize("operation, expected", [
    ({"op": "split", "bead": 2, "zh": 1, "en": 1}, "split bead 2"),
    ({"op": "shift", "bead": 2, "side": "en", "direction": "up"}, "moved a English sentence of bead 2 up"),
    ({"op": "unpair", "bead": 1}, "unpaired bead 1"),
    ({"op": "edit_text", "side": "en", "sentences": [1], "text": "What is China's aim?"}, "edited English sentence 1"),
    ({"op": "confirm", "bead": 1}, "confirmed bead 1"),
    ({"op": "confirm_above", "threshold": 0.9}, "confirmed every unit at or above 0.90"),
])
def test_every_operation_is_applied_and_described(client, operation, expected):
    answer = _edit(client, **operation)
    assert answer.status_code == 200, answer.json()
    assert answer.json()["message"] == expected


def test_pair_joins_two_unpaired_neighbours(client):
    _edit(client, op="unpair", bead=1)
    assert _edit(client, op="pair", bead=1).json()["message"] == "paired beads 1 and 2"
    assert _document(client)["beads"][1]["kind"] == "1-1"


def test_undo_and_redo_walk_the_history(client):
    total = _document(client)["total"]
    _edit(client, op="merge", bead=1)
    version = _document(client)["version"]
    undone = client.post("/api/documents/demo/undo", json={"version": version}).json()
    assert (undone["message"], undone["can_redo"]) == ("undone: merged beads 1 and 2", True)
    assert _document(client)["total"] == total
    redone = client.post("/api/documents/demo/redo", json={"version": undone["version"]}).json()
    assert redone["message"] == "redone: merged beads 1 and 2"
    assert _document(client)["total"] == total - 1


def test_an_edit_against_an_old_version_gets_409_and_changes_nothing(client):
    version = _document(client)["version"]
    assert _edit(client, op="merge", bead=1, version=version).status_code == 200
    beads = _document(client)["beads"]
    stale = _edit(client, op="merge", bead=3, version=version)
    assert stale.status_code == 409
    assert stale.json() == {"detail": f"demo has changed since version {version} (it is at version {version + 1}); "
                                      "reload it and make the change again"}
    assert _document(client)["beads"] == beads


@pytest.mark.parametrize("operation, status, detail", [
    ({"op": "merge", "bead": 20}, 400, "bead 20 is the last one; there is no next bead to merge it with"),
    ({"op": "split", "bead": 1, "zh": 1, "en": 0}, 400, "bead 1 has one sentence a side and cannot be split; use unpair instead"),
    ({"op": "merge", "bead": 99}, 400, "there is no bead 99; the document has beads 0 to 20"),
    ({"op": "pair", "bead": 0}, 400, "beads 0 and 1 are not both unpaired; use merge instead"),
    ({"op": "shift", "bead": 0, "side": "fr", "direction": "up"}, 400, "side must be 'zh' or 'en', not 'fr'"),
    ({"op": "teleport"}, 400, "unknown operation 'teleport'; use one of: merge, split, shift, unpair, pair, "
                              "edit_text, confirm, unconfirm, confirm_above, realign"),
])
def test_impossible_operations_get_one_clear_message_and_change_nothing(client, operation, status, detail):
    before = _document(client)
    answer = _edit(client, **operation)
    assert (answer.status_code, answer.json()) == (status, {"detail": detail})
    assert _document(client) == before


def test_an_edit_without_a_version_is_refused(client):
    answer = client.post("/api/documents/demo/edits", json={"op": "merge", "bead": 1})
    assert answer.status_code == 400
    assert "say which version" in answer.json()["detail"]


def test_an_unknown_document_gets_404(client):
    assert client.get("/api/documents/nope").json() == \
        {"detail": "no stored alignment named 'nope'; run `python -m align run` on the pair first"}
    assert client.post("/api/documents/nope/edits", json={"version": 1, "op": "merge", "bead": 0}).status_code == 404


def test_nothing_to_undo_is_a_clear_400(client):
    answer = client.post("/api/documents/demo/undo", json={"version": _document(client)["version"]})
    assert (answer.status_code, answer.json()) == (400, {"detail": "nothing to undo in demo"})


def test_the_tmx_follows_the_edits(client):
    _edit(client, op="confirm", bead=1)
    answer = client.get("/api/documents/demo/tmx", params={"confirmed_only": "true"})
    assert answer.headers["content-type"] == "application/x-tmx+xml"
    assert answer.text.count("<tu ") == 1
    assert '<prop type="x-status">confirmed</prop>' in answer.text


def test_confirm_preview_counts_units_and_predicted_errors(client):
    preview = client.get("/api/documents/demo/confirm-preview", params={"threshold": 0.5}).json()
    beads = [b for b in _document(client)["beads"] if b["paired"] and b["confidence"] >= 0.5]
    assert preview["beads"] == len(beads)
    assert preview["expected_errors"] == pytest.approx(sum(1 - b["confidence"] for b in beads), abs=0.01)


def test_search_and_lookup_answer_from_the_memory(client):
    assert client.get("/api/search", params={"q": "命运共同体"}).json()["units"]
    renderings = client.get("/api/lookup", params={"term": "human community with a shared future"}).json()["renderings"]
    assert renderings[0]["rendering"] == "人类命运共同体"


def test_changes_from_another_origin_are_refused(client):
    answer = client.post("/api/documents/demo/edits", json={"version": 1, "op": "merge", "bead": 1},
                         headers={"Origin": "http://attacker.example"})
    assert (answer.status_code, answer.json()) == (403, {"detail": "changes are accepted only from the review page itself"})


def test_with_a_token_requests_without_it_get_401_and_the_printed_url_lets_the_page_in(memory_file):
    with TestClient(create_app(memory_file, token="s3cret"), base_url="http://127.0.0.1") as client:
        assert client.get("/api/documents").status_code == 401
        assert client.get("/api/documents", headers={"Authorization": "Bearer wrong"}).status_code == 401
        assert client.get("/", params={"token": "s3cret"}).status_code == 200
        assert client.get("/api/documents").status_code == 200          # the cookie set by the URL
        assert client.get("/api/documents", headers={"Authorization": "Bearer s3cret"}).status_code == 200


def test_pages_are_served_from_the_package_and_forbid_foreign_scripts(client):
    for path in ("/", "/documents/demo"):
        page = client.get(path)
        assert page.status_code == 200 and "<html" in page.text
        assert "script-src 'self'" in page.headers["content-security-policy"]
        assert "http://" not in page.text and "https://" not in page.text


def test_the_api_page_works_offline(client):
    docs = client.get("/docs").text
    assert "cdn" not in docs and "/static-offline-docs/swagger-ui-bundle.js" in docs
    assert client.get("/openapi.json").json()["info"]["title"] == "align review"


def _wait(client, job: int) -> dict:
    for _ in range(600):
        state = client.get(f"/api/jobs/{job}").json()
        if state["state"] != "running":
            return state
        time.sleep(0.1)
    raise AssertionError("job did not finish in 60 s")


def test_import_aligns_an_uploaded_pair_in_the_background(client, memory_file):
    files = {"en": ("talk.en.txt", DEMO_EN.read_bytes()), "zh": ("talk.zh.txt", DEMO_ZH.read_bytes())}
    job = client.post("/api/import", files=files, data={"method": "length"}).json()["job"]
    state = _wait(client, job)
    assert (state["state"], state["stem"]) == ("done", "talk")
    assert [d["stem"] for d in client.get("/api/documents").json()["documents"]] == ["demo", "talk"]
    assert read_tmx(memory_file.parent / "talk.tmx")


def test_an_import_with_two_english_files_fails_with_runs_message(client):
    files = {"en": ("a.txt", DEMO_EN.read_bytes()), "zh": ("b.txt", DEMO_EN.read_bytes())}
    state = _wait(client, client.post("/api/import", files=files).json()["job"])
    assert state["state"] == "failed"
    assert state["message"].endswith("both files are English; give one English and one Chinese transcript")


def test_realign_keeps_confirmed_beads_and_realigns_the_rest(client):
    _edit(client, op="merge", bead=1)
    _edit(client, op="confirm", bead=5)
    confirmed = _document(client)["beads"][5]
    answer = _edit(client, op="realign")
    state = _wait(client, answer.json()["job"])
    assert state["state"] == "done", state
    after = _document(client)
    kept = [b for b in after["beads"] if b["status"] != "auto"]
    assert [(b["zh"], b["en"]) for b in kept] == [(b["zh"], b["en"]) for b in
                                                  [_document(client)["beads"][1], confirmed]]
    assert after["can_undo"]


def test_fuzzy_matches_of_a_sentence_come_from_the_memory(client):
    answer = client.get("/api/match", params={"q": "What is China's goal in the world today?", "lang": "en",
                                              "min_score": 50}).json()
    assert answer["matches"][0]["en"] == "What is China's goal in the world?"
    assert 50 <= answer["matches"][0]["percent"] < 100


def test_a_fuzzy_match_query_without_words_is_a_clear_400(client):
    answer = client.get("/api/match", params={"q": "？！"})
    assert (answer.status_code, answer.json()) == (400, {"detail": "'？！': nothing to match; give an English or Chinese sentence"})
