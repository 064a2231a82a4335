"""The aligner's second opinion on a pairing a person made (align/aligners/rescore.py)."""

from align.aligners import get_aligner
from align.aligners.rescore import rescore

ZH = ["我们今天开会。", "会议讨论了三个问题。", "第一个问题是预算。", "第二个问题是人员。", "第三个问题是时间表。", "谢谢大家。"]
EN = ["We are meeting today.", "The meeting discussed three questions.", "The first question is the budget.",
      "The second question is staffing.", "The third question is the timetable.", "Thank you all."]


def test_a_pairing_the_length_aligner_makes_itself_gets_its_own_confidence():
    aligner = get_aligner("length")
    own = {(b.src, b.tgt): b.confidence for b in aligner.align(ZH, EN, "zh", "en")}
    beads = [((k,), (k,)) for k in range(6)]
    assert rescore(aligner, ZH, EN, beads, [2]) == {2: round(own[((2,), (2,))], 4)}


def test_a_pairing_the_length_aligner_would_not_make_gets_zero_and_unpaired_beads_get_nothing():
    aligner = get_aligner("length")
    beads = [((0,), (0,)), ((1, 2), (1,)), ((), (2,)), ((3,), (3,)), ((4,), (4,)), ((5,), (5,))]
    assert rescore(aligner, ZH, EN, beads, [1, 2]) == {1: 0.0}


def test_rescoring_reads_the_combined_aligner_only_through_its_public_face():
    import ast
    from pathlib import Path

    import align.aligners.rescore as rescore_module

    tree = ast.parse(Path(rescore_module.__file__).read_text(encoding="utf-8"))
    private = [alias.name for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)
               and (node.module or "").startswith("align") for alias in node.names if alias.name.startswith("_")]
    private += [node.attr for node in ast.walk(tree) if isinstance(node, ast.Attribute)
                and isinstance(node.value, ast.Name) and node.value.id == "aligner" and node.attr.startswith("_")]
    assert private == []
