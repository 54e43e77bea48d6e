"""One background job: who started it, what it does, how far it is, and its result (a file, a message)."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Job(models.Model):
    """A piece of work a user started and a worker runs (``jobs.tasks.run_job``).

    The id is a random UUID and every page looks a job up among its owner's only, so another user's job
    id is a 404. ``handler`` is the dotted path of the function doing the work, set by the code that makes
    the job (never from a request). ``attempts`` counts the workers that started it: a job whose worker
    died is started once more (``jobs.services.jobs_recover``), never a third time.
    """

    class State(models.TextChoices):
        QUEUED = "queued", _("Waiting")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("started by"), on_delete=models.CASCADE)
    title = models.CharField(_("title"), max_length=255)
    handler = models.CharField(_("handler"), max_length=200)
    params = models.JSONField(_("parameters"), default=dict, blank=True)
    language = models.CharField(_("language"), max_length=10, default="id")
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.QUEUED)
    rows_done = models.PositiveBigIntegerField(_("rows done"), default=0)
    rows_total = models.PositiveBigIntegerField(_("rows in all"), null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    task_id = models.CharField(_("task id"), max_length=64, blank=True)
    created_at = models.DateTimeField(_("started at"), auto_now_add=True)
    started_at = models.DateTimeField(_("running since"), null=True, blank=True)
    heartbeat_at = models.DateTimeField(_("last heard of"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    message = models.TextField(_("message"), blank=True)
    link = models.CharField(_("link"), max_length=255, blank=True)
    file = models.CharField(_("stored file"), max_length=255, blank=True)
    file_name = models.CharField(_("file name"), max_length=255, blank=True)
    content_type = models.CharField(_("content type"), max_length=100, blank=True)
    expires_at = models.DateTimeField(_("kept until"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("background job")
        verbose_name_plural = _("background jobs")
        indexes = [models.Index(fields=["owner", "-created_at"]), models.Index(fields=["state", "heartbeat_at"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(rows_total__isnull=True) | Q(rows_done__lte=models.F("rows_total")),
                name="jobs_rows_done_within_total",
            ),
            models.CheckConstraint(
                condition=Q(state__in=["done", "failed"], finished_at__isnull=False)
                | Q(state__in=["queued", "running"], finished_at__isnull=True),
                name="jobs_finished_when_done_or_failed",
            ),
        ]

    def __str__(self):
        return self.title

    @property
    def is_finished(self):
        return self.state in (self.State.DONE, self.State.FAILED)

    @property
    def percent(self):
        if self.state == self.State.DONE:
            return 100
        if not self.rows_total:
            return 0
        return min(100, self.rows_done * 100 // self.rows_total)

    @property
    def seconds_left(self):
        """Time left at the pace so far (rows per second since it started), or None before it can tell."""
        if self.state != self.State.RUNNING or not self.rows_total or not self.rows_done or not self.started_at:
            return None
        elapsed = ((self.heartbeat_at or self.started_at) - self.started_at).total_seconds()
        if elapsed <= 0:
            return None
        return round((self.rows_total - self.rows_done) * elapsed / self.rows_done)

    @property
    def minutes_left(self):
        seconds = self.seconds_left
        return None if seconds is None else max(1, round(seconds / 60))
