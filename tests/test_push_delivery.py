"""The daily reminder by push: same claim, one reminder per person per local day whatever the channels.

Pushes go through pywebpush to our loopback RFC 8030 push service (tests/push_service.py), email to the
real SMTP server on loopback; the worker tests run a real Celery worker on Redis.
"""

import datetime
import json
from unittest import mock

import pytest
from django.utils import timezone

from checkins.models import Digest, DigestStatus
from checkins.services.digests import DigestNotDelivered
from checkins.services.sweep import reminders_send_due
from checkins.tasks import digests_hand_over, send_digests
from push import services as push_services
from push.models import PushSubscription
from tests.checkins_helpers import digest_send, make_person, make_supporter
from tests.waiting import wait_until

pytestmark = [pytest.mark.django_db(transaction=True)]


def someone_due(channel="push", **fields):
    """Reminders at local midnight, so today's digest time has always passed, whatever the real time."""
    person = make_person(reminder_hour=0, reminder_channel=channel, **fields)
    ten_days_ago = timezone.now() - datetime.timedelta(days=10)
    make_supporter(person, added_at=ten_days_ago, name="Ada Lovelace", rhythm_days=7)
    make_supporter(person, added_at=ten_days_ago, name="Grace Hopper", rhythm_days=3)
    person.refresh_from_db()
    return person


def with_device(person, push_service):
    device = push_service.new_device()
    data = push_services.subscription_data_clean(device.subscription_json())
    push_services.push_subscription_save(user=person, data=data, device_name="Phone", now=timezone.now())
    return device


def claimed_digest():
    with mock.patch("checkins.tasks.send_digests.apply_async"):  # claimed, not queued
        [digest_id] = reminders_send_due(hand_over=digests_hand_over)
    return digest_id


def test_a_push_only_reminder_is_one_notification_and_no_email(push_service, inbox):
    person = someone_due("push")
    device = with_device(person, push_service)
    digest_id = claimed_digest()
    assert digest_send(digest_id=digest_id) is True
    [shown] = push_service.payloads_for(device)
    assert shown["body"] == "A few people might like to hear from you."
    assert inbox.messages == []
    digest = Digest.objects.get(pk=digest_id)
    assert digest.status == DigestStatus.SENT
    assert digest.pushed_at is not None and digest.emailed_at is None


def test_both_channels_send_one_of_each(push_service, inbox):
    person = someone_due("both")
    device = with_device(person, push_service)
    assert digest_send(digest_id=claimed_digest()) is True
    assert len(push_service.payloads_for(device)) == 1
    assert [message["To"] for message in inbox.messages] == [person.email]


def test_two_sweeps_and_a_task_delivered_twice_send_one_notification(push_service, inbox):
    person = someone_due("push")
    device = with_device(person, push_service)
    digest_id = claimed_digest()
    with mock.patch("checkins.tasks.send_digests.apply_async"):
        assert (
            reminders_send_due(hand_over=digests_hand_over) == []
        )  # the second sweep finds today's digest claimed
    assert [digest_send(digest_id=digest_id), digest_send(digest_id=digest_id)] == [True, False]
    with mock.patch("checkins.tasks.send_digests.apply_async"):
        assert reminders_send_due(hand_over=digests_hand_over) == []
    assert len(push_service.payloads_for(device)) == 1


def test_a_push_service_down_then_back_delivers_once(push_service, inbox):
    person = someone_due("push")
    device = with_device(person, push_service)
    digest_id = claimed_digest()
    push_service.stop()
    try:
        with pytest.raises(DigestNotDelivered, match="Push"):
            digest_send(digest_id=digest_id)
    finally:
        push_service.start()
    digest = Digest.objects.get(pk=digest_id)
    assert digest.status == DigestStatus.QUEUED and digest.pushed_at is None
    assert "localhost" in digest.failure_reason and person.email not in digest.failure_reason
    push_service.answer_next(429)
    with pytest.raises(DigestNotDelivered, match="429"):
        digest_send(digest_id=digest_id)
    assert digest_send(digest_id=digest_id) is True
    assert digest_send(digest_id=digest_id) is False
    assert len(push_service.payloads_for(device)) == 1
    assert inbox.messages == []
    assert Digest.objects.get(pk=digest_id).attempts == 3


def test_with_both_an_email_already_sent_is_not_sent_again_when_push_is_retried(push_service, inbox):
    person = someone_due("both")
    device = with_device(person, push_service)
    digest_id = claimed_digest()
    push_service.answer_next(503)
    with pytest.raises(DigestNotDelivered, match="503"):
        digest_send(digest_id=digest_id)
    assert len(inbox.messages) == 1, "the email is not held back by the push service"
    assert digest_send(digest_id=digest_id) is True
    assert len(inbox.messages) == 1
    assert len(push_service.payloads_for(device)) == 1


def test_push_only_with_every_device_gone_falls_back_to_email(push_service, inbox):
    person = someone_due("push")
    with_device(person, push_service)
    push_service.answer_next(410)
    assert digest_send(digest_id=claimed_digest()) is True
    assert not PushSubscription.objects.exists()
    assert [message["To"] for message in inbox.messages] == [person.email]


def test_push_chosen_without_any_device_sends_email(push_service, inbox):
    person = someone_due("push")
    assert digest_send(digest_id=claimed_digest()) is True
    assert [message["To"] for message in inbox.messages] == [person.email]
    assert push_service.received == []


def test_push_switched_off_sends_email(push_service, inbox, settings):
    settings.WEBPUSH_ENABLED = False
    person = someone_due("push")
    with_device(person, push_service)
    assert digest_send(digest_id=claimed_digest()) is True
    assert [message["To"] for message in inbox.messages] == [person.email]
    assert push_service.received == []


def test_the_self_check_nudge_rides_on_the_email_and_the_push_when_asked_for(push_service, inbox):
    person = someone_due("both", reminder_self_check=True)
    device = with_device(person, push_service)
    assert digest_send(digest_id=claimed_digest()) is True
    [shown] = push_service.payloads_for(device)
    assert "self-check is waiting" in shown["body"]
    body = inbox.messages[0].get_body(preferencelist=("plain",)).get_content()
    assert "self-check is waiting" in body
    html = inbox.messages[0].get_body(preferencelist=("html",)).get_content()
    assert "self-check is waiting" in html


def test_no_nudge_unless_asked_for(push_service, inbox):
    person = someone_due("both")
    device = with_device(person, push_service)
    digest_send(digest_id=claimed_digest())
    assert "self-check" not in json.dumps(push_service.payloads_for(device))
    assert "self-check" not in inbox.messages[0].get_body(preferencelist=("plain",)).get_content()


@pytest.mark.worker
def test_through_the_worker_a_task_delivered_twice_pushes_once(celery_worker_process, push_service, inbox):
    person = someone_due("push")
    device = with_device(person, push_service)
    digest_id = claimed_digest()
    first = send_digests.apply_async([[digest_id]], ignore_result=False)
    second = send_digests.apply_async([[digest_id]], ignore_result=False)
    assert sorted([first.get(timeout=30), second.get(timeout=30)]) == [0, 1]
    assert len(push_service.payloads_for(device)) == 1
    assert inbox.messages == []


@pytest.mark.worker
def test_through_the_worker_a_push_service_down_then_back_is_retried_and_delivered_once(
    celery_worker_process, push_service, inbox
):
    person = someone_due("push")
    device = with_device(person, push_service)
    push_service.answer_next(500, 500)  # the first try and the first retry (1 s later in tests)
    digest_id = claimed_digest()
    send_digests.delay([digest_id])
    assert push_service.wait_for(1, timeout=30)
    assert wait_until(lambda: Digest.objects.get(pk=digest_id).status == DigestStatus.SENT)
    assert Digest.objects.get(pk=digest_id).attempts == 3
    assert len(push_service.payloads_for(device)) == 1
    assert [status for status, _ in push_service.refused] == [500, 500]
    assert inbox.messages == []


def test_with_both_a_push_already_delivered_is_not_sent_again_when_the_email_is_retried(push_service, inbox):
    person = someone_due("both")
    device = with_device(person, push_service)
    digest_id = claimed_digest()
    inbox.refuse_next = 1
    with pytest.raises(DigestNotDelivered, match="451"):
        digest_send(digest_id=digest_id)
    assert len(push_service.payloads_for(device)) == 1 and inbox.messages == []
    assert digest_send(digest_id=digest_id) is True
    assert len(push_service.payloads_for(device)) == 1
    assert [message["To"] for message in inbox.messages] == [person.email]
