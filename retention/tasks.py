from celery import shared_task
from django.utils import timezone

from retention import services


@shared_task
def purge_expired():
    """Run by beat once a day. Idempotent: a second run the same day removes nothing."""
    return sum(services.retention_sweep(now=timezone.now()).values())
