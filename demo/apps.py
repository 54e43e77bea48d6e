from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The Cilacap demonstration data (``python manage.py seed_demo``), written through the domain apps."""

    name = "demo"
    verbose_name = "Perisai demo"
