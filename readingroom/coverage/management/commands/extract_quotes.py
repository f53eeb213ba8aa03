from django.core.management.base import BaseCommand

from readingroom.coverage.quotes import documents_pending_quotes
from readingroom.coverage.services import coverage_update
from readingroom.library.models import Document


class Command(BaseCommand):
    help = (
        "Find quoted speech in documents, attribute it, cluster the same statement across sources, "
        "and find the passages several sources share."
    )

    def add_arguments(self, parser):
        parser.add_argument("--pending", action="store_true", help="only documents whose quotes are missing or stale")

    def handle(self, *args, pending: bool, **options):
        documents = documents_pending_quotes() if pending else Document.objects.all()
        documents = list(documents)
        total = coverage_update(documents=documents) if documents else 0
        self.stdout.write(f"{total} quotes in {len(documents)} documents")
