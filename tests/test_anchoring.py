"""Re-anchoring annotations after the canonical text is edited (pure Python, no database).

The texts are sentences from the seed articles in seeds/, so the edits look like a curator's:
a paragraph added, a typo fixed, a sentence deleted.
"""

import random
import re

import pytest

from readingroom.text.anchoring import (
    CONTEXT_LENGTH,
    MAX_SELECTION,
    Anchor,
    AnchorState,
    Quote,
    SelectionError,
    check_selection,
    quote_for,
    reanchor,
    reanchor_all,
)

GREETING = (
    "Wearing a dark suit and smiling widely, Kim shook Putin's hand enthusiastically, video "
    "released by the Kremlin showed, with the two leaders then walking around the vast space "
    "centre."
)
THANKS = (
    "Kim thanked Putin for inviting him to visit, despite the Russian leader's \"busy "
    'schedule", having earlier stressed the trip — his first post-pandemic foreign travel — '
    'showed North Korea was "prioritising the strategic importance" of its Russia ties.'
)
TRAIN = (
    "Kim, who travelled overland to Russia in his bullet-proof train, is accompanied by an "
    "entourage that suggested a strong military focus for the summit."
)
SUPPORT = (
    "Kim Jong-un has offered Vladimir Putin his support for Russia’s “sacred fight” against "
    "the west during talks that also touched on possible Russian help with North Korea’s "
    "space programme."
)
PRIORITY = (
    "Kim told Putin North Korea would make bilateral ties with Russia its number one "
    "priority, and that he saw the war in Ukraine as an attempt to challenge “hegemonist "
    "forces” seeking to undermine Russia’s security."
)
SANCTIONS = (
    "North Korea has made huge advances in its nuclear and ballistic weapons programmes "
    "despite years of UN-led sanctions supported by Russia, but it has fared less well in its "
    "attempts to launch a satellite."
)
VENUE = (
    "The choice of venue for the summit was significant, given North Korea’s interest in "
    "pursuing a space programme. Before their talks, the leaders toured assembly and launch "
    "facilities at the Vostochny cosmodrome, not far from the Chinese border."
)
DEPARTURE = (
    "North Korea's leader Kim Jong Un boards his train as he leaves the Vostochny Сosmodrome "
    "after a meeting with Russia's President Vladimir Putin."  # the С is Cyrillic, as in the seed
)
ARTILLERY = (
    "Russia was expected to use Wednesday’s talks to seek artillery shells and antitank "
    "missiles from Pyongyang, which wants advanced satellite and nuclear-powered submarine "
    "technology in return."
)
SIGHTSEEING = (
    "The leaders toured the Vostochny cosmodrome, a Russian spaceport some 1,000 kilometres "
    "(620 miles) from Vladivostok."
)

ARTICLE = "\n\n".join([GREETING, THANKS, TRAIN])


def paragraphs(*blocks: str) -> str:
    return "\n\n".join(blocks)


def span_of(text: str, exact: str, occurrence: int = 1) -> tuple[int, int]:
    """Offsets of the n-th occurrence of exact in text."""
    start = -1
    for _ in range(occurrence):
        start = text.index(exact, start + 1)
    return start, start + len(exact)


def reanchored(old: str, new: str, exact: str, occurrence: int = 1) -> Anchor:
    start, end = span_of(old, exact, occurrence)
    return reanchor(old, new, start, end, quote_for(old, start, end))


def assert_found(anchor: Anchor, new: str, state: str, start: int, exact: str) -> None:
    assert (anchor.state, anchor.start, anchor.end) == (state, start, start + len(exact))
    assert anchor.quote == quote_for(new, start, start + len(exact))
    assert anchor.quote.exact == exact


def assert_orphaned(anchor: Anchor, old: str, exact: str, occurrence: int = 1) -> None:
    start, end = span_of(old, exact, occurrence)
    assert anchor == Anchor(AnchorState.ORPHANED, None, None, quote_for(old, start, end))


# --- quote_for ----------------------------------------------------------------------------------


def test_quote_for_takes_32_characters_of_context_on_each_side():
    start, end = span_of(SUPPORT, "“sacred fight”")

    quote = quote_for(SUPPORT, start, end)

    assert quote == Quote(
        exact="“sacred fight”",
        prefix=SUPPORT[start - CONTEXT_LENGTH : start],
        suffix=SUPPORT[end : end + CONTEXT_LENGTH],
    )
    assert len(quote.prefix) == len(quote.suffix) == 32


def test_quote_for_shortens_the_context_at_the_start_and_the_end_of_the_text():
    first = quote_for(TRAIN, 0, 3)
    last = quote_for(TRAIN, len(TRAIN) - 7, len(TRAIN))

    assert first == Quote(exact="Kim", prefix="", suffix=TRAIN[3:35])
    assert last == Quote(exact="summit.", prefix=TRAIN[-39:-7], suffix="")
    assert quote_for(TRAIN, 0, len(TRAIN)) == Quote(exact=TRAIN, prefix="", suffix="")


def test_quote_for_counts_an_emoji_as_one_character():
    text = "🚀 Kim toured the launch pad."

    quote = quote_for(text, 2, 5)

    assert quote == Quote(exact="Kim", prefix="🚀 ", suffix=" toured the launch pad.")


def test_quote_for_refuses_a_span_outside_the_text():
    with pytest.raises(ValueError):
        quote_for(TRAIN, 10, len(TRAIN) + 1)


# --- check_selection ----------------------------------------------------------------------------


def test_check_selection_accepts_a_selection_that_matches_the_text():
    start, end = span_of(ARTICLE, "bullet-proof train")

    assert check_selection(ARTICLE, start, end, "bullet-proof train") == quote_for(ARTICLE, start, end)


def test_check_selection_counts_offsets_in_code_points_not_utf16_units():
    text = "🚀🚀 Launch day — “We will discuss everything,” Putin said."
    start, end = span_of(text, "“We will discuss everything,”")

    assert start == 16  # UTF-16 would say 18: each rocket is two units there
    assert check_selection(text, start, end, "“We will discuss everything,”").exact == ("“We will discuss everything,”")


@pytest.mark.parametrize(
    ("start", "end"),
    [(-1, 5), (0, len(ARTICLE) + 1), (len(ARTICLE) + 5, len(ARTICLE) + 9)],
)
def test_check_selection_rejects_offsets_outside_the_text(start, end):
    with pytest.raises(SelectionError, match=f"outside the text \\(0–{len(ARTICLE)}\\)"):
        check_selection(ARTICLE, start, end, "Kim")


@pytest.mark.parametrize(("start", "end"), [(40, 40), (43, 40)])
def test_check_selection_rejects_an_empty_or_reversed_range(start, end):
    with pytest.raises(SelectionError, match="empty|ends before it starts"):
        check_selection(ARTICLE, start, end, "")


@pytest.mark.parametrize(("start", "end"), [("40", 43), (40, 43.0), (None, 43), (True, 43)])
def test_check_selection_rejects_offsets_that_are_not_integers(start, end):
    with pytest.raises(SelectionError, match="whole numbers"):
        check_selection(ARTICLE, start, end, "Kim")


def test_check_selection_rejects_text_that_no_longer_matches_the_document():
    start, end = span_of(ARTICLE, "bullet-proof train")

    with pytest.raises(SelectionError, match="no longer matches the document"):
        check_selection(ARTICLE, start, end, "armoured train")


def test_check_selection_rejects_a_selection_of_only_whitespace():
    start, end = span_of(ARTICLE, "\n\n")

    with pytest.raises(SelectionError, match="only whitespace"):
        check_selection(ARTICLE, start, end, "\n\n")


def test_check_selection_rejects_a_selection_longer_than_the_limit():
    text = paragraphs(*[SUPPORT] * 60)
    assert len(text) > MAX_SELECTION

    with pytest.raises(SelectionError, match="too long"):
        check_selection(text, 0, MAX_SELECTION + 1, text[: MAX_SELECTION + 1])


def test_selection_error_is_a_value_error():
    assert issubclass(SelectionError, ValueError)


# --- reanchor: the diff maps the passage ---------------------------------------------------------


def test_it_keeps_a_quote_anchored_when_the_text_is_unchanged():
    anchor = reanchored(ARTICLE, ARTICLE, "bullet-proof train")

    start = ARTICLE.index("bullet")
    assert_found(anchor, ARTICLE, AnchorState.ANCHORED, start, "bullet-proof train")


def test_it_moves_a_quote_when_text_is_inserted_before_it():
    new = paragraphs(SUPPORT, ARTICLE)

    anchor = reanchored(ARTICLE, new, "Kim shook Putin's hand enthusiastically")

    start = len(SUPPORT) + 2 + GREETING.index("Kim shook")
    assert_found(anchor, new, AnchorState.MOVED, start, "Kim shook Putin's hand enthusiastically")


def test_it_keeps_a_quote_anchored_when_text_is_inserted_after_it():
    new = paragraphs(GREETING, SUPPORT, THANKS, TRAIN)

    anchor = reanchored(ARTICLE, new, "Kim shook Putin's hand enthusiastically")

    start = GREETING.index("Kim shook")
    assert_found(anchor, new, AnchorState.ANCHORED, start, "Kim shook Putin's hand enthusiastically")


def test_it_keeps_a_quote_anchored_but_refreshes_its_suffix_when_words_are_typed_right_after_it():
    new = ARTICLE.replace("bullet-proof train,", "bullet-proof train, which is armoured,")

    anchor = reanchored(ARTICLE, new, "bullet-proof train")

    start = ARTICLE.index("bullet-proof")
    assert_found(anchor, new, AnchorState.ANCHORED, start, "bullet-proof train")
    assert anchor.quote.suffix.startswith(", which is armoured,")


# --- reanchor: the quote itself was edited -------------------------------------------------------


def test_it_moves_and_updates_a_quote_when_words_are_inserted_inside_it():
    new = ARTICLE.replace("Putin's hand", "Putin's right hand")

    anchor = reanchored(ARTICLE, new, "Kim shook Putin's hand enthusiastically")

    start = GREETING.index("Kim shook")
    assert_found(anchor, new, AnchorState.MOVED, start, "Kim shook Putin's right hand enthusiastically")


def test_it_follows_a_typo_fix_inside_the_quote():
    old = paragraphs(SUPPORT, PRIORITY.replace("priority", "priorty"))
    new = paragraphs(SUPPORT, PRIORITY)

    anchor = reanchored(old, new, "its number one priorty")

    start = new.index("its number one priority")
    assert_found(anchor, new, AnchorState.MOVED, start, "its number one priority")


def test_it_follows_a_cyrillic_letter_replaced_by_a_latin_one_inside_the_quote():
    old = paragraphs(GREETING, DEPARTURE)
    new = old.replace("Vostochny Сosmodrome", "Vostochny Cosmodrome")
    assert old != new

    anchor = reanchored(old, new, "leaves the Vostochny Сosmodrome")

    start = old.index("leaves the Vostochny")
    assert_found(anchor, new, AnchorState.MOVED, start, "leaves the Vostochny Cosmodrome")


def test_it_does_not_leave_a_quote_ending_inside_a_word_that_was_lengthened():
    new = ARTICLE.replace("its Russia ties", "its Russian ties")

    anchor = reanchored(ARTICLE, new, 'importance" of its Russia')

    start = new.index('importance"')
    assert_found(anchor, new, AnchorState.MOVED, start, 'importance" of its Russian')


def test_it_prefers_the_edited_passage_in_place_over_an_identical_copy_elsewhere():
    heading = "Kim and Putin meet at the cosmodromepublished at {} British Summer Time 13 September 2023"
    old = paragraphs(heading.format("12:44"), GREETING, heading.format("14:53"), TRAIN)
    new = old.replace("14:53 British Summer Time 13 September", "14:53 British Summer Time 13 Sept")

    anchor = reanchored(old, new, "13 September 2023", occurrence=2)

    start, _ = span_of(new, "13 Sept 2023")
    assert_found(anchor, new, AnchorState.MOVED, start, "13 Sept 2023")


# --- reanchor: the passage moved -----------------------------------------------------------------


def test_it_lets_the_context_decide_between_two_occurrences_of_a_quote():
    # The annotated "Vostochny cosmodrome" is in SIGHTSEEING; VENUE mentions it too. Moving
    # SIGHTSEEING below VENUE reads as a deletion and an insertion, and the copy in VENUE is
    # nearer to where the deletion was: only the context can tell them apart.
    old = paragraphs(SIGHTSEEING, SUPPORT, VENUE, TRAIN)
    new = paragraphs(SUPPORT, VENUE, SIGHTSEEING, TRAIN)
    nearer, _ = span_of(new, "Vostochny cosmodrome", 1)
    annotated, _ = span_of(new, "Vostochny cosmodrome", 2)
    assert nearer < annotated

    anchor = reanchored(old, new, "Vostochny cosmodrome")

    assert_found(anchor, new, AnchorState.MOVED, annotated, "Vostochny cosmodrome")


def test_it_follows_a_paragraph_that_was_moved_to_the_end():
    old = paragraphs(THANKS, GREETING, TRAIN, SUPPORT)
    new = paragraphs(GREETING, TRAIN, SUPPORT, THANKS)

    anchor = reanchored(old, new, "his first post-pandemic foreign travel")

    start = new.index("his first post-pandemic")
    assert_found(anchor, new, AnchorState.MOVED, start, "his first post-pandemic foreign travel")


def test_it_finds_an_edited_quote_in_a_paragraph_that_was_moved():
    old = paragraphs(THANKS, GREETING, TRAIN, SUPPORT)
    edited = THANKS.replace("inviting him", "inviting the leader")
    new = paragraphs(GREETING, TRAIN, SUPPORT, edited)

    anchor = reanchored(old, new, "thanked Putin for inviting him to visit")

    start = new.index("thanked Putin")
    assert_found(anchor, new, AnchorState.MOVED, start, "thanked Putin for inviting the leader to visit")


def test_it_finds_a_moved_and_edited_quote_even_when_an_unchanged_copy_is_elsewhere():
    # The best alignment of the bare quote is the untouched "Kremlin spokesman" in the first
    # paragraph; only the moved paragraph has the context around it.
    bullet = "• The leaders did not discuss the risk of nuclear war, a Kremlin spokesman adds"
    quoted = "The talks were described as important by Kremlin spokesman Dmitry Peskov."
    old = paragraphs(quoted, bullet, GREETING, TRAIN)
    new = paragraphs(quoted, GREETING, TRAIN, bullet.replace("Kremlin", "Kremlin's"))

    anchor = reanchored(old, new, "Kremlin spokesman", occurrence=2)

    start, _ = span_of(new, "Kremlin's spokesman")
    assert_found(anchor, new, AnchorState.MOVED, start, "Kremlin's spokesman")


# --- reanchor: the passage is gone --------------------------------------------------------------


def test_it_orphans_a_quote_whose_whole_passage_was_deleted():
    new = paragraphs(GREETING, TRAIN)

    anchor = reanchored(ARTICLE, new, 'despite the Russian leader\'s "busy schedule"')

    assert_orphaned(anchor, ARTICLE, 'despite the Russian leader\'s "busy schedule"')


def test_it_orphans_a_quote_in_a_deleted_sentence():
    old = paragraphs(SUPPORT + " " + PRIORITY, TRAIN)
    new = paragraphs(SUPPORT, TRAIN)

    anchor = reanchored(old, new, "Kim told Putin")

    assert_orphaned(anchor, old, "Kim told Putin")


def test_it_orphans_a_deleted_summary_point_rather_than_anchor_it_to_a_similar_sentence():
    # A liveblog's summary repeats its entries in other words; deleting the summary point
    # must not move its annotations onto a sentence that merely says much the same
    # ("says there are" ~ "said there were": similarity 89, above the fuzzy threshold).
    summary = '• Putin also says there are "possibilities" for military co-operation between the countries'
    entry = (
        "In an interview with Russian state television, Putin also said there were "
        '"possibilities" for military co-operation with North Korea despite sanctions.'
    )
    old = paragraphs("Summary", summary, GREETING, entry)
    new = paragraphs("Summary", GREETING, entry)
    exact = 'Putin also says there are "possibilities" for military co-operation'

    anchor = reanchored(old, new, exact)

    assert_orphaned(anchor, old, exact)


def test_it_orphans_the_first_word_of_a_deleted_paragraph_even_when_the_next_one_starts_with_it():
    # THANKS and TRAIN both start with "Kim": the diff could keep the first "Kim" and delete
    # from there to the second, but the annotated word went with its paragraph.
    new = paragraphs(GREETING, TRAIN)

    anchor = reanchored(ARTICLE, new, "Kim", occurrence=2)

    assert_orphaned(anchor, ARTICLE, "Kim", occurrence=2)


def test_it_orphans_every_quote_when_the_new_text_is_empty():
    start, end = span_of(ARTICLE, "Kim")
    quote = quote_for(ARTICLE, start, end)

    assert reanchor(ARTICLE, "", start, end, quote) == Anchor(AnchorState.ORPHANED, None, None, quote)


def test_it_never_fuzzy_matches_a_quote_shorter_than_three_characters():
    # "US" and "USA" are 80% alike, which would pass for a longer quote; for two characters
    # that says nothing, so the quote is only ever found exactly.
    deal = "South Korea and the US have said that any arms deal would violate UN resolutions."
    old = paragraphs(GREETING, deal)
    new = old.replace("the US have", "the USA have")

    anchor = reanchored(old, new, "US")

    assert_orphaned(anchor, old, "US")


def test_it_still_moves_a_quote_shorter_than_three_characters_that_is_unchanged():
    old = paragraphs(GREETING, SANCTIONS)
    new = paragraphs(SUPPORT, old)

    anchor = reanchored(old, new, "UN")

    assert_found(anchor, new, AnchorState.MOVED, new.index("UN-led"), "UN")


# --- reanchor: edges and characters outside ASCII ------------------------------------------------


def test_it_moves_a_quote_at_the_very_start_when_text_is_put_before_it():
    old = paragraphs(SUPPORT, TRAIN)
    new = "Breaking: " + old

    anchor = reanchored(old, new, "Kim Jong-un has offered")

    assert_found(anchor, new, AnchorState.MOVED, len("Breaking: "), "Kim Jong-un has offered")


def test_it_keeps_a_quote_at_the_very_end_anchored_when_text_is_appended():
    old = paragraphs(SUPPORT, TRAIN)
    new = old + " Kim Yo-jong travelled with him."

    anchor = reanchored(old, new, "focus for the summit.")

    assert_found(anchor, new, AnchorState.ANCHORED, len(old) - 21, "focus for the summit.")
    assert anchor.quote.suffix == " Kim Yo-jong travelled with him."


def test_it_follows_an_edit_inside_a_quote_at_the_very_start_of_the_text():
    old = SUPPORT.replace("offered", "ofered")

    anchor = reanchored(old, SUPPORT, "Kim Jong-un has ofered")

    assert_found(anchor, SUPPORT, AnchorState.MOVED, 0, "Kim Jong-un has offered")


def test_it_counts_offsets_in_code_points_around_emoji_curly_quotes_and_em_dashes():
    old = paragraphs("🚀 " + SUPPORT, THANKS)
    new = paragraphs("🚀🚀🚀 Live — " + SUPPORT, THANKS)
    exact = "Russia’s “sacred fight”"
    start, _ = span_of(old, exact)
    assert start == 2 + SUPPORT.index(exact)  # the rocket is one code point

    anchor = reanchored(old, new, exact)

    # "🚀🚀🚀 Live — " is 9 code points longer than "🚀 " (in UTF-16 units it would be 11).
    assert_found(anchor, new, AnchorState.MOVED, start + 9, exact)


def test_it_follows_a_quote_with_em_dashes_when_an_emoji_is_inserted_inside_it():
    exact = "the trip — his first post-pandemic foreign travel — showed"
    new = ARTICLE.replace("foreign travel", "foreign travel 🚀")

    anchor = reanchored(ARTICLE, new, exact)

    start = ARTICLE.index(exact)
    assert_found(
        anchor,
        new,
        AnchorState.MOVED,
        start,
        "the trip — his first post-pandemic foreign travel 🚀 — showed",
    )


def test_it_follows_a_quote_in_cyrillic_and_latin_when_a_paragraph_is_inserted_before_it():
    old = paragraphs(GREETING, DEPARTURE)
    new = paragraphs(SUPPORT, old)

    anchor = reanchored(old, new, "Vostochny Сosmodrome")

    start = new.index("Vostochny Сosmodrome")
    assert_found(anchor, new, AnchorState.MOVED, start, "Vostochny Сosmodrome")


# --- reanchor_all ---------------------------------------------------------------------------------


def test_reanchor_all_gives_the_same_results_as_reanchor_one_by_one():
    old = paragraphs(SUPPORT, THANKS, GREETING, SANCTIONS, TRAIN)
    new = paragraphs(
        "🚀 Live",
        SUPPORT,
        GREETING.replace("Putin's hand", "Putin's right hand"),
        SANCTIONS,
        TRAIN.replace("bullet-proof", "bulletproof"),
    )
    quotes = [
        "“sacred fight”",
        'despite the Russian leader\'s "busy schedule"',
        "Kim shook Putin's hand enthusiastically",
        "UN-led sanctions",
        "in his bullet-proof train",
        "Kim",
    ]
    spans = [(*span_of(old, exact), quote_for(old, *span_of(old, exact))) for exact in quotes]

    together = reanchor_all(old, new, spans)

    assert together == [reanchor(old, new, *span) for span in spans]
    assert [anchor.state for anchor in together] == [
        AnchorState.MOVED,
        AnchorState.ORPHANED,
        AnchorState.MOVED,
        AnchorState.MOVED,
        AnchorState.MOVED,
        AnchorState.MOVED,
    ]


def test_reanchor_all_with_no_spans_returns_nothing():
    assert reanchor_all(ARTICLE, ARTICLE + " More.", []) == []


SENTENCES = [
    GREETING,
    THANKS,
    TRAIN,
    SUPPORT,
    PRIORITY,
    SANCTIONS,
    VENUE,
    DEPARTURE,
    ARTILLERY,
    SIGHTSEEING,
    "“We will discuss everything,” Putin said, answering a question from journalists whether "
    "military-technical cooperation will be on the meeting’s agenda.",
    "While Pyongyang's top leader was out of the country, North Korea fired two ballistic "
    "missiles on Wednesday, the South Korean military said.",
    "It failed to put a military spy satellite into orbit in recent months, experts said.",
    "Photos taken at the venue revealed that Kim was accompanied by his powerful younger "
    "sister, Kim Yo-jong, who has travelled with him on previous overseas visits.",
]


def long_article(count: int) -> str:
    """count distinct paragraphs of news prose, each three of SENTENCES in a different order."""
    blocks = []
    for index in range(count):
        picked = [SENTENCES[(index * step) % len(SENTENCES)] for step in (1, 3, 5)]
        blocks.append(f"{index + 1}. " + " ".join(picked))
    return paragraphs(*blocks)


def word_spans(text: str, count: int, seed: int) -> list[tuple[int, int]]:
    """count spans of one to twelve whole words, picked at random but repeatably."""
    words = [match.span() for match in re.finditer(r"\S+", text)]
    chooser = random.Random(seed)
    spans = []
    for _ in range(count):
        first = chooser.randrange(len(words))
        last = min(len(words) - 1, first + chooser.randrange(12))
        spans.append((words[first][0], words[last][1]))
    return spans


def test_it_moves_200_annotations_when_a_paragraph_is_inserted_near_the_top_of_a_long_article():
    old = long_article(50)
    first_block_end = old.index("\n\n")
    inserted = "\n\nUpdate: " + ARTILLERY
    new = old[:first_block_end] + inserted + old[first_block_end:]
    spans = word_spans(old, 200, seed=13)

    quotes = [(start, end, quote_for(old, start, end)) for start, end in spans]

    anchors = reanchor_all(old, new, quotes)

    for (start, end), anchor in zip(spans, anchors, strict=True):
        if end <= first_block_end:
            assert (anchor.state, anchor.start, anchor.end) == (AnchorState.ANCHORED, start, end)
        else:
            shifted = (start + len(inserted), end + len(inserted))
            assert (anchor.state, anchor.start, anchor.end) == (AnchorState.MOVED, *shifted)
        assert anchor.quote.exact == old[start:end]
    assert sum(anchor.state == AnchorState.MOVED for anchor in anchors) > 190
