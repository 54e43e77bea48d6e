"""An enrolment on a slow phone: from opening the form to the confirmation, at 400 kbit/s each way, 400 ms
latency and a CPU four times slower (Chromium's DevTools emulation: ``Network.emulateNetworkConditions``,
``Emulation.setCPUThrottlingRate``), against gunicorn with production settings. Target: under 10 s.

    python bench/enrol_phone.py --database-url postgres://postgres@127.0.0.1:5432/perisai_phone [--runs 3]

The database is migrated and given, once, a branch ``BNP`` with one agent account (``bench-phone``) and the
BPU rate; every run enrols a new worker there (NIKs of region 337403), so use a database of its own. Each
run opens the enrol form in a fresh browser (nothing cached: the first visit), fills it as Playwright types
(instantly: the person's typing is not the page's time), taps Save and waits for the participant's page
with its confirmation; then once more in the same browser (the repeat visit, files cached). The sign-in
happens before, unthrottled.

The service worker is blocked for the timed runs: DevTools' network emulation applies to the page's own
requests, not to a service worker's, so with the worker on, the pages it fetches would travel unthrottled
and the figure would flatter the app. On the timed path the worker only adds what it keeps in the
background and serves the static files the HTTP cache serves here.

Needs Debian's Chromium (/usr/bin/chromium) and the test tools (requirements-dev.txt: Playwright).
"""

import argparse
import datetime
import os
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from run import free_port  # noqa: E402  (bench/run.py's helper)

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                  "--no-first-run", "--disable-sync", "--disable-quic"]  # fmt: skip
PHONE = {"width": 360, "height": 740}
KBIT = 400
LATENCY_MS = 400
CPU_SLOWDOWN = 4
TARGET_SECONDS = 10
USERNAME = "bench-phone"
PASSWORD = "bench-phone-password-2026"  # noqa: S105 - a throwaway account of the benchmark's own database
REGION = "337403"


def configure(database_url, static_root):
    os.environ.update(
        {
            "DATABASE_URL": database_url,
            "DJANGO_SETTINGS_MODULE": "bench.settings",
            "BENCH_STATIC_ROOT": str(static_root),
            "DEBUG": "false",
            "SECRET_KEY": os.environ.get("SECRET_KEY", "bench-only-secret-key-" + "x" * 40),
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "SECURE_SSL_REDIRECT": "false",
            "AXES_ENABLED": "false",
            "LOG_LEVEL": "WARNING",
        }
    )


def agent_account():
    """The benchmark's branch, office, agent and account, and the BPU rate (made once)."""
    from agents.models import Agent, Branch, PerisaiOffice, User
    from enrollment.models import ContributionRate
    from perisai.nik import MALE, build_nik

    if not ContributionRate.objects.filter(effective_from__lte=datetime.date.today()).exists():
        ContributionRate.objects.create(
            name="BPU 2021", effective_from=datetime.date(2021, 1, 1), jkk_rate="0.0100", jkm_amount=6800,
            jht_rate="0.0200", min_declared_income=1_000_000, max_declared_income=20_700_000,
        )  # fmt: skip
    branch, _ = Branch.objects.get_or_create(code="BNP", defaults={"name": "Bench Phone"})
    office, _ = PerisaiOffice.objects.get_or_create(branch=branch, code="BNP-01", defaults={"name": "Perisai Bench"})
    user = User.objects.filter(username=USERNAME).first()
    if user is None:
        user = User.objects.create_user(USERNAME, password=PASSWORD, role=User.Role.AGENT, branch=branch)
    Agent.objects.get_or_create(
        code="BNP-A001",
        defaults={
            "branch": branch, "office": office, "user": user, "full_name": "Agen Ponsel",
            "nik": build_nik(REGION, datetime.date(1985, 5, 5), MALE, 9999), "gender": MALE,
            "birth_date": datetime.date(1985, 5, 5), "phone": "081299990000", "kecamatan": "Kroya",
            "joined_on": datetime.date(2020, 1, 1),
        },
    )  # fmt: skip
    return user


def wait_for(url, seconds=120):
    """The server answers ``url`` (workers booting on a busy machine may take a while)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310 - loopback only
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    raise RuntimeError(f"{url} did not answer within {seconds} s")


def throttle(context, page):
    session = context.new_cdp_session(page)
    session.send("Network.enable")
    speed = KBIT * 1000 / 8  # bytes a second, each way
    conditions = {"offline": False, "latency": LATENCY_MS, "downloadThroughput": speed, "uploadThroughput": speed}
    session.send("Network.emulateNetworkConditions", conditions)
    session.send("Emulation.setCPUThrottlingRate", {"rate": CPU_SLOWDOWN})


def enrol(page, base, serial):
    """Open the form, fill it, save, wait for the confirmation: seconds taken."""
    from perisai.nik import FEMALE, build_nik

    birth = datetime.date(1992, 7, 9)
    started = time.perf_counter()
    page.goto(base + "/enrollment/field/enrol/")
    page.fill("#id_nik", build_nik(REGION, birth, FEMALE, serial))
    page.fill("#id_full_name", f"Pekerja Ponsel {serial}")
    page.fill("#id_birth_date", birth.isoformat())
    page.check("input[name=gender][value=F]")
    page.fill("#id_kecamatan", "Kroya")
    page.select_option("#id_occupation", "farmer")
    page.click("button[name=save]")
    page.wait_for_url(re.compile(r"/enrollment/field/participants/\d+/$"), timeout=60_000)
    page.locator(".alert-success").wait_for(timeout=60_000)
    return time.perf_counter() - started


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", required=True, help="postgres://... of a database this benchmark may write")
    parser.add_argument("--runs", type=int, default=3, help="fresh browsers (each: a first and a repeat visit)")
    args = parser.parse_args()
    static_root = Path(tempfile.mkdtemp(prefix="perisai-phone-static-"))
    configure(args.database_url, static_root)
    import django

    django.setup()
    from django.core.management import call_command
    from playwright.sync_api import sync_playwright

    call_command("migrate", verbosity=0)
    call_command("collectstatic", "--noinput", verbosity=0)
    agent_account()
    port = free_port()
    base = f"http://localhost:{port}"  # a secure context, for the Secure cookies of production settings
    log = tempfile.NamedTemporaryFile(prefix="perisai-phone-gunicorn-", suffix=".log", delete=False)
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "config.wsgi"],
        cwd=ROOT,
        env={**os.environ, "GUNICORN_BIND": f"127.0.0.1:{port}", "GUNICORN_WORKERS": "2"},
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    first, repeat = [], []
    serial = int(time.time()) % 9000
    try:
        wait_for(f"{base}/health/")
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
            signing_in = browser.new_context(viewport=PHONE, locale="id-ID")
            page = signing_in.new_page()
            page.goto(base + "/accounts/login/")
            page.fill("input[name=username]", USERNAME)
            page.fill("input[name=password]", PASSWORD)
            page.click("#login-form button[type=submit]")
            page.wait_for_url(re.compile(r"/enrollment/field/$"))
            state = signing_in.storage_state()
            signing_in.close()
            for run in range(args.runs):
                context = browser.new_context(
                    viewport=PHONE, locale="id-ID", storage_state=state, service_workers="block"
                )
                page = context.new_page()
                throttle(context, page)
                first.append(enrol(page, base, serial + 2 * run))
                repeat.append(enrol(page, base, serial + 2 * run + 1))
                print(f"run {run + 1}: first visit {first[-1]:.1f} s, repeat visit {repeat[-1]:.1f} s", flush=True)
                context.close()
            browser.close()
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
        log.close()
        shutil.rmtree(static_root, ignore_errors=True)
    print(
        f"enrolment, form opened to confirmation, {KBIT} kbit/s, {LATENCY_MS} ms, CPU x{CPU_SLOWDOWN}: "
        f"first visit median {statistics.median(first):.1f} s (max {max(first):.1f}), "
        f"repeat visit median {statistics.median(repeat):.1f} s (max {max(repeat):.1f}); target < {TARGET_SECONDS} s"
    )
    if max(first + repeat) >= TARGET_SECONDS:
        sys.exit(1)


if __name__ == "__main__":
    main()
