from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Users and settings")

    def ready(self):
        from . import lookups  # noqa: F401  (registers the integer `in` lookup)
        from .bounds import use_wall_clock_in_the_admin
        from .ratelimits import install

        # allauth's rate limits decide per limit what a dead cache means (accounts/ratelimits.py).
        install()
        use_wall_clock_in_the_admin()
