import json

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from readingroom.annotations.hypothesis import annotations_import_hypothesis, hypothesis_rows
from readingroom.annotations.models import Visibility
from readingroom.annotations.parsing import InvalidAnnotation


class Command(BaseCommand):
    help = (
        "Import annotations from Hypothesis (its JSON export, or an API search answer) as --user's. "
        "Each is matched to a document by its address or its quote and anchored by quote and context; "
        "replies stay replies; those that cannot be anchored are kept as orphans and listed."
    )

    def add_arguments(self, parser):
        parser.add_argument("path")
        parser.add_argument("--user", required=True, help="the username the annotations are filed under")
        parser.add_argument(
            "--visibility",
            choices=[Visibility.PRIVATE, Visibility.PUBLIC],
            default=Visibility.PRIVATE,
            help="who sees them (default: only --user)",
        )

    def handle(self, *args, path: str, user: str, visibility: str, **options):
        owner = get_user_model().objects.filter(username=user).first()
        if owner is None:
            raise CommandError(f"No user named {user!r}.")
        try:
            with open(path, encoding="utf-8") as file:
                rows = hypothesis_rows(json.load(file))
        except OSError as error:
            raise CommandError(f"Could not read {path}: {error.strerror}") from None
        except (ValueError, RecursionError) as error:
            raise CommandError(f"{path} is not valid JSON: {error}") from None
        except InvalidAnnotation as error:
            raise CommandError(f"{path}: {error}") from None
        report = annotations_import_hypothesis(rows=rows, user=owner, visibility=visibility)
        for orphan in report.orphaned:
            self.stdout.write(self.style.WARNING(orphan))
        for refusal in report.refused:
            self.stderr.write(self.style.ERROR(refusal))
        summary = (
            f"{report.created} annotations ({len(report.orphaned)} of them orphans) and {report.replies} replies "
            f"imported, {report.already} imported before, {len(report.refused)} refused"
        )
        if report.refused:
            raise CommandError(summary)
        self.stdout.write(summary)
