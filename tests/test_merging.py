"""Three-way merge of paragraphs: a curator's corrections survive a page that changed elsewhere."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from readingroom.text.merging import merge_three

BASE = ["headline", "first", "second", "third", "fourth"]


@pytest.mark.parametrize(
    ("ours", "theirs", "merged"),
    [
        # a curator fixed "second", the page corrected "fourth"
        (
            ["headline", "first", "2nd", "third", "fourth"],
            ["headline", "first", "second", "third", "4th"],
            ["headline", "first", "2nd", "third", "4th"],
        ),
        # a curator removed a line of chrome, the page grew at the end (a live blog)
        (["first", "second", "third", "fourth"], BASE + ["fifth"], ["first", "second", "third", "fourth", "fifth"]),
        # both made the same change
        (
            ["headline", "first", "2nd", "third", "fourth"],
            ["headline", "first", "2nd", "third", "fourth"],
            ["headline", "first", "2nd", "third", "fourth"],
        ),
        # neighbouring paragraphs changed on each side
        (
            ["headline", "1st", "second", "third", "fourth"],
            ["headline", "first", "2nd", "third", "fourth"],
            ["headline", "1st", "2nd", "third", "fourth"],
        ),
    ],
)
def test_changes_to_different_paragraphs_are_both_kept(ours, theirs, merged):
    assert merge_three(BASE, ours, theirs) == merged


@pytest.mark.parametrize(
    ("ours", "theirs"),
    [
        (["headline", "first", "2nd", "third", "fourth"], ["headline", "first", "second!", "third", "fourth"]),
        (["headline", "first", "third", "fourth"], ["headline", "first", "second, corrected", "third", "fourth"]),
        (BASE + ["curator's note"], BASE + ["page's new entry"]),
    ],
)
def test_the_same_paragraph_changed_differently_is_a_conflict(ours, theirs):
    assert merge_three(BASE, ours, theirs) is None


words = st.lists(st.sampled_from("abcdef"), max_size=8)


@given(words, words)
def test_one_side_unchanged_gives_the_other(base, changed):
    assert merge_three(base, base, changed) == changed
    assert merge_three(base, changed, base) == changed
