import json

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from readingroom.annotations.importing import annotations_import
from readingroom.annotations.parsing import InvalidAnnotation, items_of


class Command(BaseCommand):
    help = (
        "Import annotations from a W3C JSON-LD file (an export of this or another Reading Room). "
        "Authors are matched by username; the others are filed under --user. A session's annotations "
        "come back in a new session, owned by --user, whose members are their authors."
    )

    def add_arguments(self, parser):
        parser.add_argument("path")
        parser.add_argument("--user", required=True, help="username for annotations whose author is not here")

    def handle(self, *args, path: str, user: str, **options):
        owner = get_user_model().objects.filter(username=user).first()
        if owner is None:
            raise CommandError(f"No user named {user!r}.")
        try:
            with open(path, encoding="utf-8") as file:
                data = json.load(file)
            items = items_of(data)
        except OSError as error:
            raise CommandError(f"Could not read {path}: {error.strerror}") from None
        except (ValueError, RecursionError) as error:
            raise CommandError(f"{path} is not valid JSON: {error}") from None
        except InvalidAnnotation as error:
            raise CommandError(f"{path}: {error}") from None
        label = data.get("label") if isinstance(data, dict) else None
        report = annotations_import(items=items, user=owner, label=label if isinstance(label, str) else "")
        for session in report.sessions:
            self.stdout.write(
                f"New session “{session.title}” for a session's annotations: {session.get_absolute_url()}"
            )
        for refusal in report.errors:
            self.stderr.write(self.style.ERROR(refusal))
        summary = f"{report.created} annotations imported, {len(report.errors)} refused"
        if report.errors:
            raise CommandError(summary)
        self.stdout.write(summary)
