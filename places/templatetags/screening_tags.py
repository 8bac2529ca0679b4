"""`{% name_check field %}`: the "this is not a person" checkboxes under a field's errors."""

import datetime as dt

from django import template
from django.conf import settings
from django.utils import timezone

register = template.Library()


@register.inclusion_tag("places/includes/_name_check.html")
def name_check(field):
    """The words of `field` the privacy screen asks about (see places.screening), if any."""
    checks = getattr(field.form, "name_checks", None) or {}
    check = checks.get(field.name)
    if check is None or not check.can_confirm:
        return {"check": None}
    return {
        "check": check,
        "field": field,
        "names": [(name, check.is_confirmed(name)) for name in check.names],
    }


@register.filter
def text_cleared_on(moment):
    """The local date the free text of a record written at `moment` is cleared."""
    if not moment:
        return None
    try:
        return timezone.localdate(moment + dt.timedelta(days=settings.FREE_TEXT_RETENTION_DAYS))
    except OverflowError:  # a stored date at the calendar's far end: never cleared, say nothing
        return None
