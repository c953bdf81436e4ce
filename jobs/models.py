"""Background jobs: work a worker process does for a person (an import, a report), and what came of it.

A job is the person's view of a task of Django's tasks framework: who asked, in which team, what for, how far it
has gone and its result. Its files (the uploads it reads, the file it makes) are kept in the database, so that a
worker on any machine can read what a web process on another received.
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse

from pairs.models import Team
from pairs.rules import Perm, has_team_perm
from pairs.validation import ValidatesWithFewQueries


class JobStatus(models.TextChoices):
    QUEUED = "queued", "Waiting to start"
    RUNNING = "running", "Running"
    DONE = "done", "Done"
    FAILED = "failed", "Failed"


FINISHED = (JobStatus.DONE, JobStatus.FAILED)


class BackgroundJob(ValidatesWithFewQueries):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="background_jobs")
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="background_jobs")
    # The permission (a `pairs.rules.Perm` value) that starting the job needed in its team; the person who asked
    # sees the job only while they still hold it.
    permission = models.CharField(max_length=100)
    # What the job does, as "<app>.<name>" ("monitoring.import"); its page shows the result with the template
    # "<app>/<name>_outcome.html" when there is one.
    kind = models.CharField(max_length=100)
    title = models.CharField(max_length=200)
    # The task of the tasks framework that runs it (its module path), and what it is given.
    task_path = models.CharField(max_length=200)
    arguments = models.JSONField(default=dict, blank=True)
    # The backend's id for the latest run, to find the task's own record (django-tasks-db's table, in the admin).
    task_result_id = models.CharField(max_length=64, blank=True)

    status = models.CharField(max_length=10, choices=JobStatus, default=JobStatus.QUEUED)
    attempts = models.PositiveSmallIntegerField(default=0)
    # The worker running or last to run it, as "host:pid", to tell whether it is still alive.
    worker = models.CharField(max_length=255, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    queued_at = models.DateTimeField()
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    message = models.TextField(blank=True)
    result = models.JSONField(default=dict, blank=True)
    problems = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["status", "queued_at"], name="jobs_status_queued_idx")]

    def __str__(self) -> str:
        return f"{self.title} ({self.get_status_display().lower()})"

    def get_absolute_url(self) -> str:
        return reverse("jobs:detail", args=[self.pk])

    @property
    def is_finished(self) -> bool:
        return self.status in FINISHED

    @property
    def can_retry(self) -> bool:
        """A job that stopped before it finished its work (a crash, a worker that stopped) can run again; one whose
        work found problems in what it was given would only find them again."""
        return self.status == JobStatus.FAILED and not self.problems

    def is_visible_to(self, user) -> bool:
        """The person who asked, while they may still do what it does in its team, and the team's managers."""
        if has_team_perm(user, Perm.MANAGE_TEAM, self.team):
            return True
        return self.requested_by_id == user.pk and has_team_perm(user, Perm(self.permission), self.team)

    def is_downloadable_by(self, user) -> bool:
        """The file a job made is for the person who asked alone, while they may still do what it does in its team:
        a manager looking after the team's jobs sees that it exists, and a commissioner, who never holds a service
        manager's permission, never takes an export of the team's records."""
        return self.requested_by_id == user.pk and has_team_perm(user, Perm(self.permission), self.team)

    def jobs_ahead(self) -> int:
        """How many queued jobs, of any team, were queued before this one: the queue is first come, first served."""
        return BackgroundJob.objects.filter(status=JobStatus.QUEUED, queued_at__lt=self.queued_at).count()


class JobFile(ValidatesWithFewQueries):
    """A file a job reads (an upload) or makes (a report). Inputs go once the work has finished with them."""

    class Purpose(models.TextChoices):
        INPUT = "input", "Input"
        OUTPUT = "output", "Output"

    job = models.ForeignKey(BackgroundJob, on_delete=models.CASCADE, related_name="files")
    purpose = models.CharField(max_length=10, choices=Purpose)
    name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100)
    content = models.BinaryField()
    # What each download of a file the job made writes in the audit trail, as an access entry against the job's
    # team ({"download": "Quarterly performance report PDF", "start": ..., "end": ..., "figures": ...}); without
    # it, a download is an access entry against the job.
    download_record = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(fields=["job"], condition=Q(purpose="output"), name="one_output_per_job"),
        ]

    def __str__(self) -> str:
        return self.name
