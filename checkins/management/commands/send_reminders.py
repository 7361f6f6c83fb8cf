from django.core.management.base import BaseCommand

from checkins.services import SweepTrigger, reminders_send_due


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
            help="Queue one Celery task per digest (as beat does) instead of sending from this process.",
        )

    def handle(self, *args, queue=False, **options):
        claimed = reminders_send_due(queue=queue, trigger=SweepTrigger.MANUAL)
        verb = "Queued" if queue else "Handled"
        self.stdout.write(f"{verb} {len(claimed)} digest(s).")
