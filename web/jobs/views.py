"""My downloads: the background jobs a user started, each with its progress, its file or why it failed.

Only the user who started a job reaches it (``jobs.selectors.jobs_for``): anyone else's job id is a 404,
a national administrator's too. A job still running shows a progress bar with the rows done and the time
left; the page refreshes itself (htmx polls the bar, and a ``<meta refresh>`` does it without JavaScript).
Looking at a job whose worker stopped queues it once more (``jobs.services.jobs_recover``), so a job
survives a worker's restart even where no ``jobs_sweep`` is scheduled.
"""

from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from jobs.models import Job
from jobs.selectors import jobs_for
from jobs.services import jobs_recover, storage
from web.access import requires

REFRESH_SECONDS = 2


def _job_or_404(user, pk):
    return get_object_or_404(jobs_for(user), pk=pk)


@requires()
@require_GET
def job_list(request):
    jobs = list(jobs_for(request.user)[:100])
    running = [job for job in jobs if not job.is_finished]
    if running:
        jobs_recover(jobs=Job.objects.filter(pk__in=[job.pk for job in running]))
    return render(request, "jobs/list.html", {"jobs": jobs, "refresh": REFRESH_SECONDS if running else None})


@requires()
@require_GET
def job_detail(request, pk):
    job = _job_or_404(request.user, pk)
    if not job.is_finished and jobs_recover(jobs=Job.objects.filter(pk=job.pk)):
        job.refresh_from_db()
    context = {"job": job, "refresh": None if job.is_finished else REFRESH_SECONDS}
    if request.htmx:
        return render(request, "jobs/_progress.html", context)
    return render(request, "jobs/detail.html", context)


@requires()
@require_GET
def job_download(request, pk):
    job = _job_or_404(request.user, pk)
    if job.state != Job.State.DONE or not job.file:
        raise Http404
    try:
        handle = storage().open(job.file, "rb")
    except FileNotFoundError:
        raise Http404 from None
    return FileResponse(handle, as_attachment=True, filename=job.file_name, content_type=job.content_type)
