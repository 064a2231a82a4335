"""The evidence a glossary pair stands on (`align.terms.evidence`) and the cut `terms extract` makes by it."""

import pytest

from align.cli import main
from align.export.tmx import TmxUnit
from align.store.memory import Memory
from align.terms.evidence import MIN_CONFIDENCE, Evidence, beside, dictionary_share, evidence, piece_of_title
from align.terms.extract import extract_glossary

from test_memory import demo_memory  # noqa: F401  (fixture)

WHITE_PAPER = [("The white paper was released today.", "白皮书今天发布。"),
               ("The white paper has five chapters.", "白皮书共有五章。"),
               ("Reporters asked about the white paper.", "记者询问了白皮书的情况。")]
# two units of press-fresh2: the term is rendered 互利 in one and 互惠 in the other, so either stands on half its units
BENEFICIAL = [("The two sides agreed to maintain dialogue and communication, carry out mutually beneficial cooperation, "
               "prevent misunderstanding and miscalculation, and avoid conflict and confrontation.",
               "双方同意保持对话沟通，开展互利合作，防止误解误判，避免冲突对抗。"),
              ("RCEP is a modern, comprehensive, high-quality and mutually beneficial free trade agreement.",
               "RCEP是一个现代、全面、高质量、互惠的自贸协定。")]
COOPERATION = [("We will strengthen cooperation with Peru.", "我们将加强同秘鲁的合作。"),
               ("Both sides agreed to strengthen cooperation in trade.", "双方同意加强贸易合作。")]


def _memory(tmp_path, pairs) -> Memory:
    memory = Memory(tmp_path / "m.sqlite")
    memory.add([TmxUnit({"en-US": en, "zh-CN": zh}) for en, zh in pairs], "mfa")
    return memory


def test_a_term_rendered_the_same_way_in_each_of_its_units_has_full_dictionary_and_recurring_association(tmp_path):
    with _memory(tmp_path, WHITE_PAPER) as memory:
        found = evidence(memory, "white paper", "白皮书")
    assert found == Evidence(dictionary=1.0, term_units=3, rendering_units=3, both=3)
    assert found.association == pytest.approx(2 / 3) and found.inconsistency == 0.0
    assert found.score == pytest.approx(5 / 3)


def test_a_term_its_memory_renders_otherwise_in_half_its_units_falls_under_the_threshold(tmp_path):
    with _memory(tmp_path, COOPERATION) as memory:
        found = evidence(memory, "strengthen cooperation", "加强贸易合作")
    assert found == Evidence(dictionary=1.0, term_units=2, rendering_units=1, both=1, headless=True)  # a verb's phrase
    assert found.score == pytest.approx(0.5) and found.score + 1.0 < MIN_CONFIDENCE  # under it with a perfect fit


def test_a_word_of_a_name_the_dictionary_does_not_know_is_tied_by_the_transliteration_beside_it():
    assert dictionary_share("Mr. Huang Runqiu", "黄润秋先生") == 1.0
    assert dictionary_share("Past Decade", "十年来") == 0.5  # "past" is tied to nothing, and is no name
    assert dictionary_share("lies and disinformation", "谎言和虚假信息") == 0.0


# one unit of press-fresh8: the rendering cuts 企业商业展 "Business Exhibition" (企业 "enterprise") short
EXPO = [("The import expo consists of two parts, the Country Pavilion for Trade and Investment and the Business "
         "Exhibition.", "进口博览会由国家贸易投资综合展和企业商业展两部分组成。")]


def test_terms_extract_cuts_a_pair_whose_rendering_fits_its_unit_poorly_though_the_dictionary_ties_every_word(tmp_path):
    with _memory(tmp_path, EXPO) as memory:
        kept = extract_glossary(memory)
        every = extract_glossary(memory, min_confidence=None)
    assert kept == []
    assert [(e.english, e.chinese, e.evidence, round(e.score, 3)) for e in every] == [
        ("Country Pavilion for Trade", "国家贸易", pytest.approx(2 / 3), 0.667), ("Business Exhibition", "商业展", 1.0, 0.625)]


def test_terms_extract_keeps_only_pairs_whose_evidence_and_fit_reach_the_threshold(tmp_path):
    with _memory(tmp_path, WHITE_PAPER + BENEFICIAL) as memory:
        kept = extract_glossary(memory)
        every = extract_glossary(memory, min_confidence=None)
    assert [(e.english, e.chinese, e.evidence) for e in kept] == [("white paper", "白皮书", pytest.approx(5 / 3))]
    assert [(e.english, e.chinese, e.evidence) for e in every] == [("white paper", "白皮书", pytest.approx(5 / 3)),
                                                                   ("mutually beneficial", "互利", pytest.approx(0.5))]


def test_terms_extract_all_writes_the_pairs_under_the_threshold_too(demo_memory, tmp_path):  # noqa: F811
    glossaries = {}
    for flags in ([], ["--all"]):
        tbx = tmp_path / f"glossary{len(flags)}.tbx"
        assert main(["terms", "extract", *flags, "-o", str(tbx), "--tm", str(tmp_path / "m.sqlite")]) == 0
        glossaries[tuple(flags)] = set(tbx.with_suffix(".txt").read_text(encoding="utf-8").splitlines())
    # rendered 合作共赢 in one of its two units (合作、共赢 in the other); 一带一路 is read as 一带 一路, which no
    # dictionary entry ties to "Belt" or "Road"; four names seen in one unit each, tied by the dictionary, whose
    # renderings fit their unit less than fully (the lookup score under 0.875)
    assert glossaries[("--all",)] - glossaries[()] == {"win-win cooperation\t合作共赢\t×2",
                                                      "Belt and Road Initiative\t一带一路倡议\t×1",
                                                      "Global Security Initiative\t全球安全倡议\t×1",
                                                      "Global Development Initiative\t全球发展倡议\t×1",
                                                      "UN Charter\t联合国宪章\t×1", "United Nations\t联合国\t×1"}


# two units of press-fresh3: the outline's title is marked 《…》 in both, and the English names it by a clause
TRANSPORT = [("Today we have invited Mr. Li Xiaopeng, Minister of Transport, to brief you on the Outline of Efforts to "
              "Make China a Country with Great Transport Strength.", "今天我们请来交通运输部部长李小鹏先生，介绍《交通强国建设纲要》有关情况。"),
             ("Recently, the CPC Central Committee and the State Council issued the Outline of Efforts to Make China a "
              "Country with Great Transport Strength.", "近日，中共中央、国务院印发了《交通强国建设纲要》。")]


def test_a_rendering_standing_only_inside_a_longer_title_is_a_piece_of_it():
    assert piece_of_title("强国建设", "近日，中共中央、国务院印发了《交通强国建设纲要》。")
    assert not piece_of_title("交通强国建设纲要", "近日，中共中央、国务院印发了《交通强国建设纲要》。")
    assert not piece_of_title("开罗宣言", "根据《开罗宣言》和《波茨坦公告》，日本应将窃取于中国的领土归还中国。")
    assert not piece_of_title("白皮书", "今天国务院新闻办公室发表了《钓鱼岛是中国的固有领土》白皮书。")


def test_the_edition_in_brackets_at_a_titles_end_is_no_part_of_it():
    text = "国务院印发的《气象高质量发展纲要（2022－2035年）》为我们指明了方向。"
    assert not piece_of_title("气象高质量发展纲要", text)
    assert piece_of_title("高质量发展", text)


def test_a_rendering_also_found_outside_a_title_is_no_piece():
    assert not piece_of_title("外商投资法", "《中华人民共和国外商投资法》通过后，外商投资法将于明年施行。")


def test_evidence_counts_the_units_where_the_rendering_is_a_title_piece(tmp_path):
    with _memory(tmp_path, TRANSPORT) as memory:
        piece = evidence(memory, "Make China", "强国建设")
        whole = evidence(memory, "Outline of Efforts to Make China a Country with Great Transport Strength", "交通强国建设纲要")
    assert (piece.both, piece.in_titles, piece.title_piece) == (2, 2, True)
    assert (whole.both, whole.in_titles, whole.title_piece) == (2, 0, False)


def test_terms_extract_gives_no_pair_for_pieces_of_a_title_and_all_still_lists_them(tmp_path):
    with _memory(tmp_path, TRANSPORT) as memory:
        kept = extract_glossary(memory)
        every = extract_glossary(memory, min_confidence=None)
    # the title piece reaches the threshold (evidence 7/6 + fit 0.875); 中共中央 fits "CPC Central Committee" less (0.75)
    assert [(e.english, e.chinese) for e in kept] == [("State Council", "国务院")]
    assert [(e.english, e.chinese, round(e.evidence + e.score, 3)) for e in every][0] == (
        "Great Transport Strength", "交通强国建设", 2.042)
    assert [(e.english, e.chinese) for e in every] == [("Great Transport Strength", "交通强国建设"),
                                                       ("State Council", "国务院"), ("CPC Central Committee", "中共中央")]


# four units of press-fresh5: "swine fever" stands only in "African swine fever", always rendered 非洲猪瘟
SWINE_FEVER = [("Since the outbreak of African swine fever, the CPC Central Committee and the State Council have "
                "attached great importance to it.", "非洲猪瘟疫情发生以来，党中央、国务院高度重视。"),
               ("What is the current situation of African swine fever?", "当前非洲猪瘟疫情形势如何？"),
               ("Since China reported its first case of African swine fever in August 2018, more than 150 outbreaks of "
                "African swine fever have occurred nationwide, and 1.19 million hogs have been culled.",
                "自2018年8月我国发生首例非洲猪瘟疫情以来，全国共发生非洲猪瘟疫情150多起，扑杀生猪119万头。"),
               ("Affected by African swine fever, the inventory of breeding sows nationwide at the end of August fell "
                "by 38.9% year on year, and the hog inventory fell by 38.7% year on year.",
                "受非洲猪瘟疫情影响，8月末全国能繁母猪存栏同比下降38.9%，生猪存栏同比下降38.7%。")]


def test_a_recurring_term_with_the_same_content_word_before_it_everywhere_is_a_piece_of_a_longer_term():
    assert beside("swine fever", [en for en, _ in SWINE_FEVER]) == "african"
    assert beside("Taiwan-funded", ["What policies can Taiwan-funded enterprises enjoy?",
                                    "Taiwan-funded enterprises can take part in government procurement."]) == "enterprises"


def test_a_term_beside_varying_words_function_words_or_numbers_or_seen_once_has_no_word_beside_it():
    assert beside("white paper", [en for en, _ in WHITE_PAPER]) is None  # "the", or nothing at a clause's edge
    assert beside("commercial licenses", ["The ministry granted 5G commercial licenses to China Telecom.",
                                          "Why are the 5G commercial licenses granted at this time?"]) is None
    assert beside("living circle", ["a quality living circle for living, working and travelling",
                                    "a one-hour living circle is taking shape"]) is None
    assert beside("swine fever", [SWINE_FEVER[1][0]]) is None  # one unit shows nothing recurring
    # a possessive ends the clause before the term: China's stands for the determiner
    assert beside("foreign policy", ["China's foreign policy is clear.", "China's foreign policy has not changed."]) is None


def test_terms_extract_cuts_a_piece_of_a_longer_term_and_lists_it_with_all(tmp_path):
    with _memory(tmp_path, SWINE_FEVER) as memory:
        found = evidence(memory, "swine fever", "猪瘟")
        kept = extract_glossary(memory)
        every = extract_glossary(memory, min_confidence=None)
    fit = next(e.score for e in every if (e.english, e.chinese) == ("swine fever", "猪瘟"))
    assert found.beside == "african" and found.score + fit >= MIN_CONFIDENCE
    assert ("swine fever", "猪瘟") not in [(e.english, e.chinese) for e in kept]
