"""django-otp registers admin pages for its devices that let a superuser read a secret, add a device with
a key of their choosing for someone else, or delete one without a word. A factor here changes only
through ``web.account.factor``: its owner sets it up, an administrator resets it with a reason that is
kept in the account's history. So those pages are taken out (this app comes after django-otp's in
INSTALLED_APPS, so their registration has happened by the time this module is imported)."""

from django.contrib import admin
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

for model in (TOTPDevice, StaticDevice):
    if admin.site.is_registered(model):
        admin.site.unregister(model)
