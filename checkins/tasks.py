"""Thin Celery tasks: beat → `sweep_reminders` → one `send_digest` per person → services."""

from celery import shared_task
from django.conf import settings

from checkins import services


@shared_task
def sweep_reminders():
    """Run by beat every REMINDER_SWEEP_INTERVAL_SECONDS. Idempotent: a second run finds nothing new."""
    return len(services.reminders_send_due(trigger=services.SweepTrigger.BEAT))


@shared_task(bind=True, max_retries=settings.REMINDER_SEND_RETRIES)
def send_digest(self, digest_id):
    """Send one claimed digest. Delivered twice, it sends once (the claim is a conditional UPDATE).

    An SMTP failure is retried with exponential backoff (short countdowns, far below Redis's
    visibility timeout); after the last retry the digest is marked failed with its reason, and the
    next sweep queues it again.
    """
    try:
        return services.digest_send(digest_id=digest_id)
    except services.DigestNotDelivered as error:
        if self.request.retries < self.max_retries:
            countdown = settings.REMINDER_RETRY_DELAY_SECONDS * 2**self.request.retries
            raise self.retry(exc=error, countdown=countdown) from error
        services.digest_mark_failed(digest_id=digest_id, reason=str(error))
        return False
