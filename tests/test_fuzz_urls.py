"""Every URL pattern, driven with absurd path and query values, answers without a server error.

The paths come from the URL resolver itself, so a view added later is fuzzed without anyone
remembering to list it. Each converter's segment and each query parameter the views read gets
values people and scanners really send: numbers too long for a database column, digits that are
not ASCII, negative numbers, empty strings, control characters, very long strings.
"""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.factories import make_annotation, make_document, make_user

pytestmark = pytest.mark.django_db

# Every parameter name the views read from GET or POST (grep request.GET / request.POST), plus
# the admin's own.
PARAMETERS = [
    "action",
    "add",
    "author",
    "body",
    "description",
    "doc",
    "document",
    "id",
    "member",
    "next",
    "page",
    "q",
    "remove",
    "role",
    "session",
    "since",
    "tag",
    "tags",
    "target",
    "title",
    "type",
    "username",
    "version",
    "visibility",
    "o",
    "p",
    "e",
    "all",
    "_changelist_filters",
    "source__id__exact",
    # The curation, suggestion and revision views' own.
    "block",
    "confirm",
    "exclude",
    "for",
    "into",
    "iris",
    "key",
    "line",
    "line_rule",
    "mention",
    "other",
    "relation",
    "revision",
    "speaker",
    "state",
    "token",
    "writing",
]

absurd_text = st.one_of(
    st.sampled_from(
        [
            "",
            "0",
            "-1",
            "1",
            "2",
            "9" * 25,
            "1" * 19,
            "99999999999999999999999",
            "²",
            "١٢",
            "1e9",
            "0x10",
            " 1 ",
            "1/2",
            "%00",
            "\x00",
            "\x1f",
            "<script>alert(1)</script>",
            "../../etc/passwd",
            "é" * 300,
            "a" * 5000,
            "null",
            "[]",
            "{}",
            "true",
            "NaN",
            "1.5",
            "+1",
            "\u202e",
            "\ud7ff",
            "'; DROP TABLE x; --",
        ]
    ),
    st.text(max_size=40),
)
segment_values = st.sampled_from(["0", "1", "2", "3", "9" * 25, "1" * 18, "1" * 19, "abc", "²", "-1", "%2F", "x" * 300])


def _patterns(resolver: URLResolver, prefix: str = "") -> list[str]:
    found: list[str] = []
    for entry in resolver.url_patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            found += _patterns(entry, route)
        elif isinstance(entry, URLPattern):
            found.append(route)
    return found


ROUTES = sorted(set(_patterns(get_resolver())))
_SEGMENT = re.compile(r"<(?:\w+:)?\w+>|\(\?P<\w+>[^)]*\)")


def _fill(route: str, values: list[str]) -> str:
    route = route.lstrip("^").rstrip("$").replace("\\Z", "").replace("\\", "")
    pieces = iter(values)
    return "/" + _SEGMENT.sub(lambda _match: next(pieces, "1"), route)


@pytest.fixture
def people(db):
    owner = make_user("owner", is_staff=True, is_superuser=True)
    reader = make_user("reader")
    document = make_document()
    make_annotation(user=reader, document=document)
    return {"anonymous": None, "reader": reader, "admin": owner}


@pytest.mark.parametrize("who", ["anonymous", "reader", "admin"])
def test_no_url_answers_a_server_error_to_absurd_values(people, who):
    client = Client(raise_request_exception=False)
    if people[who] is not None:
        client.force_login(people[who])

    @settings(
        max_examples=120,
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
        database=None,
    )
    @given(
        route=st.sampled_from(ROUTES),
        segments=st.lists(segment_values, min_size=3, max_size=3),
        query=st.dictionaries(st.sampled_from(PARAMETERS), absurd_text, max_size=4),
        method=st.sampled_from(["get", "get", "post", "head", "options"]),
    )
    def check(route, segments, query, method):
        url = _fill(route, segments)
        if method == "post":
            response = client.post(url, data=query)
        else:
            response = getattr(client, method)(url, data=query)
        assert response.status_code < 500, (method, url, query, response.status_code)

    check()


def test_every_route_is_reached_with_each_of_its_hardest_ids(people):
    """The examples above are random; these are not: every route with an id too long for the
    database, a non-ASCII digit and zero, signed in as staff (who reach the most code)."""
    client = Client(raise_request_exception=False)
    client.force_login(people["admin"])
    for route in ROUTES:
        for value in ("9" * 25, "²", "0"):
            url = _fill(route, [value] * 3)
            for query in ({}, {"document": "9" * 25, "session": "9" * 25, "doc": "²", "since": "9" * 25}):
                response = client.get(url, data=query)
                assert response.status_code < 500, (url, query, response.status_code)
