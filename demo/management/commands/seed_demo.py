"""``manage.py seed_demo``: load the Cilacap demo data described in ``demo.cilacap``, then its regional
office (``demo.regions``)."""

import datetime

from django.core.management.base import BaseCommand, CommandError

from demo.cilacap import DemoDataError, seed_cilacap_demo
from demo.regions import seed_region_demo


class Command(BaseCommand):
    help = (
        "Load the Cilacap demo branch as of today: four Perisai offices and their PKS, its agents, "
        "5,628 acquisitions in 2021, 2,336 in January-June 2022 and every month since up to today with "
        "their contributions, and the demo accounts (nothing if the demo branch is already there); "
        "then the regional office Cilacap belongs to and its account, once."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--today",
            type=datetime.date.fromisoformat,
            help="The demo's today, YYYY-MM-DD (default: today): where its story stops.",
        )

    def handle(self, *args, today=None, **options):
        try:
            seed_cilacap_demo(stdout=self.stdout, today=today)
            seed_region_demo(stdout=self.stdout)
        except DemoDataError as error:
            raise CommandError(error) from error
