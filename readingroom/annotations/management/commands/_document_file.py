"""What the commands that read one tool's annotation file onto one document share: the
arguments, finding the user and the document, reading the file, and the report."""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from readingroom.annotations.models import Visibility
from readingroom.ids import parse_id
from readingroom.library.models import Document


class DocumentFileCommand(BaseCommand):
    file_help = "the file"
    encoding = "utf-8"
    refused = "lines refused"

    def read_onto(self, *, document: Document, text: str, user, visibility: str):
        """Import ``text`` onto ``document``; returns a report with ``created`` and ``refused``."""
        raise NotImplementedError

    def add_arguments(self, parser):
        parser.add_argument("document", help="the document's id")
        parser.add_argument("path", help=self.file_help)
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
            with open(path, encoding=self.encoding) as file:
                text = file.read()
        except (OSError, UnicodeDecodeError) as error:
            raise CommandError(f"Could not read {path}: {error}") from None
        report = self.read_onto(document=found, text=text, user=owner, visibility=visibility)
        for refusal in report.refused:
            self.stderr.write(self.style.ERROR(refusal))
        summary = f"{report.created} annotations imported, {len(report.refused)} {self.refused}"
        if report.refused:
            raise CommandError(summary)
        self.stdout.write(summary)
