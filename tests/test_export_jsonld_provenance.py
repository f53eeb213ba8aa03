"""The JSON-LD export and import carry the W3C model's ``canonical`` and ``via`` through: the
canonical IRI travels unchanged (the model says it MUST be kept), and a copy names what it was
copied from."""

import json

import pytest
from django.core.management import call_command

from readingroom.annotations.models import Annotation, Tag, Visibility
from readingroom.annotations.services import annotation_reply
from tests.factories import make_annotation, make_document, make_user

pytestmark = pytest.mark.django_db

CANONICAL = "urn:uuid:6f0f4c52-2b8e-4b61-9a53-0d1c7c9f1a11"
HYPOTHESIS = "https://hypothes.is/a/AbCdEf123"


def export(path, *arguments) -> dict:
    call_command("export_annotations", "--output", str(path), "--base-url", "https://rr.example.org", *arguments)
    return json.loads(path.read_text(encoding="utf-8"))


def test_canonical_and_via_survive_an_export_and_an_import(tmp_path):
    document = make_document(paragraphs=["Putin and Kim met in Vostochny.", "They talked about all the issues."])
    alice = make_user("alice")
    kept = make_annotation(user=alice, document=document, quote="Kim", visibility=Visibility.PUBLIC, body="Leader")
    Annotation.objects.filter(pk=kept.pk).update(canonical=CANONICAL, via=HYPOTHESIS)
    reply = annotation_reply(user=alice, parent=kept, body="Agreed")
    Annotation.objects.filter(pk=reply.pk).update(canonical=CANONICAL + "-reply")
    plain = make_annotation(user=alice, document=document, quote="Putin")
    lost = make_annotation(user=alice, document=document, quote="all the issues")
    Annotation.objects.filter(pk=lost.pk).update(
        anchor_state="orphaned", start=None, end=None, canonical=CANONICAL + "-lost"
    )

    exported = export(tmp_path / "first.jsonld")
    items = {item["id"]: item for item in exported["first"]["items"]}
    first_id = f"https://rr.example.org/annotations/{kept.pk}"
    assert items[first_id]["canonical"] == CANONICAL and items[first_id]["via"] == HYPOTHESIS

    Annotation.objects.all().delete()
    Tag.objects.all().delete()
    call_command("import_annotations", str(tmp_path / "first.jsonld"), "--user", "alice")

    by_canonical = {a.canonical: a for a in Annotation.objects.all()}
    # The canonical IRI unchanged, on a thread, a reply and an orphan alike; via: the copy it came from.
    assert by_canonical[CANONICAL].via == first_id
    assert by_canonical[CANONICAL + "-reply"].via == f"https://rr.example.org/annotations/{reply.pk}"
    assert by_canonical[CANONICAL + "-lost"].via == f"https://rr.example.org/annotations/{lost.pk}"
    assert by_canonical[""].via == f"https://rr.example.org/annotations/{plain.pk}"

    again = export(tmp_path / "second.jsonld")
    copies = {item.get("canonical"): item for item in again["first"]["items"]}
    assert copies[CANONICAL]["via"] == first_id and copies[CANONICAL]["id"] != first_id
    assert copies[CANONICAL + "-lost"]["state"] == "orphaned"
