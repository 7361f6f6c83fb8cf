"""Asks emailed by SupportNet go through a real Celery worker on Redis to a real SMTP server, queued
only once the ask is committed, retried like the reminder digests, and recorded when they fail."""

import pytest
from django.utils import timezone

from sharing import services
from sharing.models import AskRecipient, DeliveryStatus
from tests.factories import UserFactory
from tests.sharing_helpers import make_consent
from tests.waiting import wait_until

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.worker]


def ask_by_email(owner, consent):
    return services.ask_create(
        owner=owner,
        support_type="emotional",
        message="Could you call me tonight?",
        supporter_ids=[],
        email_ids=[consent.supporter_id],
        form_key="k",
        now=timezone.now(),
    )


def test_the_worker_emails_an_ask_after_a_refusal_from_the_mail_server(celery_worker_process, inbox):
    owner = UserFactory()
    consent = make_consent(owner, email="sam@example.net")
    inbox.refuse_next = 1
    ask_by_email(owner, consent)
    [message] = inbox.wait_for(1)
    assert message["To"] == "sam@example.net"
    recipient = AskRecipient.objects.get()
    assert wait_until(lambda: AskRecipient.objects.get().status == DeliveryStatus.SENT)
    recipient.refresh_from_db()
    assert recipient.attempts == 2


def test_an_ask_the_mail_server_keeps_refusing_is_recorded_as_failed_with_its_reason(
    celery_worker_process, inbox
):
    owner = UserFactory()
    consent = make_consent(owner, email="sam@example.net")
    inbox.refuse_next = 4  # the first try and all three retries
    ask_by_email(owner, consent)
    assert wait_until(lambda: AskRecipient.objects.get().status == DeliveryStatus.FAILED, timeout=40)
    recipient = AskRecipient.objects.get()
    assert recipient.attempts == 4 and "451" in recipient.failure_reason
    assert inbox.messages == []
