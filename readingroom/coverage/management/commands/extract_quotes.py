from django.core.management.base import BaseCommand

from readingroom.coverage.passages import passages_relink_all
from readingroom.coverage.quotes import documents_pending_quotes, quotes_recluster_all
from readingroom.coverage.services import coverage_update
from readingroom.library.models import Document


class Command(BaseCommand):
    help = (
        "Find quoted speech in documents, attribute it, cluster the same statement across sources, "
        "and find the passages several sources share."
    )

    def add_arguments(self, parser):
        parser.add_argument("--pending", action="store_true", help="only documents whose quotes are missing or stale")
        parser.add_argument(
            "--rebuild",
            action="store_true",
            help=(
                "keep the quotes found, but cluster them and link the shared passages afresh from scratch "
                "(after changing how they are compared)"
            ),
        )

    def handle(self, *args, pending: bool, rebuild: bool, **options):
        if rebuild:
            clusters = quotes_recluster_all()
            pairs = passages_relink_all()
            self.stdout.write(f"{clusters} quote clusters, {pairs} shared passages")
            return
        documents = list(documents_pending_quotes() if pending else Document.objects.all())
        total = coverage_update(documents=documents) if documents else 0
        self.stdout.write(f"{total} quotes in {len(documents)} documents")
