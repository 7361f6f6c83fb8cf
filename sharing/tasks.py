"""Thin Celery tasks for the emails SupportNet sends supporters: load by id, call the service, retry."""

from celery import shared_task
from django.conf import settings
from django.utils import timezone

from sharing import services


def retry_countdown(task):
    """The same backoff as the reminder digests: delay * 2**attempt seconds."""
    return settings.REMINDER_RETRY_DELAY_SECONDS * 2**task.request.retries


@shared_task(bind=True, max_retries=settings.REMINDER_SEND_RETRIES)
def send_invitation(self, consent_id):
    try:
        return services.invitation_send(consent_id=consent_id)
    except OSError as error:  # smtplib.SMTPException is an OSError
        if self.request.retries < self.max_retries:
            raise self.retry(exc=error, countdown=retry_countdown(self)) from error
        return False


@shared_task(bind=True, max_retries=settings.REMINDER_SEND_RETRIES)
def send_ask_email(self, recipient_id):
    """Delivered twice, it sends once (the claim is a conditional UPDATE); failed for good, recorded."""
    try:
        return services.ask_email_send(recipient_id=recipient_id, now=timezone.now())
    except services.AskNotDelivered as error:
        if self.request.retries < self.max_retries:
            raise self.retry(exc=error, countdown=retry_countdown(self)) from error
        services.ask_email_mark_failed(recipient_id=recipient_id, reason=str(error))
        return False
