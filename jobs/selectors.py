"""Reads of jobs: a user's own, and nobody else's."""

from django.utils import timezone

from jobs.models import Job


def jobs_for(user):
    """The jobs ``user`` started that are still kept (a page turns any other id into a 404)."""
    if not user.is_authenticated:
        return Job.objects.none()
    return Job.objects.filter(owner=user).exclude(expires_at__lt=timezone.now())
