"""The terminologist's checks of `terms extract` (align/terms/coverage.py) on real units of the press-dev
conferences of the tuned part (never the held-apart one), and the composition rule of `bench terms`."""

from pathlib import Path

import pytest

from align.bench.terms import composed, undated
from align.store.memory import Memory
from align.terms.coverage import covered_rendering, enough_evidence
from align.terms.extract import extract_glossary

from conftest import SHARED

PRESS = SHARED / "data" / "press-dev" / "corpora"
needs_press = pytest.mark.skipif(not PRESS.is_dir(), reason=f"press-dev data not found at {PRESS} (../shared is absent)")


@pytest.fixture(scope="module")
def tuned_units():
    """The tuned part's conferences aligned as `bench terms` aligns them (no held conference)."""
    from align.bench.terms import _demo_units

    return _demo_units(PRESS, held=False)


def _unit(units, words: str) -> tuple[str, str]:
    return next((u.segments["en-US"], u.segments["zh-CN"]) for u in units if words in u.segments["en-US"])


def _memory(path: Path, units, words: str) -> Memory:
    memory = Memory(path)
    memory.add([u for u in units if words in u.segments["en-US"]], "press")
    return memory


@needs_press
def test_a_title_the_rendering_leaves_beside_it_is_taken_in(tuned_units):
    assert covered_rendering("Premier Li Keqiang", "李克强", *_unit(tuned_units, "to meet Chinese and foreign")) == "李克强总理"
    unit = _unit(tuned_units, "will co-chair with Crown Prince")
    assert covered_rendering("Crown Prince Mohammed", "穆罕默德", *unit) == "穆罕默德王储"
    unit = _unit(tuned_units, "Minister of Defense")
    assert covered_rendering("Vice Premier Han Zheng", "韩正", *unit) == "副总理韩正"


@needs_press
def test_a_rendering_that_falls_short_of_a_term_word_linked_beyond_its_reach_gives_no_pair(tuned_units):
    unit = _unit(tuned_units, "Minister of Defense")  # 国防大臣 stands across a comma from 沙特阿拉伯王国
    assert covered_rendering("Minister of Defense of the Kingdom of Saudi Arabia", "沙特阿拉伯王国", *unit) is None
    assert covered_rendering("Kingdom of Saudi Arabia", "沙特阿拉伯王国", *unit) == "沙特阿拉伯王国"


@needs_press
def test_a_word_that_stands_only_for_english_outside_the_term_is_cut_off_with_its_joiner(tuned_units, tmp_path):
    unit = _unit(tuned_units, "Foreign Minister Chingiz Aidarbekov")
    assert covered_rendering("Foreign Minister Wang Yi", "国务委员兼外交部长王毅", *unit) == "外交部长王毅"
    with _memory(tmp_path / "m.sqlite", tuned_units, "Wang Yi") as memory:
        glossary = {(e.english, e.chinese) for e in extract_glossary(memory, min_confidence=None)}
    assert ("Foreign Minister Wang Yi", "外交部长王毅") in glossary  # the old code found no whole rendering


@needs_press
def test_a_rendering_that_cuts_a_name_the_dictionary_does_not_know_gives_no_pair(tuned_units, tmp_path):
    unit = _unit(tuned_units, "Foreign Minister Chingiz Aidarbekov")  # 艾 达尔 别科夫: no dictionary word
    assert covered_rendering("Chingiz Aidarbekov", "别科夫", *unit) is None
    assert covered_rendering("Chingiz Aidarbekov", "艾达尔别科夫", *unit) == "艾达尔别科夫"
    with _memory(tmp_path / "m.sqlite", tuned_units, "Chingiz Aidarbekov") as memory:
        glossary = [(e.english, e.chinese) for e in extract_glossary(memory)]
    assert glossary == [("State Councilor", "国务委员")]  # the old code added Foreign Minister Wang Yi → 外交部长艾达尔


@needs_press
def test_a_pair_no_dictionary_link_ties_needs_a_strong_association_in_the_memory(tuned_units, tmp_path):
    with Memory(tmp_path / "m.sqlite") as memory:
        memory.add(tuned_units, "press")
        assert enough_evidence(memory, "United States", "美国")  # the dictionary links them
        assert enough_evidence(memory, "Mahamoud Ali Youssouf", "优素福")  # a name seen once, and its rendering once
        assert not enough_evidence(memory, "United States", "中国")  # 中国 stands in many units without it


def test_a_rendering_of_a_term_word_the_dictionary_does_not_link_may_stand_in_for_it():
    # the demo's 命运 is "fate", not "future", and 前途 "future" elsewhere in the unit is not the term's
    unit = ("Building a human community with a shared future is the way forward for all the peoples of the world.",
            "构建人类命运共同体是世界各国人民前途所在。")
    assert covered_rendering("human community with a shared future", "人类命运共同体", *unit) == "人类命运共同体"


def test_a_join_of_two_entries_counts_right_only_under_the_composition_rule():
    listed = {("vice premier", "副总理"), ("han zheng", "韩正"), ("foreign minister", "外交部长"), ("wang yi", "王毅")}
    assert composed(("vice premier han zheng", "韩正副总理"), listed)  # the name first in Chinese
    assert composed(("foreign minister wang yi", "外交部长王毅"), listed)
    assert not composed(("vice premier han zheng", "韩正"), listed)
    assert not composed(("vice premier wang yi", "韩正副总理"), listed)


def test_a_title_rendered_twice_is_cut_off_with_the_words_joining_it():
    en = "President Xi Jinping will hold talks with President Putin in Beijing."
    zh = "习近平主席将同普京总统在北京举行会谈。"
    assert covered_rendering("President Putin", "主席将同普京总统", en, zh) == "普京总统"


def test_a_name_repeated_at_the_edge_of_a_coordination_is_cut_off():
    en = "China has put forward the Global Development Initiative and the Global Security Initiative."
    zh = "中国提出了全球发展倡议和全球安全倡议。"
    assert covered_rendering("Global Development Initiative", "全球发展倡议和全球", en, zh) == "全球发展倡议"


def test_a_coordinated_term_keeps_both_of_its_titles():
    en = "Portugal’s Minister of State and Foreign Affairs Paulo Rangel will visit China from March 24 to 28."
    zh = "葡萄牙国务部长兼外长兰热尔将于3月24日至28日访华。"
    assert covered_rendering("Minister of State and Foreign Affairs Paulo Rangel", "国务部长兼外长兰热尔", en, zh) \
        == "国务部长兼外长兰热尔"


def test_a_rendering_that_coordinates_renders_no_term_without_a_coordination():
    en = "China has put forward the Global Security Initiative and the Global Civilization Initiative."
    zh = "中国提出了全球安全倡议和全球文明倡议。"
    assert covered_rendering("Global Civilization Initiative", "倡议和全球文明", en, zh) is None


def test_a_word_rendering_nothing_is_cut_off_only_when_the_rest_renders_every_term_word_and_never_inside_a_word():
    en = "The surveyed urban unemployment rate nationwide averaged 5.2 percent."
    zh = "全国城镇调查失业率平均值为5.2%。"
    assert covered_rendering("surveyed urban unemployment rate", "全国城镇调查失业率", en, zh) == "城镇调查失业率"
    en = "at the new starting point of the China-ASEAN Comprehensive Strategic Partnership."
    zh = "在中国—东盟全面战略伙伴关系新起点上。"
    assert covered_rendering("China-ASEAN Comprehensive Strategic Partnership", "中国—东盟全面战略伙伴关系", en, zh) \
        == "中国—东盟全面战略伙伴关系"  # 关系 of 伙伴关系 stays


def test_a_term_the_dictionary_knows_whole_needs_its_word_or_an_abbreviation_of_it():
    from align.terms.coverage import _abbreviates, glossed_terms

    assert "台湾海峡" in glossed_terms()["taiwan strait"]
    assert _abbreviates("台岛", "台湾岛") and not _abbreviates("严正交涉", "台湾海峡")


def test_a_word_that_merely_stands_beside_a_term_the_dictionary_knows_whole_is_no_rendering(tmp_path):
    from align.export.tmx import TmxUnit
    from align.store.memory import Memory

    pairs = [("China has lodged stern representations over the ship's passage through the Taiwan Strait.",
              "中方已就此提出严正交涉。"),
             ("The passage through the Taiwan Strait was hyped up, and China lodged stern representations.",
              "对此中方提出严正交涉。"),
             ("Peace across the Taiwan Strait matters.", "台海和平至关重要。")]
    with Memory(tmp_path / "m.sqlite") as memory:
        memory.add([TmxUnit({"en-US": en, "zh-CN": zh}) for en, zh in pairs], "mfa")
        assert enough_evidence(memory, "stern representations", "严正交涉")
        assert not enough_evidence(memory, "Taiwan Strait", "严正交涉")


def test_a_rendering_ending_between_two_lone_characters_jieba_tags_as_names_cuts_a_transliteration():
    en = ("President Xi Jinping will attend the opening ceremony of the Summit and deliver a keynote speech, and "
          "co-chair the Summit with South African President Cyril Ramaphosa.")
    zh = "国家主席习近平将出席峰会开幕式并发表主旨讲话，同南非总统拉马福萨共同主持峰会。"  # jieba: 拉马 福 萨
    assert covered_rendering("South African President Cyril Ramaphosa", "南非总统拉马福", en, zh) is None
    assert covered_rendering("South African President Cyril Ramaphosa", "南非总统拉马福萨", en, zh) == "南非总统拉马福萨"


def test_a_hyphenated_term_word_is_covered_part_by_part():
    en = "The one-China principle is a prevailing consensus of the international community."
    zh = "一个中国原则是国际社会的普遍共识。"
    # 一个 renders "one" of one-China (its character 一), so it is no second rendering of the word beside 中国
    assert covered_rendering("one-China principle", "一个中国原则", en, zh) == "一个中国原则"


def test_a_verb_before_its_object_is_cut_off_the_start_of_a_rendering():
    en = "The US abuse of tariffs seriously undermines the multilateral trading system."
    zh = "美方滥用关税，严重损害多边贸易体制。"
    assert covered_rendering("multilateral trading system", "损害多边贸易体制", en, zh) == "多边贸易体制"


def test_an_entry_opening_on_its_year_counts_without_it_only_under_the_undated_rule():
    summit = ("2018 beijing summit of the forum on china-africa cooperation", "2018年中非合作论坛北京峰会")
    assert undated(summit) == ("beijing summit of the forum on china-africa cooperation", "中非合作论坛北京峰会")
    assert undated(("2018 beijing summit", "北京峰会")) is None  # the year on one side only
    assert undated(("beijing summit", "北京峰会")) is None


def test_a_dictionary_word_beyond_the_term_is_cut_off_when_the_span_has_more_idle_words_than_the_term_unlinked_ones():
    # no "nationwide" in the English this time: 全国 and 调查 render nothing, and only "surveyed" is unlinked
    en = "This year the surveyed urban unemployment rate is to be kept at around 5.5 percent."
    zh = "今年全国城镇调查失业率控制在5.5%左右。"
    assert covered_rendering("surveyed urban unemployment rate", "全国城镇调查失业率", en, zh) == "城镇调查失业率"
    en = "China will never accept any aid with political strings attached."
    zh = "中方从不接受附加政治条件的援助。"
    assert covered_rendering("political strings", "政治条件", en, zh) == "政治条件"  # 条件 stands in for "strings"


# two units of press-fresh6 holding Mattarella: the memory writes the name 马塔雷拉 in both
MATTARELLA = [("At the invitation of President Sergio Mattarella of the Italian Republic, President Xi Jinping will "
               "pay a state visit to Italy.", "应意大利共和国总统马塔雷拉邀请，国家主席习近平将对意大利进行国事访问。"),
              ("During the visit, President Xi Jinping will hold talks with President Mattarella and meet with Prime "
               "Minister Conte.", "访问期间，习近平主席将同马塔雷拉总统会谈，会见孔特总理。")]


def test_a_rendering_cutting_a_transliteration_the_memory_writes_whole_is_a_cut_name(tmp_path):
    from align.export.tmx import TmxUnit
    from align.store.memory import Memory
    from align.terms.coverage import cuts_recurring_name

    talks = MATTARELLA[1][1]
    with Memory(tmp_path / "m.sqlite") as memory:
        memory.add([TmxUnit({"en-US": en, "zh-CN": zh}) for en, zh in MATTARELLA], "mfa")
        assert cuts_recurring_name(memory, "President Mattarella", "拉总统", talks)  # 雷拉 of 马塔雷拉
        assert not cuts_recurring_name(memory, "President Mattarella", "马塔雷拉总统", talks)
        assert cuts_recurring_name(memory, "President Sergio Mattarella of the Italian Republic", "意大利共和国总统马塔雷",
                                   MATTARELLA[0][1])
        # a name in one unit only shows nothing recurring: left to the other checks
        assert not cuts_recurring_name(memory, "Prime Minister Conte", "孔", talks)
