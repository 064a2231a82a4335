from align.segment import split_chinese


def test_full_stop_question_exclamation_and_semicolon_are_boundaries():
    assert split_chinese("你问到目标。宗旨非常明确！对此你怎么看？分裂的世界不符合利益；阵营对抗只会走进死胡同。") == [
        "你问到目标。", "宗旨非常明确！", "对此你怎么看？", "分裂的世界不符合利益；", "阵营对抗只会走进死胡同。"]


def test_closing_quote_stays_with_its_sentence():
    assert split_chinese("他说：“我们同意。”随后离开。") == ["他说：“我们同意。”", "随后离开。"]


def test_no_split_inside_book_title_marks():
    assert split_chinese("会议通过了《关于修改。若干问题的决定》。散会。") == ["会议通过了《关于修改。若干问题的决定》。", "散会。"]


def test_ellipsis_is_a_boundary():
    assert split_chinese("我们等了很久……没有人来。") == ["我们等了很久……", "没有人来。"]


def test_latin_tokens_and_numbers_stay_intact():
    assert split_chinese("新冠肺炎（COVID-19）疫情期间，G20经济增长3.5%。谢谢！") == [
        "新冠肺炎（COVID-19）疫情期间，G20经济增长3.5%。", "谢谢！"]


def test_repeated_enders_stay_together():
    assert split_chinese("真的吗？！当然。") == ["真的吗？！", "当然。"]
