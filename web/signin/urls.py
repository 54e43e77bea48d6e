"""Under /accounts/, before Django's own sign-in URLs, which these take the place of: "Forgot your
password?" explains who resets one, and the e-mail reset's pages are not served (``web.signin.views``)."""

from django.urls import path

from web.signin import views

urlpatterns = [
    path("password_reset/", views.password_help, name="password_reset"),
    path("password_reset/done/", views.no_reset_by_email, name="password_reset_done"),
    path("reset/<uidb64>/<token>/", views.no_reset_by_email, name="password_reset_confirm"),
    path("reset/done/", views.no_reset_by_email, name="password_reset_complete"),
]
