"""The admin lists the curators' quote decisions, and deleting one brings the machine's answer back."""

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.urls import reverse

from readingroom.coverage.curation import quote_split
from readingroom.coverage.models import Quote, QuoteDecision
from readingroom.coverage.services import coverage_update
from tests.factories import make_document

pytestmark = pytest.mark.django_db

STATEMENT = "We will not allow anyone to close the sea lanes that feed half the world"
STATEMENT_TRANSLATED = "We shall allow no one to close the sea lanes which feed half of the world"


@pytest.fixture
def curator(client, django_user_model):
    user = django_user_model.objects.create_superuser("curator", "c@example.com", "a-long-passphrase")
    client.force_login(user)
    return user


def _quoting(statement):
    document = make_document(paragraphs=[f"“{statement},” the minister said on Friday."], title=f"On {statement[:12]}")
    coverage_update(documents=[document])
    return document


def test_the_admin_lists_each_decision_with_its_quote_curator_and_time(client, curator):
    _quoting(STATEMENT)
    second = _quoting(STATEMENT_TRANSLATED)
    quote_split(quote=Quote.objects.select_related("document").get(document=second), user=curator)
    html = client.get(reverse("admin:coverage_quotedecision_changelist")).content.decode()
    assert "Split off" in html and "We shall allow no one" in html and "curator" in html and second.title in html
    assert client.get(reverse("admin:coverage_quotedecision_add")).status_code == 403


def test_deleting_a_decision_in_the_admin_brings_the_machines_answer_back(client, curator):
    first, second = _quoting(STATEMENT), _quoting(STATEMENT_TRANSLATED)
    decision = quote_split(quote=Quote.objects.select_related("document").get(document=second), user=curator)
    assert Quote.objects.get(document=second).cluster_id is None
    url = reverse("admin:coverage_quotedecision_changelist")
    client.post(url, {"action": "delete_selected", ACTION_CHECKBOX_NAME: [decision.pk], "post": "yes"})
    assert not QuoteDecision.objects.exists()
    assert Quote.objects.get(document=second).cluster_id == Quote.objects.get(document=first).cluster_id is not None
