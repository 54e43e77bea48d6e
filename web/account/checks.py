"""``check --deploy`` refuses (as a warning, which the deployment steps treat as failing) a production
configuration that lets staff sign in with a password alone."""

from django.conf import settings
from django.core.checks import Tags, Warning, register


@register(Tags.security, deploy=True)
def second_factor_required_in_production(app_configs, **kwargs):
    if settings.DEBUG or getattr(settings, "PERISAI_REQUIRE_TWO_FACTOR", False):
        return []
    return [
        Warning(
            "PERISAI_REQUIRE_TWO_FACTOR is off: staff, branch heads and administrators sign in with a password alone.",
            hint="Leave PERISAI_REQUIRE_TWO_FACTOR unset (it is on when DEBUG is off) or set it to true.",
            id="perisai.W001",
        )
    ]
