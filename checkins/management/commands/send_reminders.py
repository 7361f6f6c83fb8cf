from django.core.management.base import BaseCommand

from checkins.services.sweep import SweepTrigger, reminders_send_due
from checkins.tasks import digests_hand_over


class Command(BaseCommand):
    help = (
        "Run the reminder sweep now: claim today's digest for everyone who is due and send it. "
        "The same sweep beat runs; safe to run at any time, even beside beat. It records its own "
        "heartbeat, so it cannot make /healthz believe a dead beat is alive."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--queue",
            action="store_true",
            help="Queue the digests for the Celery workers in batches (as beat does) instead of sending them here.",
        )

    def handle(self, *args, queue=False, **options):
        hand_over = digests_hand_over if queue else None
        claimed = reminders_send_due(hand_over=hand_over, trigger=SweepTrigger.MANUAL)
        verb = "Queued" if queue else "Handled"
        self.stdout.write(f"{verb} {len(claimed)} digest(s).")
