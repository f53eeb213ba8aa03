import json
import sys

from django.core.management.base import BaseCommand, CommandError

from readingroom.annotations.csv_export import annotations_csv
from readingroom.annotations.jsonld import annotation_collection
from readingroom.annotations.models import Annotation
from readingroom.annotations.selectors import with_thread_details


class Command(BaseCommand):
    help = "Write every annotation (or one document's) as W3C JSON-LD or CSV, to a file or standard output."

    def add_arguments(self, parser):
        parser.add_argument("--format", choices=["jsonld", "csv"], default="jsonld")
        parser.add_argument("--document", type=int, help="only this document's annotations")
        parser.add_argument(
            "--base-url", default="http://127.0.0.1:8000", help="the site's address, for ids and targets"
        )
        parser.add_argument("--output", "-o", help="file to write (default: standard output)")

    def handle(self, *args, format: str, document: int | None, base_url: str, output: str | None, **options):
        chosen = Annotation.objects.all()
        if document is not None:
            chosen = chosen.filter(document_id=document)
        # Threads before their replies, so that an import can link them up in one pass.
        annotations = list(with_thread_details(chosen).order_by("parent_id", "document_id", "start", "pk"))
        base_url = base_url.rstrip("/")
        if format == "csv":
            text = annotations_csv(annotations)
        else:
            collection = annotation_collection(
                annotations,
                base_url=base_url,
                label="Reading Room annotations",
                collection_url=f"{base_url}/annotations/",
            )
            text = json.dumps(collection, ensure_ascii=False, indent=2)
        if output:
            try:
                with open(output, "w", encoding="utf-8", newline="") as file:
                    file.write(text)
            except OSError as error:
                raise CommandError(f"Could not write {output}: {error.strerror}") from None
            self.stderr.write(f"Wrote {len(annotations)} annotations to {output}")
        else:
            sys.stdout.write(text)
