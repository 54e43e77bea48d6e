from django.apps import AppConfig


class PerisaiConfig(AppConfig):
    """The project package as an app, for the template tags every app's pages share."""

    name = "perisai"
    verbose_name = "Perisai"
