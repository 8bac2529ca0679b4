"""GeoJSON boundary validation and small geometry helpers (no GIS stack needed).

Boundaries are stored as GeoJSON Polygon/MultiPolygon dicts in a JSONField. We validate the
structure, coordinate ranges, closed rings and simple (non self-intersecting) rings on save.
"""

import json
import math

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from accounts.bounds import validate_storable_json


def _segments_intersect(p1, p2, p3, p4) -> bool:
    def orient(a, b, c):
        value = (b[1] - a[1]) * (c[0] - b[0]) - (b[0] - a[0]) * (c[1] - b[1])
        if abs(value) < 1e-15:
            return 0
        return 1 if value > 0 else 2

    def on_segment(a, b, c):
        return min(a[0], c[0]) <= b[0] <= max(a[0], c[0]) and min(a[1], c[1]) <= b[1] <= max(
            a[1], c[1]
        )

    o1, o2, o3, o4 = orient(p1, p2, p3), orient(p1, p2, p4), orient(p3, p4, p1), orient(p3, p4, p2)
    if o1 != o2 and o3 != o4:
        return True
    if o1 == 0 and on_segment(p1, p3, p2):
        return True
    if o2 == 0 and on_segment(p1, p4, p2):
        return True
    if o3 == 0 and on_segment(p3, p1, p4):
        return True
    return o4 == 0 and on_segment(p3, p2, p4)


def _ring_is_simple(ring) -> bool:
    segments = list(zip(ring[:-1], ring[1:], strict=True))
    count = len(segments)
    for i in range(count):
        for j in range(i + 1, count):
            # Neighbouring segments share an end point; the first and last do too.
            if j == i + 1 or (i == 0 and j == count - 1):
                continue
            if _segments_intersect(*segments[i], *segments[j]):
                return False
    return True


def _validate_ring(ring):
    if not isinstance(ring, list) or len(ring) < 4:
        raise ValidationError(_("Each ring of the boundary needs at least four positions."))
    for position in ring:
        if (
            not isinstance(position, list | tuple)
            or len(position) < 2
            or not all(isinstance(c, int | float) and math.isfinite(c) for c in position[:2])
        ):
            raise ValidationError(
                _("Each position must be a pair of numbers [longitude, latitude].")
            )
        lon, lat = position[0], position[1]
        if not (-180 <= lon <= 180 and -90 <= lat <= 90):
            raise ValidationError(_("A position is outside the valid longitude/latitude range."))
    if list(ring[0][:2]) != list(ring[-1][:2]):
        raise ValidationError(
            _("Each ring of the boundary must be closed (first = last position).")
        )
    if not _ring_is_simple([tuple(p[:2]) for p in ring]):
        raise ValidationError(_("The boundary crosses itself. Draw it without self-intersections."))


def validate_boundary(value):
    """Validate a GeoJSON Polygon or MultiPolygon (a dict or a JSON string)."""
    if value in (None, "", {}):
        return
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except ValueError:
            raise ValidationError(_("The boundary is not valid JSON.")) from None
    validate_storable_json(value)
    if isinstance(value, dict) and value.get("type") == "Feature":
        value = value.get("geometry") or {}
    if not isinstance(value, dict) or value.get("type") not in ("Polygon", "MultiPolygon"):
        raise ValidationError(_("The boundary must be a GeoJSON Polygon or MultiPolygon."))
    coordinates = value.get("coordinates")
    polygons = [coordinates] if value["type"] == "Polygon" else coordinates
    if not isinstance(polygons, list) or not polygons:
        raise ValidationError(_("The boundary has no coordinates."))
    for polygon in polygons:
        if not isinstance(polygon, list) or not polygon:
            raise ValidationError(_("The boundary has an empty polygon."))
        for ring in polygon:
            _validate_ring(ring)


def boundary_rings(boundary) -> list:
    """Outer rings of a Polygon/MultiPolygon as lists of (lon, lat)."""
    if not boundary:
        return []
    if boundary.get("type") == "Feature":
        boundary = boundary.get("geometry") or {}
    if boundary.get("type") == "Polygon":
        return [boundary["coordinates"][0]]
    if boundary.get("type") == "MultiPolygon":
        return [polygon[0] for polygon in boundary["coordinates"]]
    return []


def boundary_centre(boundary) -> tuple[float, float] | None:
    """Mean of the outer ring vertices as (lat, lon): good enough to centre a map."""
    points = [p for ring in boundary_rings(boundary) for p in ring[:-1]]
    if not points:
        return None
    return (
        sum(p[1] for p in points) / len(points),
        sum(p[0] for p in points) / len(points),
    )


def point_in_boundary(boundary, lat: float, lon: float) -> bool:
    """Ray casting over the outer rings."""
    for ring in boundary_rings(boundary):
        inside = False
        for (x1, y1), (x2, y2) in zip(
            [p[:2] for p in ring[:-1]], [p[:2] for p in ring[1:]], strict=True
        ):
            if (y1 > lat) != (y2 > lat) and lon < (x2 - x1) * (lat - y1) / (y2 - y1) + x1:
                inside = not inside
        if inside:
            return True
    return False


def distance_m(lat1, lon1, lat2, lon2) -> float:
    """Great-circle distance in metres."""
    r = 6371000
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * r * math.asin(math.sqrt(a))


# The published grid (issue #14): the public side never shows a position finer than ~100 m
# squares, the same cells as the lägesbild's hotspots.
PUBLISHED_GRID_M = 100
_METRES_PER_DEGREE = 111_320


def snap_to_grid(lat: float, lon: float, reference_lat: float | None = None) -> tuple[float, float]:
    """The centre of the published grid's cell holding (lat, lon)."""
    reference = reference_lat if reference_lat is not None else lat
    cell_lat = PUBLISHED_GRID_M / _METRES_PER_DEGREE
    cell_lon = cell_lat / max(math.cos(math.radians(reference)), 0.01)
    return (
        round(round(lat / cell_lat) * cell_lat, 5),
        round(round(lon / cell_lon) * cell_lon, 5),
    )
