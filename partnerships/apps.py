from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PartnershipsConfig(AppConfig):
    name = "partnerships"
    verbose_name = _("Partnerships")

    def ready(self):
        from places.home import register_home_actions
        from places.rules import register_member_organisations

        from .queries.applications import home_review_actions
        from .queries.members import member_organisations

        register_home_actions(home_review_actions)  # the reviewers' queue on the home (#16)
        # Who may answer for work at a place: its member organisations (places.rules).
        register_member_organisations(member_organisations)
