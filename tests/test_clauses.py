from align.score.clauses import GATE, clauses, moves, route_clause_gains
from align.score.embed import get_encoder

# MAC-Dev chapter 1 (Chinese 288-289, English 308-309): the translator moved 把他看到没了脾气 to the end of the
# English sentence before, so the gold is one 2-2 where a route of sentence signals finds two fair 1-1s.
ZH = ["但我只是看着他，像野猪一样看他，像发傻一样看他，像公猫看母猫一样看他。", "把他看到没了脾气，就让我走了。"]
EN = ["But I just stared at him, like a wild boar, like an idiot, like a male cat staring at a female one, "
      "until his anger vanished under my stare.", "Then he let me go."]
TWO_ONE_TO_ONES = [((1, 1), 1, 1), ((1, 1), 2, 2)]


def test_a_sentence_is_cut_at_its_clause_marks_and_short_pieces_join_the_next():
    assert clauses("把他看到没了脾气，就让我走了。", zh=True) == ["把他看到没了脾气，", "就让我走了。"]
    assert clauses("他说，我们走吧。", zh=True) == ["他说，我们走吧。"]
    assert clauses("Then, he let me go.", zh=False) == ["Then, he let me go."]
    assert clauses("He came back at dawn; the roads were empty.", zh=False) == ["He came back at dawn;",
                                                                                "the roads were empty."]


def test_each_edge_clause_of_a_boundary_looks_toward_the_sentence_across_it():
    found = moves(ZH, EN, ((0,), (0,)), ((1,), (1,)))
    # the later Chinese sentence's first clause toward the earlier English; its own is the later English
    assert ("把他看到没了脾气，", EN[0], EN[1]) in found
    # the earlier English sentence's last clause toward the later Chinese; its own is the earlier Chinese
    assert ("until his anger vanished under my stare.", ZH[1], ZH[0]) in found
    # a sentence of one clause has no edge clause to move
    assert all(m.clause != EN[1] for m in found)


def test_both_pieces_of_a_split_two_two_read_the_moved_clause():
    gains = route_clause_gains(ZH, EN, TWO_ONE_TO_ONES, [1.0, 1.0], get_encoder("use").encode)
    assert gains[0] == gains[1] > 0.1


def test_sure_units_and_units_without_a_paired_neighbour_read_nothing():
    encode = get_encoder("use").encode
    assert route_clause_gains(ZH, EN, TWO_ONE_TO_ONES, [GATE, GATE + 3], encode) == [0.0, 0.0]
    assert route_clause_gains(ZH, EN, [((2, 2), 2, 2)], [1.0], encode) == [0.0]
    assert route_clause_gains(ZH, EN, [((1, 0), 1, 0), ((1, 2), 2, 2)], [0.0, 1.0], encode) == [0.0, 0.0]
