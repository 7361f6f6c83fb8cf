"""The reminder sweep: beat runs it every few minutes; it claims today's digest for everyone due.

The queue holds nothing that matters: no ETA tasks but short retry backoffs, and every sweep
re-derives from the database what is due and what was left behind (a queued digest whose message
was lost is handed over again after REMINDER_REQUEUE_AFTER_SECONDS). A digest never goes out after
its local day: it is "missed", and the next day's digest lists the same people. How a digest is
sent, and why at least once, is in `checkins.services.digests`.
"""

import datetime
import logging
from functools import partial

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from accounts.models import User
from checkins.due import local_date
from checkins.models import Digest, DigestStatus, SweepHeartbeat
from checkins.services.digests import digest_mark_failed, digests_send
from checkins.services.schedule import user_schedule_recompute, users_next_digest_at
from contacts.models import Supporter

logger = logging.getLogger(__name__)


class SweepTrigger:
    """Which heartbeat a sweep writes: /healthz watches beat's, so a manual run cannot hide a dead beat."""

    BEAT = "reminder-sweep"
    MANUAL = "reminder-sweep-manual"


def reminders_due_users(*, now):
    """People whose digest time has passed, who want reminders and have someone due: one indexed query.

    `next_digest_at` already skips paused days and other weekdays; the pause test here is a cheap,
    conservative backstop (no time zone is more than 14 hours ahead of UTC).
    """
    someone_due = Supporter.objects.filter(owner=OuterRef("pk"), is_archived=False, next_check_in_at__lte=now)
    latest_local_today = (now + datetime.timedelta(hours=14)).date()
    return (
        User.objects.filter(next_digest_at__lte=now, reminders_enabled=True, is_active=True)
        .filter(Q(reminders_paused_until__isnull=True) | Q(reminders_paused_until__lt=latest_local_today))
        .filter(Exists(someone_due))
        .order_by("next_digest_at", "pk")
    )


def digests_claim_due(*, now):
    """Create today's digest for everyone whose time has come: the ids of the digests created.

    In bulk, so a sweep costs a few queries whatever its size: one read of the due people, one of
    the last settled day of each, one UPDATE of the schedules that moved, and one
    `INSERT ... ON CONFLICT DO NOTHING RETURNING` per thousand digests. Two sweeps at once both get
    here: the unique (user, local day) constraint lets one of them create each row. A row that exists
    already is left to `digests_recover`.
    """
    users = list(reminders_due_users(now=now))
    slots = users_next_digest_at(users=users, now=now)
    moved, due = [], []
    for user in users:
        slot = slots[user.pk]
        if slot != user.next_digest_at:
            user.next_digest_at = slot
            moved.append(user)
        if slot is not None and slot <= now:
            due.append((user.pk, local_date(now, user.zone)))
    User.objects.bulk_update(moved, ["next_digest_at"], batch_size=1000)
    created = []
    for start in range(0, len(due), 1000):
        created += digests_insert_queued(rows=due[start : start + 1000], queued_at=timezone.now())
    return created


def digests_insert_queued(*, rows, queued_at):
    """INSERT queued digests for these (user id, local day) pairs, skipping any that exist; new ids."""
    if not rows:
        return []
    values = ", ".join(["(%s, %s, %s, %s, 0, '', 0, %s)"] * len(rows))
    parameters = [
        value for user_id, day in rows for value in (user_id, day, DigestStatus.QUEUED, queued_at, queued_at)
    ]
    with connection.cursor() as cursor:
        cursor.execute(  # only our table's name and "%s" placeholders are formatted in
            f"INSERT INTO {Digest._meta.db_table} "  # noqa: S608
            "(user_id, scheduled_on, status, queued_at, attempts, failure_reason, supporter_count, created_at) "
            f"VALUES {values} ON CONFLICT (user_id, scheduled_on) DO NOTHING RETURNING id",
            parameters,
        )
        return [row[0] for row in cursor.fetchall()]


def digests_recover():
    """Hand back to the queue what a lost message or a dead sender left behind; settle passed days.

    - queued, not claimed for REMINDER_REQUEUE_AFTER_SECONDS: its queue message was lost;
    - sending, claimed longer ago than REMINDER_CLAIM_TAKEBACK_SECONDS: its sender is dead;
    - failed, with attempts left: tried again.
    A digest whose local day has passed is never sent late: it becomes "missed", and its people are
    in the next day's digest (they are still due). Each change is a compare-and-set on what was read,
    so two sweeps recover a digest once. Returns the ids to hand to the queue.
    """
    now = timezone.now()
    requeue_before = now - datetime.timedelta(seconds=settings.REMINDER_REQUEUE_AFTER_SECONDS)
    takeback_before = now - datetime.timedelta(seconds=settings.REMINDER_CLAIM_TAKEBACK_SECONDS)
    left_behind = Digest.objects.filter(
        Q(status=DigestStatus.QUEUED, queued_at__lt=requeue_before)
        | Q(status=DigestStatus.SENDING, claimed_at__lt=takeback_before)
        | Q(status=DigestStatus.FAILED, attempts__lt=settings.REMINDER_MAX_ATTEMPTS)
    ).select_related("user")
    recovered = []
    for digest in left_behind:
        as_read = Digest.objects.filter(
            pk=digest.pk,
            status=digest.status,
            claim_token=digest.claim_token,
            queued_at=digest.queued_at,
            attempts=digest.attempts,
        )
        if local_date(timezone.now(), digest.user.zone) > digest.scheduled_on:
            if as_read.update(status=DigestStatus.MISSED, claim_token=None):
                logger.warning("Digest %s missed its day (%s)", digest.pk, digest.status)
                user_schedule_recompute(user=digest.user, now=timezone.now())
        elif as_read.update(status=DigestStatus.QUEUED, queued_at=timezone.now(), claim_token=None):
            logger.info("Digest %s (%s) queued again after %s", digest.pk, digest.user_id, digest.status)
            recovered.append(digest.pk)
    return recovered


class DigestPublisher:
    """Hands batches of digests to the queue; one broker error fails the rest of this sweep fast.

    A digest that could not be handed over is recorded as failed with the reason (attempts
    unchanged), so the next sweep queues it again; the sweep itself carries on and finishes.
    """

    def __init__(self, hand_over):
        self.hand_over = hand_over
        self.broker_error = None

    def publish(self, digest_ids):
        if self.broker_error is None:
            try:
                self.hand_over(digest_ids)
                return
            except Exception as error:  # kombu and redis-py raise several kinds; all mean "not queued"
                self.broker_error = f"Not handed to the queue: {type(error).__name__}: {error}"[:1000]
                logger.warning("The broker refused %s digests: %s", len(digest_ids), error)
        Digest.objects.filter(pk__in=digest_ids, status=DigestStatus.QUEUED, claim_token=None).update(
            status=DigestStatus.FAILED, failure_reason=self.broker_error
        )


def batches(digest_ids):
    size = settings.REMINDER_BATCH_SIZE
    return [digest_ids[start : start + size] for start in range(0, len(digest_ids), size)]


def reminders_send_due(*, hand_over=None, trigger=SweepTrigger.BEAT):
    """The sweep: recover what was left behind, claim today's digest for everyone due, send them.

    With `hand_over` (a function that queues one batch of digest ids: beat's way, see
    checkins.tasks), each batch of REMINDER_BATCH_SIZE is handed over once its claim is committed;
    without, the digests are sent here, a batch after another (`manage.py send_reminders`). Every
    time it writes is read from the clock at that moment. Returns the ids of the digests it handled.
    """
    recovered = digests_recover()
    with transaction.atomic():
        created = digests_claim_due(now=timezone.now())
    handled = recovered + created
    if hand_over:
        publisher = DigestPublisher(hand_over)
        for batch in batches(handled):
            transaction.on_commit(partial(publisher.publish, batch))
    else:
        for batch in batches(handled):
            for digest_id, reason in digests_send(digest_ids=batch).failed.items():
                digest_mark_failed(digest_id=digest_id, reason=reason)
    SweepHeartbeat.objects.update_or_create(
        name=trigger, defaults={"finished_at": timezone.now(), "users_queued": len(handled)}
    )
    return handled


def sweep_last_finished_at(*, trigger=SweepTrigger.BEAT):
    return SweepHeartbeat.objects.filter(name=trigger).values_list("finished_at", flat=True).first()


def sweep_overdue_reason(*, now):
    """Why beat's sweep looks dead, or None: its last finished run is too old for its schedule.

    No run recorded yet (a new database) is not an alarm: beat's first run comes one interval after it starts.
    """
    last_at = sweep_last_finished_at()
    limit = datetime.timedelta(
        seconds=settings.REMINDER_SWEEP_INTERVAL_SECONDS * settings.REMINDER_SWEEP_STALE_AFTER_INTERVALS
    )
    if last_at is not None and now - last_at > limit:
        return (
            f"The reminder sweep (beat) last finished {int((now - last_at).total_seconds())} s ago; "
            f"it runs every {settings.REMINDER_SWEEP_INTERVAL_SECONDS} s. Is beat running?"
        )
    return None
