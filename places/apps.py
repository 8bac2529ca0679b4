from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlacesConfig(AppConfig):
    name = "places"
    verbose_name = _("Places")

    def ready(self):
        from places.rollups import register

        from .rollups import activity_rollups

        register(self, activity_rollups)  # daily rollups kept by triggers (issue #20)
        from django.contrib.auth.signals import user_logged_out

        from .notifications import forget_device

        def _forget_device(sender, request, user, **kwargs):
            # A push subscription belongs to a person on a device: logging out ends it.
            if request is not None:
                forget_device(request)

        user_logged_out.connect(_forget_device, dispatch_uid="places.forget_push_device")
