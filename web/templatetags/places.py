"""``{% place_datalists branch %}``: the kecamatan and desa a form of ``branch`` suggests (``web.places``)."""

from django import template

from agents.places import PlaceOptions, branch_regencies, place_options

register = template.Library()


@register.inclusion_tag("places/_datalists.html")
def place_datalists(branch):
    """The districts and villages of the regencies ``branch`` serves (none for no branch: the national
    administrator's forms then suggest nothing and the NIK's regency is still accepted)."""
    return {"options": place_options(branch_regencies(branch)) if branch else PlaceOptions([], [])}
