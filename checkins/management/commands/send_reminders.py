from django.core.management.base import BaseCommand
from django.utils import timezone

from checkins.services import reminders_send_due


class Command(BaseCommand):
    help = (
        "Run the reminder sweep now: claim today's digest for everyone who is due and send it. "
        "The same sweep beat runs; safe to run at any time, even beside beat."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--queue",
            action="store_true",
            help="Queue one Celery task per digest (as beat does) instead of sending from this process.",
        )

    def handle(self, *args, queue=False, **options):
        claimed = reminders_send_due(now=timezone.now(), queue=queue)
        verb = "Queued" if queue else "Handled"
        self.stdout.write(f"{verb} {len(claimed)} digest(s).")
