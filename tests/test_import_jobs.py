"""Import jobs: files imported in batches, each document stored with everything found in it or
not at all, progress a curator can follow, and a job that picks up where a dead worker left it."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from readingroom.coverage.models import PassageFingerprint, Quote
from readingroom.entities.models import DocumentExtraction, Entity, EntityType
from readingroom.library.jobs import JobFile, LostJob, import_job_create, import_job_progress
from readingroom.library.models import Document, ImportItem, ImportJob
from readingroom.reader import ingest, jobs
from readingroom.reader.jobs import import_job_run
from tests.conftest import SEEDS

pytestmark = pytest.mark.django_db


def _seed_files():
    return [JobFile(path.name, data=path.read_bytes()) for path in sorted(SEEDS.iterdir()) if path.suffix == ".txt"]


@pytest.fixture
def curator(django_user_model):
    return django_user_model.objects.create_superuser("curator", "curator@example.com", "a-long-passphrase")


def _complete(document: Document) -> bool:
    """Stored with its entities, quotes and passage index: never half-imported."""
    return (
        DocumentExtraction.objects.filter(document=document, revision=document.revision).exists()
        and PassageFingerprint.objects.filter(document=document).exists()
    )


def test_a_job_imports_in_batches_with_entities_quotes_and_passages(settings, remembered_spans):
    settings.READINGROOM_IMPORT_BATCH = 2
    job = import_job_create(files=_seed_files())
    import_job_run(job_id=job.pk)
    job.refresh_from_db()
    assert job.status == ImportJob.Status.DONE
    documents = list(Document.objects.all())
    assert len(documents) == 5 and all(_complete(document) for document in documents)
    assert Quote.objects.filter(cluster__isnull=False).exists()
    progress = import_job_progress(job=job)
    assert (progress.done, progress.imported, progress.failed) == (5, 5, [])
    # The bytes are let go once each file is in.
    assert not ImportItem.objects.filter(job=job, data__isnull=False).exists()


def test_with_the_model_in_its_own_process_a_job_stores_what_it_stores_without(settings, monkeypatch, remembered_spans):
    """Batch after batch, the model reads the next batch in a process of its own while this one
    stores: the same documents, mentions, quotes and passages as reading each batch here."""
    settings.READINGROOM_IMPORT_BATCH = 2

    def imported() -> list[tuple]:
        import_job_run(job_id=import_job_create(files=_seed_files()).pk)
        return [
            (
                document.title,
                sorted(document.mentions.values_list("start", "end", "entity__name")),
                sorted(Quote.objects.filter(document=document).values_list("start", "end")),
                PassageFingerprint.objects.filter(document=document).count(),
            )
            for document in Document.objects.order_by("pk")
        ]

    settings.READINGROOM_IMPORT_PIPELINE = False
    curated = set(Entity.objects.values_list("pk", flat=True))
    here = imported()
    # The same library to import into: no documents, and no names they brought.
    Document.all_objects.all().delete()
    Entity.objects.exclude(pk__in=curated).delete()
    settings.READINGROOM_IMPORT_PIPELINE = True
    read_there = []
    spans = ingest.ModelAhead.spans

    def spans_of_the_model_process(self, future):
        found = spans(self, future)
        read_there.append(found is not None)
        return found

    monkeypatch.setattr(ingest.ModelAhead, "spans", spans_of_the_model_process)
    assert imported() == here
    assert read_there and all(read_there)  # every batch was read by the model's own process
    assert ImportJob.objects.filter(status=ImportJob.Status.DONE).count() == 2


def test_the_upload_page_shows_the_job_with_each_file_by_name(client, curator):
    client.force_login(curator)
    files = [
        SimpleUploadedFile("good.txt", b"Putin met Kim at the Vostochny Cosmodrome on Wednesday.\n"),
        SimpleUploadedFile("empty.txt", b""),
    ]
    response = client.post(reverse("admin:library_document_import"), {"files": files}, follow=True)
    html = response.content.decode()
    job = ImportJob.objects.get()
    assert response.redirect_chain[-1][0] == reverse("admin:library_importjob_change", args=[job.pk])
    assert "2 of 2 files done (100 %)" in html and "1 imported, 0 already there, 1 failed" in html
    assert "“empty.txt” is empty" in html
    document = Document.objects.get()
    assert reverse("document_detail", args=[document.pk]) in html
    listing = client.get(reverse("admin:library_importjob_changelist")).content.decode()
    assert "2 of 2 files, 1 failed" in listing


def test_a_running_job_page_refreshes_itself_and_says_how_far_it_got(client, curator):
    job = import_job_create(files=_seed_files())
    ImportJob.objects.filter(pk=job.pk).update(status=ImportJob.Status.QUEUED)
    client.force_login(curator)
    html = client.get(reverse("admin:library_importjob_change", args=[job.pk])).content.decode()
    assert 'data-refresh-seconds="3"' in html and "js/admin_refresh.js" in html
    assert "http-equiv" not in html  # a reload the curator could not pause
    assert "0 of 5 files done" in html and "waiting for a worker" in html


def test_a_document_whose_coverage_fails_is_kept_and_reported(monkeypatch, remembered_spans):
    def broken(*, document):
        raise RuntimeError("the quote finder broke")

    monkeypatch.setattr(ingest, "document_quotes_extract", broken)
    job = import_job_create(files=_seed_files()[:2])
    import_job_run(job_id=job.pk)
    assert Document.objects.count() == 2
    messages = list(ImportItem.objects.filter(job=job).values_list("status", "message"))
    assert all(
        status == "imported" and "RuntimeError: the quote finder broke" in message for status, message in messages
    )


class Killed(BaseException):
    """What a worker's sudden death looks like from inside: nothing after it runs."""


def test_a_worker_that_dies_mid_batch_leaves_whole_documents_and_the_job_resumes(
    monkeypatch, settings, remembered_spans
):
    settings.READINGROOM_IMPORT_BATCH = 5
    job = import_job_create(files=_seed_files())
    stored = ingest.document_passages_link
    calls = 0

    def dies_on_the_third(*, document):
        nonlocal calls
        calls += 1
        if calls == 3:
            raise Killed  # inside the third document's transaction
        return stored(document=document)

    monkeypatch.setattr(ingest, "document_passages_link", dies_on_the_third)
    with pytest.raises(Killed):
        import_job_run(job_id=job.pk, worker="first")
    # Two whole documents, nothing of the third, the job still held by the dead worker.
    assert Document.objects.count() == 2 and all(_complete(d) for d in Document.objects.all())
    assert ImportItem.objects.filter(job=job, status="pending").count() == 3
    assert import_job_run(job_id=job.pk, worker="second") is None  # the first may still be alive

    # Two minutes of silence later, another worker takes the job over and finishes it.
    ImportJob.objects.filter(pk=job.pk).update(heartbeat_at=timezone.now() - timedelta(minutes=3))
    monkeypatch.setattr(ingest, "document_passages_link", stored)
    finished = import_job_run(job_id=job.pk, worker="second")
    assert finished is not None and finished.status == ImportJob.Status.DONE
    assert Document.objects.count() == 5 and all(_complete(d) for d in Document.objects.all())
    assert ImportItem.objects.filter(job=job, status="imported").count() == 5


def test_a_worker_taken_for_dead_stops_storing(monkeypatch, remembered_spans):
    job = import_job_create(files=_seed_files())
    prepare = jobs.document_prepare

    def taken_over_meanwhile(**kwargs):
        # While this worker reads its files, another takes the job for dead and over.
        ImportJob.objects.filter(pk=job.pk).update(worker="other")
        return prepare(**kwargs)

    monkeypatch.setattr(jobs, "document_prepare", taken_over_meanwhile)
    with pytest.raises(LostJob):
        import_job_run(job_id=job.pk, worker="slow")
    assert not Document.objects.exists()


def test_the_same_file_twice_in_a_job_or_in_two_jobs_is_one_document(remembered_spans):
    files = _seed_files()[:1]
    import_job_run(job_id=import_job_create(files=files + files).pk)
    import_job_run(job_id=import_job_create(files=files).pk)
    assert Document.objects.count() == 1
    assert list(ImportItem.objects.order_by("job_id", "position").values_list("status", flat=True)) == [
        "imported",
        "duplicate",
        "duplicate",
    ]


def test_the_command_can_queue_the_import_for_a_worker(settings, capsys, remembered_spans):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    call_command("import_documents", str(SEEDS), "--background")
    assert "Import of 5 files (waiting for a worker) queued as job" in capsys.readouterr().out
    assert not Document.objects.exists()
    # What db_worker does with each ready task (its loop, which also recycles database
    # connections, runs for real in test_import_worker.py).
    from django_tasks_db.management.commands.db_worker import Worker
    from django_tasks_db.models import DBTaskResult

    worker = Worker(
        queue_names=["default"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="test",
        excluded_queue_names=[],
    )
    (task,) = DBTaskResult.objects.ready()
    task.claim("test")
    worker.run_task(task)
    assert Document.objects.count() == 5
    assert ImportJob.objects.get().status == ImportJob.Status.DONE


def test_a_quote_keeps_its_speaker_when_a_short_name_joins_the_full_name():
    first = "Harbour works\n\n“We will rebuild the harbour before the winter storms arrive,” Mr Okonkwo said.\n"
    second = "Harbour plans\n\n“We will rebuild the harbour before the winter storms come,” Chidi Okonkwo said.\n"
    job = import_job_create(files=[JobFile("a.txt", data=first.encode()), JobFile("b.txt", data=second.encode())])
    import_job_run(job_id=job.pk)
    speakers = {quote.document.original_filename: quote.speaker for quote in Quote.objects.select_related("speaker")}
    assert speakers["a.txt"] is not None and speakers["a.txt"] == speakers["b.txt"]
    assert speakers["a.txt"].name == "Chidi Okonkwo"
    # Filed while their speakers were two entities, the two wordings meet once they are one.
    (cluster,) = {quote.cluster_id for quote in Quote.objects.all()}
    assert cluster is not None


@pytest.mark.parametrize("order", ["full name first", "surname first"])
def test_a_surname_imported_apart_from_the_full_name_joins_it(order):
    """The two names arrive in separate imports, the library's index of names between them: the
    short one joins the full one whichever came first, and the quotes of both share a speaker."""
    full = "Harbour plans\n\n“We will rebuild the harbour before the winter storms come,” Chidi Okonkwo said.\n"
    short = "Harbour works\n\n“We will rebuild the harbour before the winter storms arrive,” Mr Okonkwo said.\n"
    texts = [("full.txt", full), ("short.txt", short)]
    if order == "surname first":
        texts.reverse()
    for name, text in texts:
        import_job_run(job_id=import_job_create(files=[JobFile(name, data=text.encode())]).pk)
    people = Entity.objects.filter(type=EntityType.PERSON)
    assert [entity.name for entity in people] == ["Chidi Okonkwo"]
    speakers = {
        quote.document.original_filename: quote.speaker_id for quote in Quote.objects.select_related("document")
    }
    assert speakers == {"full.txt": people.get().pk, "short.txt": people.get().pk}


def test_a_queued_job_whose_task_was_taken_by_a_worker_that_died_is_queued_again(settings, remembered_spans):
    """db_worker marks a task running before the job is taken: killed in between, the job would
    wait for ever. resume_imports (make run's first step) queues it again; a job merely waiting
    behind others keeps its one task."""
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    lost = import_job_create(files=_seed_files()[:1])
    jobs.import_job_enqueue(job=lost)
    waiting = import_job_create(files=_seed_files()[1:2])
    jobs.import_job_enqueue(job=waiting)
    never_queued = import_job_create(files=_seed_files()[2:3])  # its process died before queueing it
    ImportJob.objects.update(created_at=timezone.now() - timedelta(minutes=10))
    DBTaskResult.objects.get(pk=ImportJob.objects.get(pk=lost.pk).task_id).claim("a worker killed at once")

    call_command("resume_imports", verbosity=0)

    lost.refresh_from_db()
    waiting.refresh_from_db()
    never_queued.refresh_from_db()
    assert DBTaskResult.objects.get(pk=lost.task_id).status == "READY"
    assert never_queued.task_id and DBTaskResult.objects.get(pk=never_queued.task_id).status == "READY"
    assert DBTaskResult.objects.filter(args_kwargs__args=[waiting.pk]).count() == 1
    # Run by a worker, each is imported once.
    for job in (lost, waiting, never_queued):
        import_job_run(job_id=job.pk)
    assert Document.objects.count() == 3
    assert set(ImportJob.objects.values_list("status", flat=True)) == {ImportJob.Status.DONE}


def test_a_big_jobs_page_lists_its_failures_and_latest_files_and_links_to_every_file(client, curator):
    job = import_job_create(files=[JobFile(f"article-{number:04d}.txt", data=b"x") for number in range(600)])
    ImportItem.objects.filter(job=job).update(status=ImportItem.Status.IMPORTED, message="imported")
    ImportItem.objects.filter(job=job, position__in=[7, 300]).update(
        status=ImportItem.Status.ERROR, message="could not be read"
    )
    client.force_login(curator)
    html = client.get(reverse("admin:library_importjob_change", args=[job.pk])).content.decode()
    assert html.count("<tr><td>") == 2 + 50  # both failures, the last fifty done, not 600 rows
    assert "article-0007.txt" in html and "article-0300.txt" in html and "article-0599.txt" in html
    assert "article-0100.txt" not in html
    every = reverse("admin:library_importitem_changelist") + f"?job={job.pk}"
    assert f'href="{every}"' in html.replace("&amp;", "&")
    listing = client.get(every).content.decode()
    assert "600 import items" in listing
    assert "article-0000.txt" in listing and "article-0100.txt" not in listing  # a hundred a page
    failed = client.get(every + "&status__exact=error").content.decode()
    assert "article-0300.txt" in failed and "article-0008.txt" not in failed
