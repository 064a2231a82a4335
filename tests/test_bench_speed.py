"""`bench speed --repeat N`: each repeat's figures kept, medians and spread reported, e5 skippable (no timing
asserted: the seconds are whatever the machine gives)."""

import json

import pytest

from align.aligners import get_aligner
from align.bench.speed import SpeedReport, SpeedRun, speed
from align.cli import main
from align.evaluate import Scores, score_alignments
from align.aligners.ladder import parse_ladder

EN = ["In the beginning God created the heaven and the earth.",
      "And the earth was without form, and void; and darkness was upon the face of the deep.",
      "And the Spirit of God moved upon the face of the waters.",
      "And God said, Let there be light: and there was light."]
ZH = ["起初神创造天地。", "地是空虚混沌。", "渊面黑暗。", "神的灵运行在水面上。", "神说，要有光，就有了光。"]
GOLD = "[0]:[0]\n[1]:[1,2]\n[2]:[3]\n[3]:[4]\n"


@pytest.fixture
def bible(tmp_path):
    """A Bible folder laid out as ../shared/data/bible: Genesis 1:1-4."""
    folder = tmp_path / "bible"
    for side, lines in (("en", EN), ("zh", ZH)):
        (folder / side).mkdir(parents=True)
        (folder / side / f"001.{side}").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (folder / "gold").mkdir()
    (folder / "gold" / "001.align").write_text(GOLD, encoding="utf-8")
    return folder


def _report(*runs: SpeedRun) -> SpeedReport:
    return SpeedReport(10, runs, None, 100.0, Scores(1.0, 1.0, 1.0, 1.0, 1.0, 1.0, None, 1, 4))


def test_the_multiple_and_the_doubling_are_the_medians_over_the_repeats_with_their_spread():
    # multiples 2.0, 3.0, 2.5 of the USE pass; doublings 2.0, 1.5, 2.5
    report = _report(SpeedRun(10.0, 5.0, 20.0, 10.0), SpeedRun(10.0, 5.0, 30.0, 20.0), SpeedRun(10.0, 5.0, 25.0, 10.0))
    figures = report.as_dict()
    assert (figures["multiple_of_use_pass"], figures["multiple_of_use_pass_spread"]) == (2.5, [2.0, 3.0])
    assert (figures["doubling_ratio"], figures["doubling_ratio_spread"]) == (2.0, [1.5, 2.5])
    assert figures["align_s"] == 25.0 and figures["repeats"] == 3
    assert [run["multiple_of_use_pass"] for run in figures["runs"]] == [2.0, 3.0, 2.5]


def test_the_use_pass_is_the_first_figure_and_a_skipped_e5_pass_is_none():
    figures = _report(SpeedRun(10.0, 5.0, 20.0, 10.0)).as_dict()
    assert next(iter(figures)) == "use_pass_s"
    assert figures["encoder_pass_s"] is None and figures["multiple_of_encoder_pass"] is None


def test_speed_times_each_repeat_and_scores_the_alignment_against_the_gold(bible):
    report = speed(bible, "length", repeat=2, e5=False)
    assert len(report.runs) == 2 and report.encoder_seconds is None
    assert report.sentences == 9
    beads = get_aligner("length").align(EN, ZH, "en", "zh")
    assert report.scores == score_alignments([(parse_ladder(GOLD), beads)])


def test_bench_speed_json_holds_each_repeat(bible, capsys):
    assert main(["bench", "speed", "--data", str(bible.parent), "--method", "length", "--repeat", "2",
                 "--skip-e5", "--json"]) == 0
    figures = json.loads(capsys.readouterr().out)
    assert figures["repeats"] == 2 and len(figures["runs"]) == 2 and figures["encoder_pass_s"] is None


def test_bench_speed_refuses_zero_repeats(bible):
    with pytest.raises(SystemExit):
        main(["bench", "speed", "--data", str(bible.parent), "--repeat", "0"])


def test_bench_speed_prints_a_row_per_repeat_the_use_pass_first(bible, capsys):
    assert main(["bench", "speed", "--data", str(bible.parent), "--method", "length", "--repeat", "3",
                 "--skip-e5"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].split()[:3] == ["repeat", "USE", "pass"]
    assert [line.split()[0] for line in lines[1:4]] == ["1", "2", "3"]
    assert lines[4].split()[0] == "use_pass_s"


def test_each_timed_alignment_starts_without_the_quantities_and_vectors_of_the_last():
    from align.bench.speed import forget_texts
    from align.score import quantities
    from align.score.embed import get_encoder

    quantities.quantities("第十六次", "zh")
    get_encoder("use").encode(EN[:1])
    forget_texts()
    assert quantities._cached.cache_info().currsize == 0
    assert EN[0] not in get_encoder("use")._vectors


def test_the_bible_halves_are_its_chapters_of_even_and_of_odd_index_back_to_back_with_the_gold_renumbered(tmp_path):
    from align.bench.common import bible_halves
    from align.document import Bead

    folder = tmp_path / "bible"
    verses = {"en": ["Gen:1:1", "Gen:1:2", "Gen:2:1", "Gen:3:1"], "zh": ["Gen:1:1", "Gen:1:2", "Gen:2:1", "Gen:2:1", "Gen:3:1"]}
    for side, lines in (("en", EN), ("zh", ZH)):
        (folder / side).mkdir(parents=True)
        (folder / side / f"001.{side}").write_text("\n".join(lines) + "\n", encoding="utf-8")
        (folder / f"{side}.verse").write_text("\n".join(verses[side]) + "\n", encoding="utf-8")
    (folder / "gold").mkdir()
    (folder / "gold" / "001.align").write_text("[0]:[0]\n[1]:[1]\n[2]:[2,3]\n[3]:[4]\n", encoding="utf-8")
    training, held = bible_halves(folder)
    assert (training.en, training.zh) == ((EN[0], EN[1], EN[3]), (ZH[0], ZH[1], ZH[4]))
    assert training.gold == (Bead((0,), (0,)), Bead((1,), (1,)), Bead((2,), (2,)))
    assert (held.en, held.zh, held.gold) == ((EN[2],), (ZH[2], ZH[3]), (Bead((0,), (0, 1)),))
