"""The checks the place workspace's writes share: a pin's position (refused far from the place,
a warning just outside its boundary, and the same rule for the page's map), the member
organisations of a place, and the row an earlier submission of the same form saved."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from ..geo import boundary_centre, distance_m, point_in_boundary
from ..rules import place_organisations

# A pin further than this from the place is a mistake (wrong map, a GPS glitch); closer pins
# outside the boundary are saved with a warning, since walks often cover the surroundings.
MAX_PIN_DISTANCE_M = 20_000


def place_centre(place) -> tuple[float, float] | None:
    if place.centre_lat is not None and place.centre_lon is not None:
        return place.centre_lat, place.centre_lon
    return boundary_centre(place.boundary) if place.boundary else None


def position_warning(place, lat, lon) -> str | None:
    """Refuse a pin far from the place; return a warning for one just outside its boundary."""
    if lat is None or lon is None:
        return None
    centre = place_centre(place)
    if centre is None:
        return None
    distance = distance_m(centre[0], centre[1], lat, lon)
    if distance > MAX_PIN_DISTANCE_M:
        raise ValidationError(
            _(
                "The pin is %(km)s km from %(place)s. Set it on the place, or leave the "
                "position empty."
            ),
            code="pin_too_far",
            params={"km": round(distance / 1000), "place": place.name},
        )
    if place.boundary and not point_in_boundary(place.boundary, lat, lon):
        return str(
            _(
                "The position is outside the boundary of %(place)s (about %(m)s m from its "
                "centre). It was saved; check it on the map."
            )
            % {"place": place.name, "m": int(round(distance, -1))}
        )
    return None


def pin_rule(place) -> dict:
    """The data of `position_warning`'s rule for static/js/forms.js, which checks a pin while
    it is set (rendered with json_script inside the map config): the same centre, boundary and
    distance, so the page and the server cannot disagree."""
    centre = place_centre(place)
    return {
        "centre": list(centre) if centre else None,
        "boundary": place.boundary or None,
        "maxDistanceM": MAX_PIN_DISTANCE_M,
        "tooFar": str(
            _("The pin is far from %(place)s. Set it on the place, or leave the position empty.")
            % {"place": place.name}
        ),
        "outside": str(
            _(
                "The position is outside the boundary of %(place)s. It can be saved; check it "
                "on the map."
            )
            % {"place": place.name}
        ),
    }


def validate_position(lat, lon) -> None:
    if (lat is None) != (lon is None):
        raise ValidationError(
            _("Give both latitude and longitude, or neither."), code="half_position"
        )


def validate_organisations(place, organisations, field="organisations") -> None:
    allowed = set(place_organisations(place).values_list("pk", flat=True))
    outside = [org for org in organisations if org.pk not in allowed]
    if outside:
        raise ValidationError(
            {
                field: _(
                    "%(names)s is not a member organisation of this place or its municipality."
                )
                % {"names": ", ".join(org.name for org in outside)}
            }
        )


def saved_before(model, *, form_key=None, client_id=None):
    """The row an earlier submission of the same form saved (by its one-time form key or the
    id a phone gave it offline), or None."""
    if client_id and (existing := model.objects.filter(client_id=client_id).first()):
        return existing
    if form_key and (existing := model.objects.filter(form_key=form_key).first()):
        return existing
    return None
