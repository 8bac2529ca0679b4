from django.conf import settings
from django.utils import translation
from django.utils.cache import patch_cache_control, patch_vary_headers

SUPPORTED = {code for code, _name in settings.LANGUAGES}


class PrivatePagesMiddleware:
    """Nothing shown to a signed-in person is kept by a shared cache or left on disk.

    Pages, fragments and exports for a signed-in user get `Cache-Control: private, no-store`,
    so a proxy never serves one person's page to another and the browser does not keep
    incident details after logout. A view that chose its own caching (a photo for an hour)
    keeps it, made private. Static files never reach this: whitenoise answers them first.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            if response.has_header("Cache-Control"):
                patch_cache_control(response, private=True)
            else:
                patch_cache_control(response, private=True, no_store=True)
        return response


class PreferredLanguageMiddleware:
    """Swedish unless the person chose otherwise.

    The browser's Accept-Language is deliberately ignored: the product is Swedish first, and
    municipal and police machines often run English browsers. Order: the language switch
    (cookie), then the logged-in user's preferred language, then Swedish.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        language = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if language not in SUPPORTED:
            user = getattr(request, "user", None)
            if user is not None and user.is_authenticated:
                language = user.preferred_language
        if language not in SUPPORTED:
            language = settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        patch_vary_headers(response, ("Cookie",))
        response.headers.setdefault("Content-Language", language)
        return response
