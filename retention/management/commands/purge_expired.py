from django.core.management.base import BaseCommand
from django.utils import timezone

from retention import services
from retention.rules import retention_table_markdown


class Command(BaseCommand):
    help = (
        "Remove every row whose time in the retention table has run out (what beat runs daily). "
        "--dry-run prints what would go and removes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Count, remove nothing.")
        parser.add_argument("--batch-size", type=int, default=services.BATCH_SIZE)
        parser.add_argument("--table", action="store_true", help="Print the README's retention table.")

    def handle(self, *args, dry_run, batch_size, table, **options):
        if table:
            self.stdout.write(retention_table_markdown(), ending="")
            return
        now = timezone.now()
        if dry_run:
            removed = services.expired_purge(now=now, dry_run=True)
        else:
            removed = services.retention_sweep(now=now, batch_size=batch_size)
        verb = "would remove" if dry_run else "removed"
        for label, count in removed.items():
            self.stdout.write(f"{label}: {verb} {count}")
        self.stdout.write(self.style.SUCCESS(f"Total: {verb} {sum(removed.values())} row(s)."))
