"""Template helpers for incident and report pages: localised names, change arrows, labels."""

import datetime as dt

from django import template
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from accounts.language import localised_name
from places.models import PlannedActivity

register = template.Library()


def _n(value) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return number_format(value, use_l10n=True, force_grouping=True)


@register.filter
def local_name(item, prefix="name"):
    """A figures dict's name in the active language (name_sv/name_en or kind_sv/kind_en)."""
    if not item:
        return ""
    return localised_name(item, sv=f"{prefix}_sv", en=f"{prefix}_en")


@register.filter
def iso_date(value):
    """ "2026-10-01" → date, for the |date filter."""
    if not value:
        return None
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value)[:10])


@register.filter
def num(value):
    """Numbers in the active locale with grouping: 1 250 000, 66,7."""
    if value is None or value == "":
        return "–"
    return _n(value)


@register.filter
def recurrence_label(code):
    return dict(PlannedActivity.Recurrence.choices).get(code, code)


@register.inclusion_tag("safety/includes/change.html")
def change(delta, than, good="down", no_data=""):
    """An arrow and plain words for a change: "↑ 150 % more than last month".

    `good` says which direction is good news for the colour – one rule everywhere: more
    incidents is worse ("down"), more activities and a higher safety index are better ("up").
    Against a period with nothing recorded there is no change to tell: it says so ("inga
    uppgifter förra året", or `no_data`), in no colour, rather than "+54".
    """
    if not delta:
        return {"text": ""}
    diff, pct = delta.get("diff", 0), delta.get("pct")
    if not diff:
        return {"direction": "same", "arrow": "→", "text": _("same as %(than)s") % {"than": than}}
    if pct is None:
        return {
            "direction": "same",
            "arrow": "–",
            "text": no_data or _("no data %(than)s") % {"than": than},
        }
    up = diff > 0
    if up:
        text = _("%(pct)s%% more than %(than)s") % {"pct": _n(round(pct)), "than": than}
    else:
        text = _("%(pct)s%% fewer than %(than)s") % {"pct": _n(round(-pct)), "than": than}
    tone = "good" if up == (good == "up") else "bad"
    return {
        "direction": "up" if up else "down",
        "arrow": "↑" if up else "↓",
        "text": text,
        "tone": tone,
    }


@register.filter
def effect_text(effect):
    """The plain-language sentences of an intervention's effect (safety.effects_text)."""
    from safety.effects_text import effect_sentences

    return effect_sentences(effect) if effect else []


@register.filter
def effect_what(effect):
    from safety.effects_text import category_names

    return category_names(effect) if effect else ""


@register.filter
def effect_against(effect):
    from safety.effects_text import comparison_label

    return comparison_label(effect) if effect else ""
