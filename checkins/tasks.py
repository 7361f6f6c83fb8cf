"""Thin Celery tasks: beat → `sweep_reminders` → one `send_digests` per batch of people → services."""

from celery import shared_task
from django.conf import settings

from checkins.services.digests import digest_mark_failed, digests_send
from checkins.services.sweep import SweepTrigger, reminders_send_due


@shared_task
def sweep_reminders():
    """Run by beat every REMINDER_SWEEP_INTERVAL_SECONDS. Idempotent: a second run finds nothing new."""
    return len(reminders_send_due(hand_over=digests_hand_over, trigger=SweepTrigger.BEAT))


def digests_hand_over(digest_ids):
    """Queue one batch; no publish retries, so a broker error reaches the sweep at once."""
    send_digests.apply_async((digest_ids,), retry=False)


@shared_task(bind=True, max_retries=settings.REMINDER_SEND_RETRIES)
def send_digests(self, digest_ids):
    """Send a batch of claimed digests over one SMTP connection. Delivered twice, each goes out once
    (the claim is a conditional UPDATE).

    The digests the mail server did not take are retried, alone, with exponential backoff (short
    countdowns, far below Redis's visibility timeout); after the last retry they are marked failed
    with their reason, and the next sweep queues them again.
    """
    outcome = digests_send(digest_ids=digest_ids)
    failed = outcome.failed
    if failed and self.request.retries < self.max_retries:
        countdown = settings.REMINDER_RETRY_DELAY_SECONDS * 2**self.request.retries
        raise self.retry(args=(sorted(failed),), countdown=countdown)
    for digest_id, reason in failed.items():
        digest_mark_failed(digest_id=digest_id, reason=reason)
    return len(outcome.sent)
