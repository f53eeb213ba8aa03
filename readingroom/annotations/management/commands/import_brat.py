from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from readingroom.annotations.brat import annotations_import_brat
from readingroom.annotations.models import Visibility
from readingroom.ids import parse_id
from readingroom.library.models import Document


class Command(BaseCommand):
    help = (
        "Import a brat standoff .ann file onto a document whose canonical text its .txt is (as "
        "/annotations/export/brat.zip writes them): one annotation per text-bound span, its type and "
        "Tag attributes as tags, its AnnotatorNotes as the comment."
    )

    def add_arguments(self, parser):
        parser.add_argument("document", help="the document's id")
        parser.add_argument("path", help="the .ann file")
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
            with open(path, encoding="utf-8") as file:
                ann = file.read()
        except (OSError, UnicodeDecodeError) as error:
            raise CommandError(f"Could not read {path}: {error}") from None
        report = annotations_import_brat(document=found, ann=ann, user=owner, visibility=visibility)
        for refusal in report.refused:
            self.stderr.write(self.style.ERROR(refusal))
        summary = f"{report.created} annotations imported, {len(report.refused)} lines refused"
        if report.refused:
            raise CommandError(summary)
        self.stdout.write(summary)
