from django_tasks_db.management.commands.db_worker import Command as DatabaseWorkerCommand

from jobs.recovery import interrupted_jobs_fail


class Command(DatabaseWorkerCommand):
    help = (
        "Run a background worker (django-tasks-db's db_worker, with the same options), after marking failed the "
        "jobs that a stopped worker left running, so that their people can start them again."
    )

    def handle(self, *args, **options):
        for job in interrupted_jobs_fail():
            self.stderr.write(f"Job {job.pk} ({job.kind}) was left running by the stopped worker {job.worker}: failed.")
        super().handle(*args, **options)
