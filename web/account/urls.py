"""The account security pages (``account:`` namespace), under /accounts/security/ beside Django's sign-in."""

from django.urls import path

from web.account import views

urlpatterns = [
    path("", views.security, name="security"),
    path("verify/", views.verify, name="verify"),
    path("set-up/", views.enrol, name="enrol"),
    path("recovery-codes/", views.recovery_codes, name="recovery_codes"),
    path("turn-off/", views.turn_off, name="turn_off"),
    path("accounts/", views.user_list, name="user_list"),
    path("accounts/<int:pk>/reset/", views.reset, name="reset"),
]
