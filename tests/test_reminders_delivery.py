"""The real path: beat's task and `send_reminders` through a real Celery worker on Redis, to a real SMTP server."""

import datetime
from unittest import mock

import pytest
from django.core.management import call_command
from django.utils import timezone

from checkins.models import Digest, DigestStatus
from checkins.services.sweep import reminders_send_due
from checkins.tasks import digests_hand_over, send_digests, sweep_reminders
from tests.checkins_helpers import make_person, make_supporter
from tests.waiting import wait_until

pytestmark = [pytest.mark.django_db(transaction=True)]


def someone_with_due_supporters(**fields):
    """Reminders at local midnight, so today's digest time has always passed, whatever the real time."""
    person = make_person(reminder_hour=0, **fields)
    ten_days_ago = timezone.now() - datetime.timedelta(days=10)
    make_supporter(person, added_at=ten_days_ago, name="Ada Lovelace", rhythm_days=7)
    make_supporter(person, added_at=ten_days_ago, name="Grace Hopper", rhythm_days=3)
    make_supporter(person, added_at=timezone.now(), name="Not Due Yet", rhythm_days=7)
    person.refresh_from_db()
    return person


def text_of(message):
    return message.get_body(preferencelist=("plain",)).get_content()


@pytest.mark.worker
def test_it_sends_the_digest_from_beat_s_sweep_task_through_the_worker(celery_worker_process, inbox):
    person = someone_with_due_supporters(timezone="Pacific/Tongatapu")
    sweep_reminders.delay()
    [message] = inbox.wait_for(1)
    assert message["To"] == person.email
    body = text_of(message)
    assert "Ada Lovelace" in body and "Grace Hopper" in body
    assert "Not Due Yet" not in body
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert wait_until(lambda: Digest.objects.filter(status=DigestStatus.SENT).exists())
    # The next beat tick finds nothing more to send today.
    assert sweep_reminders.apply_async(ignore_result=False).get(timeout=30) == 0
    assert len(inbox.messages) == 1


@pytest.mark.worker
def test_it_queues_through_the_worker_or_sends_from_send_reminders(celery_worker_process, inbox):
    queued = someone_with_due_supporters(timezone="Pacific/Honolulu")
    call_command("send_reminders", "--queue")
    assert [m["To"] for m in inbox.wait_for(1)] == [queued.email]
    direct = someone_with_due_supporters(timezone="Europe/London")
    call_command("send_reminders")
    assert [m["To"] for m in inbox.wait_for(2)] == [queued.email, direct.email]
    assert Digest.objects.filter(status=DigestStatus.SENT).count() == 2


@pytest.mark.worker
def test_it_sends_one_email_when_a_task_is_delivered_twice(celery_worker_process, inbox):
    someone_with_due_supporters()
    with mock.patch("checkins.tasks.send_digests.apply_async"):  # claimed, not yet queued
        [digest_id] = reminders_send_due(hand_over=digests_hand_over)
    first = send_digests.apply_async([[digest_id]], ignore_result=False)
    second = send_digests.apply_async([[digest_id]], ignore_result=False)
    assert sorted([first.get(timeout=30), second.get(timeout=30)]) == [0, 1]
    # Both tasks have finished, so everything either of them sent has arrived.
    assert len(inbox.messages) == 1


@pytest.mark.worker
def test_it_retries_an_smtp_failure_then_records_it_then_sends_on_the_next_sweep(
    celery_worker_process, inbox
):
    person = someone_with_due_supporters()
    inbox.refuse_next = 4  # the first try and all three retries (1, 2 and 4 seconds apart in tests)
    [digest_id] = reminders_send_due(hand_over=digests_hand_over)
    assert wait_until(lambda: Digest.objects.get(pk=digest_id).status == DigestStatus.FAILED, timeout=40)
    digest = Digest.objects.get(pk=digest_id)
    assert digest.attempts == 4
    assert "451" in digest.failure_reason
    assert inbox.messages == []
    assert inbox.refuse_next == 0

    assert reminders_send_due(hand_over=digests_hand_over) == [digest_id]
    [message] = inbox.wait_for(1)
    assert message["To"] == person.email
    assert wait_until(lambda: Digest.objects.get(pk=digest_id).status == DigestStatus.SENT)
    assert Digest.objects.get(pk=digest_id).attempts == 5


@pytest.mark.worker
def test_it_sends_within_the_requeue_window_what_a_flushed_queue_lost(celery_worker_process, inbox, settings):
    settings.REMINDER_REQUEUE_AFTER_SECONDS = 2
    person = someone_with_due_supporters()
    with mock.patch("checkins.tasks.send_digests.apply_async"):  # queued, then lost with Redis
        [digest_id] = reminders_send_due(hand_over=digests_hand_over)
    queued_at = Digest.objects.get(pk=digest_id).queued_at
    assert reminders_send_due(hand_over=digests_hand_over) == []  # not yet due again: nobody sends it twice
    handed_over = []
    assert wait_until(
        lambda: handed_over.extend(reminders_send_due(hand_over=digests_hand_over)) or handed_over, timeout=10
    )
    recovered_after = (timezone.now() - queued_at).total_seconds()
    assert handed_over == [digest_id]
    assert 2 <= recovered_after < 4
    assert [message["To"] for message in inbox.wait_for(1)] == [person.email]
