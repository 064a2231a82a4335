"""A capitalised term that is a piece of a longer name in both languages at once (`align.terms.continued`) and the cut
`terms extract` makes by it. The units are those of the `bench terms` press rows named beside each."""

from align.export.tmx import TmxUnit
from align.store.memory import Memory
from align.terms.continued import continued
from align.terms.evidence import evidence
from align.terms.extract import extract_glossary

# press-fresh9: the name's run breaks at "and" between words that are not single, and so does its rendering at 和
FORESTRY = ("Today we have officials of the National Forestry and Grassland Administration to brief you.",
            "今天我们请国家林业和草原局的负责同志介绍有关情况。")
# press-fresh10: the run breaks before the term, and the Chinese word before the rendering is 国际 "International"
GYMNASIUM = ("The Harbin International Convention and Exhibition Center Gymnasium will host short track speed skating "
             "and figure skating, and the snow events will be held at the Yabuli Ski Resort.",
             "哈尔滨国际会展中心体育馆将承办短道速滑和花样滑冰比赛，雪上项目将在亚布力滑雪旅游度假区举行。")
# press-fresh2: the ministry is named after "of the" (and "for the"), the name of what the office belongs to
DEFENSE = ("We have invited Senior Colonel Wu Qian, Deputy Director General of the Information Office of the "
           "Ministry of National Defense and spokesperson for the Ministry of National Defense, to brief you on the "
           "white paper.",
           "我们请来国防部新闻局副局长、国防部新闻发言人吴谦大校，请他介绍白皮书有关情况。")
# press-fresh9: "and the" opens a second name
BANK = ("China also supports the International Monetary Fund and the World Bank in taking actions according to their "
        "respective mandates.", "中方也支持国际货币基金组织和世界银行根据各自授权采取行动。")
# press-fresh: two names side by side, in both languages
SAUDI = [("Saudi Arabia and Iran announced the resumption of diplomatic relations in Beijing last week.",
          "沙特和伊朗上周在北京宣布恢复外交关系。"),
         ("The Beijing talks between Saudi Arabia and Iran are a victory for dialogue and a victory for peace.",
          "沙特和伊朗北京对话是对话的胜利、和平的胜利。")]


def test_a_name_cut_at_and_in_english_and_at_he_in_chinese_is_a_piece_of_the_longer_name():
    assert continued("National Forestry", "国家林业", [FORESTRY])


def test_a_name_cut_before_it_is_a_piece_when_the_chinese_word_before_its_rendering_renders_the_words_before():
    assert continued("Exhibition Center Gymnasium", "会展中心体育馆", [GYMNASIUM])


def test_a_name_after_of_the_is_the_name_of_what_the_longer_name_belongs_to():
    assert not continued("Ministry of National Defense", "国防部", [DEFENSE])


def test_a_name_after_and_the_is_a_second_name():
    assert not continued("World Bank", "世界银行", [BANK])


def test_a_term_in_small_letters_or_held_by_no_unit_is_never_continued():
    assert not continued("speed skating", "速滑", [GYMNASIUM])
    assert not continued("National Forestry", "国家林业", [BANK])


def test_two_names_side_by_side_in_both_languages_read_as_one_continued_name():
    assert continued("Saudi Arabia", "沙特", SAUDI)


def test_terms_extract_cuts_a_piece_of_a_longer_name_and_lists_it_with_every_pair(tmp_path):
    with Memory(tmp_path / "m.sqlite") as memory:
        memory.add([TmxUnit({"en-US": en, "zh-CN": zh}) for en, zh in [GYMNASIUM]], "press-fresh10")
        kept = [(e.english, e.chinese) for e in extract_glossary(memory)]
        every = [(e.english, e.chinese) for e in extract_glossary(memory, min_confidence=None)]
        assert evidence(memory, "Exhibition Center Gymnasium", "会展中心体育馆").continued
    assert ("Exhibition Center Gymnasium", "会展中心体育馆") in every
    assert ("Exhibition Center Gymnasium", "会展中心体育馆") not in kept
