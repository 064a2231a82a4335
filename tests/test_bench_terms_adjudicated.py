"""The adjudicated precision of `bench terms`: strict judging's wrong pairs that benchmarks/terms_adjudicated.tsv
marks right for a row count as right for that row."""

from dataclasses import replace

import pytest

from align.bench.terms import ADJUDICATED, HELD_SETS, read_adjudicated, read_glossary, terms
from align.errors import InputError


def test_the_adjudication_file_marks_21_of_the_75_in_sample_pairs_right_and_none_of_press_fresh8():
    right = read_adjudicated()
    assert sum(len(pairs) for pairs in right.values()) == 21
    assert right["press-fresh7"] == {("carbon emission", "碳排放"), ("forecasting and warning", "预报预警"),
                                     ("poverty alleviation", "扶贫"),
                                     ("forum on china-africa cooperation dakar action plan", "中非合作论坛—达喀尔行动计划")}
    assert "press-fresh8" not in right and "press" not in right


def test_a_line_without_a_verdict_is_refused(tmp_path):
    bad = tmp_path / "adjudicated.tsv"
    bad.write_text("press-fresh7\tpoverty alleviation\t扶贫\tmaybe\tunsure\n", encoding="utf-8")
    with pytest.raises(InputError, match="adjudicated.tsv:1"):
        read_adjudicated(bad)


def test_press_fresh7_adjudicated_counts_the_adjudicated_right_pairs_it_extracts_beside_strict(tmp_path):
    # Only the press-fresh7 row is built, judged as `bench terms` judges it: the entries of the press glossary and
    # of the older held sets, under a set name no row has, still make a pair right; press-fresh8 is left out.
    earlier = [entry for entry in read_glossary() if entry[2].startswith("press")]
    earlier += [entry for held in HELD_SETS[:6] for entry in read_glossary(held.glossary)]
    listed = tmp_path / "glossary.tsv"
    listed.write_text("".join(f"{en}\t{zh}\tpress-listed\n" for en, zh, _ in earlier), encoding="utf-8")
    empty = tmp_path / "empty.tsv"
    empty.write_text("# no entries\n", encoding="utf-8")
    only = tuple(held if held.row == "press-fresh7" else replace(held, glossary=empty) for held in HELD_SETS)
    assert HELD_SETS[6].row == "press-fresh7"
    (row,) = terms(tmp_path / "bible", glossary=listed, workdir=tmp_path, held_sets=only,
                   adjudicated=ADJUDICATED).rows
    precision, _, judged = row.extract
    reread = read_adjudicated()["press-fresh7"]
    assert (row.name, judged, len(row.wrong)) == ("press-fresh7", 82, 3)
    # of its four adjudicated right pairs, "carbon emission" (always before rights, allowances, trading) is no whole
    # noun phrase anywhere in the row's memory, and is no longer extracted (`align.terms.heads`); the Dakar Action
    # Plan, seen in one unit, falls under the evidence and fit threshold (`align.terms.evidence.MIN_CONFIDENCE`); nor
    # is the adjudicated wrong "accordance with the law" extracted (the noun of "in accordance with")
    assert reread - {tuple(pair.split(" → ")) for pair in row.wrong} == {
        ("carbon emission", "碳排放"), ("forum on china-africa cooperation dakar action plan", "中非合作论坛—达喀尔行动计划")}
    assert "accordance with the law → 依法" not in row.wrong
    assert round(precision * judged) == 79 and round(row.adjudicated_precision * judged) == 79 + 2
    assert row.as_dict()["extract_precision_adjudicated"] == 0.988
