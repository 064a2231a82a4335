"""The review server's JSON API, through FastAPI's TestClient on a copy of the demo memory."""

import time

import pytest
from fastapi.testclient import TestClient

from align.export.tmx import read_tmx
from align.review.app import create_app
from align.store.alignments import AlignmentStore
from align.store.edits import Confirm
from align.store.memory import Memory

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
                              "turn": 1, "paragraph": 1, "line": first["en"][0]["line"], "edited_from": None}
    assert first["status"] == "auto" and 0 <= first["confidence"] <= 1 and first["turn_break"]
    assert document["total"] == len(document["beads"]) == document["summary"]["beads"]


def test_beads_come_in_pages_and_least_confident_first(client):
    page = _document(client, order="confidence", offset=0, limit=5)
    confidences = [b["confidence"] for b in page["beads"]]
    assert len(confidences) == 5 and confidences == sorted(confidences)
    assert _document(client, offset=5, limit=5)["beads"][0]["index"] == 5


def test_a_document_read_twice_is_the_same_answer_until_another_process_changes_it(client, memory_file):
    first = client.get("/api/documents/demo")
    assert client.get("/api/documents/demo").content == first.content
    with Memory(memory_file) as memory:                 # not through the server
        AlignmentStore(memory).apply("demo", Confirm(2), first.json()["version"])
    after = _document(client)
    assert after["version"] == first.json()["version"] + 1 and after["beads"][2]["status"] == "confirmed"


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
    ({"op": "shift", "bead": 2, "side": "en", "direction": "up", "across_turn": True}, "moved a English sentence of bead 2 up"),
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
                              "edit_text, confirm, unconfirm, confirm_above, note, realign"),
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


# ---------- issue 18: nothing marked reviewed that a person did not review; human work kept ----------

def _tmx_units(client, **params):
    import io
    from lxml import etree

    root = etree.parse(io.BytesIO(client.get("/api/documents/demo/tmx", params=params).content)).getroot()
    return [{"en": tu.findtext("tuv[@{http://www.w3.org/XML/1998/namespace}lang='en-US']/seg"), "tuid": tu.get("tuid"),
             "props": {p.get("type"): p.text for p in tu.iter("prop")}, "notes": [n.text for n in tu.iter("note")]}
            for tu in root.iter("tu")]


def test_a_shift_into_another_speakers_turn_is_refused_unless_the_request_says_it_is_meant(client):
    answer = _edit(client, op="shift", bead=1, side="zh", direction="up")
    assert (answer.status_code, answer.json()["detail"]) == \
        (400, "moving that sentence into bead 0 crosses a speaker turn; send across_turn: true if that is meant")
    assert _edit(client, op="shift", bead=1, side="zh", direction="up", across_turn=True).status_code == 200


def test_a_neighbour_changed_by_a_shift_is_rescored_shown_as_changed_and_left_out_of_confirmed_only(client):
    assert _edit(client, op="confirm", bead=0).status_code == 200
    assert _edit(client, op="shift", bead=1, side="zh", direction="up", across_turn=True).status_code == 200
    neighbour, acted_on = _document(client)["beads"][:2]
    assert [s["text"] for s in neighbour["zh"]] == ["二十大新闻中心第四场记者招待会 | 2022年10月31日", "中国在世界上的目标是什么？"]
    assert (neighbour["status"], acted_on["status"]) == ("changed", "edited")
    assert neighbour["confidence"] < 0.5 and neighbour["unit_confidence"] == neighbour["confidence"]
    [unit] = [u for u in _tmx_units(client) if u["en"].startswith("Press Center")]
    assert unit["props"]["x-status"] == "changed"
    assert unit["props"]["x-confidence"] == f"{neighbour['confidence']:.4f}"
    assert not any(u["en"].startswith("Press Center") for u in _tmx_units(client, confirmed_only=True))
    assert _document(client, filter="under_threshold")["beads"][0]["index"] == 0


def test_a_pairing_a_person_made_carries_the_aligners_second_opinion(client):
    assert _edit(client, op="merge", bead=5).status_code == 200
    merged = _document(client)["beads"][5]
    assert merged["status"] == "edited" and merged["unit_confidence"] == 1.0
    assert merged["confidence"] < 0.1      # the aligner would not have merged two clean 1-1 units
    assert _document(client)["beads"][4]["confidence"] > 0.99   # beads the edit did not touch keep theirs


def test_a_note_is_stored_on_the_unit_exported_as_a_tmx_note_and_findable(client):
    answer = _edit(client, op="note", bead=20, text="Check the closing formula with the client.")
    assert answer.json()["message"] == "wrote a note on bead 20"
    assert _document(client)["beads"][20]["note"] == "Check the closing formula with the client."
    [unit] = [u for u in _tmx_units(client) if u["en"] == "Thank you!"]
    assert unit["notes"] == ["Check the closing formula with the client."]
    assert [b["index"] for b in _document(client, q="closing formula")["beads"]] == [20]
    assert [b["index"] for b in _document(client, filter="noted")["beads"]] == [20]


def test_find_lists_only_the_beads_whose_text_contains_the_query_in_either_language(client):
    found = _document(client, q="INTEREST")
    assert [b["index"] for b in found["beads"]] == [9] and found["total"] == 1
    assert [b["index"] for b in _document(client, q="命运共同体")["beads"]] == [4, 10, 13, 14, 18]


def test_the_map_gives_every_bead_in_a_few_numbers(client):
    _edit(client, op="unpair", bead=20)
    answer = client.get("/api/documents/demo/map").json()
    assert (answer["zh_sentences"], answer["en_sentences"], len(answer["beads"])) == (26, 23, 22)
    assert answer["beads"][0] == [0, 1, 0, 1, answer["beads"][0][4], "auto"]
    assert answer["beads"][20:] == [[25, 1, None, 0, 1.0, "edited"], [None, 0, 22, 1, 1.0, "edited"]]


def test_a_run_of_unpaired_sentences_is_one_item_and_can_be_paired_as_a_block(client):
    _edit(client, op="unpair", bead=2)              # zh 2 | en 2 | en 3
    beads = _document(client)["beads"]
    assert beads[2]["run"] == {"side": "zh", "first_bead": 2, "last_bead": 2, "sentences": 1,
                               "first_line": beads[2]["zh"][0]["line"], "last_line": beads[2]["zh"][0]["line"],
                               "pair_with": {"side": "en", "first_bead": 3, "last_bead": 4}}
    assert beads[3]["run"]["sentences"] == 2 and beads[4]["run"] is None
    answer = _edit(client, op="pair", bead=2, through=4)
    assert answer.json()["message"] == "paired beads 2 to 4"
    paired = _document(client)["beads"][2]
    assert ([s["id"] for s in paired["zh"]], [s["id"] for s in paired["en"]], paired["status"]) == ([2], [2, 3], "edited")


def test_a_tuid_is_the_same_in_the_full_and_the_confirmed_only_export(client):
    _edit(client, op="confirm", bead=13)
    full = {u["en"]: u["tuid"] for u in _tmx_units(client)}
    [confirmed] = _tmx_units(client, confirmed_only=True)
    assert confirmed["tuid"] == full[confirmed["en"]] and confirmed["tuid"].startswith("demo-")


def test_a_script_that_edits_runs_again_and_exports_gets_the_edit_and_can_undo_the_run(client, memory_file, tmp_path):
    from align.cli import main

    assert _edit(client, op="edit_text", side="en", sentences=[22], text="Thank you very much!").status_code == 200
    chinese = tmp_path / "demo.zh.txt"
    chinese.write_text(DEMO_ZH.read_text(encoding="utf-8").replace("谢谢！", "我就回答这些。谢谢！"), encoding="utf-8")
    assert main(["run", "--en", str(DEMO_EN), "--zh", str(chinese), "-o", str(tmp_path / "demo.tmx"),
                 "--tm", str(memory_file), "--method", "length"]) == 0
    document = _document(client)
    assert document["not_kept"] == [] and document["can_undo"]
    [unit] = [u for u in _tmx_units(client) if u["en"] == "Thank you very much!"]
    assert unit["props"]["x-status"] == "edited"
    undone = client.post("/api/documents/demo/undo", json={"version": document["version"]}).json()
    assert undone["message"] == "undone: aligned again by run (length)"


def test_a_unit_whose_two_sides_state_different_numbers_carries_a_one_line_finding(client):
    assert [b["numbers"] for b in _document(client)["beads"]] == [None] * 21      # the demo's numbers agree
    [title] = _document(client, limit=1)["beads"][0]["en"]
    assert _edit(client, op="edit_text", side="en", sentences=[title["id"]],
                 text=title["text"].replace("October 31, 2022", "October 30, 2022")).status_code == 200
    beads = _document(client)["beads"]
    assert beads[0]["numbers"] == "Chinese 2022年10月31日 ≠ English October 30, 2022"
    assert [b["numbers"] for b in beads[1:]] == [None] * 20


def test_a_number_missing_on_one_side_is_named_with_its_side(client):
    answer = _edit(client, op="edit_text", side="zh", sentences=[1], text="中国在世界上的3个目标是什么？")
    assert answer.status_code == 200
    assert _document(client, limit=2)["beads"][1]["numbers"] == "Chinese 3, not in the English"


def test_unpaired_sentences_carry_no_number_finding(client):
    assert _edit(client, op="unpair", bead=0).status_code == 200
    beads = _document(client, limit=2)["beads"]
    assert [(b["paired"], b["numbers"]) for b in beads] == [(False, None), (False, None)]


def test_numbers_are_checked_only_for_the_beads_of_the_page_served(client, monkeypatch):
    import align.review.schemas as schemas

    checked = []
    real = schemas.check_numbers
    monkeypatch.setattr(schemas, "check_numbers", lambda en, zh: checked.append(en) or real(en, zh))
    schemas.numbers_finding.cache_clear()
    beads = _document(client, offset=4, limit=3)["beads"]
    assert checked == [" ".join(s["text"] for s in b["en"]) for b in beads]
