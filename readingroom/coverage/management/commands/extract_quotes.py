from django.core.management.base import BaseCommand

from readingroom.coverage.quotes import documents_extract_quotes, documents_pending_quotes
from readingroom.library.models import Document


class Command(BaseCommand):
    help = "Find quoted speech in documents, attribute it, and cluster the same statement across sources."

    def add_arguments(self, parser):
        parser.add_argument("--pending", action="store_true", help="only documents whose quotes are missing or stale")

    def handle(self, *args, pending: bool, **options):
        documents = documents_pending_quotes() if pending else Document.objects.all()
        documents = list(documents)
        total = documents_extract_quotes(documents=documents) if documents else 0
        self.stdout.write(f"{total} quotes in {len(documents)} documents")
