from django.core.management.base import BaseCommand

from readingroom.backup import BACKED_UP, backup_write


class Command(BaseCommand):
    help = "Write everything (users, sources, documents, entities, tags, annotations, sessions) to one XML file."

    def add_arguments(self, parser):
        parser.add_argument("path", help="the file to write, e.g. readingroom-2026-11-23.xml")

    def handle(self, *args, path: str, **options):
        backup_write(path=path)
        self.stdout.write(f"Wrote {len(BACKED_UP)} kinds of record to {path}")
