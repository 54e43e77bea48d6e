"""The kecamatan and desa fields of every form that records where someone lives (a worker, an agent, a
candidate): typed with suggestions, read as codes by the services (``agents.places``).

The suggestions are the browser's own type-ahead (``<input list>`` with a ``<datalist>``, which works on a
phone and without JavaScript); the datalists come from ``{% place_datalists branch %}``
(``web.templatetags.places``). With JavaScript, ``static/js/places.js`` fills an empty kecamatan from the
NIK and narrows the desa suggestions to the chosen kecamatan. The kecamatan may be left empty: the service
takes the NIK's own district then, when it is one of the places offered.
"""

from django import forms
from django.utils.translation import gettext_lazy as _

KECAMATAN_LIST = "kecamatan-options"
DESA_LIST = "desa-options"


def _widget(list_id):
    return forms.TextInput(attrs={"list": list_id, "autocomplete": "off", "data-place": list_id, "maxlength": 60})


def kecamatan_field():
    return forms.CharField(
        label=_("Kecamatan"),
        max_length=60,
        required=False,
        widget=_widget(KECAMATAN_LIST),
        help_text=_("Type and choose from the list; left empty, the kecamatan of the NIK."),
    )


def desa_field():
    return forms.CharField(label=_("Desa/kelurahan"), max_length=60, required=False, widget=_widget(DESA_LIST))


def offer_places(form):
    """A model form's own kecamatan and desa fields given the suggestions (they stay as the model has them:
    an edit keeps a kecamatan, so it is not left empty there)."""
    form.fields["kecamatan"].widget = _widget(KECAMATAN_LIST)
    form.fields["desa"].widget = _widget(DESA_LIST)
