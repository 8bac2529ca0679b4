"""The plain-language sentence of an intervention's effect, in the reader's language.

Effects are frozen as numbers and codes (a lägesbild keeps them); the words are made when the
page is shown, like the report's summary (`safety.summary`).
"""

from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.language import localised_name


def _n(value) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return number_format(value, use_l10n=True, force_grouping=True)


def _pct(value) -> str:
    sign = "+" if value > 0 else "−" if value < 0 else ""
    return f"{sign}{_n(abs(round(value)))} %"


def category_names(effect: dict) -> str:
    names = [localised_name(c) for c in effect["categories"]]
    if not names:
        return _("Incidents")
    if len(names) == 1:
        text = names[0]
    else:
        text = _("%(first)s and %(last)s") % {"first": ", ".join(names[:-1]), "last": names[-1]}
    return text[:1].upper() + text[1:]


def comparison_label(effect: dict) -> str:
    if effect["comparison"] == "last_year":
        return _("the same weeks a year earlier")
    return _("the rest of the place")


def effect_sentences(effect: dict) -> list[str]:
    """One to three sentences: what changed, how sure we are, or why there is no number."""
    status = effect["status"]
    if status == "not_started":
        return [_("The intervention has not started yet.")]
    if status == "too_early":
        return [
            _(
                "Too early to say: the intervention started less than two weeks ago, so there "
                "is no after-period to compare yet."
            )
        ]
    if status == "too_few":
        counts = effect["counts"]
        return [
            _(
                "Too few incidents to estimate an effect: %(area)s in the area before and after "
                "together, %(before)s and %(after)s in the comparison. A number would only "
                "say chance."
            )
            % {
                "area": _n(counts["area_before"] + counts["area_after"]),
                "before": _n(counts["comparison_before"]),
                "after": _n(counts["comparison_after"]),
            }
        ]
    est = effect["estimate"]
    what = category_names(effect)
    against = comparison_label(effect)
    difference = est["difference"]
    fewer_low, fewer_high = -est["difference_high"], -est["difference_low"]
    if est["verdict"] == "decreased":
        first = ngettext(
            "%(what)s in the area decreased by %(count)s incident (%(pct)s) compared with "
            "%(against)s.",
            "%(what)s in the area decreased by %(count)s incidents (%(pct)s) compared with "
            "%(against)s.",
            round(abs(difference)),
        ) % {
            "what": what,
            "count": _n(round(abs(difference))),
            "pct": _pct(est["pct"]),
            "against": against,
        }
        second = _(
            "With 95 %% certainty the decrease lies between %(low)s and %(high)s incidents "
            "(%(pct_low)s to %(pct_high)s)."
        ) % {
            "low": _n(max(round(fewer_low), 0)),
            "high": _n(round(fewer_high)),
            "pct_low": _pct(est["pct_low"]),
            "pct_high": _pct(est["pct_high"]),
        }
    elif est["verdict"] == "increased":
        first = ngettext(
            "%(what)s in the area increased by %(count)s incident (%(pct)s) compared with "
            "%(against)s.",
            "%(what)s in the area increased by %(count)s incidents (%(pct)s) compared with "
            "%(against)s.",
            round(abs(difference)),
        ) % {
            "what": what,
            "count": _n(round(abs(difference))),
            "pct": _pct(est["pct"]),
            "against": against,
        }
        second = _("With 95 %% certainty the change lies between %(pct_low)s and %(pct_high)s.") % {
            "pct_low": _pct(est["pct_low"]),
            "pct_high": _pct(est["pct_high"]),
        }
    else:
        first = _(
            "%(what)s in the area changed by %(pct)s compared with %(against)s, but the "
            "uncertainty interval (%(pct_low)s to %(pct_high)s) holds both a decrease and an "
            "increase: we cannot say that the intervention made a difference."
        ) % {
            "what": what,
            "pct": _pct(est["pct"]),
            "against": against,
            "pct_low": _pct(est["pct_low"]),
            "pct_high": _pct(est["pct_high"]),
        }
        second = ""
    sentences = [first] + ([second] if second else [])
    if est["wide"]:
        sentences.append(_("The uncertainty is large because the counts are small."))
    if not effect["complete"]:
        sentences.append(
            _("The after-period is still running: the figures will change until it ends.")
        )
    return sentences
