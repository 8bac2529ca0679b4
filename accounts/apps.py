from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Users and settings")

    def ready(self):
        from .ratelimits import install

        # allauth's rate limits decide per limit what a dead cache means (accounts/ratelimits.py).
        install()
