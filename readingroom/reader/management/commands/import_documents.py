import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from readingroom.library.importing import expand_paths
from readingroom.library.jobs import import_job_create, import_job_progress, job_files_from_paths
from readingroom.library.models import ImportItem, Source
from readingroom.reader.ingest import Ingested
from readingroom.reader.jobs import import_job_enqueue, import_job_run


class Command(BaseCommand):
    help = (
        "Import .txt, .md and .html files (or folders of them) as documents, with their entities, quotes "
        "and shared passages. Re-importing a file adds nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", type=Path, help="files or folders to import")
        parser.add_argument("--source", help="file every document under this publication (created if new)")
        parser.add_argument(
            "--background",
            action="store_true",
            help="queue the import for the background workers and return at once (the admin's Import jobs shows it)",
        )

    def handle(self, *args, paths: list[Path], source: str | None, background: bool, verbosity: int, **options):
        chosen, created = Source.objects.get_or_create(name=source) if source else (None, False)
        files, refused = expand_paths(paths)
        for result in refused:
            if result.status == "skipped":
                if verbosity >= 1:
                    self.stdout.write(self.style.WARNING(result.message))
            else:
                self.stderr.write(self.style.ERROR(f"error: {result.message}"))
        job = import_job_create(files=job_files_from_paths(files), source=chosen)
        if background:
            import_job_enqueue(job=job)
            self.stdout.write(f"{job} queued as job {job.pk}: the admin's Import jobs page shows how it goes")
            return
        self._run(job, verbosity=verbosity)
        errors = [result.message for result in refused if result.status == "error"]
        errors += list(
            ImportItem.objects.filter(job=job, status=ImportItem.Status.ERROR)
            .order_by("position")
            .values_list("message", flat=True)
        )
        errors += list(
            ImportItem.objects.filter(job=job, message__contains="could not be found")
            .exclude(status=ImportItem.Status.ERROR)
            .values_list("message", flat=True)
        )
        if chosen is not None and created and not chosen.documents.exists():
            chosen.delete()  # nothing was imported into it: leave no empty publication behind
        progress = import_job_progress(job=job)
        summary = (
            f"{progress.imported} imported, {progress.duplicates} already there, "
            f"{len(progress.failed) + sum(r.status == 'error' for r in refused)} failed"
        )
        if errors:
            raise CommandError(f"{summary}: " + "; ".join(errors))
        self.stdout.write(summary)

    def _run(self, job, *, verbosity: int) -> None:
        """Run the job here, with a bar (count, rate, time left) on a terminal, or a line a file
        when the output goes elsewhere (a log, a pipe)."""
        on_terminal = verbosity >= 1 and sys.stderr.isatty()
        bar = tqdm(total=job.total, unit="file", disable=not on_terminal, dynamic_ncols=True)
        already_failed = ImportItem.objects.filter(job=job, status=ImportItem.Status.ERROR).order_by("position")
        count = 0

        def line(number: int, status: str, message: str) -> None:
            if on_terminal:
                if status == "error":
                    bar.write(self.style.ERROR(message))
                return
            if verbosity >= 1:
                style = {"imported": self.style.SUCCESS, "duplicate": self.style.WARNING}.get(status, self.style.ERROR)
                self.stdout.write(f"[{number}/{job.total}] {style(status)}: {message}")

        for item in already_failed:  # refused before the job ran: too large, unreadable
            count += 1
            line(count, "error", item.message)
            bar.update(1)

        def progress(item: ImportItem, outcome: Ingested) -> None:
            nonlocal count
            count += 1
            line(count, outcome.result.status, outcome.result.message)
            bar.update(1)

        try:
            import_job_run(job_id=job.pk, progress=progress)
        finally:
            bar.close()
