from django.core.management.base import BaseCommand

from readingroom.reader.jobs import import_jobs_resume


class Command(BaseCommand):
    help = (
        "Queue again the import jobs whose worker went quiet (killed, or its machine gone) for two minutes: "
        "they go on with the files not yet imported; and the waiting jobs whose task was lost "
        "(taken by a worker that died, or pruned). make run does this before starting its worker."
    )

    def handle(self, *args, verbosity: int, **options):
        resumed = import_jobs_resume()
        if verbosity >= 1:
            self.stdout.write(f"{len(resumed)} import job(s) queued again" + "".join(f"\n  {job}" for job in resumed))
