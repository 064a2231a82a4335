"""Where an English noun phrase ends (`align.terms.heads`) and the cut `terms extract` makes by it."""

import os
import subprocess
import sys
from pathlib import Path

from align.export.tmx import TmxUnit
from align.store.memory import Memory
from align.terms.evidence import evidence
from align.terms.extract import extract_glossary
from align.terms.heads import headless, tagged

# units of press-fresh2 (aligned as `bench terms` aligns them)
WORLD_ECONOMY = [
    ("At the summit, President Xi Jinping will elaborate on China's views on the global economic situation, the reform "
     "of global governance and other issues, and work with all parties to promote world economic growth.",
     "习近平主席将在峰会上阐述中方对全球经济形势、全球治理改革等问题的看法，同各方一道推动世界经济增长。"),
    ("At present, the world economic recovery lacks momentum, geopolitical conflicts are intensifying, protectionism "
     "and unilateralism are on the rise, and the external environment is becoming more complex, severe and uncertain.",
     "当前，世界经济复苏乏力，地缘政治冲突加剧，保护主义、单边主义上升，外部环境的复杂性、严峻性、不确定性上升。")]
ASSISTANCE = [("Will China provide assistance to other countries?", "中方是否会向其他国家提供援助？"),
              ("The Chinese government has decided to provide assistance to 82 countries including Iran, Iraq and Italy "
               "as well as the WHO and the African Union, including test kits, masks, protective suits and other "
               "medical supplies.",
               "中国政府已决定向伊朗、伊拉克、意大利等82个国家以及世卫组织、非盟提供援助，包括检测试剂、口罩、防护服等医疗物资。")]


def test_each_word_of_an_english_text_gets_its_penn_treebank_tag():
    assert tagged("China supports the negative list system.") == (
        ("China", "NNP"), ("supports", "VBZ"), ("the", "DT"), ("negative", "JJ"), ("list", "NN"), ("system", "NN"),
        (".", "."))


def test_the_tags_are_those_of_textblobs_own_english_tagger():
    from textblob.en import tag

    sentence = ("Which outbound data transfers must be declared for security assessment , and will China provide "
                "assistance to other countries ?")
    assert tagged(sentence) == tuple(tag(sentence, tokenize=False))


def test_a_possessive_and_an_abbreviation_are_tokens_of_their_own_and_a_hyphenated_word_is_one():
    assert [word for word, _ in tagged("China's U.S. policy and Taiwan-funded enterprises")] == [
        "China", "'s", "U.S.", "policy", "and", "Taiwan-funded", "enterprises"]


def test_a_modifier_always_before_its_head_noun_is_no_whole_noun_phrase():
    texts = [en for en, _ in WORLD_ECONOMY]
    assert headless("world economic", texts)
    assert not headless("economic situation", texts)


def test_a_term_that_ends_before_the_noun_that_goes_on_with_it_everywhere_is_no_whole_noun_phrase():
    texts = ["Data quality is the lifeline of the national carbon market.",
             "The national carbon market started online trading in July."]
    assert headless("national carbon", texts)
    assert not headless("national carbon market", texts)


def test_in_a_title_the_capitalised_noun_after_the_term_goes_on_with_it_but_a_title_after_a_noun_is_its_name():
    # units of press-fresh7 and press-fresh6
    assert headless("outbound data", [
        "The Measures for the Security Assessment of Outbound Data Transfers were released on July 7, 2022 and will "
        "take effect on September 1, 2022.",
        "Which outbound data transfers must be declared for security assessment?"])
    assert not headless("white paper", [
        "The State Council Information Office today published the white paper Poverty Alleviation: China's Experience "
        "and Contribution."])


def test_one_place_where_the_term_is_whole_is_enough():
    assert not headless("public health", ["We discussed regional public health security.",
                                          "The measures protect public health."])


def test_a_phrase_starting_on_a_verb_is_none_but_a_word_read_as_a_verb_after_a_determiner_is_a_modifier():
    assert headless("provide assistance", [en for en, _ in ASSISTANCE])
    assert headless("develop relations", ["We welcome more countries to develop relations with China."])
    assert not headless("keynote speech", ["He delivered a keynote speech."])


def test_the_noun_of_a_complex_preposition_heads_no_term_but_a_verbs_object_may():
    assert headless("accordance with the law", [
        "Public security organs will crack down on such crimes in accordance with the law.",
        "Consumers may claim punitive damages in accordance with the law."])
    assert headless("line with the strategic requirement", [
        "In line with the strategic requirement of offshore waters defense and open seas protection, the navy is "
        "shifting its focus."])
    assert not headless("rule of law", ["We will advance the rule of law in line with the Constitution."])
    assert not headless("cooperation in agriculture", ["They will promote cooperation in agriculture."])


def test_a_phrase_starting_on_an_adverb_is_none():
    assert headless("extremely heavy rainstorm disaster", ["It was an extremely heavy rainstorm disaster in Henan."])


def test_a_capitalised_name_is_left_to_the_name_runs_even_before_a_noun():
    assert not headless("Taiwan Affairs Office", ["A Taiwan Affairs Office spokesperson answered questions."])


def test_a_term_that_does_not_stand_in_the_texts_is_not_headless():
    assert not headless("world economic", ["The global economy is recovering."])


def test_terms_extract_gives_no_pair_for_a_term_that_is_no_whole_noun_phrase(tmp_path):
    with Memory(tmp_path / "m.sqlite") as memory:
        memory.add([TmxUnit({"en-US": en, "zh-CN": zh}) for en, zh in WORLD_ECONOMY + ASSISTANCE], "mfa")
        every = {(e.english, e.chinese) for e in extract_glossary(memory, min_confidence=None)}
        kept = {(e.english, e.chinese) for e in extract_glossary(memory)}
        found = evidence(memory, "world economic", "世界经济")
    assert {("world economic", "世界经济"), ("provide assistance", "提供援助")} <= every
    assert found.headless and found.score >= 0.9
    assert not kept & {("world economic", "世界经济"), ("provide assistance", "提供援助")}


def test_tagging_needs_no_network_writes_no_data_file_and_imports_no_nltk(tmp_path):
    script = ("import socket\n"
              "def refuse(*args, **kwargs):\n"
              "    raise OSError('no network')\n"
              "socket.socket.connect = refuse\n"
              "socket.create_connection = refuse\n"
              "import sys\n"
              "from align.terms.heads import tagged\n"
              "print(tagged('We will provide assistance.')[2][1], 'nltk' in sys.modules)\n")
    env = {**os.environ, "HOME": str(tmp_path), "NLTK_DATA": str(tmp_path / "nltk_data"),
           "PYTHONPATH": str(Path(__file__).resolve().parents[1])}
    done = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "VB False"
    assert list(tmp_path.iterdir()) == []
