"""The evidence a glossary pair stands on (`align.terms.evidence`) and the cut `terms extract` makes by it."""

import pytest

from align.cli import main
from align.export.tmx import TmxUnit
from align.store.memory import Memory
from align.terms.evidence import MIN_EVIDENCE, Evidence, dictionary_share, evidence
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
    assert found == Evidence(dictionary=1.0, term_units=2, rendering_units=1, both=1)
    assert found.score == pytest.approx(0.5) and found.score < MIN_EVIDENCE


def test_a_word_of_a_name_the_dictionary_does_not_know_is_tied_by_the_transliteration_beside_it():
    assert dictionary_share("Mr. Huang Runqiu", "黄润秋先生") == 1.0
    assert dictionary_share("Past Decade", "十年来") == 0.5  # "past" is tied to nothing, and is no name
    assert dictionary_share("lies and disinformation", "谎言和虚假信息") == 0.0


def test_terms_extract_keeps_only_pairs_whose_evidence_reaches_the_threshold(tmp_path):
    with _memory(tmp_path, WHITE_PAPER + BENEFICIAL) as memory:
        kept = extract_glossary(memory)
        every = extract_glossary(memory, min_evidence=None)
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
    # dictionary entry ties to "Belt" or "Road"
    assert glossaries[("--all",)] - glossaries[()] == {"win-win cooperation\t合作共赢\t×2",
                                                      "Belt and Road Initiative\t一带一路倡议\t×1"}
