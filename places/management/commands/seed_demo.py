from importlib import import_module

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from places.demo import DemoContext, seed_core

# Each area seeds its own volume data; order matters (activities before reports …).
AREA_SEEDS = [
    "places.demo_workspace.seed_workspace",
    "partnerships.demo_funding.seed",
    "surveys.demo.seed",
    "safety.demo.seed",
    "safety.demo_import.seed",
    "safety.demo_alerts.seed",
    "partnerships.demo_applications.seed",
    "places.demo_public.seed",
]


class Command(BaseCommand):
    help = "Create realistic demo data (idempotent). Refuses to run with DEBUG=0."

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError("seed_demo refuses to run with DEBUG=0: it creates known passwords.")
        ctx = DemoContext()
        with transaction.atomic():
            seed_core(ctx)
        for dotted in AREA_SEEDS:
            module_name, function_name = dotted.rsplit(".", 1)
            try:
                module = import_module(module_name)
            except ModuleNotFoundError as error:
                if error.name != module_name:
                    raise
                self.stderr.write(f"skipped {module_name} (not built yet)")
                continue
            with transaction.atomic():
                getattr(module, function_name)(ctx)
        for line in ctx.log:
            self.stdout.write(f"- {line}")
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo ready. Log in as manager@example.org (password: {settings.DEMO_PASSWORD})."
            )
        )
