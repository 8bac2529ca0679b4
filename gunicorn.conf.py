"""gunicorn's configuration: `gunicorn --config gunicorn.conf.py` (Dockerfile, docker-compose.yml).

Architecture §6 promises that no visitor's IP address is stored, cached or logged – the public
survey page `/s/<token>/` above all. gunicorn's default access log starts with the client's address,
so the access log here keeps what running the service needs (when, which page, status, size,
duration) and nothing that points at a person: no address (`%(h)s`), no request headers such
as X-Forwarded-For or X-Real-IP, no query string, referrer or user agent. The secret part of
token links (survey, invitation, password reset, e-mail confirmation) is replaced by "…".
The logger class enforces this whatever the format says, and also keeps the address out of the
warning gunicorn writes when it refuses a malformed request.

A reverse proxy in front of gunicorn must be configured the same way (its own access log).
"""

import os
import re

from gunicorn import glogging

wsgi_app = "amp_platform.wsgi"
bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", "3"))

accesslog = "-"
access_log_format = '%(t)s "%(m)s %(U)s" %(s)s %(B)s %(M)sms'

TOKEN_PATH = re.compile(
    r"^(/s|/invitations|/accounts/confirm-email|/accounts/password/reset/key)/[^/]+"
)
# gunicorn's "Invalid request from ip=203.0.113.7: …" (an IPv6 address has no ": " in it).
ADDRESS_IN_MESSAGE = re.compile(r"\bip=\S*?(?=: |$)")
# Atoms that name or fingerprint the visitor, or carry a query string that may hold a token.
PERSONAL_ATOMS = ("h", "u", "r", "q", "f", "a")


def private_path(path: str) -> str:
    return TOKEN_PATH.sub(r"\1/…", path)


class PrivateLogger(glogging.Logger):
    """gunicorn's logger without the visitor: see the module docstring."""

    def atoms(self, resp, req, environ, request_time):
        atoms = super().atoms(resp, req, environ, request_time)
        # Every request header, response header and WSGI variable (`{x-forwarded-for}i`,
        # `{remote_addr}e`, cookies) goes; a format asking for one logs "-".
        kept = {
            key: value
            for key, value in atoms.items()
            if key not in PERSONAL_ATOMS and not key.startswith("{")
        }
        kept["U"] = private_path(kept.get("U") or "")
        return kept

    def warning(self, msg, *args, **kwargs):
        super().warning(ADDRESS_IN_MESSAGE.sub("ip=-", str(msg)), *args, **kwargs)


logger_class = PrivateLogger
