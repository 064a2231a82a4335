"""Number auto-localisation: a match that differs from the query only in numbers offers its translation
with the query's numbers, written as the translation writes them."""

import json

from align.cli import main
from align.export.tmx import TmxUnit
from align.match.adapt import adapt
from align.match.search import fuzzy_matches
from align.store.memory import Memory

NUM_EN = "And those that were numbered of them, even of the tribe of Issachar, were fifty and four thousand and four hundred."
NUM_ZH = "以萨迦支派被数的，共有五万四千四百名。"


def test_an_english_query_puts_its_number_into_a_translation_that_writes_numbers_in_characters():
    query = NUM_EN.replace("fifty and four", "fifty and seven")
    assert adapt(query, NUM_EN, NUM_ZH, "en") == "以萨迦支派被数的，共有五万七千四百名。"


def test_a_chinese_query_puts_its_number_into_english_words_in_the_stored_style():
    assert adapt("以萨迦支派被数的，共有五万零四百名。", NUM_ZH, NUM_EN, "zh") == NUM_EN.replace(
        "fifty and four thousand and four hundred", "fifty thousand and four hundred")
    assert adapt("会议持续了十二天。", "会议持续了三天。", "The meeting lasted three days.", "zh") == \
        "The meeting lasted twelve days."
    assert adapt("会议持续了二十一天。", "会议持续了三天。", "The meeting lasted 3 days.", "zh") == "The meeting lasted 21 days."


def test_digits_stay_digits_with_their_thousands_comma_and_their_scale():
    assert adapt("There were 1,500 people.", "There were 1,200 people.", "共有1,200人。", "en") == "共有1,500人。"
    assert adapt("There were 15,000 people.", "There were 12,000 people.", "共有1.2万人。", "en") == "共有1.5万人。"
    assert adapt("共有１５００人。", "共有１２００人。", "There were 1,200 people.", "zh") == "There were 1,500 people."


def test_ordinals_and_percentages_keep_their_form():
    assert adapt("On the fourth day Nethaneel offered.", "On the third day Nethaneel offered.",
                 "第三日，拿坦业献供物。", "en") == "第四日，拿坦业献供物。"
    assert adapt("第二十一日，拿坦业献供物。", "第三日，拿坦业献供物。", "On the third day Nethaneel offered.", "zh") == \
        "On the twenty-first day Nethaneel offered."
    assert adapt("今年增长了百分之八。", "今年增长了百分之五。", "It grew by 5% this year.", "zh") == "It grew by 8% this year."
    assert adapt("It grew by 12 percent.", "It grew by 5 percent.", "增长了百分之五。", "en") == "增长了百分之十二。"


def test_two_changed_numbers_are_each_put_in_their_own_place():
    assert adapt("The price rose 12% in 2024.", "The price rose 5% in 2023.", "价格在2023年上涨了5%。", "en") == \
        "价格在2024年上涨了12%。"
    assert adapt("二〇二四年有三十个国家参加。", "二〇二二年有二十个国家参加。", "Twenty countries took part in 2022.", "zh") == \
        "Thirty countries took part in 2024."


def test_a_number_that_cannot_be_found_in_the_translation_is_not_adapted():
    assert adapt("The price rose 12% in 2024.", "The price rose 5% in 2023.", "价格今年上涨了5%。", "en") is None
    assert adapt("会议持续了十二天。", "会议持续了三天。", "The meeting lasted a few days.", "zh") is None


def test_a_match_that_differs_in_more_than_numbers_or_in_none_is_not_adapted():
    assert adapt("There were 1,500 guests.", "There were 1,200 people.", "共有1,200人。", "en") is None
    assert adapt("There were 1,200 people!", "There were 1,200 people.", "共有1,200人。", "en") is None
    assert adapt("There were 1,500 people.", "There were 1,200 people and 1,200 dogs.", "共有1,200人。", "en") is None


def test_a_number_the_translation_holds_twice_for_one_in_the_source_is_not_guessed():
    assert adapt("Gate 7 opens.", "Gate 5 opens.", "5号门开放（5号）。", "en") is None


def test_tm_match_offers_the_adapted_translation_and_keeps_the_stored_one(tmp_path, capsys):
    tm = tmp_path / "m.sqlite"
    with Memory(tm) as memory:
        memory.add([TmxUnit({"en-US": NUM_EN, "zh-CN": NUM_ZH})], "numbers")
    query = NUM_EN.replace("fifty and four", "fifty and seven")
    with Memory(tm, readonly=True) as memory:
        [match] = fuzzy_matches(memory, query)
    assert (match.percent, match.zh, match.adapted, match.offered) == (
        99, NUM_ZH, "以萨迦支派被数的，共有五万七千四百名。", "以萨迦支派被数的，共有五万七千四百名。")
    assert main(["tm", "match", query, "--tm", str(tm)]) == 0
    assert capsys.readouterr().out.splitlines()[2:] == ["  ZH  以萨迦支派被数的，共有五万七千四百名。",
                                                       f"  numbers adapted; stored: {NUM_ZH}"]
    assert main(["tm", "match", "以萨迦支派被数的，共有五万四千四百名。", "--tm", str(tm), "--json"]) == 0
    [exact] = json.loads(capsys.readouterr().out)
    assert (exact["percent"], exact["adapted"]) == (100, None)


def test_bench_fuzzy_scores_the_translation_the_translator_is_offered(tmp_path):
    from align.bench.fuzzy import _retrieve

    with Memory(tmp_path / "m.sqlite") as memory:
        memory.add([TmxUnit({"en-US": NUM_EN, "zh-CN": NUM_ZH})], "numbers")
        found = {("en", "chrf"): [], ("zh", "chrf"): []}
        truth = ("以萨迦支派被数的，共有五万七千四百名。", NUM_EN.replace("fifty and four", "fifty and seven"))
        _retrieve(memory, [(truth[1], truth[0], None)], "en", ["chrf"], found)
        _retrieve(memory, [(truth[1], truth[0], None)], "zh", ["chrf"], found)
    assert [item[1:] for item in found["en", "chrf"]] == [(truth[0], truth[0], True)]
    assert [item[1:] for item in found["zh", "chrf"]] == [(truth[1], truth[1], True)]


def test_english_words_keep_the_stored_order_of_units_and_tens():
    assert adapt("被数的共有三万二千二百名。", "被数的共有二万二千二百名。",
                 "Those that were numbered were two and twenty thousand and two hundred.", "zh") == \
        "Those that were numbered were two and thirty thousand and two hundred."


def test_a_date_elsewhere_in_the_translation_stays_and_does_not_stop_the_adaptation():
    assert adapt("On October 31, 2022, 7 people came.", "On October 31, 2022, 5 people came.",
                 "2022年10月31日，有5人前来。", "en") == "2022年10月31日，有7人前来。"
