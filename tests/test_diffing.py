from readingroom.text.diffing import MAX_WORDS, change_counts, word_diff_html, worth_comparing


def test_a_changed_word_is_shown_removed_and_added_and_everything_is_escaped():
    old = "The <b>ferry</b> runs from Wednesday.\n\nEngineers said so."
    new = "The <b>ferry</b> runs from Thursday.\n\nEngineers said so."
    html = word_diff_html(old, new)
    assert (
        html == "The &lt;b&gt;ferry&lt;/b&gt; runs from <del>Wednesday.</del><ins>Thursday.</ins>\n\nEngineers said so."
    )
    assert change_counts(old, new) == (1, 1)


def test_added_and_removed_paragraphs():
    assert word_diff_html("One.", "One.\n\nTwo.") == "One.\n\n<ins>Two.</ins>"
    assert word_diff_html("One.\n\nTwo.", "Two.") == "<del>One.</del>\n\nTwo."


def test_two_long_unrelated_texts_are_shown_paragraph_by_paragraph_not_word_by_word():
    # Comparing every word of two long texts with each other would take minutes; a paragraph
    # longer than the limit is shown removed and added whole instead.
    old = " ".join(f"alpha{n}" for n in range(MAX_WORDS + 50))
    new = " ".join(f"beta{n}" for n in range(MAX_WORDS + 50))
    assert word_diff_html(old, new) == f"<del>{old}</del><ins>{new}</ins>"
    assert change_counts(old, new) == (MAX_WORDS + 50, MAX_WORDS + 50)


def test_short_passages_and_rewordings_are_worth_comparing_word_by_word():
    assert worth_comparing("some 1,000 km", "about 1,500 km")
    assert worth_comparing(
        "The leaders talked for four hours at the space centre on Wednesday.",
        "The two leaders talked for nearly five hours at the space centre.",
    )


def test_two_sentences_saying_different_things_are_not():
    assert not worth_comparing(
        "The president shook hands with the visiting leader outside the launch hall.",
        "We will talk about all the issues, without rushing, there is time.",
    )
    assert not worth_comparing("", "Anything at all")
