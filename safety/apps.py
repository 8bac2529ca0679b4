from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SafetyConfig(AppConfig):
    name = "safety"
    verbose_name = _("Safety")

    def ready(self):
        from django.db.models.signals import post_migrate as _post_migrate

        from places.rollups import post_migrate_installer

        from .rollups import incident_rollups

        _post_migrate.connect(
            post_migrate_installer(incident_rollups),
            sender=self,
            dispatch_uid="safety.rollup_triggers",
        )
        from django.db.models.signals import post_save

        from places.models import PlaceRole

        from . import cache  # noqa: F401  (dashboard cache invalidation receivers)
        from .webhook_events import register

        register()  # the events a place's webhooks may choose (places.webhooks)

        def _ask_new_member(sender, instance, created, raw=False, **kwargs):
            # A new member is asked on arrival to confirm the place's coordinated plan.
            if created and not raw:
                from .alerts import ask_new_member

                ask_new_member(instance)

        post_save.connect(_ask_new_member, sender=PlaceRole, dispatch_uid="safety.plan_new_member")
