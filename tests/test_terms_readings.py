"""Pinyin names spelled whole (`align.terms.readings`) and what `terms extract` makes of them."""

from align.export.tmx import TmxUnit
from align.store.memory import Memory
from align.terms.readings import name_runs, spelled_rendering, spelled_runs

# units as press-fresh5 and press-fresh6 hold them
CREW = "飞行乘组由航天员聂海胜、刘伯明和汤洪波组成，聂海胜担任指令长。"
LIU = "刘永坦院士的主要贡献是什么？"


def test_the_name_runs_of_a_term_are_its_capitalised_words_the_dictionary_does_not_know():
    assert name_runs("Liu Yongtan") == ["liuyongtan"]
    assert name_runs("Foreign Minister Wang Yi") == ["wangyi"]  # Foreign and Minister are dictionary words
    assert name_runs("Hong Kong SAR") == ["hongkong"]  # an acronym is no pinyin
    assert name_runs("Beijing") == []  # the dictionary knows it as an English word
    assert name_runs("Premier Li Keqiang") == ["keqiang"]  # li is an English word of the dictionary (a unit of length)


def test_a_title_before_a_name_is_no_word_of_the_name():
    assert name_runs("Mr. Wang Guoqiang") == ["wangguoqiang"]
    # a unit of press-fresh9: the name the unit spells, 王国强, stands outside the rendering, so there is no pair
    unit = "我们请国家卫生计生委副主任、国家中医药管理局局长王国强先生介绍有关情况。"
    assert spelled_rendering("Mr. Wang Guoqiang", "先生介绍有关", unit) is None


def test_characters_spell_a_name_by_their_dictionary_readings():
    assert spelled_runs("niehaisheng", CREW) == [(8, 11), (22, 25)]
    assert spelled_runs("liuyongtan", LIU) == [(0, 3)]
    assert spelled_runs("hongkong", "香港特别行政区政府") == []  # Cantonese, not pinyin: no characters spell it
    assert spelled_runs("qiang", "李强总理强调") == []  # one syllable is no evidence


def test_a_rendering_is_cut_back_or_grown_to_the_whole_name_the_unit_spells():
    assert spelled_rendering("Nie Haisheng", "聂海胜担任", CREW) == "聂海胜"  # 担任 "serves as" renders no name
    assert spelled_rendering("Liu Yongtan", "刘永", LIU) == "刘永坦"  # 坦 is the name's last syllable
    unit = "国务委员兼外交部长王毅会见了来访的外长。"
    assert spelled_rendering("Foreign Minister Wang Yi", "外交部长王毅", unit) == "外交部长王毅"
    assert spelled_rendering("Wang Yi", "外交部长", unit) is None  # the name the unit spells is left outside
    assert spelled_rendering("Hong Kong SAR", "香港特区", "香港特区政府") == "香港特区"  # no spelled name: as it is


def test_terms_extract_pairs_a_pinyin_name_with_the_name_alone(tmp_path):
    from align.terms.extract import extract_glossary

    crew = ("The crew consists of astronauts Nie Haisheng, Liu Boming and Tang Hongbo, with Nie Haisheng as the "
            "commander.")
    with Memory(tmp_path / "m.sqlite") as memory:
        memory.add([TmxUnit({"en-US": crew, "zh-CN": CREW})], "cmsa")
        pairs = [(e.english, e.chinese) for e in extract_glossary(memory, min_confidence=None)]
    assert pairs == [("Nie Haisheng", "聂海胜")]  # lookup's best rendering was 聂海胜担任
