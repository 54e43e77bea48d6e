"""Demo data: the regional office Cilacap reports to, and an account that reads it.

Cilacap belongs to the Kantor Wilayah Jawa Tengah dan DI Yogyakarta (code ``JTG``). The demo account
``wilayah`` (the demo password) is a regional user there: it reads the dashboard, the reports, the
workbook and the lists of every branch of the region (only Cilacap in the demo) and changes nothing.

Run after the Cilacap demo (``manage.py seed_demo`` does): it places the branch in the region, if the
branch is there, and adds the region and the account once; run again, it changes nothing.
"""

from django.db import transaction

from agents.models import Branch, Region, User
from demo import cilacap

REGION_CODE = "JTG"
REGION_NAME = "Kanwil Jawa Tengah dan DI Yogyakarta"
REGIONAL_USERNAME = "wilayah"
REGIONAL_FIRST_NAME, REGIONAL_LAST_NAME = "Dewi", "Anggraini"


@transaction.atomic
def seed_region_demo(*, stdout=None):
    """The demo's region with Cilacap in it and the ``wilayah`` account; the region."""
    region, _created = Region.objects.get_or_create(code=REGION_CODE, defaults={"name": REGION_NAME})
    placed = Branch.objects.filter(code=cilacap.BRANCH_CODE, region__isnull=True).update(region=region)
    if not User.objects.filter(username=REGIONAL_USERNAME).exists():
        user = User(
            username=REGIONAL_USERNAME,
            role=User.Role.REGIONAL,
            region=region,
            first_name=REGIONAL_FIRST_NAME,
            last_name=REGIONAL_LAST_NAME,
        )
        user.set_password(cilacap.DEMO_PASSWORD)
        user.full_clean()
        user.save()
        _write(stdout, f"Regional office {region.name} ({region.code}): account {REGIONAL_USERNAME}.")
    elif placed:
        _write(stdout, f"Branch {cilacap.BRANCH_CODE} placed in {region.name} ({region.code}).")
    return region


def _write(stdout, line):
    if stdout is not None:
        stdout.write(line + "\n")
