from django.core.management.base import BaseCommand, CommandError

from readingroom.backup import backup_write


class Command(BaseCommand):
    help = (
        "Write everything (users, groups, sources, documents, entities, quotes, passages, tags, annotations, "
        "sessions) to one JSON Lines file that `restore` loads back exactly."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="the file to write, e.g. readingroom-2026-11-23.jsonl")

    def handle(self, *args, path: str, **options):
        def progress(label: str, count: int) -> None:
            if options["verbosity"] >= 2:
                self.stdout.write(f"  {label}: {count}")

        try:
            records = backup_write(path=path, progress=progress)
        except OSError as error:
            raise CommandError(f"Could not write {path}: {error.strerror or error}") from None
        self.stdout.write(f"Wrote {records} records to {path}")
