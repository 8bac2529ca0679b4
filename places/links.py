"""Absolute links for e-mails, QR codes and posters.

During a request a link starts with the scheme and host the user reached us on, so it opens
wherever the site runs (another port, a proxy's host); the host is one `ALLOWED_HOSTS` accepts.
Without a request (Celery tasks, beat) `SITE_URL` is all there is.
"""

from django.conf import settings


def site_root(request=None) -> str:
    """`https://host[:port]` without a trailing slash: the request's own, else `SITE_URL`."""
    if request is None:
        return settings.SITE_URL
    return request.build_absolute_uri("/").rstrip("/")


def absolute_url(path: str, *, base_url: str | None = None) -> str:
    """`path` (from `reverse`) on `base_url`, or on `SITE_URL` when there is none."""
    return (base_url or settings.SITE_URL).rstrip("/") + path
