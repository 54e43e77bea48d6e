"""How a queued reminder leaves Perisai: a small backend interface and the two backends the branch chooses from.

``send_reminders`` queues ``OutboxMessage`` rows and hands the queued ones to the backend named by the
setting ``PERISAI_MESSAGE_BACKEND`` (a dotted path, from the environment):

- ``followup.sending.OutboxBackend`` (the default): **no gateway**. Nothing leaves the server; the
  outbox *is* the record. The messages stay *queued* and branch staff read them on the outbox page
  (``/followup/outbox/``); agents send the same words from their follow-up list with one tap
  (WhatsApp or SMS on their own phone). A branch without a gateway expects exactly that: marking the
  rows "sent" would say something went out when nothing did.
- ``followup.sending.HttpGatewayBackend``: an SMS/WhatsApp gateway over HTTPS. Each message is one
  ``POST`` of JSON ``{"to": "+62…", "text": "…"}`` to ``PERISAI_SMS_GATEWAY_URL`` with
  ``Authorization: Bearer <PERISAI_SMS_GATEWAY_TOKEN>``; any answer but 2xx (redirects are not followed,
  so the token never goes to another address), a timeout (``PERISAI_SMS_GATEWAY_TIMEOUT`` seconds) or a
  refused connection is a failure, recorded on the message with its reason.

A backend is a class with ``name`` (recorded on each message it handled), ``delivers`` (whether
``send`` hands the message to someone outside; the dispatcher leaves messages queued for one that does
not) and ``send(message)``, which returns nothing or raises ``SendFailed`` with a reason fit to show
staff. Reasons and logs name the message's id and purpose, never its text or full number.
"""

import ipaddress
import json
import logging
import urllib.error
import urllib.request
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils.module_loading import import_string

from perisai.privacy import mask_phone

logger = logging.getLogger(__name__)

DEFAULT_BACKEND = "followup.sending.OutboxBackend"
DEFAULT_TIMEOUT_SECONDS = 10
REASON_LENGTH = 300
"""``OutboxMessage.error`` holds this much."""


class SendFailed(Exception):
    """The backend could not send a message; ``reason`` says why, in words staff can act on."""

    def __init__(self, reason):
        super().__init__(reason)
        self.reason = str(reason)[:REASON_LENGTH]


class MessageBackend:
    """What every backend offers. Subclasses set ``name`` and implement ``send``."""

    name = ""
    delivers = True

    def send(self, message):
        """Hand ``message`` (an ``OutboxMessage``) on; ``SendFailed`` with a reason when it did not go."""
        raise NotImplementedError


class OutboxBackend(MessageBackend):
    """No gateway: the outbox is the record, read by staff; agents send the words themselves."""

    name = "outbox"
    delivers = False

    def send(self, message):
        """Nothing to do: the message is already in the outbox, where it stays queued."""


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    """A redirect is an answer that is not 2xx: never followed, so the bearer token stays with the gateway."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None


def _is_loopback(host):
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


class HttpGatewayBackend(MessageBackend):
    """An SMS/WhatsApp gateway that takes ``POST {"to", "text"}`` as JSON with a bearer token."""

    name = "http"

    def __init__(self, url=None, token=None, timeout=None):
        self.url = url if url is not None else getattr(settings, "PERISAI_SMS_GATEWAY_URL", "")
        self.token = token if token is not None else getattr(settings, "PERISAI_SMS_GATEWAY_TOKEN", "")
        if timeout is None:
            timeout = getattr(settings, "PERISAI_SMS_GATEWAY_TIMEOUT", DEFAULT_TIMEOUT_SECONDS)
        self.timeout = float(timeout)
        if not self.url or not self.token:
            raise ImproperlyConfigured(
                "The HTTP gateway needs PERISAI_SMS_GATEWAY_URL and PERISAI_SMS_GATEWAY_TOKEN set."
            )
        parts = urlsplit(self.url)
        if not parts.hostname or not (
            parts.scheme == "https" or (parts.scheme == "http" and _is_loopback(parts.hostname))
        ):
            raise ImproperlyConfigured(
                "PERISAI_SMS_GATEWAY_URL must be an https:// address (http:// only to this machine): "
                "the bearer token and the participants' numbers go with every message."
            )
        self._opener = urllib.request.build_opener(_NoRedirects)

    def send(self, message):
        body = json.dumps({"to": message.to, "text": message.text}).encode()
        request = urllib.request.Request(
            self.url,
            data=body,
            method="POST",
            headers={
                "Content-Type": "application/json; charset=utf-8",
                "Accept": "application/json",
                "Authorization": f"Bearer {self.token}",
                "User-Agent": "Perisai reminders",
            },
        )
        try:
            with self._opener.open(request, timeout=self.timeout) as response:
                status = response.status
                response.read(4096)  # the gateway's receipt is not kept: it may echo the text
        except urllib.error.HTTPError as error:
            error.close()
            raise self._failed(message, f"the gateway answered HTTP {error.code} {error.reason}") from None
        except TimeoutError:
            raise self._failed(message, f"the gateway did not answer within {self.timeout:g} seconds") from None
        except urllib.error.URLError as error:
            reason = error.reason
            if isinstance(reason, TimeoutError):
                raise self._failed(message, f"the gateway did not answer within {self.timeout:g} seconds") from None
            raise self._failed(message, f"the gateway could not be reached: {reason}") from None
        except OSError as error:
            raise self._failed(message, f"the gateway could not be reached: {error.strerror or error}") from None
        if not 200 <= status < 300:
            raise self._failed(message, f"the gateway answered HTTP {status}")
        logger.info(
            "reminder %s (%s) sent through the gateway to %s", message.pk, message.purpose, mask_phone(message.to)
        )

    def _failed(self, message, reason):
        logger.warning("reminder %s (%s) not sent: %s", message.pk, message.purpose, reason)
        return SendFailed(reason)


def get_backend(path=None):
    """The backend named by ``path`` or the setting ``PERISAI_MESSAGE_BACKEND`` (default: the outbox)."""
    path = path or getattr(settings, "PERISAI_MESSAGE_BACKEND", "") or DEFAULT_BACKEND
    try:
        backend_class = import_string(path)
    except ImportError as error:
        raise ImproperlyConfigured(f"PERISAI_MESSAGE_BACKEND: cannot import {path!r} ({error}).") from None
    if not (isinstance(backend_class, type) and issubclass(backend_class, MessageBackend)):
        raise ImproperlyConfigured(f"PERISAI_MESSAGE_BACKEND: {path!r} is not a followup.sending.MessageBackend.")
    return backend_class()
