"""In Chromium: the job's page follows the worker by itself (htmx, no reload), or by refreshing itself when
JavaScript is off, until the file can be downloaded."""

import pytest
from django.core.management import call_command
from django.urls import reverse

from jobs.models import Job
from tests.browser.conftest import DESKTOP
from tests.factories import DEFAULT_PASSWORD
from tests.jobs.conftest import results_storage, staff, two_branches  # noqa: F401, F811 (the jobs tests' fixtures)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("results_storage")]


def test_the_job_page_shows_the_download_when_the_worker_is_done_without_a_reload(page, sign_in, staff, settings):  # noqa: F811
    settings.PERISAI_JOBS_ROWS_IN_REQUEST = 2
    sign_in(page, staff.username, DEFAULT_PASSWORD)
    page.goto(f"{page.base_url}{reverse('reports:participants_csv')}?through=2022-06")
    job = Job.objects.get()
    assert page.url.endswith(reverse("jobs:detail", args=[job.pk]))
    assert page.get_attribute("#job-progress", "data-state") == "queued"
    page.evaluate("window.stillThisPage = true")

    call_command("jobs_worker", burst=True, verbosity=0)

    page.wait_for_selector("#job-download", timeout=15_000)
    assert page.evaluate("window.stillThisPage") is True  # htmx swapped the bar; the page was not reloaded
    with page.expect_download() as download:
        page.click("#job-download")
    assert "Siti Cilacap" in open(download.value.path(), encoding="utf-8-sig").read()


def test_without_javascript_the_job_page_refreshes_itself(browser, live_server, sign_in, staff, settings):  # noqa: F811
    context = browser.new_context(viewport=DESKTOP, java_script_enabled=False)
    plain = context.new_page()
    try:
        plain.base_url = live_server.url
        sign_in(plain, staff.username, DEFAULT_PASSWORD)
        settings.PERISAI_JOBS_ROWS_IN_REQUEST = 2
        plain.goto(f"{plain.base_url}{reverse('reports:participants_csv')}?through=2022-06")
        assert plain.get_attribute("#job-progress", "data-state") == "queued"

        call_command("jobs_worker", burst=True, verbosity=0)

        plain.wait_for_selector("#job-download", timeout=15_000)
    finally:
        context.close()
