"""Reminders under faults, fast: each scenario with explicit clocks (time_machine) and the real SMTP server.

The slow, outside-in version (real workers killed, Redis flushed, SMTP down) is `make faults`.
"""

import datetime
import smtplib
import threading
import uuid
import zoneinfo
from unittest import mock

import pytest
import time_machine
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from kombu.exceptions import OperationalError

from checkins.models import Digest, DigestStatus, SweepHeartbeat
from checkins.services.digests import DigestNotDelivered, digest_email
from checkins.services.sweep import SweepTrigger, reminders_send_due
from checkins.tasks import digests_hand_over
from tests.checkins_helpers import at, digest_send, make_person, make_supporter

pytestmark = pytest.mark.django_db


def local(zone, *args):
    """A moment given on a local wall clock: local("Asia/Tokyo", 2026, 1, 15, 23, 58)."""
    return datetime.datetime(*args, tzinfo=zoneinfo.ZoneInfo(zone))


def sweep(now, **options):
    with time_machine.travel(now, tick=False):
        return reminders_send_due(**options)


def queue_sweep(now):
    with time_machine.travel(now, tick=False):
        return reminders_send_due(hand_over=digests_hand_over)


def send(digest_id, now):
    with time_machine.travel(now, tick=False):
        return digest_send(digest_id=digest_id)


def someone_due(zone="UTC", name="Ada Due"):
    with time_machine.travel(at(2026, 1, 1), tick=False):
        person = make_person(timezone=zone)
        make_supporter(person, name=name)
    return person


def recipients(inbox):
    return sorted(message["To"] for message in inbox.messages)


# --- The midnight edge: one reminder per local day, none lost ---------------------------------


@pytest.mark.parametrize("zone", ["Pacific/Auckland", "Pacific/Honolulu", "Asia/Tokyo"])
def test_it_never_sends_a_digest_after_its_local_day_and_sends_the_next_day_s_at_the_hour(zone, inbox):
    person = someone_due(zone)
    [late] = queue_sweep(local(zone, 2026, 1, 15, 23, 58))  # a backlog: claimed two minutes before midnight
    # Its task arrives at 00:03 the next local day: not sent, and not counted against that day.
    assert send(late, local(zone, 2026, 1, 16, 0, 3)) is False
    assert Digest.objects.get(pk=late).status == DigestStatus.MISSED
    assert sweep(local(zone, 2026, 1, 16, 0, 5)) == []
    assert inbox.messages == []
    # The next day's digest goes out on its own day at the person's hour, with the same people.
    assert sweep(local(zone, 2026, 1, 16, 8, 59)) == []
    [today] = sweep(local(zone, 2026, 1, 16, 9, 0))
    assert Digest.objects.get(pk=today).scheduled_on == datetime.date(2026, 1, 16)
    assert recipients(inbox) == [person.email]
    assert "Ada Due" in inbox.messages[0].get_body(preferencelist=("plain",)).get_content()
    assert sweep(local(zone, 2026, 1, 16, 23, 59)) == []
    assert len(inbox.messages) == 1


@pytest.mark.parametrize("zone", ["Pacific/Auckland", "Pacific/Honolulu", "Asia/Tokyo"])
def test_it_settles_a_digest_that_failed_just_before_midnight_and_carries_its_people_over(zone, inbox):
    person = someone_due(zone)
    inbox.refuse_next = 1
    [failed] = sweep(local(zone, 2026, 1, 15, 23, 58))
    assert Digest.objects.get(pk=failed).status == DigestStatus.FAILED
    # After local midnight the failed digest is not tried again for a day that has passed.
    assert sweep(local(zone, 2026, 1, 16, 0, 1)) == []
    assert Digest.objects.get(pk=failed).status == DigestStatus.MISSED
    assert inbox.messages == []
    assert len(sweep(local(zone, 2026, 1, 16, 9, 0))) == 1
    assert recipients(inbox) == [person.email]
    assert "Ada Due" in inbox.messages[0].get_body(preferencelist=("plain",)).get_content()


# --- Claims: real clocks, compare-and-set, a sender that lost its claim stops ------------------


def manual_send_stalled_five_minutes_by_beat_s_sweep():
    """The manual command stalls five minutes on its first digest while beat's sweep runs; returns
    the digests the manual command handled and those beat's sweep handled."""
    start = at(2026, 1, 15, 9)
    render = digest_email
    beat_sent = []
    stalled = threading.Event()

    def slow_render(**arguments):
        if not stalled.is_set():
            stalled.set()
            traveller.shift(datetime.timedelta(minutes=5))
            beat_sent.extend(reminders_send_due())
        return render(**arguments)

    with (
        time_machine.travel(start, tick=False) as traveller,
        mock.patch("checkins.services.digests.digest_email", side_effect=slow_render),
    ):
        manual = reminders_send_due(trigger=SweepTrigger.MANUAL)
    assert settings.REMINDER_CLAIM_TAKEBACK_SECONDS < 300
    assert settings.REMINDER_REQUEUE_AFTER_SECONDS > 300
    return manual, beat_sent


def test_a_manual_send_beside_a_sweep_sends_each_digest_once_and_a_sender_that_lost_its_claim_stops(
    inbox, settings
):
    settings.REMINDER_BATCH_SIZE = 1
    first, second = someone_due(name="First Friend"), someone_due(name="Second Friend")
    manual, beat_sent = manual_send_stalled_five_minutes_by_beat_s_sweep()
    # The first digest's claim (five minutes old, past the takeback) went to beat's sweep, which
    # sent it; the manual sender saw its claim gone and stopped. The second (the next batch) was
    # claimed by the manual sender with the real time, so beat's sweep did not take it back.
    assert len(manual) == 2 and beat_sent == [manual[0]]
    assert recipients(inbox) == sorted([first.email, second.email])
    sent = Digest.objects.get(pk=manual[1])
    assert sent.claimed_at == sent.sent_at == at(2026, 1, 15, 9, 5)
    assert Digest.objects.filter(status=DigestStatus.SENT).count() == 2


def test_a_batch_whose_claims_were_all_taken_back_sends_none_of_them_and_each_goes_out_once(inbox, settings):
    settings.REMINDER_BATCH_SIZE = 2
    first, second = someone_due(name="First Friend"), someone_due(name="Second Friend")
    manual, beat_sent = manual_send_stalled_five_minutes_by_beat_s_sweep()
    # One batch, one claim: beat's sweep took back both and sent both; the stalled sender sent neither.
    assert sorted(beat_sent) == sorted(manual)
    assert recipients(inbox) == sorted([first.email, second.email])
    assert set(Digest.objects.values_list("status", "sent_at")) == {
        (DigestStatus.SENT, at(2026, 1, 15, 9, 5))
    }


def test_a_sender_whose_claim_was_taken_back_and_claimed_by_another_stops_before_smtp(inbox):
    someone_due()
    start = at(2026, 1, 15, 9)
    render = digest_email
    other_token = uuid.uuid4()

    def stall_then_lose_the_claim(**arguments):
        traveller.shift(datetime.timedelta(seconds=settings.REMINDER_CLAIM_TAKEBACK_SECONDS + 1))
        assert reminders_send_due(hand_over=digests_hand_over) == [digest_id]  # taken back...
        claimed = Digest.objects.filter(pk=digest_id, status=DigestStatus.QUEUED).update(
            status=DigestStatus.SENDING, claim_token=other_token, claimed_at=start
        )
        assert claimed == 1  # ...and claimed by another sender, which is sending now
        return render(**arguments)

    with time_machine.travel(start, tick=False) as traveller:
        [digest_id] = reminders_send_due(hand_over=digests_hand_over)
        with mock.patch("checkins.services.digests.digest_email", side_effect=stall_then_lose_the_claim):
            assert digest_send(digest_id=digest_id) is False
    assert inbox.messages == []
    digest = Digest.objects.get(pk=digest_id)
    assert (digest.status, digest.claim_token) == (DigestStatus.SENDING, other_token)


def test_it_sends_one_email_when_the_same_task_is_queued_twice(inbox):
    someone_due()
    now = at(2026, 1, 15, 9)
    [digest_id] = queue_sweep(now)
    assert [send(digest_id, now), send(digest_id, now)] == [True, False]
    assert len(inbox.messages) == 1


def test_it_writes_each_time_from_the_clock_at_that_moment():
    someone_due()
    with time_machine.travel(at(2026, 1, 15, 9), tick=False) as traveller:
        [digest_id] = reminders_send_due(hand_over=digests_hand_over)
        traveller.shift(datetime.timedelta(seconds=42))
        assert digest_send(digest_id=digest_id) is True
    digest = Digest.objects.get(pk=digest_id)
    assert digest.queued_at == at(2026, 1, 15, 9)
    assert digest.claimed_at == digest.sent_at == at(2026, 1, 15, 9, 0, 42)


# --- The duplicate window is the SMTP transaction only ----------------------------------------


def test_it_marks_the_digest_sent_before_quit_and_before_the_schedule_is_recomputed(inbox):
    person = someone_due()
    now = at(2026, 1, 15, 9)
    [digest_id] = queue_sweep(now)
    with (
        mock.patch("smtplib.SMTP.quit", side_effect=smtplib.SMTPServerDisconnected("gone")),
        mock.patch(
            "checkins.services.digests.users_schedule_recompute", side_effect=RuntimeError("worker died")
        ),
        pytest.raises(RuntimeError),
    ):
        send(digest_id, now)
    assert Digest.objects.get(pk=digest_id).status == DigestStatus.SENT
    # The schedule was not recomputed, yet the next sweep sends nothing more that day.
    assert sweep(now + datetime.timedelta(hours=1)) == []
    assert recipients(inbox) == [person.email]


def test_it_gives_every_attempt_of_a_digest_the_same_message_id(inbox):
    someone_due()
    now = at(2026, 1, 15, 9)
    [digest_id] = queue_sweep(now)
    inbox.refuse_next = 1
    with pytest.raises(DigestNotDelivered):
        send(digest_id, now)
    assert send(digest_id, now) is True
    [message] = inbox.messages
    assert message["Message-ID"] == f"<reminder-digest-{digest_id}@127.0.0.1>"


def test_it_sends_after_an_smtp_451_then_ok(inbox):
    person = someone_due()
    inbox.refuse_next = 1
    [digest_id] = sweep(at(2026, 1, 15, 9))
    assert inbox.messages == []
    assert sweep(at(2026, 1, 15, 9, 5)) == [digest_id]
    assert recipients(inbox) == [person.email]
    assert Digest.objects.get(pk=digest_id).attempts == 2


# --- Recovery: a flushed queue, a broker error ------------------------------------------------


def test_it_recovers_a_digest_whose_queue_message_was_flushed_within_the_requeue_window(inbox):
    person = someone_due()
    now = at(2026, 1, 15, 9)
    [digest_id] = queue_sweep(now)  # the message is flushed from Redis
    window = datetime.timedelta(seconds=settings.REMINDER_REQUEUE_AFTER_SECONDS)
    interval = datetime.timedelta(seconds=settings.REMINDER_SWEEP_INTERVAL_SECONDS)
    assert queue_sweep(now + interval) == []
    assert sweep(now + window + interval) == [digest_id]  # the first sweep past the window
    assert recipients(inbox) == [person.email]


def test_the_sweep_survives_a_broker_error_and_the_next_sweep_queues_what_it_could_not(
    django_capture_on_commit_callbacks,
):
    for _ in range(3):
        someone_due()
    now = at(2026, 1, 15, 9)
    broken = mock.patch(
        "checkins.tasks.send_digests.apply_async", side_effect=OperationalError("Connection refused")
    )
    with broken as apply_async, django_capture_on_commit_callbacks(execute=True):
        claimed = queue_sweep(now)
    assert len(claimed) == 3
    assert apply_async.call_count == 1  # one refusal is enough: the rest fail fast
    assert set(Digest.objects.values_list("status", flat=True)) == {DigestStatus.FAILED}
    assert "Not handed to the queue: OperationalError" in Digest.objects.first().failure_reason
    assert SweepHeartbeat.objects.get(name=SweepTrigger.BEAT).finished_at == now
    later = now + datetime.timedelta(seconds=settings.REMINDER_SWEEP_INTERVAL_SECONDS)
    with (
        mock.patch("checkins.tasks.send_digests.apply_async") as apply_async,
        django_capture_on_commit_callbacks(execute=True),
    ):
        assert sorted(queue_sweep(later)) == sorted(claimed)
    assert [sorted(call.args[0][0]) for call in apply_async.call_args_list] == [sorted(claimed)]
    assert set(Digest.objects.values_list("attempts", flat=True)) == {0}


# --- Watching it: /healthz and the admin ------------------------------------------------------


def test_healthz_watches_beat_s_finished_sweep_and_not_manual_runs(client):
    interval = datetime.timedelta(seconds=settings.REMINDER_SWEEP_INTERVAL_SECONDS)
    limit = interval * settings.REMINDER_SWEEP_STALE_AFTER_INTERVALS
    beat_at = at(2026, 1, 15, 9)
    sweep(beat_at)
    with time_machine.travel(beat_at + limit, tick=False):
        response = client.get(reverse("healthz"))
    assert response.status_code == 200
    assert response.json()["reminder_sweep"] is True
    manual_at = beat_at + limit
    sweep(manual_at, trigger=SweepTrigger.MANUAL)
    with time_machine.travel(beat_at + limit + datetime.timedelta(seconds=1), tick=False):
        response = client.get(reverse("healthz"))
    assert response.status_code == 503
    body = response.json()
    assert body["reminder_sweep"] is False
    assert body["database"] is True and body["broker"] is True
    assert body["last_reminder_sweep_at"] == beat_at.isoformat()
    assert body["last_manual_reminder_sweep_at"] == manual_at.isoformat()
    assert "Is beat running?" in body["reasons"][0]


def test_the_admin_lists_digests_stuck_in_a_state_longer_than_expected(client, two_step_login):
    from tests.factories import UserFactory

    now = at(2026, 1, 15, 12)
    people = [someone_due() for _ in range(4)]
    late = datetime.timedelta(
        seconds=settings.REMINDER_REQUEUE_AFTER_SECONDS + 2 * settings.REMINDER_SWEEP_INTERVAL_SECONDS
    )
    stale = datetime.timedelta(
        seconds=settings.REMINDER_CLAIM_TAKEBACK_SECONDS + 2 * settings.REMINDER_SWEEP_INTERVAL_SECONDS
    )
    day = datetime.date(2026, 1, 15)
    stuck_queued = Digest.objects.create(user=people[0], scheduled_on=day, queued_at=now - late)
    stuck_sending = Digest.objects.create(
        user=people[1],
        scheduled_on=day,
        queued_at=now - stale,
        status=DigestStatus.SENDING,
        claimed_at=now - stale,
    )
    Digest.objects.create(user=people[2], scheduled_on=day, queued_at=now)  # just queued
    Digest.objects.create(user=people[3], scheduled_on=day, queued_at=now - late, status=DigestStatus.SENT)
    assert set(Digest.objects.stuck(now=now)) == {stuck_queued, stuck_sending}
    admin_user = UserFactory(is_staff=True, is_superuser=True)
    two_step_login(client, admin_user)
    with time_machine.travel(now, tick=False):
        response = client.get(reverse("admin:checkins_digest_changelist"), {"stuck": "yes"})
    assert response.status_code == 200
    shown = {row.pk for row in response.context["cl"].result_list}
    assert shown == {stuck_queued.pk, stuck_sending.pk}
    assert "Stuck longer than expected" in response.content.decode()


@pytest.mark.django_db(transaction=True)
def test_two_sweeps_at_once_send_each_digest_once(inbox):
    people = [someone_due() for _ in range(4)]
    start = threading.Barrier(2)
    results, errors = [], []

    def run(trigger):
        try:
            start.wait()
            results.append(reminders_send_due(trigger=trigger))
        except Exception as error:  # pragma: no cover - reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [
        threading.Thread(target=run, args=(trigger,)) for trigger in (SweepTrigger.BEAT, SweepTrigger.MANUAL)
    ]
    with time_machine.travel(at(2026, 1, 15, 9), tick=True):
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
    assert errors == []
    assert sum(len(claimed) for claimed in results) == 4
    inbox.wait_for(4)
    assert recipients(inbox) == sorted(person.email for person in people)


def test_the_sweep_claims_everyone_due_with_the_same_queries_at_two_sizes():
    def queries_to_claim(count, hour):
        people = [someone_due() for _ in range(count)]
        moment = at(2026, 1, 15, hour)
        with time_machine.travel(moment, tick=False), CaptureQueriesContext(connection) as queries:
            claimed = reminders_send_due(hand_over=digests_hand_over)
        assert len(claimed) == count
        Digest.objects.filter(user__in=people).update(status=DigestStatus.SENT)
        return len(queries)

    sweep(at(2026, 1, 15, 8))  # the heartbeat row exists from now on
    assert queries_to_claim(2, 9) == queries_to_claim(12, 10)
