"""Benchmark: reading and checking a guard company's 50,000-row export (issue #23).

Builds a CSV in memory – dates in the four usual Swedish formats, a time column, categories,
severities, descriptions – and times reading it and validating every row (the work the import
task does before it inserts), then the insert itself inside a transaction that is rolled back.
Nothing is left in the database. Not a timed test: machines differ; see README "Speed".
"""

import datetime as dt
import random
import time

from django.core.management.base import BaseCommand
from django.db import transaction

from accounts.models import Organisation, User
from places.models import Place
from safety.import_files import read_table
from safety.models import Incident
from safety.services.imports import BATCH_SIZE, validate_rows

DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y", "%Y%m%d", "%d.%m.%Y")
CATEGORIES = ("Skadegörelse", "Klotter", "Nedskräpning", "Hot", "Ordningsstörning")


def build_csv(rows: int, seed: int = 7) -> bytes:
    rng = random.Random(seed)
    start = dt.datetime.now() - dt.timedelta(days=600)
    lines = ["Datum;Tid;Kategori;Allvarlighet;Beskrivning;Plats;Polis"]
    for n in range(rows):
        when = start + dt.timedelta(minutes=rng.randint(0, 599 * 24 * 60))
        lines.append(
            f"{when.strftime(DATE_FORMATS[n % 4])};{when:%H:%M};{rng.choice(CATEGORIES)};"
            f"{rng.choice(['låg', 'medel', 'hög'])};Händelse {n} vid entrén, glas krossat;"
            f"Norra sidan {n % 50};{rng.choice(['ja', 'nej'])}"
        )
    return ("\n".join(lines) + "\n").encode()


class _Rollback(Exception):
    pass


class Command(BaseCommand):
    help = "Time reading and checking a 50,000-row incident file (nothing is kept)."

    def add_arguments(self, parser):
        parser.add_argument("--rows", type=int, default=50_000)
        parser.add_argument("--insert", action="store_true", help="also time the insert")

    def handle(self, *args, rows, insert, **options):
        data = build_csv(rows)
        mapping = {
            "occurred_at": "Datum",
            "time": "Tid",
            "category": "Kategori",
            "severity": "Allvarlighet",
            "description": "Beskrivning",
            "location_note": "Plats",
            "police_notified": "Polis",
        }
        try:
            with transaction.atomic():
                place = Place.objects.create(name="Bench import", slug="bench-import")
                organisation = Organisation.objects.create(
                    name="Bench Vakt AB", org_number="556036-0793", kind="security_company"
                )
                user = User.objects.create(email="bench-import@example.org")
                started = time.perf_counter()
                table = read_table(data, "bench.csv")
                read = time.perf_counter() - started
                started, cpu = time.perf_counter(), time.process_time()
                result = validate_rows(
                    table=table, mapping=mapping, place=place, organisation=organisation, actor=user
                )
                checked = time.perf_counter() - started
                checked_cpu = time.process_time() - cpu
                self.stdout.write(
                    f"{rows} rows: read {read:.2f} s, validated {checked:.2f} s "
                    f"(CPU {checked_cpu:.2f} s; {result.new_count} new incidents, "
                    f"{len(result.errors)} errors)"
                )
                if insert:
                    started = time.perf_counter()
                    Incident.objects.bulk_create(result.incidents, batch_size=BATCH_SIZE)
                    self.stdout.write(f"inserted in {time.perf_counter() - started:.2f} s")
                raise _Rollback
        except _Rollback:
            pass
