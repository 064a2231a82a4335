import json
import pytest

from align.aligners.ladder import format_ladder, parse_ladder
from align.evaluate import roc_auc, score_alignments, score_directories

from conftest import MAC_DEV, needs_mac_dev


@needs_mac_dev
def test_reproduces_bertalign_published_figures_on_mac_dev():
    scores = score_directories(MAC_DEV / "gold", MAC_DEV / "bertalign-output")
    assert (round(scores.strict_precision, 3), round(scores.strict_recall, 3), round(scores.strict_f1, 3)) == (0.909, 0.914, 0.911)
    assert (round(scores.lax_precision, 3), round(scores.lax_recall, 3), round(scores.lax_f1, 3)) == (0.996, 1.0, 0.998)


def test_perfect_alignment_scores_one():
    gold = parse_ladder("[0,1]:[0]\n[2]:[1,2]\n[3]:[]\n")
    scores = score_alignments([(gold, gold)])
    assert scores.strict_f1 == 1.0 and scores.lax_f1 == 1.0


def test_partial_overlap_is_lax_but_not_strict():
    gold = parse_ladder("[0,1]:[0]\n[2]:[1]\n")
    test = parse_ladder("[0]:[0]\n[1]:[]\n[2]:[1]\n")
    scores = score_alignments([(gold, test)])
    # precision: 3 test beads, 1 strict hit; [0]:[0] is lax; [1]:[] has no target, so a lax miss
    assert scores.strict_precision == pytest.approx(1 / 3)
    assert scores.lax_precision == pytest.approx(2 / 3)
    # recall: gold paired beads [0,1]:[0] (lax only) and [2]:[1] (strict)
    assert scores.strict_recall == pytest.approx(1 / 2)
    assert scores.lax_recall == 1.0


def test_ladder_round_trip_keeps_confidence():
    beads = parse_ladder("[0, 1]:[0]:0.8700\n[2]:[]:0.1000\n")
    assert format_ladder(beads) == "[0,1]:[0]:0.8700\n[2]:[]:0.1000\n"


def test_auc_of_perfect_and_reversed_rankings():
    assert roc_auc([True, True, False], [0.9, 0.8, 0.1]) == 1.0
    assert roc_auc([True, True, False], [0.1, 0.2, 0.9]) == 0.0
    assert roc_auc([True, False], [0.5, 0.5]) == 0.5


def test_eval_warns_when_the_test_ladders_are_written_the_other_way_round(tmp_path, capsys):
    from align.cli import main

    gold, test, same = tmp_path / "gold", tmp_path / "test", tmp_path / "same"
    for folder in (gold, test, same):
        folder.mkdir()
    ladder = ["[0, 1]:[0]", "[2]:[1, 2]", "[3]:[3]", "[4]:[4]", "[5, 6]:[5]", "[7]:[6]"]
    (gold / "001.align").write_text("\n".join(ladder) + "\n")
    (same / "001.align").write_text("\n".join(ladder) + "\n")
    (test / "001.align").write_text("\n".join(f"{b.split(':')[1]}:{b.split(':')[0]}" for b in ladder) + "\n")
    assert main(["eval", "--gold", str(gold), "--test", str(test), "--json"]) == 0
    captured = capsys.readouterr()
    assert json.loads(captured.out)["warning"].startswith("the test ladders look reversed: read the other way round "
                                                          "they score strict F1 1.000, as written 0.333")
    assert captured.err.startswith("warning: the test ladders look reversed")
    assert main(["eval", "--gold", str(gold), "--test", str(same)]) == 0
    assert capsys.readouterr().err == ""
