"""One-time form keys: a double click, a resent POST or a reload saves one incident or activity.

A create form carries a signed random key (a hidden field). The service stores a digest of it
in a unique column of the row it creates, so a second submission of the same form is refused by
the database and the person is shown the row the first one saved. A form without a valid key
(forged, or older than `MAX_AGE`) still saves – just without this protection. The survey answer
form works the same way (surveys/abuse.py).
"""

import hashlib
import secrets

from django.core import signing

FIELD = "form_key"
SALT = "places.form-key"
MAX_AGE = 24 * 60 * 60  # a form left open on a phone overnight still counts


class AlreadySaved(Exception):
    """The form was submitted before; `existing` is what that submission saved."""

    def __init__(self, existing):
        super().__init__("This form was already submitted.")
        self.existing = existing


def new_form_key() -> str:
    return signing.dumps(secrets.token_urlsafe(16), salt=SALT)


def form_key_for(request) -> str:
    """The key to put in the form: the submitted one while it is valid (a form shown again with
    errors keeps its key), else a new one."""
    submitted = request.POST.get(FIELD, "") if request.method == "POST" else ""
    return submitted if form_key_digest(submitted) else new_form_key()


def form_key_digest(key: str | None) -> str | None:
    """What the row stores, or None for a missing, forged or stale key."""
    try:
        nonce = signing.loads(key or "", salt=SALT, max_age=MAX_AGE)
    except signing.BadSignature:
        return None
    if not isinstance(nonce, str) or not nonce:
        return None
    return hashlib.sha256(nonce.encode()).hexdigest()
