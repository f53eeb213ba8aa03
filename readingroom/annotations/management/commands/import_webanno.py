from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from readingroom.annotations.models import Visibility
from readingroom.annotations.webanno import annotations_import_webanno
from readingroom.ids import parse_id
from readingroom.library.models import Document


class Command(BaseCommand):
    help = (
        "Import a WebAnno TSV 3.x file (as /annotations/export/webanno.zip writes them, or INCEpTION "
        "exports them) onto the document whose text it holds: one annotation per span; the "
        "webanno.custom.ReadingRoom layer's tags and comment as they were, another span layer's "
        "feature values as tags."
    )

    def add_arguments(self, parser):
        parser.add_argument("document", help="the document's id")
        parser.add_argument("path", help="the .tsv file")
        parser.add_argument("--user", required=True, help="the username the annotations are filed under")
        parser.add_argument("--visibility", choices=[Visibility.PRIVATE, Visibility.PUBLIC], default=Visibility.PRIVATE)

    def handle(self, *args, document: str, path: str, user: str, visibility: str, **options):
        owner = get_user_model().objects.filter(username=user).first()
        if owner is None:
            raise CommandError(f"No user named {user!r}.")
        document_id = parse_id(document)
        found = Document.objects.filter(pk=document_id).first() if document_id is not None else None
        if found is None:
            raise CommandError(f"No document {document!r}.")
        try:
            with open(path, encoding="utf-8-sig") as file:
                tsv = file.read()
        except (OSError, UnicodeDecodeError) as error:
            raise CommandError(f"Could not read {path}: {error}") from None
        report = annotations_import_webanno(document=found, tsv=tsv, user=owner, visibility=visibility)
        for refusal in report.refused:
            self.stderr.write(self.style.ERROR(refusal))
        summary = f"{report.created} annotations imported, {len(report.refused)} refused or skipped"
        if report.refused:
            raise CommandError(summary)
        self.stdout.write(summary)
