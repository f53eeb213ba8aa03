from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from readingroom.library.importing import ImportResult, documents_import_paths
from readingroom.library.models import Source
from readingroom.reader.ingest import documents_ingest


class Command(BaseCommand):
    help = (
        "Import .txt, .md and .html files (or folders of them) as documents and find their entities. "
        "Re-importing a file adds nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", type=Path, help="files or folders to import")
        parser.add_argument("--source", help="file every document under this publication (created if new)")

    def handle(self, *args, paths: list[Path], source: str | None, verbosity: int, **options):
        chosen, created = Source.objects.get_or_create(name=source) if source else (None, False)
        reported: set[int] = set()

        def progress(number: int, total: int, result: ImportResult) -> None:
            reported.add(id(result))
            if verbosity >= 1:
                style = {"imported": self.style.SUCCESS, "duplicate": self.style.WARNING}.get(
                    result.status, self.style.ERROR
                )
                self.stdout.write(f"[{number}/{total}] {style(result.status)}: {result.message}")

        report = documents_ingest(results=documents_import_paths(paths=paths, source=chosen, progress=progress))
        results = report.results
        if report.imported:
            self.stdout.write(f"Entities: {report.mentions} mentions in {len(report.extracted)} new documents")
            self.stdout.write(f"Quotes: {report.quotes} in the new documents")
        failed_extraction = [
            f"entities of “{failure.document.original_filename}”: {failure.error}"
            for failure in report.extraction_failures
        ]
        if chosen is not None and created and not chosen.documents.exists():
            chosen.delete()  # nothing was imported into it: leave no empty publication behind
        for result in results:
            if result.status == "skipped" and verbosity >= 1:
                self.stdout.write(self.style.WARNING(result.message))
        failed = [result for result in results if result.status == "error"]
        for result in failed:
            # Files the progress lines did not cover (a path that does not exist, say).
            if id(result) not in reported:
                self.stderr.write(self.style.ERROR(f"error: {result.message}"))
        counts = {status: sum(r.status == status for r in results) for status in ("imported", "duplicate")}
        summary = f"{counts['imported']} imported, {counts['duplicate']} already there, {len(failed)} failed"
        if failed or failed_extraction:
            raise CommandError(f"{summary}: " + "; ".join([result.message for result in failed] + failed_extraction))
        self.stdout.write(summary)
