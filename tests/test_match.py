import json
import shutil

import pytest

from align.cli import main
from align.errors import InputError
from align.ingest import load_document
from align.match.analyze import analyze, band_of, count_words, load_new_document
from align.match.score import SIMILARITIES, differences, match_percent
from align.match.search import fuzzy_matches
from align.store.memory import Memory

from conftest import BIBLE, DEMO_EN, DEMO_ZH

EN = "China stays committed to taking concrete actions to promote the building of a human community with a shared future."
ZH = "总书记提出的全球发展倡议、全球安全倡议，为维护世界和平、促进共同发展注入了新动力。"
EN_CHANGED = EN.replace("concrete", "real")   # one word changed
ZH_CHANGED = ZH.replace("维护", "捍卫")

TRADOS = """<?xml version="1.0" encoding="utf-8"?>
<tmx version="1.4">
  <header creationtool="SDL Language Platform" creationtoolversion="8.1" o-tmf="SDL TM8 Format" datatype="xml"
          segtype="sentence" adminlang="en-US" srclang="en-US" creationdate="20240102T101010Z" creationid="PM"/>
  <body>
    <tu creationdate="20240102T101010Z" creationid="PM" changedate="20240103T090000Z" changeid="TR" lastusagedate="20240104T080000Z" usagecount="3">
      <prop type="x-Client:SingleString">Ministry</prop>
      <tuv xml:lang="en-US"><seg>The meeting will open in Room <ph x="1" type="0"/>5 at 9 a.m. on Monday.</seg></tuv>
      <tuv xml:lang="zh-CN"><seg>会议将于星期一上午9点在5号会议室开幕。</seg></tuv>
    </tu>
    <tu creationdate="20240102T101011Z" creationid="PM">
      <tuv xml:lang="en-US"><seg>Please switch off your mobile phones during the meeting.</seg></tuv>
      <tuv xml:lang="zh-CN"><seg>会议期间请关闭手机。</seg></tuv>
    </tu>
    <tu creationdate="20240102T101012Z" creationid="PM">
      <tuv xml:lang="en-US"><seg>Lunch will be served in the hall after the meeting.</seg></tuv>
      <tuv xml:lang="zh-CN"><seg>会后在大厅供应午餐。</seg></tuv>
    </tu>
  </body>
</tmx>
"""


@pytest.fixture
def demo(demo_memory_file):
    """The demo memory, opened read-only (nothing here changes it)."""
    with Memory(demo_memory_file, readonly=True) as memory:
        yield memory


@pytest.fixture
def trados_tm(tmp_path):
    """A memory holding only a foreign (Trados-shaped) TMX, imported with `tm import`."""
    tmx, tm = tmp_path / "trados.tmx", tmp_path / "trados.sqlite"
    tmx.write_text(TRADOS, encoding="utf-8")
    assert main(["tm", "import", str(tmx), "--tm", str(tm)]) == 0
    return tm


# --- match percentages ---------------------------------------------------------------------------

@pytest.mark.parametrize("similarity", list(SIMILARITIES))
def test_identical_sentences_are_100_percent_whatever_the_whitespace(similarity):
    assert match_percent(EN, f"  {EN.replace(' ', '   ')} ", "en", similarity) == 100
    assert match_percent(ZH, ZH, "zh", similarity) == 100


@pytest.mark.parametrize("similarity", list(SIMILARITIES))
def test_a_sentence_is_never_100_percent_unless_identical(similarity):
    assert 95 <= match_percent(EN, EN.lower(), "en", similarity) <= 99
    assert match_percent(EN, EN[:-1], "en", similarity) == 99
    assert match_percent(ZH, ZH.replace("，", ","), "zh", similarity) == 99


@pytest.mark.parametrize("similarity", list(SIMILARITIES))
def test_a_different_number_name_or_punctuation_ranks_above_a_different_word(similarity):
    query = "The meeting will open in Room 5 at 9 a.m. on Monday."
    number = match_percent(query, "The meeting will open in Room 7 at 9 a.m. on Monday.", "en", similarity)
    name = match_percent(query, "The meeting will open in Room 5 at 9 a.m. on Tuesday.", "en", similarity)
    punctuation = match_percent(query, "The meeting will open in Room 5 at 9 a.m. on Monday!", "en", similarity)
    word = match_percent(query, "The meeting will close in Room 5 at 9 a.m. on Monday.", "en", similarity)
    assert 95 <= min(number, name, punctuation) and max(number, name, punctuation) <= 99
    assert word <= 94
    zh_number = match_percent("会议将于星期一上午9点在5号会议室开幕。", "会议将于星期一上午10点在5号会议室开幕。", "zh", similarity)
    zh_latin = match_percent("会议将在A厅开幕。", "会议将在B厅开幕。", "zh", similarity)
    zh_word = match_percent("会议将于星期一上午9点在5号会议室开幕。", "会议将于星期一上午9点在5号会议室闭幕。", "zh", similarity)
    assert min(zh_number, zh_latin) >= 95 > 94 >= zh_word


@pytest.mark.parametrize("similarity", list(SIMILARITIES))
def test_a_sentence_of_other_names_counts_them_as_words(similarity):
    # the names are 4 of 17 tokens: masked, the rest is the same and the match would be 77%
    query = "Of Arod, the family of the Arodites: of Areli, the family of the Arelites."
    other_names = "Of Hezron, the family of the Hezronites: of Carmi, the family of the Carmites."
    expected = {"chrf": 57, "ter": 71, "levenshtein": 71}[similarity]
    assert match_percent(query, other_names, "en", similarity) == expected
    # a number in 15 tokens is a small share: masked, it costs its share (7 points) beside the changed word
    room = match_percent("The meeting will open in Room 5 at 9 a.m. on Monday.",
                         "The meeting will close in Room 7 at 9 a.m. on Monday.", "en", similarity)
    assert room == {"chrf": 70, "ter": 84, "levenshtein": 84}[similarity]


def test_differences_mark_only_the_changed_words_and_give_the_text_back():
    pieces = differences("The meeting will open today.", "The meeting will close today.", "en")
    assert "".join(text for text, _ in pieces) == "The meeting will close today."
    assert [text for text, changed in pieces if changed] == ["close"]
    assert [text for text, changed in differences("会议将开幕。", "会议将闭幕。", "zh") if changed] == ["闭"]


def test_bands_have_the_standard_boundaries():
    assert [band_of(p) for p in (100, 99, 95, 94, 85, 84, 75, 74, 50, 49, None)] == [
        "100%", "95-99%", "95-99%", "85-94%", "85-94%", "75-84%", "75-84%", "50-74%", "50-74%", "no match", "no match"]


# --- fuzzy matches from the memory -----------------------------------------------------------------

def test_an_exact_english_sentence_is_100_percent_and_first(demo):
    found = fuzzy_matches(demo, EN)
    assert found[0].percent == 100 and found[0].en == EN and found[0].lang == "en"
    assert [m.percent for m in found] == sorted((m.percent for m in found), reverse=True)


def test_an_exact_chinese_sentence_is_100_percent_and_first(demo):
    found = fuzzy_matches(demo, ZH)
    assert found[0].percent == 100 and found[0].zh == ZH and found[0].lang == "zh"


def test_a_one_word_change_falls_between_85_and_99_percent_in_both_languages(demo):
    english, chinese = EN_CHANGED, ZH_CHANGED
    assert 85 <= fuzzy_matches(demo, english)[0].percent <= 99
    assert fuzzy_matches(demo, english)[0].en == EN
    assert 85 <= fuzzy_matches(demo, chinese)[0].percent <= 99
    assert fuzzy_matches(demo, chinese)[0].zh == ZH


def test_an_unrelated_sentence_is_under_50_percent_or_absent(demo):
    for text in ("The cat sat quietly on the warm kitchen floor.", "小猫安静地坐在温暖的厨房地板上。"):
        assert all(m.percent < 50 for m in fuzzy_matches(demo, text, min_score=0))
        assert fuzzy_matches(demo, text) == []


def test_a_match_lists_both_sides_document_and_confidence_under_the_json_names(demo):
    match = fuzzy_matches(demo, EN, limit=1)[0]
    assert match.as_dict() == {"id": match.id, "percent": 100, "lang": "en", "en": EN, "zh": match.zh,
                               "document": match.document, "confidence": match.confidence}
    assert match.document.endswith(".en.txt") and 0 <= match.confidence <= 1


def test_empty_and_punctuation_only_queries_say_there_is_nothing_to_match(demo):
    with pytest.raises(InputError, match="give a sentence to match"):
        fuzzy_matches(demo, "   ")
    with pytest.raises(InputError, match="nothing to match"):
        fuzzy_matches(demo, "?!…。")


@pytest.mark.parametrize("query", ['NEAR(peace development)', 'world*', '"peace', 'peace" OR "', 'AND OR NOT',
                                   "units_en MATCH 'x'", "'; DROP TABLE units; --", "100% _ \\ %", "构建*人类\"", "和"])
def test_fts5_syntax_and_sql_metacharacters_are_searched_as_text(demo, query):
    before = demo.count()
    found = fuzzy_matches(demo, query, min_score=0)
    assert all(0 <= m.percent < 100 for m in found)
    assert demo.count() == before


# --- the command line ------------------------------------------------------------------------------

def test_tm_match_prints_the_best_match_with_both_sides(demo_memory_file, capsys):
    assert main(["tm", "match", EN_CHANGED, "--tm", str(demo_memory_file), "--limit", "1"]) == 0
    out = capsys.readouterr().out
    assert out.startswith(" 9")  # 90-something percent
    assert out.splitlines()[1:] == [f"  EN  {EN}", "  ZH  中国始终以实际行动推动构建人类命运共同体。"]


def test_tm_match_json_and_nothing_found(demo_memory_file, capsys):
    assert main(["tm", "match", ZH, "--tm", str(demo_memory_file), "--json"]) == 0
    found = json.loads(capsys.readouterr().out)
    assert found[0]["percent"] == 100 and found[0]["zh"] == ZH
    assert main(["tm", "match", "The cat sat quietly on the warm kitchen floor.", "--tm", str(demo_memory_file)]) == 0
    assert capsys.readouterr().out == "no match of 70% or more\n"


def test_tm_match_errors_are_one_line(demo_memory_file, tmp_path, capsys):
    assert main(["tm", "match", "", "--tm", str(demo_memory_file)]) == 2
    assert capsys.readouterr().err == "error: give a sentence to match\n"
    assert main(["tm", "match", EN, "--tm", str(tmp_path / "none.sqlite")]) == 2
    assert capsys.readouterr().err == (f"error: {tmp_path / 'none.sqlite'}: no translation memory here yet; "
                                       "run `python -m align run` or `tm import` first\n")
    with pytest.raises(SystemExit):
        main(["tm", "match", EN, "--min", "101", "--tm", str(demo_memory_file)])
    assert "must be from 0 to 100, got 101" in capsys.readouterr().err


def test_tm_match_does_not_write_to_the_memory(demo_memory_file, tmp_path):
    tm = tmp_path / "m.sqlite"
    shutil.copy(demo_memory_file, tm)
    tm.chmod(0o444)
    before = tm.read_bytes()
    assert main(["tm", "match", EN, "--tm", str(tm)]) == 0
    assert tm.read_bytes() == before


def test_tm_match_on_an_imported_trados_memory(trados_tm, capsys):
    assert main(["tm", "match", "The meeting will open in Room 7 at 9 a.m. on Monday.", "--tm", str(trados_tm)]) == 0
    assert capsys.readouterr().out == (" 99%  #1 trados.tmx\n"
                                       "  EN  The meeting will open in Room 5 at 9 a.m. on Monday.\n"
                                       "  ZH  会议将于星期一上午9点在5号会议室开幕。\n")
    assert main(["tm", "match", "会议期间请关闭手机。", "--tm", str(trados_tm), "--json"]) == 0
    assert [(m["percent"], m["en"]) for m in json.loads(capsys.readouterr().out)] == [
        (100, "Please switch off your mobile phones during the meeting.")]


# --- analyze -------------------------------------------------------------------------------------------

def test_analyze_counts_add_up_to_the_documents_segments_and_words(demo):
    for path, lang in ((DEMO_EN, "en"), (DEMO_ZH, "zh")):
        document = load_document(path, lang)
        analysis = analyze(demo, document)
        assert analysis.total.segments == len(document.sentences) == sum(b.segments for b in analysis.bands)
        assert analysis.total.words == sum(count_words(s.text, lang) for s in document.sentences) > 0
        assert [b.name for b in analysis.bands] == ["repetitions", "100%", "95-99%", "85-94%", "75-84%", "50-74%",
                                                    "no match"]
        by_band = {b.name: b for b in analysis.bands}
        assert by_band["100%"].segments >= len(document.sentences) * 0.7  # the memory was made from this document


def test_analyze_counts_repetitions_and_the_bands_of_a_new_document(demo_memory_file, tmp_path, capsys):
    new = tmp_path / "new.txt"
    new.write_text(f"{EN}\n\n{EN_CHANGED}\n\nThe cat sat quietly on the warm kitchen floor.\n\n{EN}\n",
                   encoding="utf-8")
    assert main(["analyze", str(new), "--tm", str(demo_memory_file)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == f"{new}: English, 4 segment(s), 66 words"
    assert lines[1:] == ["band         segments      words",
                         "repetitions         1         19",
                         "100%                1         19",
                         "95-99%              0          0",
                         "85-94%              1         19",
                         "75-84%              0          0",
                         "50-74%              0          0",
                         "no match            1          9",
                         "total               4         66"]


def test_analyze_json_with_details_gives_every_segments_best_match(demo_memory_file, tmp_path, capsys):
    new = tmp_path / "new.txt"
    new.write_text(f"{ZH}\n\n小猫安静地坐在温暖的厨房地板上。\n", encoding="utf-8")
    assert main(["analyze", str(new), "--tm", str(demo_memory_file), "--json", "--details"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert (result["lang"], result["unit"], result["total"]) == ("zh", "characters", {"name": "total", "segments": 2,
                                                                                     "words": count_words(ZH, "zh") + 15})
    first, second = result["segments"]
    assert (first["band"], first["match"]["percent"], first["match"]["zh"]) == ("100%", 100, ZH)
    assert (second["band"], second["match"]) == ("no match", None)


def test_analyze_on_an_imported_trados_memory(trados_tm, tmp_path, capsys):
    new = tmp_path / "new.txt"
    new.write_text("会议将于星期一上午10点在5号会议室开幕。\n\n会议期间请关闭手机。\n", encoding="utf-8")
    assert main(["analyze", str(new), "--tm", str(trados_tm), "--json"]) == 0
    bands = {b["name"]: b["segments"] for b in json.loads(capsys.readouterr().out)["bands"]}
    assert bands["100%"] == 1 and bands["95-99%"] == 1  # only a number differs


def test_analyze_of_a_file_without_enough_text_says_so(demo_memory_file, tmp_path, capsys):
    new = tmp_path / "new.txt"
    new.write_text("...\n", encoding="utf-8")
    assert main(["analyze", str(new), "--tm", str(demo_memory_file)]) == 2
    assert capsys.readouterr().err == (f"error: {new}: too little text to tell its language; give an English or "
                                       "Chinese transcript\n")
    with pytest.raises(InputError, match="no such file"):
        load_new_document(tmp_path / "missing.txt")


# --- the benchmark's bookkeeping (no timing here) ------------------------------------------------------

def test_the_benchmark_takes_the_top_match_and_knows_whether_its_translation_is_the_best(tmp_path):
    from align.export.tmx import TmxUnit
    from align.bench.fuzzy import _retrieve

    with Memory(tmp_path / "m.sqlite") as memory:
        memory.add([TmxUnit({"en-US": "The meeting opens on Monday.", "zh-CN": "会议星期一开幕。"}),
                    TmxUnit({"en-US": "The meeting closes on Monday.", "zh-CN": "会议星期一闭幕。"})], "t")
        found = {("en", "levenshtein"): [], ("zh", "levenshtein"): []}
        for lang in ("en", "zh"):
            _retrieve(memory, [("The meeting opens on Tuesday.", "会议星期二开幕。", None)], lang, ["levenshtein"], found)
    assert [item[1:] for item in found["en", "levenshtein"]] == [("会议星期一开幕。", "会议星期二开幕。", True)]
    percent, hypothesis, reference, best = found["zh", "levenshtein"][0]
    assert (hypothesis, reference, best) == ("The meeting opens on Monday.", "The meeting opens on Tuesday.", True)


def test_leave_one_out_searches_a_memory_without_the_query_and_restores_it(tmp_path):
    from align.export.tmx import TmxUnit
    from align.bench.fuzzy import _retrieve

    pairs = [("And the LORD spake unto Moses, saying,", "耶和华晓谕摩西说，", "Lev 1"),
             ("And the LORD spake unto Aaron, saying,", "耶和华晓谕亚伦说，", "Lev 2"),
             ("And the LORD spake unto Moses, saying,", "耶和华晓谕摩西说：", "Num 3")]
    with Memory(tmp_path / "m.sqlite") as memory:
        memory.add([TmxUnit({"en-US": en, "zh-CN": zh}, props=[("x-document", doc)]) for en, zh, doc in pairs], "t")
        found = {("en", "chrf"): [], ("zh", "chrf"): []}
        _retrieve(memory, pairs[:2], "en", ["chrf"], found)
        _retrieve(memory, [(*pairs[0][:2], None)], "en", ["chrf"], found)
        assert memory.count() == 3 and not memory.db.in_transaction
    # Lev 1 finds its twin in Num (the Chinese colon differs); Lev 2 only names differ; without leaving out, itself
    assert [item[:2] for item in found["en", "chrf"]] == [(100, "耶和华晓谕摩西说："), (99, "耶和华晓谕摩西说，"),
                                                          (100, "耶和华晓谕摩西说，")]


@pytest.mark.skipif(not BIBLE.is_dir(), reason=f"Bible data not found at {BIBLE} (../shared is absent)")
def test_the_bible_pairs_are_read_english_first_with_their_books():
    from align.bench.common import bible_pairs
    from align.bench.fuzzy import BOOKS

    pairs = bible_pairs(BIBLE)
    assert pairs[0] == ("Gen", "In the beginning God created the heaven and the earth.", "起初神创造天地。")
    assert {book for book, _, _ in pairs} == set(BOOKS)
