"""The table of official titles, offices, meeting words and country abbreviations (align/terms/official.py)
and the coverage rules that use it, on sentences written as the Foreign Ministry's transcripts write them."""

from align.score.lexicon import cedict_glosses
from align.terms.coverage import covered_rendering
from align.terms.links import english_tokens, jieba_tags
from align.terms.official import official_glosses, pairing


def test_the_table_gives_a_title_the_renderings_the_dictionary_lacks():
    assert "President" in official_glosses("主席", cedict_glosses(), jieba_tags())
    assert "Summit" in official_glosses("会晤", cedict_glosses(), jieba_tags())


def test_a_pairing_of_two_country_abbreviations_stands_for_both_countries_and_a_common_word_for_none():
    first, second = pairing("美韩", cedict_glosses(), jieba_tags())
    assert (first.english[0], second.english[0]) == ("US", "ROK")
    assert pairing("美德", cedict_glosses(), jieba_tags()) is None  # "virtue"


def test_a_title_the_dictionary_does_not_link_is_taken_in_beside_a_name():
    en = "During the visit, President Xi Jinping will meet with the Prime Minister."
    zh = "访问期间,习近平主席将会见总理。"
    assert covered_rendering("President Xi Jinping", "习近平", en, zh) == "习近平主席"


def test_a_pairing_of_countries_the_term_does_not_name_is_cut_off_or_gives_no_pair():
    en = "The joint statement mentioned issues related to Taiwan and the South China Sea."
    zh = "美韩联合声明提及台湾、南海等问题。"
    assert covered_rendering("joint statement", "美韩联合声明", en, zh) == "联合声明"
    en = "They are vitally important for China's relations with the EU at large."
    zh = "对推动中欧关系整体发展具有重要意义。"
    assert covered_rendering("EU", "中欧", en, zh) is None


def test_each_name_of_a_pairing_of_names_is_rendered_across_the_joining_dash():
    en = "To follow up on the upcoming 25th China-EU Summit, what does China expect?"
    zh = "中方发布了第二十五次中国—欧盟领导人会晤将举行的消息。"
    assert covered_rendering("China-EU Summit", "欧盟领导人会晤", en, zh) == "中国—欧盟领导人会晤"


def test_the_full_stop_of_a_title_abbreviation_ends_no_phrase():
    assert [t.text for t in english_tokens("your view on Mr. Morrison?")] == ["your", "view", "on", "Mr", "Morrison", "?"]
