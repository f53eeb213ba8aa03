import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from readingroom.annotations.comments import render_comment


def test_markdown_is_rendered():
    html = render_comment("**bold**, *it*, [link](https://example.org) and\n\n- a\n- b")
    assert "<strong>bold</strong>" in html and "<em>it</em>" in html
    assert '<a href="https://example.org" rel="nofollow noopener noreferrer">link</a>' in html
    assert "<li>a</li>" in html


@pytest.mark.parametrize(
    "attack",
    [
        "<script>alert(1)</script>",
        '<img src=x onerror="alert(1)">',
        "[click](javascript:alert(1))",
        '<a href="javascript:alert(1)">x</a>',
        '<svg onload="alert(1)"></svg>',
        "<iframe src='https://evil.example'></iframe>",
        '<p style="background:url(javascript:alert(1))">x</p>',
    ],
)
def test_scripts_handlers_and_javascript_links_never_get_through(attack):
    html = render_comment(attack).lower()
    assert "<script" not in html
    assert "onerror" not in html and "onload" not in html
    assert "javascript:" not in html
    assert "<iframe" not in html and "style=" not in html


# The quick path for one-line plain comments must give exactly what Markdown and the sanitiser give.
_WORDS = [
    "Kim",
    "Putin",
    "été",
    "жизнь",
    "あ",
    "13",
    "a",
    "x2",
    "",
    " ",
    "  ",
    ".",
    ",",
    ";",
    ":",
    "?",
    "!",
    "'",
    "(",
    ")",
    "%",
    "-",
    "1.",
    "*",
    "**",
    "_",
    "`",
    "[x](y)",
    "[",
    "]",
    "#",
    "<b>",
    "<",
    ">",
    "&",
    "&amp;",
    "\\",
    "/",
    '"',
    "=",
    "+",
    "|",
    "~",
    "\t",
    "\n",
    "  \n",
    "http://x.org",
    "<http://x.org>",
    "a@b.org",
]


@settings(max_examples=1500, deadline=None)
@given(st.lists(st.sampled_from(_WORDS), max_size=12).map("".join))
def test_plain_comments_take_the_quick_path_with_the_same_html(body):
    from readingroom.annotations import comments

    assert comments.render_comment(body) == comments._render_markdown(body)


@pytest.mark.parametrize(
    "body",
    [
        "a *b* c",
        "a **b**",
        "a _b_ c",
        "a `b`",
        "a [b](http://x.org)",
        "a <b>x</b>",
        "a & b",
        "a\nb",
        "a  \nb",
        "a\n\n- b",
        "ab\n===",
        "a -- b",
        "Kim: 1.",
        "a\t(b)",
    ],
)
def test_markup_is_never_taken_for_plain_text(body):
    from readingroom.annotations import comments

    assert render_comment(body) == comments._render_markdown(body)


@pytest.mark.parametrize("body", ["Putin met Kim at Vostochny (Amur region) - 13 Sept.", "Ça, c'est 100% vrai?", "Kim"])
def test_typical_one_line_comments_are_a_paragraph(body):
    from readingroom.annotations import comments

    assert comments._PLAIN.fullmatch(body)
    assert render_comment(body) == comments._render_markdown(body) == f"<p>{body}</p>"


@settings(max_examples=300, deadline=None)
@given(st.from_regex(r"[A-Za-zÉéжあ][A-Za-z0-9 .,;:?!'()%-]{0,30}", fullmatch=True))
def test_every_quick_path_comment_renders_as_markdown_would(body):
    from readingroom.annotations import comments

    assert render_comment(body) == comments._render_markdown(body)
