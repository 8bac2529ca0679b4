from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SurveysConfig(AppConfig):
    name = "surveys"
    verbose_name = _("Surveys")

    def ready(self):
        from django.db.models.signals import post_migrate as _post_migrate

        from places.rollups import post_migrate_installer

        from .rollups import survey_rollups

        _post_migrate.connect(
            post_migrate_installer(survey_rollups),
            sender=self,
            dispatch_uid="surveys.rollup_triggers",
        )
