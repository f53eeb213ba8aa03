"""Saved web pages: the article's lines that trafilatura drops come back, navigation stays out."""

from readingroom.library.importing import _extract_html

PARAGRAPH = "The harbour authority said the first convoy of ships would leave at dawn, with {} more waiting."


def live_page() -> str:
    entries = "".join(
        f'<div class="entry"><p><time>{hour}.0{hour % 10} BST</time></p><h2>Update number {hour}</h2>'
        f"<p>{PARAGRAPH.format(hour * 10)}</p><p>{PARAGRAPH.format(hour * 11)}</p></div>"
        for hour in (18, 17, 16, 15)
    )
    return (
        "<html><head><title>Ships move – live | The Tidings</title></head><body>"
        '<nav><ul><li><a href="/world">World</a></li></ul></nav>'
        "<main><h1>Ships move through the canal – live</h1>"
        '<div><h2>Key events</h2><ul><li><a href="#e1">First ships move</a></li>'
        '<li><a href="#e2">Convoy forms</a></li></ul></div>'
        '<div class="controls"><p>Sort by</p><button>Latest</button><button>Oldest</button></div>'
        f"<article>{entries}</article></main>"
        "<footer><p>© The Tidings</p></footer></body></html>"
    )


def test_it_keeps_a_live_pages_entry_times_and_headings():
    lines = _extract_html(live_page()).text.split("\n")

    assert "17.07 BST" in lines
    assert "Update number 16" in lines
    assert PARAGRAPH.format(150) in lines


def test_it_leaves_out_an_in_page_menu_and_its_heading():
    text = _extract_html(live_page()).text

    assert "First ships move" not in text
    assert "Key events" not in text


def test_it_leaves_out_the_label_of_a_row_of_controls():
    assert "Sort by" not in _extract_html(live_page()).text


STORY = "The convoy left the port at dawn, the harbour authority said, and the last ship cleared it by noon."


def story_page(*, head: str = "", header: str = "", footer: str = "") -> str:
    body = "".join(f"<p>{STORY} ({number})</p>" for number in range(4))
    return (
        f"<html><head>{head}</head><body>"
        f'<main><article><h1>Convoy clears the canal at last</h1>{header}<div class="body">{body}</div>'
        f"</article></main><footer>{footer}</footer></body></html>"
    )


def test_it_takes_the_headline_the_page_shows_not_its_title_tag():
    page = story_page(head="<title>Live: Convoy clears the canal at last | The Tidings</title>")

    extracted = _extract_html(page)

    assert extracted.title == "Convoy clears the canal at last"
    assert "Convoy clears the canal at last" not in extracted.text


def test_it_takes_the_byline_printed_under_the_headline_over_the_authors_meta():
    page = story_page(
        head='<meta name="author" content="Ann Lee">',
        header="<p>Ann Lee and Bo Park in Cairo</p><p>Mon 29 Mar 2021 06.31 BST</p>",
    )

    extracted = _extract_html(page)

    assert extracted.byline == "Ann Lee and Bo Park"
    assert "Ann Lee" not in extracted.text
    assert "Mon 29 Mar" not in extracted.text


def test_it_keeps_a_standfirst_between_the_headline_and_the_byline():
    standfirst = "Hundreds of ships queued at both ends are expected to move within hours"
    page = story_page(header=f"<p>{standfirst}</p><p>By Ann Lee</p>")

    extracted = _extract_html(page)

    assert extracted.text.startswith(standfirst)
    assert extracted.byline == "Ann Lee"


def test_it_files_a_news_agencys_own_site_under_the_agency():
    page = story_page(head='<meta property="og:site_name" content="AP News">')

    assert _extract_html(page).publication == "The Associated Press"


def test_it_reads_the_publication_from_the_title_tag_or_the_copyright_line():
    titled = story_page(head="<title>Convoy clears the canal at last - The Tidings</title>")
    owned = story_page(footer="<p>© 2023 The Harbour Gazette. All rights reserved.</p>")

    assert _extract_html(titled).publication == "The Tidings"
    assert _extract_html(owned).publication == "The Harbour Gazette"
