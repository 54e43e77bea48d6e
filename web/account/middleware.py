"""A session that has given the password but owes the second factor reaches nothing else.

Installed after django-otp's ``OTPMiddleware`` (which tells whether the session gave a factor). Every
page, the Django admin included, sends such a session to the code page (or, for someone who has no
factor yet, to set one up), with ``next`` so they land where they were going. Open to it are only the
pages that settle it: the code and set-up pages, signing in and out, the language switch and the health
check. One rule here, rather than a decorator on each view, so no page (nor the admin's own sign-in) can
forget it.
"""

from urllib.parse import urlencode

from django.http import HttpResponseRedirect, JsonResponse
from django.urls import Resolver404, resolve, reverse
from django.utils.translation import gettext as _

from web.account.factor import has_factor, must_verify

OPEN_TO_UNVERIFIED = {
    "account:verify",
    "account:enrol",
    "login",
    "logout",
    "admin:logout",
    "set_language",
    "health",
}


def _open_to_unverified(request):
    try:
        return resolve(request.path_info).view_name in OPEN_TO_UNVERIFIED
    except Resolver404:
        return True  # nothing there: the 404 says nothing


def _is_api(request):
    try:
        return resolve(request.path_info).namespace == "api"
    except Resolver404:
        return False


class SecondFactorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if must_verify(request) and not request.user.is_verified() and not _open_to_unverified(request):
            return self._to_second_factor(request)
        return self.get_response(request)

    @staticmethod
    def _to_second_factor(request):
        if _is_api(request):  # a program reads no redirect to a page: the JSON API's 403 (web.api)
            message = _("Give your second factor on the sign-in page first.")
            return JsonResponse({"message": message, "errors": {"__all__": [message]}}, status=403)
        url = reverse("account:verify" if has_factor(request.user) else "account:enrol")
        if request.method in ("GET", "HEAD"):
            url += "?" + urlencode({"next": request.get_full_path()})
        return HttpResponseRedirect(url)
