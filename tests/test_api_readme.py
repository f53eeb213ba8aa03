"""The README's httpx example for API tokens, run as written against a live server."""

import re
from pathlib import Path

import pytest

from readingroom.annotations.models import Annotation
from readingroom.annotations.tokens import api_token_create
from tests.factories import make_document, make_user

README = Path(__file__).resolve().parent.parent / "README.md"


def readme_example() -> str:
    section = README.read_text().split("#### API tokens", 1)[1]
    return re.search(r"```python\n(.*?)```", section, re.S).group(1)


@pytest.mark.django_db(transaction=True)
def test_the_readme_example_annotates_through_a_token(live_server, monkeypatch, capsys):
    document = make_document(paragraphs=["We’ll talk about all the issues, without rushing."])
    user = make_user("script-owner")
    _, raw = api_token_create(user=user, name="README", scope="write")
    monkeypatch.setenv("READINGROOM_URL", live_server.url)
    monkeypatch.setenv("READINGROOM_TOKEN", raw)
    code = readme_example().replace("DOCUMENT = 2", f"DOCUMENT = {document.pk}")

    exec(compile(code, "README.md", "exec"), {})

    annotation = Annotation.objects.get()
    assert annotation.author == user and annotation.exact == "all the issues"
    assert [tag.name for tag in annotation.tags.all()] == ["claim"] and annotation.body == "Checked"
    assert f"/annotations/{annotation.pk} ['claim', 'Checked']" in capsys.readouterr().out
