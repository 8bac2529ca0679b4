"""Write the demo guard company's monthly export (issue #19) to try the import by hand:
month 1 is two months ago (three unknown words and a licence plate), month 2 last month (imports
with no questions once month 1's words are mapped)."""

from pathlib import Path

from django.core.management.base import BaseCommand
from django.utils import timezone

from safety.guard_files import guard_report, guard_report_name, month_start


class Command(BaseCommand):
    help = "Write the demo guard company's export of month 1 (two months ago) or 2 (last month)."

    def add_arguments(self, parser):
        parser.add_argument("number", type=int, choices=[1, 2])
        parser.add_argument("--out", help="file to write (default: its own name, here)")

    def handle(self, *args, number, out=None, **options):
        month = month_start(3 - number, today=timezone.localdate())
        path = Path(out or guard_report_name(number, month=month))
        path.write_bytes(guard_report(number, month=month))
        self.stdout.write(f"{path} ({month:%Y-%m}, Windows-1252, separated by ;)")
