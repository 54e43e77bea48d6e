"""
WSGI config for Perisai.

It exposes the WSGI callable as a module-level variable named ``application``, ready to serve: what every
request needs is loaded and kept out of the garbage collector's way (``config.serving``).

For more information on this file, see
https://docs.djangoproject.com/en/5.2/howto/deployment/wsgi/
"""

import os

from django.core.wsgi import get_wsgi_application

from config.serving import prepare_to_serve

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

application = get_wsgi_application()
prepare_to_serve()
