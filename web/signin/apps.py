from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SignInConfig(AppConfig):
    """``ready`` connects what happens at every sign-in, successful or not, whichever page it came through
    (the sign-in page, the Django admin's): failures counted for the username's delay, the device
    remembered, the session's start noted for its absolute lifetime."""

    name = "web.signin"
    label = "web_signin"
    verbose_name = _("Sign-in")

    def ready(self):
        from django.contrib.auth.signals import user_logged_in, user_login_failed

        from web.signin import sessions, throttle

        user_login_failed.connect(throttle.on_failed_sign_in, dispatch_uid="perisai_signin_failed")
        user_logged_in.connect(throttle.on_sign_in, dispatch_uid="perisai_signin_succeeded")
        user_logged_in.connect(sessions.note_sign_in, dispatch_uid="perisai_signin_session_start")
