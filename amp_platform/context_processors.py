from django.conf import settings


def platform(request):
    """Values every template may need: the map tiles.

    No SITE_URL here on purpose: a page builds absolute links from its request
    (`request.build_absolute_uri`), so they work on whatever host and port serve it.
    """
    return {
        "MAP_TILE_URL": settings.MAP_TILE_URL,
        "MAP_TILE_ATTRIBUTION": settings.MAP_TILE_ATTRIBUTION,
    }
