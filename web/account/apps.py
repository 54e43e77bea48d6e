from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountConfig(AppConfig):
    """The second factor's pages (``web.account``). ``ready`` connects what must hold from the first
    sign-in on: whether the person has a factor is noted in their session when they sign in (so no page
    pays a query to ask), and ``check --deploy`` warns when production runs without the factor."""

    name = "web.account"
    label = "web_account"
    verbose_name = _("Account security")

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        from web.account import checks, factor  # noqa: F401  (checks registers the deploy check)

        user_logged_in.connect(factor.note_factor_on_sign_in, dispatch_uid="perisai_note_factor_on_sign_in")
