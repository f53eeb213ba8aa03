from django.core.management.base import BaseCommand, CommandError

from readingroom.entities.extraction import documents_extract_entities, documents_pending_extraction
from readingroom.library.models import Document


class Command(BaseCommand):
    help = "Find entity mentions in documents and link them across the corpus. Curators' decisions are kept."

    def add_arguments(self, parser):
        parser.add_argument("ids", nargs="*", type=int, help="document ids (default: every document)")
        parser.add_argument("--pending", action="store_true", help="only documents never extracted or changed since")

    def handle(self, *args, ids: list[int], pending: bool, verbosity: int, **options):
        documents = documents_pending_extraction() if pending else Document.objects.all()
        if ids:
            documents = documents.filter(pk__in=ids)
            missing = set(ids) - set(documents.values_list("pk", flat=True))
            if missing and not pending:
                raise CommandError(f"No document with id {', '.join(map(str, sorted(missing)))}.")

        def progress(number, total, result):
            if verbosity >= 1:
                outcome = f"failed ({result.error})" if result.error else f"{result.mentions} mentions"
                self.stdout.write(f"[{number}/{total}] {outcome} in “{result.document.title}”")

        results = documents_extract_entities(documents=documents.order_by("pk"), progress=progress)
        failed = [result for result in results if result.error]
        for result in failed:
            self.stderr.write(
                self.style.ERROR(f"document {result.document.pk} “{result.document.title}”: {result.error}")
            )
        summary = f"{len(results)} documents, {sum(r.mentions for r in results)} mentions"
        if failed:
            raise CommandError(f"{summary}; {len(failed)} failed (listed above), the others were extracted")
        self.stdout.write(summary)
