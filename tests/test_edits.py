"""The edits a reviewer makes to a stored alignment, on a small hand-made alignment."""

import pytest

from align.document import Sentence
from align.errors import InputError
from align.store.edits import (Alignment, Confirm, ConfirmAbove, EditText, Merge, Pair, Shift, Split, StoredBead,
                               Unconfirm, Unpair, parse_edit)

NOW = "2026-11-26T12:00:00Z"


def _alignment() -> Alignment:
    zh = tuple(Sentence(t, turn=1, speaker="马朝旭") for t in ("甲。", "乙。", "丙。", "丁。"))
    en = tuple(Sentence(t, turn=1, speaker="Ma Zhaoxu") for t in ("A.", "B.", "C.", "D."))
    beads = (StoredBead((0,), (0,), 0.9), StoredBead((1,), (1, 2), 0.4), StoredBead((2,), (), 0.0),
             StoredBead((3,), (3,), 0.8))
    return Alignment(zh, en, beads)


def _shape(alignment: Alignment) -> list[tuple[tuple[int, ...], tuple[int, ...]]]:
    return [(b.zh, b.en) for b in alignment.beads]


def test_merge_joins_a_bead_with_the_next_and_marks_it_edited():
    after = Merge(0).apply(_alignment(), NOW)
    assert _shape(after) == [((0, 1), (0, 1, 2)), ((2,), ()), ((3,), (3,))]
    assert (after.beads[0].status, after.beads[0].changed, after.beads[0].confidence) == ("edited", NOW, 0.4)


def test_merging_the_last_bead_is_impossible():
    with pytest.raises(InputError, match="bead 3 is the last one"):
        Merge(3).apply(_alignment(), NOW)


def test_split_keeps_the_chosen_sentences_in_the_first_part():
    assert _shape(Split(1, zh=1, en=1).apply(_alignment(), NOW))[1:3] == [((1,), (1,)), ((), (2,))]


def test_a_bead_with_one_sentence_a_side_cannot_be_split():
    with pytest.raises(InputError, match="one sentence a side and cannot be split; use unpair"):
        Split(0, zh=1, en=0).apply(_alignment(), NOW)


def test_a_split_that_leaves_a_part_empty_is_refused():
    with pytest.raises(InputError, match="leaves one part empty"):
        Split(1, zh=1, en=2).apply(_alignment(), NOW)


def test_shift_up_moves_the_first_sentence_to_the_previous_bead():
    assert _shape(Shift(1, "en", "up").apply(_alignment(), NOW))[:2] == [((0,), (0, 1)), ((1,), (2,))]


def test_shift_down_moves_the_last_sentence_to_the_next_bead():
    assert _shape(Shift(1, "en", "down").apply(_alignment(), NOW))[1:3] == [((1,), (1,)), ((2,), (2,))]


def test_a_bead_emptied_by_a_shift_disappears():
    after = Shift(2, "zh", "up").apply(_alignment(), NOW)
    assert _shape(after) == [((0,), (0,)), ((1, 2), (1, 2)), ((3,), (3,))]


def test_shifting_up_from_the_first_bead_is_impossible():
    with pytest.raises(InputError, match="no previous bead"):
        Shift(0, "zh", "up").apply(_alignment(), NOW)


def test_unpair_gives_one_unpaired_bead_per_sentence():
    assert _shape(Unpair(1).apply(_alignment(), NOW))[1:4] == [((1,), ()), ((), (1,)), ((), (2,))]


def test_pair_joins_two_unpaired_neighbours_of_different_languages():
    unpaired = Unpair(0).apply(_alignment(), NOW)
    assert _shape(Pair(0).apply(unpaired, NOW))[0] == ((0,), (0,))


def test_pairing_a_paired_bead_is_refused():
    with pytest.raises(InputError, match="not both unpaired; use merge"):
        Pair(0).apply(_alignment(), NOW)


def test_edit_text_fixes_a_typo_in_place():
    after = EditText("en", (0,), "A, corrected.").apply(_alignment(), NOW)
    assert [s.text for s in after.en] == ["A, corrected.", "B.", "C.", "D."]
    assert after.beads[0].status == "edited"
    assert after.en[0].speaker == "Ma Zhaoxu"


def test_a_line_break_splits_a_sentence_and_later_ids_move_on():
    after = EditText("zh", (1,), "乙一。\n乙二。").apply(_alignment(), NOW)
    assert [s.text for s in after.zh] == ["甲。", "乙一。", "乙二。", "丙。", "丁。"]
    assert _shape(after) == [((0,), (0,)), ((1, 2), (1, 2)), ((3,), ()), ((4,), (3,))]


def test_one_line_for_two_sentences_joins_them():
    after = EditText("en", (1, 2), "B and C.").apply(_alignment(), NOW)
    assert [s.text for s in after.en] == ["A.", "B and C.", "D."]
    assert _shape(after) == [((0,), (0,)), ((1,), (1,)), ((2,), ()), ((3,), (2,))]


def test_sentences_of_different_beads_cannot_be_joined():
    with pytest.raises(InputError, match="different beads; merge the beads first"):
        EditText("en", (0, 1), "A and B.").apply(_alignment(), NOW)


def test_empty_text_is_refused():
    with pytest.raises(InputError, match="the new text is empty"):
        EditText("en", (0,), "  \n ").apply(_alignment(), NOW)


def test_confirm_and_unconfirm():
    confirmed = Confirm(1).apply(_alignment(), NOW)
    assert confirmed.beads[1].status == "confirmed"
    assert Unconfirm(1).apply(confirmed, NOW).beads[1].status == "edited"


def test_an_unpaired_bead_cannot_be_confirmed():
    with pytest.raises(InputError, match="unpaired; pair it before confirming"):
        Confirm(2).apply(_alignment(), NOW)


def test_confirm_above_confirms_only_automatic_paired_beads_at_or_above_the_threshold():
    after = ConfirmAbove(0.8).apply(_alignment(), NOW)
    assert [b.status for b in after.beads] == ["confirmed", "auto", "auto", "confirmed"]


def test_parse_edit_reads_the_json_form():
    assert parse_edit({"op": "edit_text", "side": "en", "sentences": [1, 2], "text": "x"}) == EditText("en", (1, 2), "x")
    assert parse_edit({"op": "merge", "bead": 4, "version": 7}) == Merge(4)


@pytest.mark.parametrize("data, message", [
    ({"op": "explode"}, "unknown operation 'explode'"),
    ({"op": "merge"}, "merge needs the field 'bead'"),
    ({"op": "merge", "bead": "4"}, "'bead' has the wrong type (str)"),
    ({"op": "confirm", "bead": True}, "'bead' has the wrong type (bool)"),
])
def test_malformed_edits_are_refused_with_one_clear_message(data, message):
    with pytest.raises(InputError) as error:
        parse_edit(data)
    assert message in str(error.value)
