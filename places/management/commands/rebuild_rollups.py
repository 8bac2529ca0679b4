"""Recompute the daily rollups (issue #20) from the raw tables, in one transaction.

    python manage.py rebuild_rollups

The triggers keep the rollups current on every write; this is for after restoring data with the
triggers off, after changing TIME_ZONE, or to check them: `--check` compares without writing and
exits with an error when a rollup differs from its raw rows. It also (re)installs the triggers.
"""

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction

from places.rollups import install, rebuild, registered_rollups


def _snapshot(rollup) -> set:
    columns = ", ".join(rollup.keys + rollup.values)
    nonzero = " OR ".join(f"{value} <> 0" for value in rollup.values)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {columns} FROM {rollup.target} WHERE {nonzero}")
        return {tuple(str(value) for value in row) for row in cursor.fetchall()}


class Command(BaseCommand):
    help = "Recompute the daily rollups from the raw incidents, activities and survey answers."

    def add_arguments(self, parser):
        parser.add_argument(
            "--check", action="store_true", help="compare only; fail when a rollup differs"
        )

    def handle(self, *args, check=False, **options):
        rollups = registered_rollups()
        with transaction.atomic():
            before = {rollup.target: _snapshot(rollup) for rollup in rollups} if check else {}
            install(rollups)
            counts = rebuild(rollups)
            differing = [
                rollup.target
                for rollup in rollups
                if check and before[rollup.target] != _snapshot(rollup)
            ]
            if check:
                transaction.set_rollback(True)
        for table, rows in counts.items():
            self.stdout.write(f"{table}: {rows} rows")
        if differing:
            raise CommandError("Rollups differ from the raw rows: " + ", ".join(differing))
        if check:
            self.stdout.write("The rollups equal the raw rows.")
