"""``manage.py seed_demo``: load the Cilacap demo data described in ``demo.cilacap``."""

from django.core.management.base import BaseCommand, CommandError

from demo.cilacap import DemoDataError, seed_cilacap_demo


class Command(BaseCommand):
    help = (
        "Load the Cilacap demo branch: four Perisai offices and their PKS, about 80 agents, "
        "5,628 acquisitions in 2021 and 2,336 in January-June 2022 with their contributions, "
        "and the demo accounts. Does nothing if the demo branch is already there."
    )

    def handle(self, *args, **options):
        try:
            seed_cilacap_demo(stdout=self.stdout)
        except DemoDataError as error:
            raise CommandError(error) from error
