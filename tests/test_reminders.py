"""Due moments, schedules and the reminder sweep, with time controlled explicitly."""

import datetime
import threading
from unittest import mock

import pytest
import time_machine
from django.conf import settings
from django.core import mail
from django.db import connection
from django.urls import reverse

from checkins.due import DueState, supporter_due_state
from checkins.models import CheckIn, Digest, DigestStatus
from checkins.services.check_ins import check_in_delete, check_in_log, check_in_update, supporter_snooze
from checkins.services.schedule import reminder_preferences_update, user_schedule_recompute
from checkins.services.sweep import reminders_due_users, reminders_send_due
from checkins.tasks import digests_hand_over
from contacts.models import Channel, Rhythm, Supporter
from contacts.services import (
    rhythm_defaults_update,
    supporter_archive,
    supporter_create,
    supporter_unarchive,
    supporter_update,
)
from supportnet.celery import app as celery_app
from tests.checkins_helpers import at, digest_send, make_person, make_supporter

pytestmark = pytest.mark.django_db


def log(supporter, when):
    return check_in_log(
        owner=supporter.owner, supporter=supporter, happened_at=when, channel=Channel.CALL, initiated_by="me"
    )


def sweep(now):
    with time_machine.travel(now, tick=False):
        return reminders_send_due()


def queue_sweep(now):
    """Beat's sweep at `now`; in these tests its queue messages never arrive (nothing commits)."""
    with time_machine.travel(now, tick=False):
        return reminders_send_due(hand_over=digests_hand_over)


def send(digest_id, now):
    with time_machine.travel(now, tick=False):
        return digest_send(digest_id=digest_id)


# --- Due moments ----------------------------------------------------------------------------------


def test_it_makes_a_supporter_due_a_rhythm_after_the_last_check_in_at_local_midnight():
    person = make_person(timezone="Pacific/Honolulu")  # UTC-10
    supporter = make_supporter(person, added_at=at(2026, 1, 1))
    # 20:00 on 8 January in Honolulu is already 9 January in UTC.
    log(supporter, at(2026, 1, 9, 6, 0))
    supporter.refresh_from_db()
    assert supporter.last_check_in_at == at(2026, 1, 9, 6, 0)
    # Due from the start of 15 January in Honolulu, which is 10:00 UTC.
    assert supporter.next_check_in_at == at(2026, 1, 15, 10, 0)


def test_it_makes_a_never_contacted_supporter_due_a_rhythm_after_they_were_added():
    person = make_person(timezone="Pacific/Tongatapu")  # UTC+13
    supporter = make_supporter(person, added_at=at(2026, 1, 1, 12, 0), rhythm_days=3)  # 2 Jan, 01:00 local
    assert supporter.next_check_in_at == at(2026, 1, 4, 11, 0)  # 5 Jan, 00:00 local


def test_it_calls_a_supporter_overdue_only_past_one_and_a_half_rhythms():
    person = make_person(timezone="UTC")
    supporter = make_supporter(person, added_at=at(2026, 1, 1, 12), rhythm_days=10)
    assert supporter_due_state(supporter, now=at(2026, 1, 10, 23)) == DueState.UPCOMING
    assert supporter_due_state(supporter, now=at(2026, 1, 11, 0)) == DueState.DUE
    assert supporter_due_state(supporter, now=at(2026, 1, 16, 12)) == DueState.DUE  # exactly 1.5 rhythms
    assert supporter_due_state(supporter, now=at(2026, 1, 17, 0)) == DueState.OVERDUE


def test_it_gives_no_due_moment_without_a_rhythm_or_when_archived():
    person = make_person()
    quiet = make_supporter(person, rhythm_days=None, rhythm=Rhythm.NONE)
    archived = make_supporter(person, is_archived=True)
    assert quiet.next_check_in_at is None
    assert archived.next_check_in_at is None


def test_it_snoozes_until_the_start_of_the_day_three_days_on_and_a_check_in_ends_the_snooze():
    person = make_person(timezone="Pacific/Honolulu")
    supporter = make_supporter(person, added_at=at(2026, 1, 1, 12), rhythm_days=7)
    supporter_snooze(supporter=supporter, now=at(2026, 1, 10, 20))  # 10 Jan 10:00 local
    supporter.refresh_from_db()
    assert supporter.next_check_in_at == at(2026, 1, 13, 10)  # 13 Jan 00:00 local
    assert supporter_due_state(supporter, now=at(2026, 1, 11)) == DueState.SNOOZED
    log(supporter, at(2026, 1, 11))
    supporter.refresh_from_db()
    assert supporter.snoozed_until is None
    assert supporter.next_check_in_at == at(2026, 1, 17, 10)


def test_it_moves_the_due_moment_when_a_check_in_is_edited_or_deleted():
    person = make_person(timezone="UTC")
    supporter = make_supporter(person, added_at=at(2026, 1, 1), rhythm_days=7)
    earlier, later = log(supporter, at(2026, 1, 3, 12)), log(supporter, at(2026, 1, 5, 12))
    later.happened_at = at(2026, 1, 4, 12)
    check_in_update(check_in=later)
    supporter.refresh_from_db()
    assert supporter.next_check_in_at == at(2026, 1, 11)
    check_in_delete(check_in=later)
    check_in_delete(check_in=earlier)
    supporter.refresh_from_db()
    assert supporter.last_check_in_at is None
    assert supporter.next_check_in_at == at(2026, 1, 8)


def test_it_recomputes_due_moments_when_a_circle_default_or_the_time_zone_changes():
    person = make_person(timezone="UTC")
    with time_machine.travel(at(2026, 1, 1, 12), tick=False):
        supporter = supporter_create(owner=person, name="Jo", support_types=["peer"], circle="middle")
    assert supporter.rhythm == Rhythm.CIRCLE
    supporter.refresh_from_db()
    assert supporter.next_check_in_at == at(2026, 1, 15)
    rhythm_defaults_update(user=person, inner_rhythm_days=7, middle_rhythm_days=3, outer_rhythm_days=30)
    supporter.refresh_from_db()
    assert supporter.next_check_in_at == at(2026, 1, 4)
    person.timezone = "Pacific/Tongatapu"
    person.save(update_fields=["timezone"])
    supporter.refresh_from_db()
    assert supporter.next_check_in_at == at(2026, 1, 4, 11)  # 5 Jan local: added on 2 Jan there


def test_it_reschedules_the_digest_when_reminder_preferences_are_updated():
    person = make_person(timezone="UTC", reminder_hour=9)
    user_schedule_recompute(user=person, now=at(2026, 1, 1, 6))
    assert person.next_digest_at == at(2026, 1, 1, 9)
    reminder_preferences_update(user=person, now=at(2026, 1, 1, 6), reminder_hour=18)
    person.refresh_from_db()
    assert (person.reminder_hour, person.next_digest_at) == (18, at(2026, 1, 1, 18))
    with pytest.raises(TypeError):
        reminder_preferences_update(user=person, now=at(2026, 1, 1, 6), timezone="Asia/Tokyo")


def test_a_save_of_other_user_fields_leaves_the_schedule_alone():
    """The post_save receiver sees only the time zone and whether the account is active."""
    person = make_person(timezone="UTC")
    with mock.patch("checkins.receivers.user_schedule_recompute") as recompute:
        person.save(update_fields=["last_login", "country"])
        person.reminder_hour = 18
        person.save(update_fields=["reminder_hour"])  # only reminder_preferences_update changes it
        recompute.assert_not_called()
        person.save(update_fields=["timezone"])
        recompute.assert_called_once()


def test_it_recomputes_the_due_moment_when_the_supporter_rhythm_changes_or_they_are_archived():
    person = make_person(timezone="UTC")
    supporter = make_supporter(person, added_at=at(2026, 1, 1, 12), rhythm_days=7)
    supporter_update(supporter=supporter, rhythm_days=2)
    supporter.refresh_from_db()
    assert supporter.next_check_in_at == at(2026, 1, 3)
    supporter_archive(supporter=supporter)
    supporter.refresh_from_db()
    assert supporter.next_check_in_at is None
    supporter_unarchive(supporter=supporter)
    supporter_update(supporter=supporter, rhythm=Rhythm.NONE)
    supporter.refresh_from_db()
    assert supporter.next_check_in_at is None


# --- Schedules and time zones ---------------------------------------------------------------------


def test_it_sends_a_digest_at_nine_local_time_thirteen_hours_ahead_of_utc():
    with time_machine.travel(at(2026, 1, 1), tick=False):
        person = make_person(timezone="Pacific/Tongatapu")
        make_supporter(person)
    # 09:00 on 15 January in Tonga is 20:00 on 14 January in UTC.
    assert sweep(at(2026, 1, 14, 19, 59)) == []
    assert len(sweep(at(2026, 1, 14, 20, 0))) == 1
    digest = Digest.objects.get()
    assert digest.scheduled_on == datetime.date(2026, 1, 15)
    assert digest.status == DigestStatus.SENT
    assert len(mail.outbox) == 1
    person.refresh_from_db()
    assert person.next_digest_at == at(2026, 1, 15, 20, 0)


def test_it_sends_a_digest_at_nine_local_time_ten_hours_behind_utc_and_once_that_day():
    with time_machine.travel(at(2026, 1, 1), tick=False):
        person = make_person(timezone="Pacific/Honolulu")
        make_supporter(person)
    assert sweep(at(2026, 1, 15, 18, 59)) == []
    assert len(sweep(at(2026, 1, 15, 19, 0))) == 1
    assert Digest.objects.get().scheduled_on == datetime.date(2026, 1, 15)
    # Still 15 January in Honolulu: no second digest, however often the sweep runs.
    for moment in (at(2026, 1, 15, 19, 5), at(2026, 1, 16, 5), at(2026, 1, 16, 9, 59)):
        assert sweep(moment) == []
    assert len(sweep(at(2026, 1, 16, 19, 0))) == 1
    assert len(mail.outbox) == 2


def test_it_keeps_the_local_hour_across_a_daylight_saving_change():
    with time_machine.travel(at(2026, 3, 1), tick=False):
        person = make_person(timezone="Europe/London")
        make_supporter(person)
    # Clocks go forward at 01:00 UTC on 29 March 2026: 09:00 is 09:00 UTC before, 08:00 UTC after.
    assert len(sweep(at(2026, 3, 28, 9, 0))) == 1
    person.refresh_from_db()
    assert person.next_digest_at == at(2026, 3, 29, 8, 0)
    assert sweep(at(2026, 3, 29, 7, 59)) == []
    assert len(sweep(at(2026, 3, 29, 8, 0))) == 1
    assert [d.scheduled_on.day for d in Digest.objects.order_by("scheduled_on")] == [28, 29]


def test_it_makes_a_supporter_due_on_the_local_day_across_a_daylight_saving_change():
    person = make_person(timezone="Europe/London")
    supporter = make_supporter(person, added_at=at(2026, 3, 1), rhythm_days=7)
    log(supporter, at(2026, 3, 25, 23, 30))  # 23:30 on 25 March, GMT
    supporter.refresh_from_db()
    # Seven local days on, across the change: midnight on 1 April, BST, not 168 hours later.
    assert supporter.next_check_in_at == at(2026, 3, 31, 23, 0)


def test_it_never_sends_in_the_night_when_someone_becomes_due_after_the_day_s_slot():
    with time_machine.travel(at(2026, 1, 1, 12), tick=False):
        person = make_person(timezone="UTC")
        make_supporter(person, rhythm_days=2)  # due from 3 January, 00:00
    assert sweep(at(2026, 1, 2, 9, 30)) == []  # nobody due yet at today's slot
    assert sweep(at(2026, 1, 3, 0, 5)) == []  # due now, but the time of day has not come
    assert len(sweep(at(2026, 1, 3, 9, 0))) == 1


def test_it_sends_nothing_on_a_day_not_chosen_or_while_paused_or_switched_off():
    with time_machine.travel(at(2026, 1, 1), tick=False):
        person = make_person(timezone="UTC", reminder_weekdays="01234")  # not at weekends
        make_supporter(person)
    assert sweep(at(2026, 1, 10, 12)) == []  # a Saturday

    def change(moment, **fields):
        with time_machine.travel(moment, tick=False):
            for name, value in fields.items():
                setattr(person, name, value)
            person.save()

    change(at(2026, 1, 12, 6), reminders_paused_until=datetime.date(2026, 1, 13))
    assert sweep(at(2026, 1, 12, 12)) == []
    assert sweep(at(2026, 1, 13, 12)) == []
    change(at(2026, 1, 14, 6), reminders_enabled=False)
    assert sweep(at(2026, 1, 14, 12)) == []
    change(at(2026, 1, 14, 13), reminders_enabled=True)
    assert len(sweep(at(2026, 1, 14, 13))) == 1
    change(at(2026, 1, 15, 6), is_active=False)
    assert sweep(at(2026, 1, 15, 12)) == []
    assert len(mail.outbox) == 1


def test_it_lists_exactly_the_due_supporters_in_the_email():
    with time_machine.travel(at(2026, 1, 1), tick=False):
        person = make_person(timezone="UTC", reminder_email_details=True)
        stranger = make_person(timezone="UTC")
    make_supporter(person, added_at=at(2026, 1, 1), name="Ada Due", preferred_channel=Channel.VIDEO)
    make_supporter(person, added_at=at(2025, 12, 1), name="Bea Overdue", best_times="Evenings")
    make_supporter(person, added_at=at(2026, 1, 14), name="Cai Not Yet")
    make_supporter(person, added_at=at(2025, 12, 1), name="Dee Quiet", rhythm=Rhythm.NONE, rhythm_days=None)
    make_supporter(person, added_at=at(2025, 12, 1), name="Eve Archived", is_archived=True)
    make_supporter(stranger, added_at=at(2025, 12, 1), name="Fay Someone Else's")
    sweep(at(2026, 1, 15, 9))
    ours = [message for message in mail.outbox if message.to == [person.email]]
    assert len(ours) == 1
    body = ours[0].body
    assert "Ada Due" in body and "Bea Overdue" in body
    for name in ("Cai Not Yet", "Dee Quiet", "Eve Archived", "Fay Someone Else"):
        assert name not in body
        assert name not in ours[0].alternatives[0][0]
    assert "Prefers: video call" in body
    assert "Best times: Evenings" in body
    assert "Last connected" not in body.split("Ada Due")[0]
    assert ours[0].subject == "Bea Overdue and Ada Due might like to hear from you"
    assert ours[0].extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert ours[0].extra_headers["List-Unsubscribe"].startswith(f"<{settings.SITE_URL}/check-ins/act/")


def test_it_skips_the_digest_when_nobody_is_due_any_more_at_send_time():
    with time_machine.travel(at(2026, 1, 1), tick=False):
        person = make_person(timezone="UTC")
        supporter = make_supporter(person)
    now = at(2026, 1, 15, 9)
    [digest_id] = queue_sweep(now)
    log(supporter, now)
    assert send(digest_id, now) is False
    assert Digest.objects.get().status == DigestStatus.SKIPPED
    assert mail.outbox == []


def test_it_finds_the_people_to_remind_with_one_query(django_assert_num_queries):
    with time_machine.travel(at(2026, 1, 1), tick=False):
        for _ in range(3):
            make_supporter(make_person(timezone="UTC"))
    with django_assert_num_queries(1):
        assert len(list(reminders_due_users(now=at(2026, 1, 15, 9)))) == 3


def test_it_queues_one_task_per_batch_only_after_the_claim_commits(
    django_capture_on_commit_callbacks, settings
):
    settings.REMINDER_BATCH_SIZE = 2
    with time_machine.travel(at(2026, 1, 1), tick=False):
        people = [make_person(timezone="UTC") for _ in range(5)]
        for person in people:
            make_supporter(person)
    with mock.patch("checkins.tasks.send_digests.apply_async") as apply_async:
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            claimed = queue_sweep(at(2026, 1, 15, 9))
            apply_async.assert_not_called()
        assert len(claimed) == 5 and len(callbacks) == 3
        for callback in callbacks:
            callback()
    batches = [call.args[0][0] for call in apply_async.call_args_list]
    assert [len(batch) for batch in batches] == [2, 2, 1]
    assert sorted(digest_id for batch in batches for digest_id in batch) == sorted(claimed)


def test_it_takes_back_a_claim_of_a_crashed_worker_only_after_the_hard_time_limit_and_margin():
    assert settings.REMINDER_CLAIM_TAKEBACK_SECONDS > settings.CELERY_TASK_TIME_LIMIT
    with time_machine.travel(at(2026, 1, 1), tick=False):
        person = make_person(timezone="UTC")
        make_supporter(person)
    now = at(2026, 1, 15, 9)
    [digest_id] = queue_sweep(now)
    Digest.objects.filter(pk=digest_id).update(status=DigestStatus.SENDING, claimed_at=now)  # then it died
    takeback = datetime.timedelta(seconds=settings.REMINDER_CLAIM_TAKEBACK_SECONDS)
    assert queue_sweep(now + takeback - datetime.timedelta(seconds=1)) == []
    assert sweep(now + takeback + datetime.timedelta(seconds=1)) == [digest_id]
    assert Digest.objects.get().status == DigestStatus.SENT
    assert len(mail.outbox) == 1


def test_it_queues_again_a_digest_whose_message_was_lost_within_two_sweep_intervals():
    assert settings.REMINDER_REQUEUE_AFTER_SECONDS == 2 * settings.REMINDER_SWEEP_INTERVAL_SECONDS
    with time_machine.travel(at(2026, 1, 1), tick=False):
        person = make_person(timezone="UTC")
        make_supporter(person)
    now = at(2026, 1, 15, 9)
    [digest_id] = queue_sweep(now)  # the Redis message never arrives
    requeue = datetime.timedelta(seconds=settings.REMINDER_REQUEUE_AFTER_SECONDS)
    assert queue_sweep(now + requeue - datetime.timedelta(seconds=1)) == []
    assert sweep(now + requeue + datetime.timedelta(seconds=1)) == [digest_id]
    assert len(mail.outbox) == 1


def test_it_sends_once_when_the_same_digest_is_sent_twice():
    with time_machine.travel(at(2026, 1, 1), tick=False):
        make_supporter(make_person(timezone="UTC"))
    now = at(2026, 1, 15, 9)
    [digest_id] = queue_sweep(now)
    assert send(digest_id, now) is True
    assert send(digest_id, now) is False
    assert len(mail.outbox) == 1


@pytest.mark.django_db(transaction=True)
def test_it_sends_one_email_when_two_sweeps_run_at_once(inbox):
    with time_machine.travel(at(2026, 1, 1), tick=False):
        people = [make_person(timezone="UTC") for _ in range(3)]
        for person in people:
            make_supporter(person)
    now = at(2026, 1, 15, 9)
    start = threading.Barrier(2)
    results, errors = [], []

    def run():
        try:
            start.wait()
            results.append(reminders_send_due())
        except Exception as error:  # pragma: no cover - reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    with time_machine.travel(now, tick=True):
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
    assert errors == []
    assert sum(len(claimed) for claimed in results) == 3
    inbox.wait_for(3)
    assert sorted(message["To"] for message in inbox.messages) == sorted(p.email for p in people)
    assert Digest.objects.filter(status=DigestStatus.SENT).count() == 3


def test_it_records_an_smtp_failure_and_sends_on_the_next_sweep(inbox):
    with time_machine.travel(at(2026, 1, 1), tick=False):
        person = make_person(timezone="UTC")
        make_supporter(person)
    inbox.refuse_next = 1
    assert len(sweep(at(2026, 1, 15, 9))) == 1
    digest = Digest.objects.get()
    assert digest.status == DigestStatus.FAILED
    assert "451" in digest.failure_reason
    assert inbox.messages == []
    assert len(sweep(at(2026, 1, 15, 9, 5))) == 1
    digest.refresh_from_db()
    assert digest.status == DigestStatus.SENT
    assert digest.attempts == 2
    assert len(inbox.messages) == 1


def test_it_has_beat_run_the_sweep_every_interval():
    entry = celery_app.conf.beat_schedule["reminder-sweep"]
    assert entry["task"] == "checkins.tasks.sweep_reminders"
    assert entry["schedule"] == settings.REMINDER_SWEEP_INTERVAL_SECONDS
    assert "checkins.tasks.sweep_reminders" in celery_app.tasks


def test_it_reports_the_last_sweep_on_healthz(client):
    with time_machine.travel(at(2026, 1, 15, 9), tick=False):
        reminders_send_due()
        assert client.get(reverse("healthz")).json()["last_reminder_sweep_at"] == "2026-01-15T09:00:00+00:00"


def test_it_logs_check_ins_only_with_the_owner_s_own_supporters_and_never_in_the_future():
    person, stranger = make_person(), make_person()
    supporter = make_supporter(stranger)
    with pytest.raises(ValueError):
        check_in_log(
            owner=person, supporter=supporter, happened_at=at(2026, 1, 1), channel="call", initiated_by="me"
        )
    with pytest.raises(ValueError):
        check_in_log(
            owner=stranger, supporter=supporter, happened_at=at(2099, 1, 1), channel="call", initiated_by="me"
        )
    assert not CheckIn.objects.exists()
    assert Supporter.objects.get(pk=supporter.pk).last_check_in_at is None


def test_it_gives_up_on_the_day_after_too_many_failures_and_sends_the_next_day(inbox, settings):
    settings.REMINDER_MAX_ATTEMPTS = 2
    with time_machine.travel(at(2026, 1, 1), tick=False):
        person = make_person(timezone="UTC")
        make_supporter(person)
    inbox.refuse_next = 5
    assert len(sweep(at(2026, 1, 15, 9))) == 1
    assert len(sweep(at(2026, 1, 15, 9, 5))) == 1
    assert sweep(at(2026, 1, 15, 9, 10)) == []  # two attempts: that day's digest stays failed
    digest = Digest.objects.get()
    assert (digest.status, digest.attempts) == (DigestStatus.FAILED, 2)
    person.refresh_from_db()
    assert person.next_digest_at == at(2026, 1, 16, 9)
    inbox.refuse_next = 0
    assert len(sweep(at(2026, 1, 16, 9))) == 1
    assert len(inbox.messages) == 1


def test_it_writes_the_subject_as_plain_text():
    with time_machine.travel(at(2026, 1, 1), tick=False):
        make_supporter(make_person(timezone="UTC", reminder_email_details=True), name="Siobhán O'Neill & co")
    sweep(at(2026, 1, 15, 9))
    assert mail.outbox[0].subject == "Siobhán O'Neill & co might like to hear from you"
    assert "O&#x27;Neill &amp; co" in mail.outbox[0].alternatives[0][0]
