from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from demo import alerts, applications, funding, imports, public, safety, surveys, workspace
from demo.core import DemoContext, seed_core

# Each area seeds its own volume data; order matters (activities before reports …).
AREA_SEEDS = [
    workspace.seed_workspace,
    funding.seed,
    surveys.seed,
    safety.seed,
    imports.seed,
    alerts.seed,
    applications.seed,
    public.seed,
]


class Command(BaseCommand):
    help = "Create realistic demo data (idempotent). Refuses to run with DEBUG=0."

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError("seed_demo refuses to run with DEBUG=0: it creates known passwords.")
        ctx = DemoContext()
        with transaction.atomic():
            seed_core(ctx)
        for seed in AREA_SEEDS:
            with transaction.atomic():
                seed(ctx)
        for line in ctx.log:
            self.stdout.write(f"- {line}")
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo ready. Log in as manager@example.org (password: {settings.DEMO_PASSWORD})."
            )
        )
