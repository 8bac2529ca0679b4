"""SMS to organisations' functional numbers, through a pluggable backend (SMS_BACKEND).

- "console" (default, development): the message is logged, nothing is sent.
- "http": one provider with a JSON POST API (`SMS_HTTP_URL`, bearer `SMS_HTTP_TOKEN`,
  `SMS_SENDER`), e.g. 46elks- or Twilio-style gateways behind a small adapter.
"""

import logging

import requests
from django.conf import settings

logger = logging.getLogger(__name__)


class SmsError(Exception):
    """The message was not accepted (try again later)."""


def _console(to: str, text: str) -> None:
    logger.info("SMS to %s: %s", to, text)


def _http(to: str, text: str) -> None:
    if not settings.SMS_HTTP_URL:
        raise SmsError("SMS_HTTP_URL is not set")
    try:
        response = requests.post(
            settings.SMS_HTTP_URL,
            json={"from": settings.SMS_SENDER, "to": to, "message": text[:640]},
            headers={"Authorization": f"Bearer {settings.SMS_HTTP_TOKEN}"},
            timeout=10,
        )
    except requests.RequestException as error:
        raise SmsError(f"{type(error).__name__}") from error
    if response.status_code >= 400:
        raise SmsError(f"HTTP {response.status_code}")


BACKENDS = {"console": _console, "http": _http}


def send_sms(to: str, text: str) -> None:
    normalised = "".join(ch for ch in to if ch.isdigit() or ch == "+")
    if normalised.startswith("0"):
        normalised = "+46" + normalised[1:]
    BACKENDS.get(settings.SMS_BACKEND, _console)(normalised, text)
