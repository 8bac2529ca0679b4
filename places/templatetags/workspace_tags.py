from django import template
from django.utils.dates import MONTHS, WEEKDAYS

register = template.Library()


@register.filter
def weekday_name(value):
    """0 → Monday … 6 → Sunday, in the current language."""
    return WEEKDAYS.get(value, "") if value is not None else ""


@register.filter
def month_name(value):
    return MONTHS.get(value, "") if value else ""
