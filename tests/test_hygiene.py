"""Memory hygiene (issue 19): `tm qa` finds units whose numbers disagree, `tm clean` reports duplicates,
inconsistent, empty and untranslated units and removes only the duplicates, after keeping a copy."""

import json
from decimal import Decimal

import pytest

from align.cli import main
from align.score.quantities import quantities, same
from align.store.clean import findings
from align.store.memory import Memory
from align.store.qa import check_numbers

TMX = """<?xml version="1.0" encoding="utf-8"?>
<tmx version="1.4"><header creationtool="t" creationtoolversion="1" datatype="plaintext" segtype="sentence"
 adminlang="en-US" srclang="en-US" o-tmf="t"/><body>
<tu creationdate="20240101T000000Z"><prop type="x-document">a.txt</prop><tuv xml:lang="en-US"><seg>Trade grew by 80 percent.</seg></tuv><tuv xml:lang="zh-CN"><seg>贸易增长了百分之七十。</seg></tuv></tu>
<tu creationdate="20240101T000000Z"><prop type="x-document">a.txt</prop><tuv xml:lang="en-US"><seg>The meeting is over.</seg></tuv><tuv xml:lang="zh-CN"><seg>会议结束了。</seg></tuv></tu>
<tu creationdate="20240301T000000Z"><prop type="x-document">b.txt</prop><tuv xml:lang="en-US"><seg>The meeting is over.</seg></tuv><tuv xml:lang="zh-CN"><seg>会议结束了。</seg></tuv></tu>
<tu creationdate="20240201T000000Z"><prop type="x-document">c.txt</prop><tuv xml:lang="en-US"><seg>The meeting is over.</seg></tuv><tuv xml:lang="zh-CN"><seg>会议已经结束。</seg></tuv></tu>
<tu><prop type="x-document">c.txt</prop><tuv xml:lang="en-US"><seg>COVID-19</seg></tuv><tuv xml:lang="zh-CN"><seg>COVID-19</seg></tuv></tu>
<tu><prop type="x-document">c.txt</prop><tuv xml:lang="en-US"><seg><ph x="1"/></seg></tuv><tuv xml:lang="zh-CN"><seg>。</seg></tuv></tu>
<tu><prop type="x-document">c.txt</prop><tuv xml:lang="en-US"><seg>Participants reached 12,000.</seg></tuv><tuv xml:lang="zh-CN"><seg>参会人数达到1.2万人。</seg></tuv></tu>
</body></tmx>
"""


@pytest.fixture
def untidy(tmp_path):
    tmx, tm = tmp_path / "untidy.tmx", tmp_path / "untidy.sqlite"
    tmx.write_text(TMX, encoding="utf-8")
    assert main(["tm", "import", str(tmx), "--tm", str(tm)]) == 0
    return tm


# --- quantities --------------------------------------------------------------------------------------

@pytest.mark.parametrize("zh, en", [("1.2万", "12,000"), ("3.5亿", "350 million"), ("百分之五", "5%"),
                                    ("第十六次", "16th"), ("两国", "two countries"), ("２０２２名", "2022"),
                                    ("二〇二二年十月三十一日", "October 31, 2022"), ("2022年10月31日", "31 October 2022")])
def test_the_chinese_and_english_forms_of_a_quantity_are_the_same_quantity(zh, en):
    (a,), (b,) = quantities(zh, "zh"), quantities(en, "en")
    assert same(a, b)


def test_quantities_have_exact_values_kinds_and_spans_in_the_original_text():
    found = quantities("全年增长百分之三点五，达到１２，０００人，第十六次会议。", "zh")
    assert [(q.kind, q.value, q.text) for q in found] == [
        ("percent", Decimal("3.5"), "百分之三点五"), ("number", Decimal(12000), "１２，０００"), ("ordinal", Decimal(16), "第十六")]
    assert quantities("二〇二二年十月三十一日", "zh")[0].value == (2022, 10, 31)


def test_numeral_characters_inside_words_are_no_quantities():
    assert quantities("一带一路倡议统一了一些十分重要的看法，万一", "zh") == []
    assert quantities("He had a phone call with someone.", "en") == []


# --- QA ------------------------------------------------------------------------------------------------

def test_eighty_against_seventy_is_a_finding_and_equal_forms_are_not():
    check = check_numbers("Trade grew by 80 percent.", "贸易增长了百分之七十。")
    assert [q.text for q in check.en_only] == ["80 percent"] and [q.text for q in check.zh_only] == ["百分之七十"]
    assert check_numbers("The number of participants reached 12,000.", "参会人数达到1.2万人。").agrees
    assert check_numbers("The heads of state of both countries had a phone call.", "两国元首通了电话。").agrees


def test_qa_finds_every_disagreement_of_the_number_pairs_without_a_false_alarm_in_both_parts():
    from align.bench.qa import qa

    assert [(s.part, s.precision, s.recall, s.disagreements) for s in qa()] == [("tuned", 1.0, 1.0, 24), ("held", 1.0, 1.0, 12)]


def test_tm_qa_lists_the_unit_whose_numbers_disagree_and_exits_1(untidy, capsys):
    assert main(["tm", "qa", "--tm", str(untidy), "--json"]) == 1
    report = json.loads(capsys.readouterr().out)
    assert report["units"] == 7 and [f["en"] for f in report["findings"]] == ["Trade grew by 80 percent."]
    assert report["findings"][0]["zh_only"][0]["value"] == "70"


# --- clean -----------------------------------------------------------------------------------------------

def test_findings_report_duplicates_inconsistent_empty_and_untranslated_units(untidy):
    with Memory(untidy, readonly=True) as memory:
        found = findings(memory)
    assert [(d.kept.document, [b.document for b in d.removed]) for d in found.duplicates] == [("b.txt", ["a.txt"])]
    assert [(i.lang, i.text, [b.zh for b in i.units]) for i in found.inconsistent] == [
        ("en", "The meeting is over.", ["会议结束了。", "会议已经结束。"])]
    assert [b.zh for b in found.empty] == ["。"] and [b.en for b in found.untranslated] == ["COVID-19"]


def test_a_dry_run_reports_and_changes_nothing(untidy, capsys):
    before = untidy.read_bytes()
    assert main(["tm", "clean", "--dry-run", "--tm", str(untidy)]) == 0
    out = capsys.readouterr().out
    assert "duplicates: 1 group(s), 1 unit(s) to remove" in out and "remove #2 a.txt" in out
    assert "dry run: nothing changed" in out
    assert untidy.read_bytes() == before and not list(untidy.parent.glob("*.before-clean-*"))


def test_clean_reports_first_then_removes_the_older_duplicate_and_keeps_a_copy(untidy, capsys):
    assert main(["tm", "clean", "--tm", str(untidy)]) == 0
    out = capsys.readouterr().out
    assert out.index("remove #2 a.txt") < out.index("removed 1 duplicate unit(s)")
    with Memory(untidy, readonly=True) as memory:
        assert memory.count() == 6 and [u.document for u in memory.search("The meeting is over")] == ["b.txt", "c.txt"]
    (copy,) = untidy.parent.glob("untidy.sqlite.before-clean-*")
    with Memory(copy, readonly=True) as memory:  # the undo: the memory as it was
        assert memory.count() == 7
    assert main(["tm", "clean", "--tm", str(untidy)]) == 0
    assert capsys.readouterr().out.endswith("nothing to remove\n")


def test_the_review_file_flags_a_unit_whose_numbers_disagree(tmp_path):
    en, zh = tmp_path / "talks.en.txt", tmp_path / "talks.zh.txt"
    en.write_text("Bilateral trade grew by 80 percent last year.\n\nThe two sides signed 12 agreements.\n\n"
                  "The talks were held in a friendly atmosphere.\n", encoding="utf-8")
    zh.write_text("去年双边贸易增长了百分之七十。\n\n双方签署了12项协议。\n\n会谈在友好气氛中举行。\n", encoding="utf-8")
    assert main(["run", "--en", str(en), "--zh", str(zh), "-o", str(tmp_path / "talks.tmx"),
                 "--tm", str(tmp_path / "m.sqlite")]) == 0
    rows = [line.split("\t") for line in (tmp_path / "talks.review.tsv").read_text(encoding="utf-8").splitlines()[1:]]
    assert [(row[0], row[3]) for row in rows] == [("numbers", "Bilateral trade grew by 80 percent last year.")]
