from django.conf import settings


def platform(request):
    """Values every template may need: map tiles and the public site URL."""
    return {
        "MAP_TILE_URL": settings.MAP_TILE_URL,
        "MAP_TILE_ATTRIBUTION": settings.MAP_TILE_ATTRIBUTION,
        "SITE_URL": settings.SITE_URL,
    }
