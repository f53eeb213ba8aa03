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
