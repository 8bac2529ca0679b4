from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlacesConfig(AppConfig):
    name = "places"
    verbose_name = _("Places")

    def ready(self):
        from places.rollups import register

        from .rollups import activity_rollups

        register(self, activity_rollups)  # daily rollups kept by triggers (issue #20)
        from django.db.models.signals import post_delete

        from .models import Place
        from .rollups import forget_place

        post_delete.connect(forget_place, sender=Place, dispatch_uid="places.forget_rollups")
        from django.contrib.auth.signals import user_logged_out

        from .services.notifications import forget_device

        def _forget_device(sender, request, user, **kwargs):
            # A push subscription belongs to a person on a device: logging out ends it.
            if request is not None:
                forget_device(request)

        user_logged_out.connect(_forget_device, dispatch_uid="places.forget_push_device")

        from django.contrib.auth.signals import user_logged_in

        from .services.notifications import unread_count

        def _count_unread(sender, request, user, **kwargs):
            # The bell's count is ready (cached) for the first page after logging in.
            unread_count(user)

        user_logged_in.connect(_count_unread, dispatch_uid="places.count_unread")

        from django.db.models.signals import post_save

        from .models import Notification
        from .services.notifications import forget_unread

        def _notification_changed(sender, instance, raw=False, **kwargs):
            if not raw:
                forget_unread([instance.user_id])

        post_save.connect(_notification_changed, sender=Notification, dispatch_uid="places.unread")
        post_delete.connect(
            _notification_changed, sender=Notification, dispatch_uid="places.unread-delete"
        )
