"""Issue 17, item 2: entities are underlined and annotations filled, in colours that never meet,
in the normal palette and in forced colours (high contrast)."""

from __future__ import annotations

import re

from tests.factories import make_annotation

LOOK = """element => {
    const style = getComputedStyle(element);
    return {
        background: style.backgroundColor,
        line: style.textDecorationLine,
        lineColour: style.textDecorationColor,
        border: style.borderBottomStyle,
        height: element.getBoundingClientRect().height,
    };
}"""


def transparent(colour: str) -> bool:
    return colour == "transparent" or re.fullmatch(r"rgba\(\d+, \d+, \d+, 0\)", colour) is not None


def test_entities_are_underlined_and_annotations_filled_in_colours_that_differ(page, live_server, seeded, signed_in):
    document = seeded[1]
    make_annotation(user=signed_in, document=document, quote="shook hands", tag_names=["claim"])
    page.goto(f"{live_server.url}/documents/{document.pk}/")
    body = page.locator(".document-body")
    annotation = body.locator("mark.annotation").first.evaluate(LOOK)
    entity_looks = [mark.evaluate(LOOK) for mark in body.locator("mark.entity").all()[:40]]

    assert not transparent(annotation["background"])
    assert annotation["line"] == "none" and annotation["border"] == "none"
    for entity in entity_looks:
        assert transparent(entity["background"]), entity
        assert entity["line"] == "underline", entity
    # The fill is no entity's line colour, and covers the whole line (no half-height stroke).
    assert annotation["background"] not in {entity["lineColour"] for entity in entity_looks}
    line_height = body.locator("mark.entity").first.evaluate("element => element.getBoundingClientRect().height")
    assert annotation["height"] >= line_height * 0.9


def test_in_forced_colours_annotations_keep_a_fill_and_entities_their_lines(page, live_server, seeded, signed_in):
    document = seeded[1]
    make_annotation(user=signed_in, document=document, quote="shook hands", tag_names=["claim"])
    page.emulate_media(forced_colors="active")
    page.goto(f"{live_server.url}/documents/{document.pk}/")
    body = page.locator(".document-body")
    annotation = body.locator("mark.annotation").first.evaluate(LOOK)
    page_background = page.locator("body").evaluate("element => getComputedStyle(element).backgroundColor")
    assert not transparent(annotation["background"]) and annotation["background"] != page_background
    entity = body.locator("mark.entity").first.evaluate(LOOK)
    # No fill: transparent (forced colours keep the colour's alpha, which is 0) or the page's own.
    assert entity["line"] == "underline"
    assert transparent(entity["background"]) or entity["background"] == page_background
