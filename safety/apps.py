from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SafetyConfig(AppConfig):
    name = "safety"
    verbose_name = _("Safety")

    def ready(self):
        from places.rollups import register

        from .rollups import incident_rollups

        register(self, incident_rollups)  # daily rollups kept by triggers (issue #20)
        from django.db.models.signals import post_save

        from places.models import PlaceRole

        from . import cache  # noqa: F401  (dashboard cache invalidation receivers)
        from .webhook_events import register

        register()  # the events a place's webhooks may choose (places.services.webhooks)

        from places.home import register_home_actions

        from .services.alerts import home_alert_actions

        register_home_actions(home_alert_actions)  # open alerts on the home (issue #16)

        from partnerships.followup import register_followup_figures

        from .followup import followup_figures

        register_followup_figures(followup_figures)  # an application's follow-up page

        def _ask_new_member(sender, instance, created, raw=False, **kwargs):
            # A new member is asked on arrival to confirm the place's coordinated plan.
            if created and not raw:
                from .services.alerts import ask_new_member

                ask_new_member(instance)

        post_save.connect(_ask_new_member, sender=PlaceRole, dispatch_uid="safety.plan_new_member")
