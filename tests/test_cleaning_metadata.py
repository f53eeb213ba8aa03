"""Title, byline and publication read from what a page says above its text
(text/cleaning/metadata.py)."""

from readingroom.text.cleaning import clean_text

BODY = (
    "The river rose two metres overnight and the old ferry landing went under before dawn, officials said.\n\n"
    "Engineers will inspect the embankment on Monday before the road along the quay reopens to traffic."
)


def test_the_headline_is_the_line_right_above_the_byline_not_a_menu_above_it():
    raw = (
        "Valley Herald\n\nHome   Local   Sport   Weather   Newsletters\n\n"
        "Floodwater closes the ferry landing for a week\n\nBy Ana Costa\n\nMarch 4, 2025\n\n" + BODY
    )
    article = clean_text(raw)
    assert article.title == "Floodwater closes the ferry landing for a week"
    assert article.byline == "Ana Costa"


def test_a_markdown_headline_may_end_with_a_full_stop():
    raw = "**OPINION** | Comment\n\n# The quay was built for smaller boats. The boats grew.\n\nBy Ana Costa\n\n" + BODY
    assert clean_text(raw, markdown=True).title == "The quay was built for smaller boats. The boats grew."


def test_a_name_beside_the_date_is_the_byline():
    raw = "# The quay was built for smaller boats\n\n*Ana Costa · March 4, 2025 · 5 minute read*\n\n" + BODY
    assert clean_text(raw, markdown=True).byline == "Ana Costa"


def test_a_name_alone_above_the_date_is_the_byline():
    raw = "Floodwater closes the ferry landing for a week\n\nAna Costa\n\n4 March 2025\n\n" + BODY
    assert clean_text(raw).byline == "Ana Costa"


def test_a_compiled_by_line_and_a_staff_line_are_bylines():
    compiled = (
        "Floodwater closes the ferry landing for a week\n\nCompiled by the Herald desk\n\nMarch 4, 2025\n\n" + BODY
    )
    staff = (
        "Floodwater closes the ferry landing for a week\n\nHerald staff and wire services\n\nMarch 4, 2025\n\n" + BODY
    )
    assert clean_text(compiled).byline == "Compiled by the Herald desk"
    assert clean_text(staff).byline == "Herald staff and wire services"


def test_surnames_in_capitals_are_written_as_names_but_an_agency_stays():
    raw = (
        "Floodwater closes the ferry landing for a week\n\nBy Ana COSTA and Tim HALE, with AFP\n\nMarch 4, 2025\n\n"
        + BODY
    )
    assert clean_text(raw).byline == "Ana Costa and Tim Hale, with AFP"


def test_an_agency_dateline_with_a_place_in_ordinary_case_files_the_article_under_the_agency():
    raw = "Porto (Reuters) – " + BODY
    assert clean_text(raw).publication == "Reuters"
    raw = "Vila Nova (Portugal) (AFP) - " + BODY
    assert clean_text(raw).publication == "AFP"


def test_a_page_naming_its_publication_only_in_its_copyright_line_is_filed_under_it():
    raw = (
        "Ferry services resume after the storm\n\n"
        "Ferries to the islands sailed again on Tuesday, the operator said, after two days in port.\n\n"
        "Passengers were told to expect delays while the timetable settles.\n\n"
        "*Boats at the quay on Monday. Photo: Ann Lee/Getty Images*\n\n"
        "© 2024 The Harbour Gazette Ltd · Privacy · Terms\n"
    )
    assert clean_text(raw, markdown=True).publication == "The Harbour Gazette"


def test_copyright_lines_that_name_no_publication_are_not_read_as_one():
    for footer in ("© 2024 All rights reserved.", "Copyright © 2024 Getty Images", "© 2024 Ann Lee 2"):
        raw = (
            "Ferry services resume after the storm\n\n"
            "Ferries to the islands sailed again on Tuesday, the operator said, after two days in port.\n\n"
            f"{footer}\n"
        )
        assert clean_text(raw).publication == "", footer
