import pytest
from lxml import etree

from align.cli import main
from align.store.memory import Memory
from align.terms.extract import extract_glossary
from align.terms.lookup import lookup
from align.terms.tbx import build_tbx, validate_tbx_tree

from test_memory import demo_memory  # noqa: F401  (fixture)


def test_glossary_holds_the_recurring_term_and_names_with_renderings(demo_memory):  # noqa: F811
    glossary = {e.english: e.chinese for e in extract_glossary(demo_memory, min_confidence=None)}
    assert glossary["human community with a shared future"] == "人类命运共同体"
    assert glossary["world peace"] == "世界和平"
    assert glossary["Global Development Initiative"] == "全球发展倡议"


def test_glossary_leaves_out_clause_fragments(demo_memory):  # noqa: F811
    english = {e.english for e in extract_glossary(demo_memory)}
    assert not any(term.startswith(("promote ", "building ", "safeguard ")) for term in english)
    assert not any(" and the " in term for term in english)


def test_tbx_is_valid_tbx_basic(demo_memory):  # noqa: F811
    tree = build_tbx(extract_glossary(demo_memory))
    validate_tbx_tree(tree)
    ns = {"t": "urn:iso:std:iso:30042:ed-2"}
    first = tree.getroot().find(".//t:conceptEntry", ns)
    terms = [t.text for t in first.iterfind(".//t:term", ns)]
    assert terms == ["human community with a shared future", "人类命运共同体"]


def test_terms_extract_writes_tbx_and_omegat_glossary(demo_memory, tmp_path):  # noqa: F811
    tbx = tmp_path / "glossary.tbx"
    assert main(["terms", "extract", "-o", str(tbx), "--tm", str(tmp_path / "m.sqlite")]) == 0
    etree.parse(str(tbx))
    lines = (tmp_path / "glossary.txt").read_text(encoding="utf-8").splitlines()
    assert lines[0] == "human community with a shared future\t人类命运共同体\t×5"


# Issue 12: each row of the terminologist's table returns the whole rendering first, in both directions.
WHOLE_TERMS = [
    ("人类命运共同体", "human community with a shared future"),
    ("一带一路", "Belt and Road Initiative"),   # CC-CEDICT: 一带一路 "Belt and Road Initiative"
    ("block confrontation", "阵营对抗"),
    ("阵营对抗", "block confrontation"),
    ("win-win cooperation", "合作共赢"),
    ("合作共赢", "win-win cooperation"),
    ("General Secretary Xi Jinping", "习近平总书记"),
    ("习近平总书记", "General Secretary Xi Jinping"),
    ("UN Charter", "联合国宪章"),
    ("联合国宪章", "UN Charter"),
    ("human community with a shared future", "人类命运共同体"),
]


@pytest.mark.parametrize("term, whole", WHOLE_TERMS)
def test_lookup_returns_the_whole_term_first(demo_memory, term, whole):  # noqa: F811
    assert lookup(demo_memory, term)[0].text == whole


def test_glossary_pairs_are_whole_on_both_sides(demo_memory):  # noqa: F811
    glossary = {e.english: e.chinese for e in extract_glossary(demo_memory, min_confidence=None)}
    assert glossary["UN Charter"] == "联合国宪章"
    assert glossary["General Secretary Xi Jinping"] == "习近平总书记"
    assert "Secretary Xi Jinping" not in glossary


def test_a_span_holding_a_word_linked_outside_the_term_is_not_a_rendering():
    from align.terms.links import chinese_tokens, english_tokens, linked

    zh = {t.text: t for t in chinese_tokens("挑动阵营对抗，以联合国宪章宗旨")}
    en = {t.text: t for t in english_tokens("stoke block confrontation, the UN Charter")}
    assert linked(zh["对抗"], en["confrontation"]) and not linked(zh["阵营"], en["confrontation"])
    assert linked(zh["联合国"], en["UN"])  # the acronym of its gloss "United Nations"


def test_chinese_query_is_cut_into_dictionary_words():
    from align.terms.links import query_words_zh

    assert query_words_zh("合作共赢") == ["合作", "共赢"]
    assert query_words_zh("一带一路") == ["一带一路"]
    assert query_words_zh("人类命运共同体") == ["人类", "命运", "共同体"]


def test_evaluation_glossary_has_sixty_entries_with_their_evidence():
    from align.bench.terms import GLOSSARY, read_glossary

    entries = read_glossary(GLOSSARY)
    assert len(entries) >= 60
    assert {kind for _, _, kind in entries} == {"demo", "bible", "press", "press-held"}
    lines = [line for line in GLOSSARY.read_text(encoding="utf-8").splitlines() if line and not line.startswith("#")]
    assert all(len(line.split("\t")) == 4 for line in lines)


# --- terms a terminologist would keep (issue 19) ------------------------------------------------------

def test_names_are_taken_whole_and_possessives_end_them():
    from align.terms.extract import _candidates

    texts = ["Foreign Ministry Spokesperson Wang Wenbin's Regular Press Conference on March 3.",
             "Foreign Ministry Spokesperson Wang Wenbin's Regular Press Conference on March 4.",
             "We met the Premier of the State Council Li Qiang and the Belt and Road Initiative was discussed.",
             "China and Russia held talks at the Great Hall of the People."]
    found = set(_candidates(texts, min_count=2))
    assert {"Foreign Ministry Spokesperson Wang Wenbin", "Regular Press Conference", "Premier of the State Council Li Qiang",
            "Belt and Road Initiative", "Great Hall of the People"} <= found
    assert not {"Wenbin's Regular Press Conference", "Conference on March", "Council Li Qiang", "China and Russia",
                "Spokesperson Wang", "Global", "China"} & found


def test_a_single_word_is_a_term_only_as_a_recurring_acronym_or_a_name_seen_inside_a_clause():
    from align.terms.extract import _candidates

    texts = ["On Monday, ASEAN met, and China spoke to Hushim.", "We thank ASEAN and China for their work with Hushim.",
             "In Beijing, China welcomed ASEAN; Hushim had left on Monday.", "Global trade grew, and global debt too.",
             "Global, Today; Wherefore: they start clauses.", "Global. Today. Wherefore.", "Today is today, Wherefore."]
    found = set(_candidates(texts, min_count=2))
    assert {"ASEAN", "Hushim", "China"} <= found  # China: a name the dictionary renders, kept while its rendering is rare
    assert not {"Global", "Today", "Wherefore", "Beijing"} & found  # written small; only at a clause's start; once


def test_a_single_name_the_dictionary_renders_needs_a_rendering_that_is_no_common_word():
    from align.terms.extract import _common, _dictionary_name

    assert _dictionary_name("Moses") and _dictionary_name("China") and not _dictionary_name("ASEAN")
    assert not _dictionary_name("Hushim") and not _dictionary_name("Red Sea")
    assert [_common(w) for w in ("中国", "總理", "10月", "全球", "埃及", "摩西", "亚伦")] == [True, True, True, False,
                                                                                     False, False, False]


def test_the_pronoun_i_is_no_part_of_a_name():
    from align.terms.extract import _name_runs

    assert _name_runs("out of Egypt I have called my son".split()) == [(2, 3)]


def test_a_name_jieba_cuts_after_a_function_character_is_rendered_whole(tmp_path):
    from align.export.tmx import TmxUnit
    from align.store.memory import Memory

    pairs = [("And Esau said, I am hungry.", "以扫说：我饿了。"), ("And Esau came back from the field.", "以扫从田野回来。"),
             ("And Jacob said unto Esau, Sell me thy birthright.", "雅各对以扫说：把你的长子名分卖给我。"),
             ("And Esau hated Jacob.", "以扫恨雅各。"), ("Esau was a cunning hunter.", "以扫善于打猎。"),
             ("And Jacob went to Haran.", "雅各往哈兰去。"), ("And Isaac loved Esau.", "以撒爱以扫。"),
             ("The boys grew.", "两个孩子渐渐长大。"), ("He went to the field.", "他到田野去。")]
    with Memory(tmp_path / "m.sqlite") as memory:
        memory.add([TmxUnit({"en-US": en, "zh-CN": zh}) for en, zh in pairs], "gen")
        assert lookup(memory, "Esau", limit=1)[0].text == "以扫"  # not 扫: jieba cuts 以 扫, and 以 is a function word


def test_a_rendering_that_starts_inside_a_word_or_on_a_classifier_or_a_function_word_is_not_whole():
    from align.terms.extract import _whole_rendering

    belt = "2020年度“一带一路”国际合作高峰论坛咨询委员会会议将于12月18日晚以视频形式举行"
    assert not _whole_rendering("一路国际合作高峰论坛", belt)  # cuts 一带一路
    assert _whole_rendering("一带一路国际合作高峰论坛", belt)
    spokespersons = "30年来,共产生了27位外交部发言人。"
    assert not _whole_rendering("位外交部", spokespersons) and _whole_rendering("外交部", spokespersons)
    invitation = "应国务委员兼外交部长王毅邀请,吉尔吉斯斯坦外交部长艾达尔别科夫将于2月19日至23日对中国进行正式访问。"
    assert not _whole_rendering("兼外交部长王毅", invitation) and _whole_rendering("外交部长王毅", invitation)
    assert not _whole_rendering("日至", invitation)  # a piece of a date
    assert _whole_rendering("施恩座", "法柜和柜的杠并施恩座，")  # a classifier may end a noun
    assert _whole_rendering("亚比但", "基甸尼的儿子亚比但")  # a name jieba reads as single characters
    # CC-CEDICT's longest words from the left read 一 个中 国 原则; jieba's reading 一个 中国 原则 has whole edges
    assert _whole_rendering("一个中国原则", "一个中国原则是国际社会的普遍共识。")
    assert not _whole_rendering("你同住", "我要你同住。")  # jieba's single characters are read as no name


def test_an_english_term_is_a_noun_phrase_and_a_month_is_no_term():
    from align.terms.extract import _candidates
    from align.terms.english import noun_phrase as _noun_phrase

    assert not _noun_phrase("pay an official visit".split())
    assert _noun_phrase("community with a shared future".split()) and _noun_phrase("official visit".split())
    texts = ["Wang Yi will pay an official visit to Japan from February 19 to 21, said the spokesperson in February.",
             "Li Qiang will pay an official visit to Laos in February, and then in March, as February ends.",
             "He will pay an official visit on 3 February, and February is early."]
    found = set(_candidates(texts, min_count=2))
    assert "official visit" in found
    assert not {"pay an official visit", "February", "February ends"} & found


def test_and_joins_a_name_after_of_the():
    from align.terms.extract import _candidates

    texts = ["The 2020 meeting of the Advisory Council of the Belt and Road Forum for International Cooperation will open."]
    found = set(_candidates(texts, min_count=2))
    assert "Advisory Council of the Belt and Road Forum for International Cooperation" in found
    assert "Road Forum for International Cooperation" not in found


def test_an_english_term_never_starts_or_ends_on_a_preposition_adverb_pronoun_or_count():
    from align.terms.english import noun_phrase

    assert not noun_phrase("practical cooperation between".split())
    assert not noun_phrase("through dialogue".split())
    assert not noun_phrase("work together".split())
    assert not noun_phrase("each other".split())
    assert not noun_phrase("nearly two trillion yuan".split())
    assert noun_phrase("practical cooperation".split()) and noun_phrase("third party".split())


def test_an_english_term_holds_no_auxiliary_and_no_participle_before_its_preposition():
    from align.terms.english import noun_phrase

    assert not noun_phrase("China-Russia relations are based on non-alliance".split())
    assert not noun_phrase("initiated by the Philippines".split())
    assert noun_phrase("China-Russia relations".split()) and noun_phrase("surveyed urban unemployment rate".split())


def test_a_common_phrase_headed_by_a_unit_of_time_is_no_term():
    from align.terms.english import noun_phrase

    assert not noun_phrase("previous year".split()) and not noun_phrase("first time".split())
    assert not noun_phrase("good morning".split())
    assert noun_phrase("International Women's Day".split())


def test_a_phrase_followed_by_a_determiner_ends_on_a_verb():
    from align.terms.english import following, noun_phrase

    sentence = "This year marks the 75th anniversary of China-Russia diplomatic relations."
    assert following(sentence, "year marks") == "the"
    assert not noun_phrase("year marks".split(), following(sentence, "year marks"))
    assert noun_phrase("diplomatic relations".split(), following(sentence, "diplomatic relations"))


def test_a_rendering_never_ends_on_an_adverb_of_aspect_or_a_pronoun_and_never_starts_on_a_pronoun():
    from align.terms.extract import _whole_rendering

    principles = "和平共处五项原则已经成为国际关系的基本准则。"
    assert not _whole_rendering("和平共处五项原则已经", principles)
    assert _whole_rendering("和平共处五项原则", principles)
    strings = "中方从不附加任何政治条件。"
    assert not _whole_rendering("任何政治条件", strings) and _whole_rendering("政治条件", strings)


def test_an_adverb_may_begin_a_rendering_but_not_end_it():
    from align.terms.extract import _whole_rendering

    interests = "双方在维护共同利益方面共同努力。"
    assert _whole_rendering("共同利益", interests)
    assert not _whole_rendering("维护共同", interests)


def test_a_rendering_never_ends_on_a_localizer_but_may_end_on_a_direction():
    from align.terms.extract import _whole_rendering

    assert not _whole_rendering("两会期间", "很高兴在两会期间同大家见面。")
    assert _whole_rendering("全球南方", "中国是全球南方的一员。")


def test_a_pairing_of_names_or_a_word_derived_from_a_name_is_a_modifier_and_no_term_alone():
    from align.terms.extract import _modifier

    assert _modifier("China-Africa", "中非")
    assert _modifier("African", "非洲")  # the dictionary's 非洲 is "Africa"
    assert not _modifier("Italy", "意大利") and not _modifier("Egypt", "埃及")
    assert not _modifier("forums", "论坛")  # a plural is no derived form


def test_a_name_of_several_words_derived_from_its_renderings_name_is_a_modifier_but_a_name_with_a_word_more_is_not():
    from align.terms.extract import _modifier

    assert _modifier("Latin American", "拉美")  # the dictionary's 拉美 is "Latin America"
    assert not _modifier("Latin America", "拉美")
    assert not _modifier("Hong Kong SAR", "香港")  # a word more, no suffix
    assert not _modifier("New Technologies", "新技术")  # the dictionary's "new technology", in the plural


def test_on_joins_a_name_inside_a_clause_but_not_after_a_clause_opening_capital():
    from align.terms.extract import _WORD, _name_runs

    def names(text):
        words = _WORD.findall(text)
        return [" ".join(words[a:b]) for a, b in _name_runs(words)]

    assert "Forum on China-Africa Cooperation" in names("He attended the Forum on China-Africa Cooperation in Beijing")
    assert names("Tensions on the Korean Peninsula continue") == ["Tensions", "Korean Peninsula"]
    assert "Summit" in names("We met at the Summit on Monday")  # a date is no part of a name


def test_a_pair_nested_in_a_longer_pair_whose_english_never_stands_outside_it_gives_way(tmp_path):
    from align.export.tmx import TmxUnit
    from align.terms.extract import GlossaryEntry, _nested

    pairs = [("China's territorial sovereignty and maritime rights and interests in the South China Sea shall under "
              "no circumstances be affected by the award.", "中国在南海的领土主权和海洋权益在任何情况下不受仲裁裁决影响。"),
             ("the Chinese government will also issue a statement on China's territorial sovereignty and maritime "
              "rights and interests in the South China Sea.", "中国政府还将发表关于在南海的领土主权和海洋权益的声明。"),
             ("China upholds the political settlement of the Ukraine crisis.", "中方坚持政治解决乌克兰危机。"),
             ("China's Position on the Political Settlement of the Ukraine Crisis", "关于政治解决乌克兰危机的中国立场")]

    def entry(english, chinese):
        return GlossaryEntry(english, chinese, 2, 0.9, "", "")

    whole = entry("territorial sovereignty and maritime rights and interests", "领土主权和海洋权益")
    piece = entry("sovereignty and maritime rights and interests", "主权和海洋权益")
    title = entry("Political Settlement of the Ukraine Crisis", "政治解决乌克兰危机")
    settlement = entry("political settlement", "政治解决")
    with Memory(tmp_path / "m.sqlite") as memory:
        memory.add([TmxUnit({"en-US": en, "zh-CN": zh}) for en, zh in pairs], "mfa")
        entries = [whole, piece, title, settlement]
        assert _nested(piece, entries, memory) and not _nested(whole, entries, memory)
        assert not _nested(settlement, entries, memory)  # a name is made of terms of its own


def test_the_english_back_passes_over_the_candidate_inside_a_clause(tmp_path):
    from align.export.tmx import TmxUnit

    pairs = [("This is a serious violation of the one-China principle and the provisions of the three China-US joint "
              "communiqués.", "这严重违反一个中国原则和中美三个联合公报规定。"),
             ("The one-China principle is a prevailing consensus of the international community and a basic norm in "
              "international relations.", "一个中国原则是国际社会的普遍共识，也是国际关系基本准则。")]
    with Memory(tmp_path / "m.sqlite") as memory:
        memory.add([TmxUnit({"en-US": en, "zh-CN": zh}) for en, zh in pairs], "mfa")
        assert lookup(memory, "一个中国原则", limit=1)[0].text == "one-China principle is a prevailing"
        glossary = {(e.english, e.chinese) for e in extract_glossary(memory)}
    assert ("one-China principle", "一个中国原则") in glossary


def test_a_chinese_candidate_never_starts_on_a_lone_numeral_classifier_or_localizer_before_a_word():
    from align.terms.links import chinese_tokens
    from align.terms.lookup import _loose_start

    def starts(text):
        tokens = chinese_tokens(text)
        return [t.text for k, t in enumerate(tokens) if t.content and _loose_start(tokens, k)]  # 的, 在: never a start

    assert starts("这是一积极表态。") == ["一"]  # 一 积极: a numeral before a word of its own
    assert starts("在经济下行压力加大的情况下作出的决定") == ["下"]  # 情况 下 作出: a localizer
    assert starts("共产生了27位外交部发言人。") == ["位"]  # a classifier
    assert starts("各领域合作") == []  # a determiner begins a term
    assert starts("二十国集团峰会") == []  # a numeral before a numeral is a number


def test_a_rendering_whose_english_back_is_a_longer_english_gives_no_pair(tmp_path):
    from align.export.tmx import TmxUnit

    # 货币篮子's English back is longer than the candidate; the pair once took that English ("RMB in the SDR currency
    # basket" → 特别提款权货币篮子), which no candidate check had seen.
    pairs = [("What is the relationship between this adjustment of the central parity and the inclusion of the RMB in the "
              "SDR currency basket?", "这次中间价调整与人民币加入特别提款权货币篮子有什么关系？"),
             ("The inclusion of the RMB in the SDR currency basket will help enhance the representativeness and "
              "attractiveness of the SDR and improve the current international monetary system.",
              "人民币加入特别提款权货币篮子，将有助于增强特别提款权的代表性和吸引力，完善现行国际货币体系。")]
    with Memory(tmp_path / "m.sqlite") as memory:
        memory.add([TmxUnit({"en-US": en, "zh-CN": zh}) for en, zh in pairs], "pboc")
        assert extract_glossary(memory, min_confidence=None) == []
