"""A short automatic summary of a place's figures, in plain Swedish or English.

Written at display time from the frozen figures, in the reader's language:
"Skadegörelse ökade med 40 % jämfört med förra månaden (från 10 till 14)."
"""

import datetime as dt

from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.language import localised_name
from places.months import months_between

# A category's change is worth a sentence when it moved by at least this much.
MIN_PCT = 25
MIN_DIFF = 2
MAX_CATEGORY_SENTENCES = 3


def _n(value) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return number_format(value, use_l10n=True, force_grouping=True)


def _pct(value) -> str:
    return _n(round(abs(value)))


def comparison_phrase(figures: dict) -> str:
    """ "last month" / "förra månaden" … by the length of the period."""
    period = figures["period"]
    start, end = period["start"], period["end"]
    if start[8:] == "01" and end[8:] == "01":
        months = months_between(dt.date.fromisoformat(start[:10]), dt.date.fromisoformat(end[:10]))
        if months == 1:
            return _("last month")
        if months == 3:
            return _("the previous quarter")
        if months == 12:
            return _("last year")
    if period["days"] == 7:
        return _("last week")
    return _("the previous period")


def _on_weekdays() -> list[str]:
    return [
        _("on Mondays"),
        _("on Tuesdays"),
        _("on Wednesdays"),
        _("on Thursdays"),
        _("on Fridays"),
        _("on Saturdays"),
        _("on Sundays"),
    ]


def _total_sentence(incidents: dict, than: str) -> str:
    total, previous = incidents["total"], incidents["previous"]
    counted = ngettext(
        "%(count)s incident was reported", "%(count)s incidents were reported", total
    ) % {"count": _n(total)}
    pct = incidents["change_previous"]["pct"]
    if total == previous:
        return _("%(counted)s, as many as %(than)s.") % {"counted": counted, "than": than}
    if pct is None:
        return _("%(counted)s; there were none %(than)s.") % {"counted": counted, "than": than}
    if pct > 0:
        text = _("%(counted)s, %(pct)s%% more than %(than)s (%(previous)s).")
    else:
        text = _("%(counted)s, %(pct)s%% fewer than %(than)s (%(previous)s).")
    return text % {"counted": counted, "pct": _pct(pct), "than": than, "previous": _n(previous)}


def _category_sentences(incidents: dict, than: str) -> list[str]:
    movers = []
    for category in incidents["by_category"]:
        pct = category["change_previous"]["pct"]
        diff = category["change_previous"]["diff"]
        if pct is not None and abs(pct) >= MIN_PCT and abs(diff) >= MIN_DIFF:
            movers.append(category)
    movers.sort(key=lambda c: -abs(c["change_previous"]["diff"]))
    sentences = []
    for category in movers[:MAX_CATEGORY_SENTENCES]:
        pct = category["change_previous"]["pct"]
        values = {
            "category": localised_name(category),
            "pct": _pct(pct),
            "than": than,
            "previous": _n(category["previous"]),
            "count": _n(category["count"]),
        }
        if pct > 0:
            text = _(
                "%(category)s rose by %(pct)s%% compared with %(than)s "
                "(from %(previous)s to %(count)s)."
            )
        else:
            text = _(
                "%(category)s fell by %(pct)s%% compared with %(than)s "
                "(from %(previous)s to %(count)s)."
            )
        sentences.append(text % values)
    return sentences


def report_summary(figures: dict) -> list[str]:
    """Up to about eight plain sentences on what changed, in the active language."""
    incidents = figures["incidents"]
    than = comparison_phrase(figures)
    sentences = [_total_sentence(incidents, than)]
    sentences += _category_sentences(incidents, than)
    if incidents["by_category"] and incidents["total"]:
        top = incidents["by_category"][0]
        sentences.append(
            ngettext(
                "%(category)s was the most common category (%(count)s incident).",
                "%(category)s was the most common category (%(count)s incidents).",
                top["count"],
            )
            % {"category": localised_name(top), "count": _n(top["count"])}
        )
    ly_pct = incidents["change_last_year"]["pct"]
    if ly_pct is not None and incidents["last_year"] >= 5 and abs(ly_pct) >= 10:
        text = (
            _("Compared with the same period last year that is %(pct)s%% more.")
            if ly_pct > 0
            else _("Compared with the same period last year that is %(pct)s%% fewer.")
        )
        sentences.append(text % {"pct": _pct(ly_pct)})
    table = figures["weekday_hour"]
    peaks = sum(value == table["max"] for day in table["rows"] for value in day)
    if table["max"] >= 2 and peaks == 1:  # a shared peak is no "busiest time"
        day, hour = max(
            ((d, h) for d in range(7) for h in range(24)),
            key=lambda cell: table["rows"][cell[0]][cell[1]],
        )
        sentences.append(
            _("Most incidents happened %(on_weekdays)s between %(start)s and %(end)s.")
            % {
                "on_weekdays": _on_weekdays()[day],
                "start": f"{hour:02d}",
                "end": f"{(hour + 1) % 24:02d}",
            }
        )
    activities = figures["activities"]
    if activities["count"]:
        sentences.append(
            ngettext(
                "%(count)s activity was carried out, %(hours)s hours in all.",
                "%(count)s activities were carried out, %(hours)s hours in all.",
                activities["count"],
            )
            % {"count": _n(activities["count"]), "hours": _n(activities["hours"])}
        )
    items = figures["action_items"]
    if items["open"]:
        sentences.append(
            ngettext(
                "%(open)s action item is open, %(overdue)s of them overdue.",
                "%(open)s action items are open, %(overdue)s of them overdue.",
                items["open"],
            )
            % {"open": _n(items["open"]), "overdue": _n(items["overdue"])}
        )
    index = figures["safety_index"]
    if index["index"] is not None:
        sentences.append(
            ngettext(
                "The safety index was %(index)s of 100 (%(responses)s response).",
                "The safety index was %(index)s of 100 (%(responses)s responses).",
                index["responses"],
            )
            % {"index": _n(index["index"]), "responses": _n(index["responses"])}
        )
    return sentences
