"""Property-based checks (align/bench/fuzz.py) with a bounded number of examples; `python -m align bench
fuzz` runs the same properties with many more."""

import pytest

from align.cli import main
from align.bench.fuzz import PROPERTIES, run_property

EXAMPLES = {"ingestion": 300, "segmentation": 400, "tmx_round_trip": 150, "mutated_import": 100, "cli": 300}


def test_every_property_has_a_bounded_run_here():
    assert set(EXAMPLES) == set(PROPERTIES)


def test_ingesting_arbitrary_bytes_or_text_gives_a_document_or_our_one_line_error():
    assert run_property("ingestion", EXAMPLES["ingestion"], main) >= EXAMPLES["ingestion"]


def test_segmentation_loses_and_adds_no_character_but_space():
    assert run_property("segmentation", EXAMPLES["segmentation"], main) >= EXAMPLES["segmentation"]


def test_tmx_write_then_read_changes_nothing_but_characters_xml_forbids():
    assert run_property("tmx_round_trip", EXAMPLES["tmx_round_trip"], main) >= EXAMPLES["tmx_round_trip"]


def test_importing_a_mutated_tmx_keeps_all_of_it_or_nothing():
    assert run_property("mutated_import", EXAMPLES["mutated_import"], main) >= EXAMPLES["mutated_import"]


def test_the_cli_fed_random_arguments_and_files_never_prints_a_traceback():
    assert run_property("cli", EXAMPLES["cli"], main) >= EXAMPLES["cli"]


def test_bench_fuzz_says_how_many_cases_ran(capsys):
    assert main(["bench", "fuzz", "--examples", "5", "--seed", "1"]) == 0
    out, err = capsys.readouterr()
    assert err == "fuzz: 5 examples per property, seed 1\n"
    lines = dict(line.split(None, 1) for line in out.splitlines())
    assert int(lines["total"]) >= 5 * len(PROPERTIES) and lines["failed"] == "0"


@pytest.mark.parametrize("argv,message", [
    (["lookup", "a\ud800"], "error: the argument 'a\\ud800' holds a NUL or a lone surrogate character; remove it"),
    (["tm", "search", "\x00"], "error: the argument '\\x00' holds a NUL or a lone surrogate character; remove it"),
])
def test_arguments_no_command_line_can_hold_are_one_line_errors(argv, message, capsys):
    assert main(argv) == 2
    assert capsys.readouterr().err.strip() == message


def test_a_search_text_that_is_not_utf8_is_one_line(tmp_path, capsys):
    from align.bench.fuzz import _memory_file

    (tmp_path / "m.sqlite").write_bytes(_memory_file())
    assert main(["tm", "search", "caf\udce9", "--tm", str(tmp_path / "m.sqlite")]) == 2
    assert capsys.readouterr().err.strip() == ("error: the search text 'caf\\udce9' is not valid UTF-8 text; "
                                               "set your terminal to UTF-8 and type it again")


def test_tmx_props_with_control_characters_in_their_type_are_written_cleanly(tmp_path):
    from align.export.tmx import TmxUnit, read_tmx, write_tmx

    with pytest.warns(UserWarning, match="removed 1 character"):
        write_tmx(tmp_path / "t.tmx", [TmxUnit(segments={"en": "a", "zh": "甲"}, props=[("x-\x08type", "v")])])
    assert read_tmx(tmp_path / "t.tmx")[0].props == [("x-type", "v")]
