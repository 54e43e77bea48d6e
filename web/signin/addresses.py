"""Whose address a request comes from, behind the reverse proxy.

nginx puts the address that connected to it into ``X-Forwarded-For`` in one of two ways:

- ``proxy_set_header X-Forwarded-For $remote_addr;`` (the README's block) replaces whatever the client
  sent: the header is exactly ``<client>``;
- ``proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;`` appends to what the client sent:
  ``<anything the client wrote>, <client>``.

Either way the entry a proxy of ours wrote is the right-most one, and everything to its left is the
client's own say. With ``PERISAI_PROXY_COUNT`` proxies in a row (each appending; 1 for nginx alone, 2 for
a load balancer in front of nginx) the client is the ``PERISAI_PROXY_COUNT``-th entry from the right,
and ``REMOTE_ADDR`` is the nearest proxy. Reading from the left (what django-ipware does) would let the
client choose its address; counting entries and giving up when there are fewer (what it does in strict
mode) files every request from the README's setup under no address at all, so one username's failures
from anywhere would lock it everywhere.

A header with fewer entries than proxies did not come through them (someone reaching gunicorn directly,
which binds 127.0.0.1 only): then the connection's own address counts. With no proxy (local use, DEBUG)
the header is ignored. The answer is an address whenever the connection has one (always, over TCP).
"""

import ipaddress

from django.conf import settings


def _address(text):
    try:
        return str(ipaddress.ip_address(text.strip()))
    except ValueError:
        return None


def client_address(request):
    """The client's IP address (``AXES_CLIENT_IP_CALLABLE``, and whatever else needs it)."""
    own = request.META.get("REMOTE_ADDR", "")
    proxies = int(getattr(settings, "PERISAI_PROXY_COUNT", 0))
    if proxies > 0:
        hops = [hop for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if hop.strip()]
        if len(hops) >= proxies:
            written_by_our_proxy = _address(hops[-proxies])
            if written_by_our_proxy:
                return written_by_our_proxy
    return _address(own)
