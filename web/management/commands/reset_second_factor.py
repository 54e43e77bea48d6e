"""``manage.py reset_second_factor USERNAME --by ADMIN --reason "..."``: for when no administrator can sign in.

An administrator resets someone else's lost second factor from Account security → Second factor of
accounts. This is the way in when that cannot happen (the only administrator lost their phone and their
recovery codes): the server's operator removes the factor and the record names the administrator who
asked (``--by``) and the reason, marked as done at the server.
"""

from django.core.exceptions import ValidationError
from django.core.management import BaseCommand, CommandError

from agents.models import User
from web.account.factor import may_reset_second_factors, second_factor_reset


def _user(username, option):
    user = User.objects.filter(username=username).first()
    if user is None:
        raise CommandError(f"No account {username!r} ({option}).")
    return user


class Command(BaseCommand):
    help = "Remove an account's second factor (authenticator app and recovery codes), with a recorded reason."

    def add_arguments(self, parser):
        parser.add_argument("username", help="The account whose second factor is lost.")
        parser.add_argument("--by", required=True, help="Username of the administrator who asked for the reset.")
        parser.add_argument("--reason", required=True, help="Why, kept in the account's history.")

    def handle(self, *, username, by, reason, **options):
        user = _user(username, "username")
        requested_by = _user(by, "--by")
        if not may_reset_second_factors(requested_by):
            raise CommandError(f"{by!r} is not a national administrator.")
        try:
            second_factor_reset(user=user, by=requested_by, reason=reason, at_the_server=True)
        except ValidationError as error:
            raise CommandError(" ".join(str(message) for message in error.messages)) from None
        self.stdout.write(f"Second factor of {username} reset; they set up a new one at their next sign-in.")
