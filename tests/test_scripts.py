"""Simplified and Traditional Chinese as one memory (issue 19): search, match and lookup find the units
of both scripts, and the answers keep and name each unit's script."""

import json
import sqlite3

import pytest

from align.cli import main
from align.export.tmx import TmxUnit
from align.ingest.language import script, script_variants, to_simplified
from align.match.search import fuzzy_matches
from align.store.memory import Memory
from align.terms.lookup import lookup

UNITS = [("This memorandum shall enter into force on the date of signature.", "本備忘錄自簽署之日起生效。", "zh-TW"),
         ("The annex to this memorandum forms an integral part of it.", "本備忘錄的附件構成其組成部分。", "zh-TW"),
         ("Both sides signed a memorandum of understanding on trade.", "双方签署了贸易谅解备忘录。", "zh-CN"),
         ("The annex lists the projects.", "附件列出了各个项目。", "zh-CN")]


@pytest.fixture
def mixed(tmp_path):
    with Memory(tmp_path / "mixed.sqlite") as memory:
        memory.add([TmxUnit({"en-US": en, lang: zh}) for en, zh, lang in UNITS], "mixed.tmx")
        yield memory


def test_the_script_of_a_text_is_told_by_its_characters_or_else_by_its_tag():
    assert script("本備忘錄自簽署之日起生效。") == "Traditional"
    assert script("双方签署了贸易谅解备忘录。") == "Simplified"
    assert script("附件", "zh-TW") == "Traditional" and script("附件", "zh-CN") == "Simplified"
    assert script("摩西就将百姓的话回覆耶和华。") == "Simplified"  # one old form in a Simplified verse
    assert script_variants("備忘錄") == ("備忘錄", "备忘录")
    assert to_simplified("Only English") == "Only English"


@pytest.mark.parametrize("query", ["備忘錄", "备忘录"])
def test_a_query_in_either_script_finds_the_units_of_both(mixed, query):
    assert {u.zh for u in mixed.search(query)} == {UNITS[0][1], UNITS[1][1], UNITS[2][1]}
    assert {u.script for u in mixed.search(query)} == {"Simplified", "Traditional"}


def test_two_character_queries_find_both_scripts_too(mixed):
    assert {u.zh for u in mixed.search("簽署")} == {UNITS[0][1], UNITS[2][1]}


def test_a_simplified_sentence_matches_its_traditional_unit_at_99_percent_and_names_its_script(mixed):
    best = fuzzy_matches(mixed, "本备忘录自签署之日起生效。")[0]
    assert (best.percent, best.zh, best.script) == (99, UNITS[0][1], "Traditional")
    assert best.as_dict()["script"] == "Traditional"
    assert fuzzy_matches(mixed, UNITS[0][1])[0].percent == 100


def test_lookup_finds_traditional_only_units_and_shows_their_characters(mixed):
    assert lookup(mixed, "備忘錄")[0].text == "memorandum"
    renderings = {r.text: r.script for r in lookup(mixed, "memorandum")}
    assert renderings["本備忘錄"] == "Traditional" and renderings["备忘录"] == "Simplified"


def test_lookup_of_a_term_held_only_by_traditional_units(tmp_path):
    with Memory(tmp_path / "tw.sqlite") as memory:
        memory.add([TmxUnit({"en-US": en, lang: zh}) for en, zh, lang in UNITS[:2]], "tw.tmx")
        found = lookup(memory, "memorandum")
        assert found and found[0].text == "本備忘錄" and found[0].script == "Traditional"
        assert lookup(memory, "备忘录")[0].text == "memorandum"


def test_a_memory_indexed_by_raw_text_is_rekeyed_when_opened_for_writing(tmp_path):
    path = tmp_path / "old.sqlite"
    with Memory(path) as memory:
        memory.add([TmxUnit({"en-US": en, lang: zh}) for en, zh, lang in UNITS], "mixed.tmx")
    with sqlite3.connect(path) as db:  # as the memory was before issue 19: raw text in the index, no setting
        db.execute("INSERT INTO units_zh(units_zh) VALUES ('rebuild')")
        db.execute("DELETE FROM settings")
    with Memory(path, readonly=True) as memory:
        assert {u.zh for u in memory.search("备忘录")} == {UNITS[2][1]}
    with Memory(path) as memory:
        assert {u.zh for u in memory.search("备忘录")} == {UNITS[0][1], UNITS[1][1], UNITS[2][1]}


HK_UNIT = ("The Department of Health issued a notice.", "衞生署發出通告。", "zh-HK")


def test_a_hong_kong_unit_written_with_its_variant_character_is_found_by_both_standard_forms(tmp_path):
    with Memory(tmp_path / "hk.sqlite") as memory:
        memory.add([TmxUnit({"en-US": HK_UNIT[0], HK_UNIT[2]: HK_UNIT[1]})], "hk.tmx")
        for query in ("卫生", "衛生", "衞生", "卫生署", "衛生署", "卫生署发出通告。"):
            assert [u.zh for u in memory.search(query)] == [HK_UNIT[1]], query
        best = fuzzy_matches(memory, "卫生署发出通告。")[0]
        assert (best.percent, best.zh, best.script) == (99, HK_UNIT[1], "Traditional")
        assert lookup(memory, "卫生署")[0].example.zh == HK_UNIT[1]
    assert to_simplified("衞生") == to_simplified("衛生") == "卫生"


def test_simplified_text_is_never_altered_by_the_variant_mapping():
    gb2312 = [bytes([row, cell]).decode("gb2312") for row in range(0xB0, 0xF8) for cell in range(0xA1, 0xFF)
              if not (row == 0xD7 and cell > 0xF9)]  # the 6,763 characters of the Simplified national standard
    assert len(gb2312) == 6763
    import opencc

    t2s = opencc.OpenCC("t2s")
    assert [c for c in gb2312 if to_simplified(c) != t2s.convert(c)] == []  # only t2s's own changes, as before
    for text in ("他抬头看着著名的台湾学者。", "叁佰元整，吃饭才走。"):  # hk2s/tw2s would write 擡, 着名, 臺…
        assert to_simplified(text) == text


def test_a_memory_keyed_before_the_variants_is_rekeyed_when_opened_for_writing(tmp_path):
    path = tmp_path / "old.sqlite"
    with Memory(path) as memory:
        memory.add([TmxUnit({"en-US": HK_UNIT[0], HK_UNIT[2]: HK_UNIT[1]})], "hk.tmx")
    with sqlite3.connect(path) as db:  # keyed as before: 衞 left as it is
        db.execute("INSERT INTO units_zh(units_zh) VALUES ('delete-all')")
        db.execute("INSERT INTO units_zh(rowid, zh) SELECT id, ? FROM units", ("衞生署发出通告。",))
        db.execute("UPDATE settings SET value = 'simplified' WHERE name = 'zh_index'")
    with Memory(path, readonly=True) as memory:
        assert memory.search("卫生署") == []
    with Memory(path) as memory:
        assert [u.zh for u in memory.search("卫生署")] == [HK_UNIT[1]]


def test_tm_search_and_lookup_json_carry_the_script(mixed, capsys):
    path = str(mixed.path)
    assert main(["tm", "search", "备忘录", "--tm", path, "--json"]) == 0
    assert {u["zh"]: u["script"] for u in json.loads(capsys.readouterr().out)}[UNITS[0][1]] == "Traditional"
    assert main(["lookup", "annex", "--tm", path, "--json"]) == 0
    assert {r["rendering"] for r in json.loads(capsys.readouterr().out)} >= {"附件"}
