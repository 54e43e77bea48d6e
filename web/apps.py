from django.apps import AppConfig


class WebConfig(AppConfig):
    """Every page of Perisai, over the domain apps: views, forms, URL confs, template tags, and the pages
    and files that compose several domains (the dashboard, the evaluation workbook)."""

    name = "web"
    verbose_name = "Perisai"
