from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SurveysConfig(AppConfig):
    name = "surveys"
    verbose_name = _("Surveys")

    def ready(self):
        from places.rollups import register

        from .rollups import survey_rollups

        register(self, survey_rollups)  # daily rollups kept by triggers (issue #20)
