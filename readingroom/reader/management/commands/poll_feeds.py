import time
from datetime import timedelta

from django.core.management.base import BaseCommand

from readingroom.reader.jobs import feeds_poll


class Command(BaseCommand):
    help = (
        "Check the sources' RSS and Atom feeds (admin: Sources → Feeds) and queue their new items for "
        "import by the background worker. Run it from cron, or with --every to keep checking."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--every",
            type=int,
            metavar="MINUTES",
            help="keep running: check each feed again when it was last checked this many minutes ago",
        )

    def handle(self, *args, every: int | None, verbosity: int, **options):
        while True:
            for check, job in feeds_poll(every=timedelta(minutes=every or 0)):
                if check.error:
                    self.stderr.write(self.style.ERROR(check.error))
                elif verbosity >= 1:
                    queued = f"{len(check.new_links)} new item(s) queued as job {job.pk}" if job else "nothing new"
                    self.stdout.write(f"{check.feed}: {queued}")
            if not every:
                return
            time.sleep(60)
