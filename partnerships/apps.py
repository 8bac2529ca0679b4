from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PartnershipsConfig(AppConfig):
    name = "partnerships"
    verbose_name = _("Partnerships")

    def ready(self):
        from places.home import register_home_actions

        from .queries_applications import home_review_actions

        register_home_actions(home_review_actions)  # the reviewers' queue on the home (#16)
