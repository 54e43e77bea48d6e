"""The root URL conf: the app's pages (``web.urls``), Django's sign-in pages, the language switch and
the administration."""

from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("", include("web.urls")),
    path("accounts/", include("web.signin.urls")),  # "Forgot your password?" instead of a reset by e-mail
    path("accounts/", include("django.contrib.auth.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
]
