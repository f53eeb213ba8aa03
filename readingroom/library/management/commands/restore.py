from django.core.management.base import BaseCommand, CommandError

from readingroom.backup import RestoreRefused, backup_restore


class Command(BaseCommand):
    help = "Load a file written by `backup` into an empty (freshly migrated) database: all of it, or nothing."

    def add_arguments(self, parser):
        parser.add_argument("path")

    def handle(self, *args, path: str, **options):
        def progress(label: str, count: int) -> None:
            if options["verbosity"] >= 2:
                self.stdout.write(f"  {label}: {count}")

        try:
            restored = backup_restore(path=path, progress=progress)
        except RestoreRefused as refusal:
            raise CommandError(str(refusal)) from None
        except FileNotFoundError:
            raise CommandError(f"No file {path}.") from None
        except Exception as error:  # a damaged or foreign file: say so; the transaction stored nothing
            raise CommandError(f"{path} is not a Reading Room backup that can be restored: {error}") from None
        for warning in restored.warnings:
            self.stderr.write(self.style.WARNING(warning))
        self.stdout.write(f"Restored {restored.records} records from {path}")
