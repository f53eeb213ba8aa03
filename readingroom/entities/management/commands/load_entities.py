from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from readingroom.entities.curation_files import (
    curated_entities_load,
    curated_entities_read,
    rejected_writings_load,
    rejected_writings_read,
)
from readingroom.entities.services import CurationError

MAX_BYTES = 20 * 1024 * 1024


class Command(BaseCommand):
    help = (
        "Load a curator's entity decisions (names, types, writings) from a JSON file, such as the "
        "seeds' curation/seeds.json or a file export_entities wrote. Decisions the library already "
        "has are kept."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path, help="the JSON file")

    def handle(self, *args, path: Path, verbosity: int, **options):
        try:
            if path.stat().st_size > MAX_BYTES:
                raise CommandError(f"{path} is larger than {MAX_BYTES // 1024 // 1024} MB.")
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as error:
            raise CommandError(f"{path} cannot be read: {error}") from None
        try:
            entities, rejected = curated_entities_read(text=text), rejected_writings_read(text=text)
            with transaction.atomic():
                report = curated_entities_load(entities=entities)
                rejected_added = rejected_writings_load(writings=rejected)
        except CurationError as error:
            raise CommandError(f"{path}: {error} Nothing was loaded.") from None
        if verbosity >= 2:
            for name in report.already_there:
                self.stdout.write(f"kept as the library has it: {name}")
        for writing in report.writings_kept_elsewhere:
            self.stdout.write(f"writing left with the entity that has it: {writing}")
        if verbosity >= 1:
            self.stdout.write(
                f"{len(report.created)} entities added, {len(report.already_there)} the library already had"
                + (f", {rejected_added} writings that are never entities" if rejected_added else "")
            )
