import pytest

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
