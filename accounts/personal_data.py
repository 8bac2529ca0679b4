"""A person's own data across the apps: export (GDPR art. 15 and 20) and erasure (art. 17).

`accounts` sits below every other app (architecture §3) and cannot know their models. Each app says
what it holds about a person in its own `personal_data.py`, found at start-up the way Django
finds `admin.py` (`autodiscover_modules`):

- `@section(key, label)` — a function `rows(user)` yielding one dict per record the person is
  linked to (what they logged, their roles …), with stable English keys: the export's content;
- `@erasure_check` — a function `(user) -> list[str]` of reasons to refuse deleting the
  account now (the last manager of a place);
- `@erasure_step` — a function `(user)` run in the deletion's transaction before the account row
  goes, for data that points at the person by value rather than by key (an invitation to their
  e-mail address).

Everything that points at the person by key is set to NULL by the database when the account is
deleted (`on_delete=SET_NULL`): the incidents, activities and figures stay, with the reporting
organisation, and no longer say who.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cache

from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Section:
    key: str
    label: str
    rows: Callable[..., Iterable[dict]]


_SECTIONS: list[Section] = []
_CHECKS: list[Callable] = []
_STEPS: list[Callable] = []


def section(key: str, label):
    """Register `rows(user)` as the export section `key`."""

    def register(rows):
        if all(existing.key != key for existing in _SECTIONS):
            _SECTIONS.append(Section(key, label, rows))
        return rows

    return register


def erasure_check(check):
    if check not in _CHECKS:
        _CHECKS.append(check)
    return check


def erasure_step(step):
    if step not in _STEPS:
        _STEPS.append(step)
    return step


@cache
def discover() -> None:
    autodiscover_modules("personal_data")


def sections() -> list[Section]:
    discover()
    return list(_SECTIONS)


def checks() -> list[Callable]:
    discover()
    return list(_CHECKS)


def steps() -> list[Callable]:
    discover()
    return list(_STEPS)


# --- What accounts holds ----------------------------------------------------------------


@section("account", _("Your account"))
def _account(user):
    yield {
        "email": user.email,
        "full_name": user.full_name,
        "preferred_language": user.preferred_language,
        "organisation_in_applications": user.organisation.name if user.organisation else "",
        "report_notifications": user.report_notifications,
        "date_joined": user.date_joined,
        "last_login": user.last_login,
    }


@section("email_addresses", _("E-mail addresses"))
def _email_addresses(user):
    from allauth.account.models import EmailAddress

    for address in EmailAddress.objects.filter(user=user).order_by("pk"):
        yield {"email": address.email, "verified": address.verified, "primary": address.primary}
