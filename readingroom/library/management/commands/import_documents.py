from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from readingroom.entities.extraction import documents_extract_entities
from readingroom.library.importing import documents_import_paths
from readingroom.library.models import Source


class Command(BaseCommand):
    help = (
        "Import .txt, .md and .html files (or folders of them) as documents and find their entities. "
        "Re-importing a file adds nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", type=Path, help="files or folders to import")
        parser.add_argument("--source", help="file every document under this publication (created if new)")

    def handle(self, *args, paths: list[Path], source: str | None, verbosity: int, **options):
        chosen = Source.objects.get_or_create(name=source)[0] if source else None

        def progress(number: int, total: int, result) -> None:
            if verbosity >= 1:
                style = {"imported": self.style.SUCCESS, "duplicate": self.style.WARNING}.get(
                    result.status, self.style.ERROR
                )
                self.stdout.write(f"[{number}/{total}] {style(result.status)}: {result.message}")

        results = documents_import_paths(paths=paths, source=chosen, progress=progress)
        imported = [result.document for result in results if result.status == "imported"]
        if imported:
            extracted = documents_extract_entities(documents=imported)
            self.stdout.write(f"Entities: {sum(r.mentions for r in extracted)} mentions in {len(extracted)} new documents")
        counts = {status: sum(r.status == status for r in results) for status in ("imported", "duplicate", "error")}
        for result in results:
            if result.status == "error":
                self.stderr.write(self.style.ERROR(f"error: {result.message}"))
        summary = f"{counts['imported']} imported, {counts['duplicate']} already there, {counts['error']} failed"
        if counts["error"]:
            raise CommandError(summary)
        self.stdout.write(summary)
