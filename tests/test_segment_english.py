from align.segment import split_english


def test_seed_paragraph_splits_into_its_three_sentences():
    text = ("What is China's goal in the world? Recently, there has been some concern that the wider difference "
            "between China and the West could divide the world into different camps and endanger the international "
            "order. What's your response to these comments?")
    assert split_english(text) == [
        "What is China's goal in the world?",
        "Recently, there has been some concern that the wider difference between China and the West could divide "
        "the world into different camps and endanger the international order.",
        "What's your response to these comments?",
    ]


def test_quote_with_comma_inside_does_not_end_the_sentence():
    text = 'They are keen on waging a new "Cold War," drawing lines. A divided world serves no one.'
    assert split_english(text) == ['They are keen on waging a new "Cold War," drawing lines.', "A divided world serves no one."]


def test_titles_and_abbreviations_do_not_end_sentences():
    assert split_english("Mr. Wang met Dr. Li at No. 5 Road. They talked.") == ["Mr. Wang met Dr. Li at No. 5 Road.", "They talked."]


def test_country_abbreviation_ends_a_sentence_only_before_a_sentence_opener():
    assert split_english("He flew to the U.S. The talks began. The U.S. Army came.") == [
        "He flew to the U.S.", "The talks began.", "The U.S. Army came."]


def test_decimals_and_thousands_are_kept_whole():
    assert split_english("Growth was 3.5% in 2022. Exports rose by 1,000.5 tons.") == [
        "Growth was 3.5% in 2022.", "Exports rose by 1,000.5 tons."]


def test_initials_stay_with_the_name():
    assert split_english("The book is by J. K. Rowling. It sold well.") == ["The book is by J. K. Rowling.", "It sold well."]


def test_closing_quote_and_bracket_stay_with_their_sentence():
    assert split_english('He said "We agree." (It was late.) Then he left.') == [
        'He said "We agree."', "(It was late.)", "Then he left."]


def test_ellipsis_before_a_capital_ends_a_sentence():
    assert split_english("We waited... Nobody came.") == ["We waited...", "Nobody came."]


def test_lowercase_after_full_stop_is_not_a_boundary():
    assert split_english("See e.g. the report. Next.") == ["See e.g. the report.", "Next."]
