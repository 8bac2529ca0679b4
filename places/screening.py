"""The soft stop for names in forms (issue #17): ask, let the writer confirm, record it.

Every form with free text uses `ScreenedFormMixin`. It finds the form's screened fields by their
validator (`validate_no_personal_data`, which ModelForms take from the model field), so a new
form needs nothing but the mixin and `actor=request.user`. The hard stops stay with the
validator; the mixin only asks about names:

- a field with words that look like names gets an error saying which, and one checkbox per word,
  "“Drottninggatan” is not a person" (rendered under the field's errors by the template tag
  `{% name_check field %}` from `screening_tags`);
- ticked, the word passes; when the whole form is valid the confirmations are recorded as
  `NameConfirmation` rows (who, when, which word, which field) for the data protection officer;
- without an actor (the public survey) there is nothing to confirm with: the person is asked to
  write without the name, since an anonymous "it is not a person" cannot be followed up.

Names already in the saved text are not asked about again on an edit, and the platform's own
organisations and places (`platform_names`) are never names.
"""

import contextlib
from dataclasses import dataclass, field

from django.core.cache import cache
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext

from accounts.models import Organisation

from .models import NameConfirmation, Place
from .privacy import find_personal_data, fold, validate_no_personal_data

CONFIRM_SUFFIX = "__not_a_person"
PLATFORM_NAMES_KEY = "privacy:platform-names"
PLATFORM_NAMES_SECONDS = 300


def platform_names() -> list[str]:
    """Names of the platform's places and organisations: never read as people's names.

    Cached for a few minutes; a new organisation's name is known at the latest then.
    """
    names = cache.get(PLATFORM_NAMES_KEY)
    if names is None:
        names = sorted(
            {*Place.objects.values_list("name", flat=True)}
            | {*Organisation.objects.values_list("name", flat=True)}
        )
        cache.set(PLATFORM_NAMES_KEY, names, PLATFORM_NAMES_SECONDS)
    return names


def find_names_to_ask(text: str, *, already=None) -> list[str]:
    """The words of `text` that look like people's names, in order, each once: the platform's
    own names and the names already in `already` (the saved text) left out."""
    if not text:
        return []
    soft = [hit for hit in find_personal_data(text) if hit.is_soft]
    if not soft:
        return []
    soft = [hit for hit in find_personal_data(text, not_names=platform_names()) if hit.is_soft]
    known = {fold(hit.text) for hit in find_personal_data(already) if hit.is_soft}
    names: list[str] = []
    for hit in soft:
        if fold(hit.text) not in known and hit.text not in names:
            names.append(hit.text)
    return names


@dataclass
class NameCheck:
    """What one field asks about: the words, those ticked, and whether ticking is possible."""

    input_name: str
    names: list[str]
    confirmed: set[str] = field(default_factory=set)
    can_confirm: bool = True

    @property
    def unconfirmed(self) -> list[str]:
        return [name for name in self.names if fold(name) not in self.confirmed]

    def is_confirmed(self, name: str) -> bool:
        return fold(name) in self.confirmed


def _quoted(names: list[str]) -> str:
    return ", ".join(pgettext("a quoted word", "“%(word)s”") % {"word": name} for name in names)


class ScreenedFormMixin:
    """Ask about names in every screened field of the form (see the module docstring).

    `actor` is the signed-in person writing: without one, a name cannot be confirmed.
    `screening_record` names the record for the DPO when the form is not a ModelForm.
    """

    screening_record: str | None = None

    def __init__(self, *args, actor=None, **kwargs):
        self.actor = actor if getattr(actor, "is_authenticated", False) else None
        self.name_checks: dict[str, NameCheck] = {}
        super().__init__(*args, **kwargs)

    def screened_field_names(self) -> list[str]:
        """Fields with the screen's validator, on the form field or (ModelForms) the model's."""
        model = getattr(getattr(self, "_meta", None), "model", None)
        screened = []
        for name, form_field in self.fields.items():
            validators = list(getattr(form_field, "validators", ()))
            if model is not None:
                with contextlib.suppress(FieldDoesNotExist):  # a form-only field
                    validators += model._meta.get_field(name).validators
            if validate_no_personal_data in validators:
                screened.append(name)
        return screened

    def screening_place(self):
        place = getattr(self, "place", None)
        if place is None:
            instance = getattr(self, "instance", None)
            if instance is not None and getattr(instance, "place_id", None):
                place = instance.place
        return place if isinstance(place, Place) else None

    def _record_label(self) -> str:
        meta = getattr(self, "_meta", None)
        model = getattr(meta, "model", None)
        if model is not None:
            return model._meta.label
        return self.screening_record or type(self).__name__

    def _ticked(self, input_name: str) -> set[str]:
        data = self.data
        values = data.getlist(input_name) if hasattr(data, "getlist") else data.get(input_name)
        if isinstance(values, str):
            values = [values]
        return {fold(str(value)) for value in values or ()}

    def full_clean(self):
        super().full_clean()
        if not self.is_bound or not hasattr(self, "cleaned_data"):
            return
        confirmed: list[tuple[str, str]] = []
        for name in self.screened_field_names():
            value = self.cleaned_data.get(name)
            if not isinstance(value, str) or not value.strip():
                continue
            initial = self.get_initial_for_field(self.fields[name], name)
            names = find_names_to_ask(value, already=initial if isinstance(initial, str) else "")
            if not names:
                continue
            input_name = self.add_prefix(name) + CONFIRM_SUFFIX
            check = NameCheck(
                input_name=input_name,
                names=names,
                confirmed=self._ticked(input_name) if self.actor else set(),
                can_confirm=self.actor is not None,
            )
            self.name_checks[name] = check
            if check.unconfirmed:
                self.add_error(name, self._name_error(check))
            else:
                confirmed.extend((name, token) for token in check.names)
        if confirmed and not self.errors:
            self._record_confirmations(confirmed)

    def _name_error(self, check: NameCheck) -> ValidationError:
        names = _quoted(check.unconfirmed)
        if check.can_confirm:
            message = _(
                "%(names)s looks like the name of a person. Describe events and places, never "
                "people: remove the name — or, if it is not a person (a street, a shop, an "
                "organisation …), tick the box below."
            )
        else:
            message = _(
                "%(names)s looks like the name of a person. Please write without names of "
                "people; a street or a shop can be described instead (“the kiosk by the "
                "square”)."
            )
        return ValidationError(message, code="possible_name", params={"names": names})

    def _record_confirmations(self, confirmed: list[tuple[str, str]]) -> None:
        place = self.screening_place()
        record = self._record_label()
        NameConfirmation.objects.bulk_create(
            NameConfirmation(
                user=self.actor,
                place=place,
                record=record,
                field=name,
                field_label=str(self.fields[name].label or name)[:200],
                token=token[:200],
            )
            for name, token in confirmed
        )


def record_name_confirmations(
    *, actor, place, record: str, field: str, field_label: str, tokens
) -> int:
    """Record confirmations made outside a form (the incident import). Returns the count."""
    rows = [
        NameConfirmation(
            user=actor,
            place=place,
            record=record,
            field=field[:100],
            field_label=field_label[:200],
            token=str(token)[:200],
        )
        for token in tokens
    ]
    NameConfirmation.objects.bulk_create(rows)
    return len(rows)
