"""``manage.py api_token``: the JSON API's bearer tokens, issued and revoked by the server's operator.

    python manage.py api_token issue agen1 --name "Koperasi sync" [--days 365]   # prints the token once
    python manage.py api_token list [agen1]
    python manage.py api_token revoke prs_AbCd1234        # the first characters ``list`` shows
    python manage.py api_token revoke --user agen1        # every token of the account

A token writes as its account, so only an agent's account gets one: the API's endpoints are the agent's
(``web.api``). Only the token's hash is kept; lose the token and issue another.
"""

from django.core.exceptions import ValidationError
from django.core.management import BaseCommand, CommandError
from django.utils import timezone

from agents.models import User
from perisai.roles import Role
from web.signin.models import ApiToken
from web.signin.tokens import api_token_issue, api_token_revoke


def _user(username):
    user = User.objects.filter(username=username).first()
    if user is None:
        raise CommandError(f"No account {username!r}.")
    return user


class Command(BaseCommand):
    help = "Issue, list or revoke the JSON API's bearer tokens."

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True)
        issue = actions.add_parser("issue", help="A new token for an agent's account, printed once.")
        issue.add_argument("username")
        issue.add_argument("--name", required=True, help="What the token is for (shown by list).")
        issue.add_argument("--days", type=int, help="Valid this many days (default: until revoked).")
        listing = actions.add_parser("list", help="Tokens (all, or one account's), newest first.")
        listing.add_argument("username", nargs="?")
        revoke = actions.add_parser("revoke", help="Revoke a token by its first characters, or an account's.")
        revoke.add_argument("prefix", nargs="?", help="The token's first characters, as list shows them.")
        revoke.add_argument("--user", help="Revoke every token of this account.")

    def handle(self, *, action, **options):
        getattr(self, f"_{action}")(**options)

    def _issue(self, *, username, name, days, **options):
        user = _user(username)
        if user.role != Role.AGENT:
            raise CommandError(f"{username!r} is not an agent's account: the API's endpoints are the agent's.")
        if days is not None and days < 1:
            raise CommandError("--days must be 1 or more.")
        try:
            issued, token = api_token_issue(user=user, name=name.strip() or "API", days=days)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        self.stdout.write(f"Token for {username} ({issued.name}); it is shown this once:")
        self.stdout.write(token)

    def _list(self, *, username, **options):
        tokens = ApiToken.objects.select_related("user")
        if username:
            tokens = tokens.filter(user=_user(username))
        now = timezone.now()
        for token in tokens:
            if token.revoked_at:
                state = f"revoked {token.revoked_at:%Y-%m-%d}"
            elif token.expires_at and token.expires_at <= now:
                state = f"expired {token.expires_at:%Y-%m-%d}"
            else:
                state = "active"
            used = f"{token.last_used_at:%Y-%m-%d %H:%M}" if token.last_used_at else "never"
            self.stdout.write(f"{token.prefix}\t{token.user.username}\t{token.name}\t{state}\tlast used {used}")

    def _revoke(self, *, prefix, user, **options):
        if bool(prefix) == bool(user):
            raise CommandError("Give a token's first characters or --user, not both.")
        if user:
            tokens = list(ApiToken.objects.filter(user=_user(user), revoked_at__isnull=True))
        else:
            tokens = list(ApiToken.objects.filter(prefix=prefix, revoked_at__isnull=True))
            if len(tokens) > 1:
                raise CommandError(f"{len(tokens)} tokens start with {prefix!r}; revoke with --user.")
            if not tokens:
                raise CommandError(f"No active token starts with {prefix!r}.")
        for token in tokens:
            api_token_revoke(token=token)
        self.stdout.write(f"{len(tokens)} token(s) revoked.")
