"""Tests for readingroom.text.cleaning against the real seed articles.

Pure functions, no database: runs with ``-p no:django`` and under pytest-django.
"""

from datetime import UTC, date, datetime
from functools import cache
from pathlib import Path

from readingroom.text.cleaning import BLOCK_KINDS, CleanedArticle, clean_text

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
TODAY = date(2025, 6, 1)  # fixed "now" so the inferred years do not drift

BBC = "000"
AFP = "001"  # Kyiv Post / AFP
UNKNOWN = "002"
KYIV_POST = "003"
GUARDIAN = "004"  # The Guardian via inkl
ALL_SEEDS = (BBC, AFP, UNKNOWN, KYIV_POST, GUARDIAN)


def seed_text(number: str) -> str:
    (path,) = SEEDS.glob(f"{number}_*.txt")
    return path.read_text(encoding="utf-8")


@cache
def cleaned(number: str) -> CleanedArticle:
    return clean_text(seed_text(number), today=TODAY)


def joined(article: CleanedArticle) -> str:
    return "\n".join(block.text for block in article.blocks)


def texts_of(article: CleanedArticle, kind: str) -> list[str]:
    return [block.text for block in article.blocks if block.kind == kind]


def assert_gone(article: CleanedArticle, *snippets: str) -> None:
    text = joined(article)
    for snippet in snippets:
        assert snippet not in text, snippet


def assert_kept(article: CleanedArticle, *snippets: str) -> None:
    text = joined(article)
    for snippet in snippets:
        assert snippet in text, snippet


# ---------------------------------------------------------------------------
# Every seed
# ---------------------------------------------------------------------------


def test_block_texts_have_no_newlines_or_outer_whitespace():
    for number in ALL_SEEDS:
        for block in cleaned(number).blocks:
            assert block.text, (number, block)
            assert "\n" not in block.text and "\r" not in block.text, (number, block)
            assert block.text == block.text.strip(), (number, block)
            assert "\u00a0" not in block.text and "  " not in block.text, (number, block)


def test_every_block_has_a_known_kind():
    for number in ALL_SEEDS:
        assert {block.kind for block in cleaned(number).blocks} <= set(BLOCK_KINDS)


def test_only_live_entry_headings_carry_a_time():
    for number in ALL_SEEDS:
        for block in cleaned(number).blocks:
            if block.published_at is not None:
                assert block.kind == "heading"
                assert block.published_at.tzinfo is not None


def test_titles_are_never_empty_or_summary():
    for number in ALL_SEEDS:
        title = cleaned(number).title
        assert title and title != "Summary"
        assert len(title) <= 91


def test_removed_lines_are_not_left_in_the_blocks():
    for number in ALL_SEEDS:
        article = cleaned(number)
        block_texts = {block.text for block in article.blocks}
        for line in article.removed:
            assert line not in block_texts, (number, line)


def test_it_removes_the_chrome_from_every_seed():
    chrome = [
        "Other Topics of Interest",
        "SBU Drones Hit Oil Depot",
        "Sources told Kyiv Post that various brands",
        "To suggest a correction or clarification",
        "Ctrl + Enter",
        "Get all your news in one place",
        "premium titles",
        "Start reading",
        "The Guardian - AU",
        "Sign up to read this article",
        "Already a member",
        "Related Stories",
        "Top stories on inkl right now",
        "One subscription",
        "Our Picks",
        "Fourteen days free",
        "Download the app",
        "One app",
        "trusted global sources",
        "Image source",
        "Image caption",
        "Media caption",
        "Photograph:",
        ", external",
    ]
    for number in ALL_SEEDS:
        assert_gone(cleaned(number), *chrome)


def test_it_keeps_the_last_paragraph_of_every_article():
    last_paragraphs = {
        BBC: "If China starts supplying Russia with weapons, this will “change everything”, "
        "and “not only for Ukraine” Poyta added.",
        AFP: '"Tactically, they both gain, by getting what they need right now. In a longer term though, '
        "Russia's important ties to Seoul will be dealt irreparable damage.\"",
        UNKNOWN: "Here it is possible to significantly increase transportation volumes, which is very "
        "important in general,” Putin said, without going into details of the project.",
        KYIV_POST: "but there has never been a time when North Korea brought in almost all of its key "
        "military officials like the one happening right now.”",
        GUARDIAN: "“The major worry of the Russian government now is a possible shipment of the South Korean "
        "ammunition to Ukraine, not just one shipment but a lot of shipments,” Lankov said.",
    }
    for number, paragraph in last_paragraphs.items():
        assert cleaned(number).blocks[-1].text.endswith(paragraph), number


# ---------------------------------------------------------------------------
# 000 – BBC live page
# ---------------------------------------------------------------------------


def test_it_splits_the_twenty_bbc_live_entries_into_headings_and_datelines():
    blocks = cleaned(BBC).blocks
    entry_positions = [i for i, b in enumerate(blocks) if b.kind == "heading" and b.published_at]
    assert len(entry_positions) == 20
    assert len(texts_of(cleaned(BBC), "dateline")) == 20
    for position in entry_positions:
        assert blocks[position + 1].kind == "dateline"
        assert "published at" not in blocks[position].text


def test_it_converts_the_first_bbc_entry_time_from_british_summer_time_to_utc():
    blocks = cleaned(BBC).blocks
    first = next(b for b in blocks if b.published_at)
    assert first.text == "Our journey ends while Kim's trip continues"
    assert first.published_at == datetime(2023, 9, 13, 14, 6, tzinfo=UTC)
    assert blocks[blocks.index(first) + 1].text == "15:06 British Summer Time 13 September 2023"


def test_the_bbc_page_is_dated_by_its_newest_entry():
    assert cleaned(BBC).published_at == datetime(2023, 9, 13, 14, 6, tzinfo=UTC)


def test_it_reads_greenwich_mean_time_entries():
    article = clean_text(
        "1. Talks beginpublished at 09:30 Greenwich Mean Time 4 December 2023\n\nThe leaders sat down.\n"
    )
    heading, dateline = article.blocks[:2]
    assert heading.text == "Talks begin"
    assert heading.published_at == datetime(2023, 12, 4, 9, 30, tzinfo=UTC)
    assert dateline.kind == "dateline" and dateline.text == "09:30 Greenwich Mean Time 4 December 2023"


def test_it_keeps_bbc_labels_the_summary_heading_and_entry_bylines():
    article = cleaned(BBC)
    assert article.blocks[0].kind == "heading" and article.blocks[0].text == "Summary"
    assert texts_of(article, "label") == ["Analysis", "Breaking", "Breaking"]
    assert texts_of(article, "byline") == [
        "Jean Mackenzie, Seoul correspondent",
        "Ece Göksedef, Live reporter",
        "Jean Mackenzie, Seoul correspondent",
        "Tessa Wong, Asia Digital Reporter",
    ]
    analysis = [b.text for b in article.blocks].index("Analysis")
    assert article.blocks[analysis + 1].text == "What does imperialism mean to North Koreans?"


def test_it_turns_the_bbc_summary_bullets_into_items():
    items = texts_of(cleaned(BBC), "item")
    assert items[0] == "Kim Jong Un's summit with Vladimir Putin at a cosmodrome in Russia's far east has finished"
    assert "The leaders did not discuss the risk of nuclear war, a Kremlin spokesman adds" in items
    assert len(items) == 13
    assert not any(item.startswith("•") for item in items)


def test_a_live_page_without_headline_is_untitled_with_its_first_summary_point():
    assert cleaned(BBC).title == (
        "Untitled — Kim Jong Un's summit with Vladimir Putin at a cosmodrome in Russia's far east…"
    )


def test_it_reads_the_bbc_byline_from_the_written_by_sentence():
    article = cleaned(BBC)
    assert article.byline == "Victoria Lindrea and Tarik Habte"
    assert article.publication == ""


def test_it_removes_bbc_image_sources_and_the_captions_that_follow():
    article = cleaned(BBC)
    assert_gone(
        article,
        "Vladimir Putin and Kim Jong Un at Vostochny Cosmodrome",
        "Smoke rises from the shipyard",
        "The shipyard that was reportedly hit by Ukrainian missile attack in Sevastopol, Crimea\n",
        "Shoigu was Kim's guest in Pyongyang last July.",
        "A photo shared by the Russian-installed governor",
        "Kim boarded his armoured train",
        "The leaders of Russia, China and North Korea made a show of solidarity",
    )
    assert "Media caption," in article.removed
    assert "Putin and Kim Jong Un meet at the Vostochny Cosmodrome" in article.removed
    assert article.removed.count("Image caption,") == 5


def test_it_strips_bbc_external_link_markers():
    assert_kept(
        cleaned(BBC),
        "\"The North Koreans will rebuild their stockpile with Chinese ammunition. It's not without the Chinese",
        "is becoming more active on Russia’s side,” commentator Yuriy Poyta",
    )


def test_it_keeps_the_bbc_entry_text():
    assert_kept(
        cleaned(BBC),
        "This wraps up our coverage of the Putin-Kim summit for today.",
        "This page has been edited by Nadia Ragozhina and Rob Corp. It was written by Victoria Lindrea and Tarik Habte.",
        "Here's a summary of what happened this morning at the Vostochny Cosmodrome.",
        "Both leaders focused on their long-held friendship:",
        '"The leader of the DPRK shows great interest in rocket engineering" Putin told reporters',
        "Here's another look at the moment Kim met Putin at the Vostochny Cosmodrome",
        "Not just us tourists, but the people of North Korea too.",
        "“The imperialist US is the destroyer of peace”.",
        '"It would kill more Ukrainians. But it will not kill Ukraine", said Akimenko.',
    )


def test_it_preserves_the_cyrillic_letter_of_the_bbc_page():
    # The only "Vostochny Сosmodrome" (Cyrillic С) sits in image alt text, which
    # is chrome: it must reach `removed` exactly as written, not transliterated.
    cyrillic = "Vostochny \u0421osmodrome"
    (alt_text,) = [line for line in cleaned(BBC).removed if "osmodrome after a meeting" in line]
    assert cyrillic in alt_text
    kept = clean_text(f"They met at the {cyrillic} on Wednesday.")
    assert kept.blocks[0].text == f"They met at the {cyrillic} on Wednesday."


# ---------------------------------------------------------------------------
# 001 – Kyiv Post / AFP
# ---------------------------------------------------------------------------


def test_it_removes_the_kyiv_post_teaser():
    for number in (AFP, KYIV_POST):
        article = cleaned(number)
        assert_gone(article, "SBU Drones", "Other Topics of Interest", "Sources told Kyiv Post")
        assert article.removed[:4] == [
            "SBU Drones Hit Oil Depot in Russia’s Rostov Region, Sources Say",
            "Other Topics of Interest",
            "SBU Drones Hit Oil Depot in Russia’s Rostov Region, Sources Say",
            "Sources told Kyiv Post that various brands of gasoline and diesel fuel with a total volume "
            "of 12.5 thousand cubic meters were stored there.",
        ]


def test_it_removes_the_kyiv_post_correction_footer():
    for number in (AFP, KYIV_POST):
        assert cleaned(number).removed[-2:] == [
            "To suggest a correction or clarification, write to us here",
            "You can also highlight the text and press Ctrl + Enter",
        ]


def test_it_lists_exactly_the_removed_afp_lines_in_order():
    assert len(cleaned(AFP).removed) == 6


def test_it_keeps_the_afp_article_text():
    assert_kept(
        cleaned(AFP),
        "President Vladimir Putin shook hands with North Korean leader Kim Jong Un at a Russian space centre",
        '"We\'ll talk about all the issues, without haste. There is time," Putin said',
        "Kim thanked Putin for inviting him to visit",
        "Kim, who travelled overland to Russia in his bullet-proof train",
        "Kim and Putin \"may conduct an exchange of North Korea's old-age, Soviet-type ammo",
    )
    assert len(texts_of(cleaned(AFP), "paragraph")) == 21


def test_it_turns_the_afp_subheading_into_a_heading():
    assert texts_of(cleaned(AFP), "heading") == ["Tactical gains"]


def test_an_article_without_headline_is_untitled_with_its_opening_words():
    # Its opening sentence is not passed off as a headline: the title says there is none.
    title = cleaned(AFP).title
    assert title == "Untitled — President Vladimir Putin shook hands with North Korean leader Kim Jong Un at…"
    assert len(title) <= 90


def test_it_infers_the_year_of_a_weekday_date():
    # "Wednesday, Sept. 13" (001) and "Wednesday, September 13" (002)
    for number in (AFP, UNKNOWN):
        assert cleaned(number).published_at == datetime(2023, 9, 13, tzinfo=UTC), number


def test_it_never_infers_a_year_in_the_future():
    text = "The leaders met on Wednesday, Sept. 13, officials said."
    assert clean_text(text, today=date(2023, 9, 13)).published_at == datetime(2023, 9, 13, tzinfo=UTC)
    # A day earlier 2023 is still ahead; the previous Wednesday 13 September was in 2017.
    assert clean_text(text, today=date(2023, 9, 12)).published_at == datetime(2017, 9, 13, tzinfo=UTC)


# ---------------------------------------------------------------------------
# 002 – unknown publication, no blank lines
# ---------------------------------------------------------------------------


def test_it_keeps_every_paragraph_of_the_article_without_blank_lines():
    article = cleaned(UNKNOWN)
    assert [b.kind for b in article.blocks] == ["paragraph"] * 13
    assert article.removed == []
    assert_kept(
        article,
        "The summit between Russian President Vladimir Putin and North Korean leader Kim Jong-un",
        "“We’ll talk about all the issues leisurely. There is plenty of time,” he added.",
        "Therefore, the first stage of the summit was devoted to visiting the cosmodrome.",
        "where we can create a very good logistics triangle. The railway, the port, then the road to China.",
    )


def test_unknown_metadata_stays_empty():
    for number in (AFP, UNKNOWN, KYIV_POST):
        article = cleaned(number)
        assert article.byline == "" and article.publication == "", number
    assert cleaned(KYIV_POST).published_at is None
    assert cleaned(GUARDIAN).published_at is None


# ---------------------------------------------------------------------------
# 003 – Kyiv Post
# ---------------------------------------------------------------------------


def test_it_keeps_the_short_kyiv_post_lines_that_are_article_text():
    paragraphs = texts_of(cleaned(KYIV_POST), "paragraph")
    for line in ("Here are the main takeaways…", "Speaking of which…", "So, what’s the verdict?"):
        assert line in paragraphs
    assert "In return, Putin said: “An old friend is better than two new ones.”" in paragraphs


def test_it_turns_the_kyiv_post_numbered_subheadings_into_headings():
    assert texts_of(cleaned(KYIV_POST), "heading") == [
        "Military cooperation",
        "A North Korean in space?",
        "“A great victory”",
        "The next destination",
        "The return invitation",
    ]


def test_it_replaces_no_break_spaces_in_the_kyiv_post_text():
    assert_kept(
        cleaned(KYIV_POST),
        "on Wednesday, as the two leaders met at the Vostochny cosmodrome in Russia's Far East.",
        "North Korea boasts large stocks of Soviet war material – albeit in an unknown condition –",
    )


# ---------------------------------------------------------------------------
# 004 – The Guardian via inkl
# ---------------------------------------------------------------------------


def test_it_removes_the_inkl_wrapper_at_top_and_bottom():
    article = cleaned(GUARDIAN)
    assert article.removed[:8] == [
        "Get all your news in one place.",
        "100’s of premium titles.",
        "One app.",
        "Start reading",
        "The Guardian - AU",
        "The Guardian - AU",
        "World",
        "Justin McCurry and Andrew Roth",
    ]
    headline = "Kim Jong-un offers Putin ‘full support’ in Russia’s ‘sacred fight’ with west"
    # The headline is the page's header, shown once from the title: taken out of the text last.
    assert article.removed[-13:] == [
        "Sign up to read this article",
        "Read news from 100’s of titles, curated specifically for you.",
        "Already a member? Sign in here",
        "Related Stories",
        "Top stories on inkl right now",
        "One subscription that gives you access to news from hundreds of sites",
        "Already a member? Sign in here",
        "Our Picks",
        "Fourteen days free",
        "Download the app",
        "One app. One membership.",
        "100+ trusted global sources.",
        headline,
    ]
    assert len(article.removed) == 8 + 4 + 12 + 1  # header, two captions with alt text, footer, headline


def test_it_reads_publication_and_byline_from_the_inkl_header():
    article = cleaned(GUARDIAN)
    assert article.publication == "The Guardian"
    assert article.byline == "Justin McCurry and Andrew Roth"


def test_the_guardian_headline_under_its_byline_is_the_title_and_not_shown_again_in_the_text():
    article = cleaned(GUARDIAN)
    headline = "Kim Jong-un offers Putin ‘full support’ in Russia’s ‘sacred fight’ with west"
    assert article.title == headline
    assert headline not in [block.text for block in article.blocks]
    assert article.blocks[0].text.startswith("Kim Jong-un has offered Vladimir Putin his support")


def test_it_removes_guardian_photo_captions_with_their_alt_text():
    article = cleaned(GUARDIAN)
    assert_gone(article, "Photograph: Sputnik/Reuters", "Kim Yo-jong arrives", "visit the Vostochny cosmodrome.")
    assert "Kim Yo-jong" in article.removed
    assert "Vladimir Putin and Kim Jong-un" in article.removed  # double space normalised
    assert "Kim Yo-jong arrives at the Vostochny \u0421osmodrome. Photograph: Sputnik/Reuters" in article.removed


def test_it_keeps_the_guardian_article_text():
    assert_kept(
        cleaned(GUARDIAN),
        "Kim Jong-un has offered Vladimir Putin his support for Russia’s “sacred fight”",
        "“We’ll talk about all the issues, without rushing. There is time,” Putin said before sitting down with Kim.",
        "Photos taken at the venue revealed that Kim was accompanied by his powerful younger sister, Kim Yo-jong,",
        "Peskov said that the foreign ministers of the two countries would meet next month in North Korea",
        "On Monday, the US described Putin as desperate in seeking a meeting with Kim.",
    )


# ---------------------------------------------------------------------------
# Other inputs: normalisation, Markdown, hard wrapping, siblings, metadata
# ---------------------------------------------------------------------------


def test_it_normalises_line_endings_spaces_and_invisible_characters():
    raw = "\ufeffFirst\u200b paragraph\tis here.\r\n\r\nSecond\u00a0\u00a0one — “quoted”.\r"
    article = clean_text(raw)
    assert [b.text for b in article.blocks] == ["First paragraph is here.", "Second one — “quoted”."]


def test_it_reads_a_form_feed_as_a_paragraph_break_and_drops_other_control_characters():
    article = clean_text("Page one ends\x01 here.\fPage two\x7f starts here.\x1a")
    assert [b.text for b in article.blocks] == ["Page one ends here.", "Page two starts here."]
    # A vertical tab and NEL break the line as a newline would.
    assert clean_text("Kim arrived.\vPutin waited.\x85They met.") == clean_text(
        "Kim arrived.\nPutin waited.\nThey met."
    )


def test_it_reduces_markdown_to_blocks():
    raw = (
        "# Putin meets **Kim** at the [cosmodrome](https://example.com/c)\n"
        "\n"
        "![Kim arrives](https://example.com/kim.jpg)\n"
        "\n"
        "The leaders met on *Wednesday* and talked\n"
        "for two hours, __state media__ said.\n"
        "\n"
        "## What they said\n"
        "\n"
        "- Putin offered help with `satellites`\n"
        "* Kim pledged \\*full\\* support\n"
        "1. A third point\n"
    )
    article = clean_text(raw, markdown=True)
    # The first-level heading is the title, shown once in the document's header.
    assert [(b.kind, b.text) for b in article.blocks] == [
        ("paragraph", "The leaders met on Wednesday and talked for two hours, state media said."),
        ("heading", "What they said"),
        ("item", "Putin offered help with satellites"),
        ("item", "Kim pledged *full* support"),
        ("item", "A third point"),
    ]
    assert article.title == "Putin meets Kim at the cosmodrome"
    assert article.removed == ["![Kim arrives](https://example.com/kim.jpg)", "Putin meets Kim at the cosmodrome"]


def test_it_joins_hard_wrapped_lines_into_paragraphs():
    raw = (
        "By Jane Doe\n"
        "\n"
        "Russian President Vladimir Putin met North Korean leader Kim Jong Un\n"
        "at the Vostochny Cosmodrome on Wednesday, 13 September 2023, in a\n"
        "summit that Western officials fear could lead to an arms deal.\n"
        "\n"
        "The two leaders toured the launch facilities before sitting down for\n"
        "talks that lasted about two hours, the Kremlin said in a statement\n"
        "published after the co-\n"
        "operation talks ended.\n"
        "\n"
        "- Kim will travel on to Vladivostok\n"
        "- Putin accepted an invitation to visit Pyongyang\n"
    )
    article = clean_text(raw)
    assert [(b.kind, b.text) for b in article.blocks] == [
        ("byline", "Jane Doe"),
        (
            "paragraph",
            "Russian President Vladimir Putin met North Korean leader Kim Jong Un at the Vostochny "
            "Cosmodrome on Wednesday, 13 September 2023, in a summit that Western officials fear "
            "could lead to an arms deal.",
        ),
        (
            "paragraph",
            "The two leaders toured the launch facilities before sitting down for talks that lasted "
            "about two hours, the Kremlin said in a statement published after the co-operation talks ended.",
        ),
        ("item", "Kim will travel on to Vladivostok"),
        ("item", "Putin accepted an invitation to visit Pyongyang"),
    ]
    assert article.byline == "Jane Doe"
    assert article.published_at == datetime(2023, 9, 13, tzinfo=UTC)


def test_it_keeps_one_paragraph_per_line_when_lines_are_long():
    # 002 has no blank lines at all; its long lines must not be joined.
    assert len(cleaned(UNKNOWN).blocks) == len(seed_text(UNKNOWN).strip().splitlines())


def test_lines_shared_with_sibling_documents_join_the_chrome_next_to_them():
    footer = "Kyiv Independent Daily\nIndependent journalism from Ukraine, every morning\nSign up for our newsletter\n"
    shared_quote = "“We will discuss everything,” Putin said."
    raw = f"Kim and Putin met at the spaceport on Wednesday.\n\n{shared_quote}\n\n{footer}"
    sibling = f"Ukraine said it hit a ship in Sevastopol.\n\n{shared_quote}\n\n{footer}"

    article = clean_text(raw, sibling_texts=[sibling])

    assert [b.text for b in article.blocks] == ["Kim and Putin met at the spaceport on Wednesday.", shared_quote]
    assert article.removed == footer.splitlines()


def test_a_line_shared_with_a_sibling_is_kept_when_no_chrome_is_near():
    # Two articles of one publication may share a subheading; what is kept must not depend
    # on which of them was imported first.
    raw = "Kim met Putin at the cosmodrome.\n\nWhat happens next\n\nThe leaders will meet again."
    sibling = "Ukraine struck Sevastopol.\n\nWhat happens next\n\nMore strikes are expected."
    assert clean_text(raw, sibling_texts=[sibling]).blocks == clean_text(raw).blocks


def test_a_sibling_from_the_same_publication_does_not_remove_article_text():
    alone = cleaned(AFP)
    with_sibling = clean_text(seed_text(AFP), sibling_texts=[seed_text(KYIV_POST)], today=TODAY)
    assert with_sibling.blocks == alone.blocks
    assert with_sibling.removed == alone.removed


def test_it_reads_explicit_dates():
    cases = {
        "Published 13 September 2023. The leaders met.": datetime(2023, 9, 13, tzinfo=UTC),
        "Published September 13, 2023. The leaders met.": datetime(2023, 9, 13, tzinfo=UTC),
        "Published 2023-09-13. The leaders met.": datetime(2023, 9, 13, tzinfo=UTC),
        "Published 2023-09-13T15:06:00+01:00. The leaders met.": datetime(2023, 9, 13, 14, 6, tzinfo=UTC),
        "The leaders met on Wednesday.": None,
    }
    for raw, expected in cases.items():
        assert clean_text(raw, today=TODAY).published_at == expected, raw


def test_it_reads_a_by_line_at_the_top():
    article = clean_text("By Anna Smith and Li Wei\n\nThe leaders met on Wednesday at the space base.\n")
    assert article.byline == "Anna Smith and Li Wei"
    assert article.blocks[0].kind == "byline"


def test_an_empty_file_still_has_a_title():
    article = clean_text(" \r\n\u200b\n")
    assert article.blocks == [] and article.title == "Untitled" and article.published_at is None


def test_a_summary_heading_is_never_the_title():
    article = clean_text("Summary\n\n• Leaders met at the space base\n\n• Talks lasted two hours\n")
    assert article.blocks[0].kind == "heading"
    assert article.title == "Untitled — Leaders met at the space base"


def test_a_short_sentence_glued_to_chrome_stays_article_text():
    raw = (
        "The talks lasted two hours, officials said on Wednesday.\n"
        "\n"
        "Putin praised the friendship between the two nations.\n"
        "He declined to comment.\n"
        "Advertisement\n"
        "\n"
        "Kim left by train after the talks had ended.\n"
    )
    article = clean_text(raw)
    assert article.removed == ["Advertisement"]
    assert_kept(article, "Putin praised the friendship", "He declined to comment.")


def test_it_keeps_the_word_external_in_ordinary_prose():
    raw = "The threats are internal, external, and growing, the minister said on Wednesday."
    assert clean_text(raw).blocks[0].text == raw


def test_the_headline_is_found_below_a_masthead_a_menu_and_a_section_name():
    page = "\n\n".join(
        [
            "The Riverside Clarion",
            "Home | Local | Business | Sport | Opinion",
            "Local news",
            "Flood barrier holds as river reaches record height overnight",
            "By Ada Lindqvist",
            "April 3, 2025 7:15 AM",
            "The new flood barrier on the east bank held overnight as the river rose to its highest level "
            "since records began, the county engineer said on Thursday.",
            "Residents of the low-lying streets behind it were allowed home by mid-morning.",
        ]
    )
    article = clean_text(page)
    assert article.title == "Flood barrier holds as river reaches record height overnight"
    assert article.byline == "Ada Lindqvist"  # the "By" line under the headline
    assert article.publication == "The Riverside Clarion"  # the masthead above it
    # The header is shown from these, once: none of its lines is left in the body.
    assert [block.text[:9] for block in article.blocks] == ["The new f", "Residents"]


def test_a_wire_story_without_a_masthead_is_filed_under_the_agency_of_its_dateline():
    story = "\n\n".join(
        [
            "Grain convoy leaves port under naval escort",
            "By Tomas Rehn",
            "LISBON, May 2 (Reuters) - A convoy of grain ships left the port on Friday under naval escort, "
            "the first since the strait reopened, officials said.",
            "The ships are due in the north by Monday.",
        ]
    )
    assert clean_text(story).publication == "Reuters"
    assert clean_text(story.replace("(Reuters)", "(AP)")).publication == "The Associated Press"


def test_page_buttons_credits_and_wire_initials_go_but_the_byline_glued_to_them_stays():
    page = "\n".join(
        [
            "Harbour ferry returns to service after a week of repairs",
            "By Ines Calder",
            "Updated 9:40 AM, May 6, 2025",
            "Share",
            "Copy link",
        ]
    )
    body = "\n\n".join(
        [
            "The island ferry returned to service on Tuesday after a week in dry dock, the operator said, "
            "and timetables are back to normal from Wednesday.",
            "Was this summary helpful? Yes No",
            "Tags: Ferries, Harbour, Transport",
            "© 2025 The Harbour Gazette",
            "___",
            "ic-rt/mm",
        ]
    )
    article = clean_text(page + "\n\n" + body)
    assert article.byline == "Ines Calder"
    assert article.published_at is not None and article.published_at.date() == date(2025, 5, 6)
    assert [block.text[:10] for block in article.blocks] == ["The island"]
