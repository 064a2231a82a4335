import numpy as np

from align.score.punctuation import PunctuationAgreement, mark_counts


def test_marks_are_counted_per_sentence_and_apostrophes_are_not_quotes():
    counts = mark_counts(["'Don't go!' she said. Is it Trinket's?", "Well . . ."], "en")
    assert counts.tolist() == [[1, 1, 2, 0], [0, 0, 0, 1]]


def test_chinese_marks_are_questions_exclamations_quotes_and_ellipses():
    counts = mark_counts(["他问道：“你好吗？”", "不……不！"], "zh")
    assert counts.tolist() == [[1, 0, 2, 0], [0, 1, 0, 1]]


def test_a_quote_split_in_the_right_place_agrees_and_the_wrong_place_does_not():
    zh = ["小玄子一怔，道：“好，咱们打个彩头。", "明天我带银子来。”"]
    en = ["Misty seemed taken aback. 'All right.", "We fight for money. I'll bring my stake.'"]
    agreement = PunctuationAgreement(zh, en)
    assert agreement.agreement(1, 1, 1, np.array([1])).tolist() == [0.0]   # zh 0 with en 0: one opening quote each
    assert agreement.agreement(1, 2, 1, np.array([2])).tolist() == [-1.0]  # zh 0 with en 0+1: a closing quote too many
