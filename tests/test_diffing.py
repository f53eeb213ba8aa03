from readingroom.text.diffing import change_counts, word_diff_html


def test_a_changed_word_is_shown_removed_and_added_and_everything_is_escaped():
    old = "The <b>ferry</b> runs from Wednesday.\n\nEngineers said so."
    new = "The <b>ferry</b> runs from Thursday.\n\nEngineers said so."
    html = word_diff_html(old, new)
    assert (
        html == "The &lt;b&gt;ferry&lt;/b&gt; runs from <del>Wednesday.</del><ins>Thursday.</ins>\n\nEngineers said so."
    )
    assert change_counts(old, new) == (1, 1)


def test_added_and_removed_paragraphs():
    assert word_diff_html("One.", "One.\n\nTwo.") == "One.<ins>\n\nTwo.</ins>"
    assert word_diff_html("One.\n\nTwo.", "Two.") == "<del>One.\n\n</del>Two."
