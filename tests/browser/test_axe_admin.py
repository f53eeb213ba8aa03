"""Issue 17: axe-core finds no serious or critical WCAG 2.1 AA violation on the admin pages a
curator uses, signed in as a superuser: the index, every model's list, the change pages (with
their inlines and split date and time), the import page and the merge page."""

from __future__ import annotations

import pytest
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.urls import reverse
from playwright.sync_api import expect

from readingroom.annotations.models import Annotation, ApiToken, Relation, Tag
from readingroom.annotations.tokens import api_token_create
from readingroom.library.jobs import JobFile, import_job_create
from readingroom.library.models import ImportJob, Source
from tests.browser.conftest import NetworkQuiet
from tests.browser.test_axe import annotated_library, axe_page, severe_violations  # noqa: F401 (a fixture)


def readingroom_changelists() -> list[str]:
    """The list of every model registered by Reading Room's own admin.py files."""
    return sorted(
        reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
        for model, model_admin in admin.site._registry.items()
        if type(model_admin).__module__.startswith("readingroom.")
    )


def change_page(instance) -> str:
    return reverse(f"admin:{instance._meta.app_label}_{instance._meta.model_name}_change", args=[instance.pk])


def curator_pages(owner, session, first, entity) -> list[str]:
    job = import_job_create(files=[JobFile(name="a.txt", refusal="“a.txt” is not a text")], user=owner)
    ImportJob.objects.filter(pk=job.pk).update(status=ImportJob.Status.DONE)
    # A running job's page, which reloads itself until paused.
    running = import_job_create(files=[JobFile(name="b.txt", data=b"Later.")], user=owner)
    ImportJob.objects.filter(pk=running.pk).update(status=ImportJob.Status.RUNNING)
    Relation.objects.get_or_create(slug="supports", defaults={"name": "supports"})  # an editable list column
    token, _ = api_token_create(user=owner, name="laptop script", scope="write")
    pages = ["/admin/", *readingroom_changelists(), reverse("admin:library_document_import")]
    instances = [
        first,
        entity,
        Annotation.objects.filter(document=first).order_by("pk").first(),
        Tag.objects.order_by("pk").first(),
        job,
        running,
        session,
        Source.objects.filter(documents=first).first(),
        owner,
    ]
    if ApiToken in admin.site._registry:
        instances.append(token)
    return pages + [change_page(instance) for instance in instances]


@pytest.mark.slow  # a walk over every admin page: handed out first, so it never runs alone at the end
def test_no_admin_page_has_a_serious_accessibility_violation(axe_page, live_server, seeded):  # noqa: F811
    owner, session, first, second, entity = annotated_library(seeded)
    curator = get_user_model().objects.create_superuser("curator", "curator@example.org", "a-long-passphrase")
    page = axe_page(curator)
    quiet = NetworkQuiet(page)
    found = {}
    for path in curator_pages(owner, session, first, entity):
        response = page.goto(f"{live_server.url}{path}")
        assert response.ok, (path, response.status)
        quiet.wait()
        if (pause := page.get_by_role("button", name="Pause updates")).count():
            pause.click()  # a running job's page: read as a curator reads it, without reloading under axe
        if problems := severe_violations(page):
            found[path] = problems

    # The merge page: two entities selected in the list, "Merge selected entities into one".
    page.goto(f"{live_server.url}{reverse('admin:entities_entity_changelist')}")
    page.locator("input.action-select").nth(0).check()
    page.locator("input.action-select").nth(1).check()
    page.locator("select[name=action]").select_option("merge_entities")
    page.locator("button[name=index]").click()
    page.get_by_role("button", name="Merge").wait_for()
    if problems := severe_violations(page):
        found["merge entities"] = problems

    assert found == {}, "\n".join(f"{path}: {problem}" for path, problems in found.items() for problem in problems)


def test_a_running_import_jobs_page_updates_itself_until_the_curator_pauses_it(page, live_server, transactional_db):
    from django.test import Client

    curator = get_user_model().objects.create_superuser("curator", "curator@example.org", "a-long-passphrase")
    job = import_job_create(files=[JobFile(name="b.txt", data=b"Later.")], user=curator)
    ImportJob.objects.filter(pk=job.pk).update(status=ImportJob.Status.RUNNING)
    client = Client()
    client.force_login(curator)
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )
    page.goto(f"{live_server.url}{change_page(job)}")
    status = page.get_by_role("status").filter(has_text="updates every 3 seconds")
    expect(status).to_be_visible()
    with page.expect_navigation(timeout=6000):  # it reloads by itself
        pass
    page.get_by_role("button", name="Pause updates").click()
    expect(page.get_by_role("status").filter(has_text="Updates paused")).to_be_visible()
    page.evaluate("window.stillHere = true")
    page.wait_for_timeout(4000)
    assert page.evaluate("window.stillHere === true"), "the page reloaded after the curator paused it"
