from allauth.account.decorators import secure_admin_login
from django.contrib import admin
from django.urls import include, path

from places import urls as places_urls
from safety.views.dashboard import city_overview, city_overview_export, place_dashboard

from . import api
from .api import docs as api_docs
from .health import healthz
from .i18n import set_language

# The admin login goes through allauth (verification, rate limits) instead of its own form.
admin.site.login = secure_admin_login(admin.site.login)
admin.site.site_header = "AMP Platform"
admin.site.site_title = "AMP Platform"

# A place's landing page is its dashboard, named in the places namespace like the rest of the
# workspace; it is wired here, above both apps, because places does not import safety.
place_landing = [path("places/<slug:place_slug>/", place_dashboard, name="overview")]

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("i18n/setlang/", set_language, name="set_language"),
    path("admin/", admin.site.urls),
    path("api/v1/", include(api)),
    path("api/open311/v2/", include(api.open311_patterns)),
    path("api/docs/", api_docs, name="api_docs"),
    path("accounts/", include("allauth.urls")),
    path("accounts/", include("accounts.urls")),
    path("", include("surveys.urls.public")),
    path("", include("places.urls.public")),
    path("", include("safety.urls.public")),
    path("", include("partnerships.urls.applications")),
    path("places/<slug:place_slug>/", include("safety.urls")),
    path("places/<slug:place_slug>/", include("surveys.urls")),
    path("places/<slug:place_slug>/", include("partnerships.urls.places")),
    path("", include("partnerships.urls.invitations")),
    path("overview/", city_overview, name="overview"),
    path("overview/export.csv", city_overview_export, name="overview_export"),
    path("", include((places_urls.urlpatterns + place_landing, places_urls.app_name))),
]

# Uploads (action-item photos, application attachments) are never served from MEDIA_URL: only
# through views that check access.

# A JSON 404 under /api/, the usual page elsewhere.
handler404 = "amp_platform.api.not_found"
