from playwright.sync_api import expect

from readingroom.annotations.models import Annotation
from tests.browser.conftest import select_text


def test_a_reader_tags_and_comments_a_sentence_and_finds_it_after_reload(page, live_server, seeded, signed_in):
    afp, guardian = seeded[1], seeded[4]
    page.goto(f"{live_server.url}/compare/?doc={afp.pk}&doc={guardian.pk}")
    sentence = "We’ll talk about all the issues, without rushing. There is time"

    select_text(page, page.locator(f"#column-{guardian.pk} .column-body"), sentence)
    popover = page.locator("#annotation-popover")
    expect(popover).to_be_visible()
    tags = popover.get_by_label("Tags", exact=True)
    tags.fill("claim")
    tags.press("Enter")
    tags.fill("military")
    tags.press("Enter")
    popover.get_by_label("Comment").fill("Putin says there is **no hurry**.")
    popover.get_by_role("button", name="Save").click()

    expect(popover).to_be_hidden()
    highlight = page.locator(f"#column-{guardian.pk} mark.annotation")
    expect(highlight.first).to_be_visible()
    # The highlight may be split around quote and passage marks; its pieces read as the sentence.
    assert "".join(highlight.all_text_contents()) == sentence
    annotation = Annotation.objects.get()
    assert guardian.canonical_text[annotation.start : annotation.end] == sentence

    page.reload()
    highlight = page.locator(f"#column-{guardian.pk} mark.annotation")
    expect(highlight.first).to_be_visible()
    assert "".join(highlight.all_text_contents()) == sentence
    highlight.first.click()
    thread = page.locator("#annotation-threads")
    expect(thread.locator(".thread-header .tag-chip")).to_have_text(["claim", "military"])
    expect(thread.locator(".comment strong")).to_have_text("no hurry")
    expect(page.locator("#annotation-list")).to_contain_text("1 annotation")

    # The next annotation is offered the tags in use, fetched when the tag field gets focus.
    select_text(page, page.locator(f"#column-{guardian.pk} .column-body"), "all the issues")
    expect(popover).to_be_visible()
    popover.get_by_label("Tags", exact=True).focus()
    expect(page.locator("#tag-names option")).to_have_count(2)
    assert sorted(page.locator("#tag-names option").evaluate_all("os => os.map(o => o.value)")) == ["claim", "military"]


def test_a_selection_across_entity_highlights_and_paragraphs_is_one_annotation(page, live_server, seeded, signed_in):
    afp = seeded[1]
    page.goto(f"{live_server.url}/documents/{afp.pk}/")
    # "Vladimir Putin", "North Korean" and "Kim Jong Un" are entity highlights inside this passage.
    passage = "Vladimir Putin shook hands with North Korean leader Kim Jong Un"
    select_text(page, page.locator(".document-body"), passage)
    page.get_by_role("button", name="Save").click()
    expect(page.locator("mark.annotation").first).to_be_visible()
    annotation = Annotation.objects.get()
    assert annotation.exact == passage
    # Entity marks are still there, split or nested with the annotation, and the text is unchanged.
    expect(page.locator("mark.annotation mark.entity, mark.entity mark.annotation").first).to_be_visible()
    body_text = page.locator(".document-body").evaluate(
        "el => [...el.querySelectorAll('[data-start]')].map(b => b.textContent).join('\\n\\n')"
    )
    assert body_text == afp.canonical_text

    # Across two paragraphs.
    first_end = "reported."
    second_start = "Wearing a dark suit"
    text = afp.canonical_text
    start = text.index("with Putin saying the location")
    end = text.index(second_start) + len(second_start)
    select_text(page, page.locator(".document-body"), "with Putin saying the location", through=second_start)
    page.get_by_role("button", name="Save").click()
    expect(page.locator("#annotation-popover")).to_be_hidden()
    across = Annotation.objects.order_by("-pk").first()
    assert (across.start, across.end) == (start, end)
    assert first_end in across.exact and "\n\n" in across.exact


def test_offsets_are_code_points_for_emoji_cyrillic_curly_quotes_and_dashes(page, live_server, seeded, signed_in):
    from tests.factories import make_document

    document = make_document(paragraphs=["🚀 “Vostochny Сosmodrome” — Kim’s visit 🇰🇵 ended.", "Second 😀 paragraph."])
    page.goto(f"{live_server.url}/documents/{document.pk}/")
    converted = page.evaluate(
        """async () => {
            const { codePointLength, utf16ToCodePoint, codePointToUtf16 } = await import('/static/js/offsets.js');
            const text = "🚀 “Сosmodrome” — 😀";
            return [codePointLength(text), text.length, utf16ToCodePoint(text, 2), codePointToUtf16(text, 1),
                    codePointToUtf16(text, utf16ToCodePoint(text, text.length))];
        }"""
    )
    assert converted == [18, 20, 1, 2, 20]
    select_text(page, page.locator(".document-body"), "Сosmodrome” — Kim’s visit 🇰🇵")
    page.get_by_role("button", name="Save").click()
    expect(page.locator("mark.annotation")).to_have_text("Сosmodrome” — Kim’s visit 🇰🇵")
    annotation = Annotation.objects.get()
    assert document.canonical_text[annotation.start : annotation.end] == "Сosmodrome” — Kim’s visit 🇰🇵"
    assert annotation.start == document.canonical_text.index("Сosmodrome")


def test_a_refused_annotation_shows_why_and_keeps_what_was_typed(page, live_server, seeded, signed_in):
    afp = seeded[1]
    page.goto(f"{live_server.url}/documents/{afp.pk}/")
    select_text(page, page.locator(".document-body"), "Experts say Russia")
    popover = page.locator("#annotation-popover")
    tags = popover.get_by_label("Tags", exact=True)
    for number in range(11):
        tags.fill(f"tag{number}")
        tags.press("Enter")
    popover.get_by_label("Comment").fill("my careful note")
    popover.get_by_role("button", name="Save").click()
    expect(popover.locator(".popover-error")).to_have_text("An annotation can have at most 10 tags (this one has 11).")
    expect(popover.get_by_label("Comment")).to_have_value("my careful note")
    assert not Annotation.objects.exists()


def test_a_visitor_who_is_not_signed_in_is_asked_to_sign_in(page, live_server, seeded):
    page.goto(f"{live_server.url}/documents/{seeded[1].pk}/")
    select_text(page, page.locator(".document-body"), "Experts say Russia")
    expect(page.locator("#annotation-popover")).to_contain_text("Sign in to annotate.")


def test_utf16_and_code_point_offsets_round_trip_for_any_text(page, live_server):
    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st

    page.goto(f"{live_server.url}/")
    page.evaluate("async () => { window.offsets = await import('/static/js/offsets.js'); }")

    @settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
    @given(st.text(st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=30), st.data())
    def round_trip(text, data):
        code_points = len(text)  # Python counts code points
        offset = data.draw(st.integers(0, code_points))
        utf16_index, back, length = page.evaluate(
            """([text, offset]) => {
                const { codePointToUtf16, utf16ToCodePoint, codePointLength } = window.offsets;
                const index = codePointToUtf16(text, offset);
                return [index, utf16ToCodePoint(text, index), codePointLength(text)];
            }""",
            [text, offset],
        )
        assert length == code_points
        assert back == offset
        assert utf16_index == len(text[:offset].encode("utf-16-le")) // 2

    round_trip()


END_OF = """(body, words) => {
    const walker = document.createTreeWalker(body, NodeFilter.SHOW_TEXT);
    while (walker.nextNode()) {
        const at = walker.currentNode.data.indexOf(words);
        if (at < 0) continue;
        const range = document.createRange();
        range.setStart(walker.currentNode, at + words.length - 1);
        range.setEnd(walker.currentNode, at + words.length);
        const box = range.getBoundingClientRect();
        return {x: box.right - 1, y: box.top + box.height / 2};
    }
    throw new Error("not found: " + words);
}"""


def test_a_drag_that_starts_on_a_name_selects_from_the_name(page, live_server, seeded, signed_in):
    # Names open many sentences: pressing the mouse on one and dragging selects from it, as on
    # any other word, while a click on it still opens its card.
    afp = seeded[1]
    page.goto(f"{live_server.url}/documents/{afp.pk}/")
    body = page.locator("#document-body")
    name = body.locator("mark.entity", has_text="Vladimir Putin").first
    box = name.bounding_box()
    end = body.evaluate(END_OF, "shook hands")
    page.mouse.move(box["x"] + 2, box["y"] + box["height"] / 2)
    page.mouse.down()
    page.mouse.move(end["x"], end["y"], steps=8)
    page.mouse.up()

    popover = page.locator("#annotation-popover")
    expect(popover).to_be_visible()
    expect(popover.locator(".popover-quote")).to_contain_text("Vladimir Putin shook hands")
    page.keyboard.press("Escape")
    expect(popover).to_be_hidden()

    page.evaluate("() => window.getSelection().removeAllRanges()")
    name.click()
    expect(page.locator("#entity-card .entity-card-name")).to_contain_text("Putin")
