from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from readingroom.entities.curation_files import curated_entities_dump, curated_entities_json, rejected_writings_dump


class Command(BaseCommand):
    help = (
        "Write every entity a curator has decided on (names, types, curated writings) as JSON, "
        "for load_entities in another library. Without a path, to standard output."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path, nargs="?", help="the file to write (default: standard output)")

    def handle(self, *args, path: Path | None, verbosity: int, **options):
        entities = curated_entities_dump()
        text = curated_entities_json(entities=entities, rejected=rejected_writings_dump())
        if path is None:
            self.stdout.write(text, ending="")
            return
        try:
            path.write_text(text, encoding="utf-8")
        except OSError as error:
            raise CommandError(f"{path} cannot be written: {error}") from None
        if verbosity >= 1:
            self.stdout.write(f"{len(entities)} entities written to {path}")
