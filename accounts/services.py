"""A person's own data: export (GDPR art. 15/20) and account deletion (art. 17)."""

import csv
import datetime as dt
import io
import json
from collections.abc import Iterator
from decimal import Decimal

from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from . import personal_data
from .models import User

# Cells starting with these are formulas to a spreadsheet: prefixed with ' (CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _plain(value):
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def personal_data_rows(*, user) -> Iterator[tuple[str, int, dict]]:
    """(section key, row number, row) for everything the platform links to `user`, section by
    section, read in chunks: a person who imported 100,000 incidents still streams."""
    for section in personal_data.sections():
        for number, row in enumerate(section.rows(user), 1):
            yield section.key, number, {key: _plain(value) for key, value in row.items()}


def personal_data_json(*, user) -> Iterator[str]:
    """The export as one JSON document, every section listed (empty ones too), produced
    piece by piece."""
    yield '{"format": "amp-platform personal data export", "version": 1, "sections": {'
    for index, section in enumerate(personal_data.sections()):
        yield (", " if index else "") + json.dumps(section.key) + ": ["
        for number, row in enumerate(section.rows(user)):
            plain = {key: _plain(value) for key, value in row.items()}
            yield (", " if number else "") + json.dumps(plain, ensure_ascii=False)
        yield "]"
    yield "}}"


def personal_data_csv(*, user) -> Iterator[str]:
    """The export as CSV for a spreadsheet: section (in the person's language); row; field;
    value (UTF-8 with BOM, `;`). The JSON has the same rows under stable English keys."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";")

    def line(cells) -> str:
        buffer.seek(0)
        buffer.truncate()
        writer.writerow(
            f"'{cell}" if isinstance(cell, str) and cell.startswith(FORMULA_STARTS) else cell
            for cell in cells
        )
        return buffer.getvalue()

    yield "\ufeff" + line([_("Section"), _("Row"), _("Field"), _("Value")])
    labels = {section.key: str(section.label) for section in personal_data.sections()}
    for key, number, row in personal_data_rows(user=user):
        for field, value in row.items():
            yield line([labels[key], number, field, "" if value is None else value])


def account_deletion_refusals(*, user) -> list[str]:
    """Why `user` cannot delete the account now (empty when they can)."""
    reasons = []
    if user.is_staff or user.is_superuser:
        reasons.append(
            _(
                "Administrator accounts are removed by another administrator, so the platform "
                "always has one."
            )
        )
    for check in personal_data.checks():
        reasons.extend(check(user))
    return reasons


def account_delete(*, user: User) -> None:
    """Delete the person and keep what they did as the organisations' (GDPR art. 17).

    Records that point at the person (incidents, activities, action items, applications,
    assessments …) keep everything but who: the database sets the key to NULL, so every figure
    and every organisation's attribution stays. Roles, e-mail addresses and invitations to
    the address go. The admin log's entries about the account keep no name or address.
    Raises ValidationError, changing nothing, when the person may not leave yet.
    """
    reasons = account_deletion_refusals(user=user)
    if reasons:
        raise ValidationError(reasons, code="refused")
    with transaction.atomic():
        for step in personal_data.steps():
            step(user)
        LogEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(User), object_id=str(user.pk)
        ).update(object_repr=_("(deleted account)"), change_message="")
        user.delete()
