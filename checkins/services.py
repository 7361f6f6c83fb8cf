"""Check-ins, due moments, the reminder sweep, digests and one-click actions: every write lives here.

Delivery is AT LEAST ONCE, on purpose. The database decides what is due and records each day's
digest (unique per person and local day). Every change of a digest's state is a compare-and-set
(an UPDATE filtered on the state and claim token its writer expects), so a second sweep, a second
beat or a task delivered twice never sends a second email, and a sender whose claim was taken back
stops before SMTP. A digest is marked sent in its own short UPDATE as soon as the SMTP server has
accepted it. The one window left for a duplicate is the SMTP transaction itself: a sender that dies
after the server took the message and before that UPDATE. Its claim is taken back after
REMINDER_CLAIM_TAKEBACK_SECONDS and the digest is sent again, with the same Message-ID. We accept
that rare double over the alternative (at most once), which would silently lose the reminder of
anyone whose worker died mid-send, and a lost reminder is the failure the person cannot see.

The queue holds nothing that matters: no ETA tasks but short retry backoffs, and every sweep
re-derives from the database what is due and what was left behind (a queued digest whose message
was lost is handed over again after REMINDER_REQUEUE_AFTER_SECONDS). A digest never goes out after
its local day: it is "missed", and the next day's digest lists the same people.
"""

import dataclasses
import datetime
import logging
import smtplib
import uuid
from functools import partial

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import IntegrityError, connection, transaction
from django.db.models import Exists, F, Max, OuterRef, Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.models import User
from checkins.due import (
    due_supporters,
    local_date,
    local_midnight,
    next_digest_at,
    supporter_days_since_contact,
    supporter_due_at,
    supporter_due_state,
)
from checkins.hooks import ChannelNotDelivered, digest_channel, digest_nudges
from checkins.models import (
    CheckIn,
    CheckInKind,
    Digest,
    DigestStatus,
    InitiatedBy,
    SweepHeartbeat,
    UsedActionToken,
)
from contacts.models import Channel, Supporter
from contacts.versions import network_changed
from core.tokens import token_digest

logger = logging.getLogger(__name__)

SNOOZE_DAYS = 3
PAUSE_DAYS = 7
ACTION_SALT = "checkins.one-click-action"
SWEEP_HEARTBEAT = "reminder-sweep"


# --- Check-ins and due moments ------------------------------------------------------------------


def supporter_due_recompute(*, supporter):
    """Store the supporter's last check-in and next due moment, derived from their check-ins."""
    supporter.last_check_in_at = supporter.check_ins.aggregate(last=Max("happened_at"))["last"]
    supporter.next_check_in_at = supporter_due_at(supporter)
    Supporter.objects.filter(pk=supporter.pk).update(
        last_check_in_at=supporter.last_check_in_at,
        next_check_in_at=supporter.next_check_in_at,
        snoozed_until=supporter.snoozed_until,
    )
    network_changed(supporter.owner_id)


def supporters_due_recompute(*, user, supporter_ids=None):
    """Recompute many supporters of one person at once: all of them, or those with these ids.

    One query reads them with their latest check-in and one writes those whose moments moved.
    """
    supporters = Supporter.objects.filter(owner=user)
    if supporter_ids is not None:
        supporters = supporters.filter(pk__in=supporter_ids)
    changed = []
    for supporter in supporters.annotate(last=Max("check_ins__happened_at")):
        supporter.owner = user
        stored = (supporter.last_check_in_at, supporter.next_check_in_at)
        supporter.last_check_in_at = supporter.last
        supporter.next_check_in_at = supporter_due_at(supporter)
        if (supporter.last_check_in_at, supporter.next_check_in_at) != stored:
            changed.append(supporter)
    _due_moments_write(changed)
    network_changed(user.pk)


DUE_MOMENTS_BATCH = 1000


def _due_moments_write(supporters):
    """One UPDATE ... FROM (VALUES ...) per thousand rows. bulk_update builds a CASE WHEN per row and
    field, which costs about a second of Python per thousand rows (an import of 5,000 people)."""
    table = connection.ops.quote_name(Supporter._meta.db_table)
    with connection.cursor() as cursor:
        for start in range(0, len(supporters), DUE_MOMENTS_BATCH):
            batch = supporters[start : start + DUE_MOMENTS_BATCH]
            rows = ", ".join(["(%s, %s::timestamptz, %s::timestamptz)"] * len(batch))
            cursor.execute(
                f"UPDATE {table} AS supporter SET last_check_in_at = due.last, next_check_in_at = due.next "  # noqa: S608 - only placeholders are interpolated
                f"FROM (VALUES {rows}) AS due(id, last, next) WHERE supporter.id = due.id",
                [value for s in batch for value in (s.pk, s.last_check_in_at, s.next_check_in_at)],
            )


@transaction.atomic
def check_in_log(
    *, owner, supporter, happened_at, channel, initiated_by, mood=None, note="", kind=CheckInKind.CONNECTED
):
    """Record that the owner and a supporter connected (or that the owner asked them for support),
    and move the supporter's due moment on."""
    if supporter.owner_id != owner.pk:
        raise ValueError("A check-in must be with one of the owner's own supporters.")
    if happened_at > timezone.now():
        raise ValueError("A check-in cannot be in the future.")
    check_in = CheckIn.objects.create(
        owner=owner,
        supporter=supporter,
        happened_at=happened_at,
        channel=channel,
        initiated_by=initiated_by,
        mood=mood,
        note=note,
        kind=kind,
    )
    # Connecting again ends any snooze: the rhythm simply starts over from the latest check-in.
    supporter.snoozed_until = None
    supporter_due_recompute(supporter=supporter)
    return check_in


@transaction.atomic
def check_in_update(*, check_in, previous_supporter=None):
    """Save an edited check-in and recompute the supporter(s) it belongs to."""
    check_in.save()
    supporter_due_recompute(supporter=check_in.supporter)
    if previous_supporter and previous_supporter.pk != check_in.supporter_id:
        supporter_due_recompute(supporter=previous_supporter)
    return check_in


@transaction.atomic
def check_in_delete(*, check_in):
    supporter = check_in.supporter
    check_in.delete()
    supporter_due_recompute(supporter=supporter)


def supporter_snooze(*, supporter, days=SNOOZE_DAYS, now):
    """Not before the start of the day `days` days from today, in the owner's time zone."""
    zone = supporter.owner.zone
    supporter.snoozed_until = local_midnight(local_date(now, zone) + datetime.timedelta(days=days), zone)
    supporter_due_recompute(supporter=supporter)


# --- Reminder preferences and each person's schedule --------------------------------------------


def digest_done_filter():
    """Digests that are settled: sent, nothing to send, missed, or failed too often to retry."""
    return Q(status__in=[DigestStatus.SENT, DigestStatus.SKIPPED, DigestStatus.MISSED]) | Q(
        status=DigestStatus.FAILED, attempts__gte=settings.REMINDER_MAX_ATTEMPTS
    )


def last_digest_done_on(*, user):
    """The latest local day whose digest is settled."""
    return user.digests.filter(digest_done_filter()).aggregate(last=Max("scheduled_on"))["last"]


def user_schedule_recompute(*, user, now):
    """Store when this person's next digest may go out (the column the sweep polls)."""
    last_done_on = last_digest_done_on(user=user)
    user.next_digest_at = (
        next_digest_at(user, now=now, last_digest_on=last_done_on) if user.is_active else None
    )
    User.objects.filter(pk=user.pk).update(next_digest_at=user.next_digest_at)
    return user.next_digest_at


REMINDER_PREFERENCE_FIELDS = (
    "reminders_enabled",
    "reminder_hour",
    "reminder_weekdays",
    "reminders_paused_until",
    "reminder_email_details",
    "reminder_channel",
    "reminder_push_names",
    "reminder_self_check",
)


def reminder_preferences_update(*, user, now, **preferences):
    """Save a person's reminder preferences (the account page, the API) and reschedule their digest."""
    unknown = set(preferences) - set(REMINDER_PREFERENCE_FIELDS)
    if unknown:
        raise TypeError(f"Not a reminder preference: {', '.join(sorted(unknown))}")
    for name, value in preferences.items():
        setattr(user, name, value)
    user.save(update_fields=list(preferences))
    return user_schedule_recompute(user=user, now=now)


def reminders_pause(*, user, until_on, now):
    """No digests up to and including `until_on` (a local date)."""
    user.reminders_paused_until = until_on
    User.objects.filter(pk=user.pk).update(reminders_paused_until=until_on)
    user_schedule_recompute(user=user, now=now)


def reminders_unsubscribe(*, user, now):
    user.reminders_enabled = False
    User.objects.filter(pk=user.pk).update(reminders_enabled=False)
    user_schedule_recompute(user=user, now=now)


# --- The sweep ----------------------------------------------------------------------------------


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
    last_done_on = dict(
        Digest.objects.filter(digest_done_filter(), user__in=[user.pk for user in users])
        .values("user")
        .annotate(last=Max("scheduled_on"))
        .values_list("user", "last")
    )
    moved, due = [], []
    for user in users:
        slot = next_digest_at(user, now=now, last_digest_on=last_done_on.get(user.pk))
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
    """Hands digests to the queue; one broker error fails the rest of this sweep fast.

    A digest that could not be handed over is recorded as failed with the reason (attempts
    unchanged), so the next sweep queues it again; the sweep itself carries on and finishes.
    """

    def __init__(self):
        self.broker_error = None

    def publish(self, digest_id):
        from checkins.tasks import send_digest

        if self.broker_error is None:
            try:
                send_digest.apply_async((digest_id,), retry=False)
                return
            except Exception as error:  # kombu and redis-py raise several kinds; all mean "not queued"
                self.broker_error = f"Not handed to the queue: {type(error).__name__}: {error}"[:1000]
                logger.warning("The broker refused digest %s: %s", digest_id, error)
        Digest.objects.filter(pk=digest_id, status=DigestStatus.QUEUED, claim_token=None).update(
            status=DigestStatus.FAILED, failure_reason=self.broker_error
        )


def reminders_send_due(*, queue=True, trigger=SweepTrigger.BEAT):
    """The sweep: recover what was left behind, claim today's digest for everyone due, send each one.

    With `queue`, one Celery task per digest is queued once its claim is committed (beat's way);
    without, the digests are sent here, one after another (`manage.py send_reminders`). Every time
    it writes is read from the clock at that moment. Returns the ids of the digests it handled.
    """
    publisher = DigestPublisher()
    handled = []
    for digest_id in digests_recover():
        if queue:
            transaction.on_commit(partial(publisher.publish, digest_id))
        handled.append(digest_id)
    with transaction.atomic():
        created = digests_claim_due(now=timezone.now())
        for digest_id in created if queue else []:
            transaction.on_commit(partial(publisher.publish, digest_id))
    handled += created
    if not queue:
        for digest_id in handled:
            try:
                digest_send(digest_id=digest_id)
            except DigestNotDelivered as error:
                digest_mark_failed(digest_id=digest_id, reason=str(error))
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


# --- Sending one digest -------------------------------------------------------------------------


class DigestNotDelivered(Exception):
    """The mail server did not take the digest; the row is back to "queued" for a retry."""


def digest_send(*, digest_id):
    """Claim one digest and send it. True if an email went out, False if there was nothing to do.

    The claim is a compare-and-set (queued → sending, with a fresh `claim_token`); every later change
    checks that token, so a sender whose claim was taken back stops. The digest is marked sent in
    its own short UPDATE the moment the SMTP server accepts the message, before the connection is
    closed or anything else runs: a sender dying after that leaves a sent digest, not a resend.
    """
    token = uuid.uuid4()
    claimed = Digest.objects.filter(pk=digest_id, status=DigestStatus.QUEUED).update(
        status=DigestStatus.SENDING, claimed_at=timezone.now(), claim_token=token, attempts=F("attempts") + 1
    )
    if not claimed:
        return False  # Sent, being sent, or taken over by someone else: a second delivery stops here.
    ours = Digest.objects.filter(pk=digest_id, status=DigestStatus.SENDING, claim_token=token)
    digest = Digest.objects.select_related("user").get(pk=digest_id)
    user = digest.user
    now = timezone.now()
    if local_date(now, user.zone) > digest.scheduled_on:
        # Never a reminder for a day that has passed: the next day's digest lists these people.
        ours.update(status=DigestStatus.MISSED, claim_token=None)
        user_schedule_recompute(user=user, now=timezone.now())
        return False
    supporters = list(due_supporters(user=user, now=now))
    paused = user.reminders_paused_until and user.reminders_paused_until >= digest.scheduled_on
    if not supporters or not user.reminders_enabled or not user.is_active or paused:
        if ours.update(status=DigestStatus.SKIPPED):
            user_schedule_recompute(user=user, now=timezone.now())
        return False
    # Email, push or both (accounts.ReminderChannel). Push comes through checkins.hooks; with nowhere
    # to push to (no device, push off), the reminder comes by email rather than not at all.
    push = digest_channel("push")
    wants_push = user.reminder_channel in ("push", "both") and push is not None and push.can_reach(user)
    wants_email = user.reminder_channel in ("email", "both") or not wants_push
    message = digest_email_message(digest=digest, supporters=supporters, now=now) if wants_email else None
    # The last check before the part that cannot be undone, restarting the takeback clock.
    if not ours.update(claimed_at=timezone.now()):
        logger.warning("Digest %s: claim taken back before sending; not sent by this sender", digest_id)
        return False
    # Each channel is recorded the moment it delivers, so a retry sends only what has not arrived.
    failures = []
    if wants_push and digest.pushed_at is None:
        try:
            with translation.override(user.language):
                delivered = push.send(digest=digest, user=user, supporters=supporters, now=now)
            if delivered:
                ours.update(pushed_at=timezone.now())
            elif not wants_email:
                # Every device is gone (404/410): this time by email instead.
                wants_email = True
                message = digest_email_message(digest=digest, supporters=supporters, now=now)
        except ChannelNotDelivered as error:
            failures.append(f"Push: {error}")
    if wants_email and digest.emailed_at is None:
        try:
            digest_email_deliver(message=message, digest=digest, ours=ours)
        except (smtplib.SMTPException, OSError) as error:
            failures.append(f"{type(error).__name__}: {error}")
    if failures:
        reason = "; ".join(failures)[:1000]
        ours.update(
            status=DigestStatus.QUEUED, queued_at=timezone.now(), claim_token=None, failure_reason=reason
        )
        raise DigestNotDelivered(reason)
    marked = ours.update(
        status=DigestStatus.SENT, sent_at=timezone.now(), supporter_count=len(supporters), failure_reason=""
    )
    if not marked:  # pragma: no cover - only if the takeback timeout is set below the send time
        logger.error("Digest %s was sent after its claim was taken back", digest_id)
    user_schedule_recompute(user=user, now=timezone.now())
    return True


def digest_email_message(*, digest, supporters, now):
    with translation.override(digest.user.language):  # The worker writes in the recipient's language.
        message = digest_email(digest=digest, supporters=supporters, now=now)
    message.extra_headers["Message-ID"] = digest.message_id()
    return message


def digest_email_deliver(*, message, digest, ours):
    """Send the email and record it (`emailed_at`) the moment the SMTP server accepts it, before QUIT."""
    connection = get_connection()
    try:
        connection.open()
        connection.send_messages([message])
        if not ours.update(emailed_at=timezone.now()):  # pragma: no cover - see digest_send
            logger.error("Digest %s was emailed after its claim was taken back", digest.pk)
    finally:
        digest_connection_close(connection)


def digest_connection_close(connection):
    """QUIT after the message is accepted and recorded: a failure here changes nothing that matters."""
    try:
        connection.close()
    except (smtplib.SMTPException, OSError) as error:
        logger.info("Closing the SMTP connection failed: %s", error)


def digest_mark_failed(*, digest_id, reason):
    """Give up on this attempt: recorded with its reason; the next sweep queues it again."""
    Digest.objects.filter(pk=digest_id, status=DigestStatus.QUEUED, claim_token=None).update(
        status=DigestStatus.FAILED, failure_reason=reason
    )
    logger.warning("Digest %s failed: %s", digest_id, reason)


def absolute_url(path):
    return f"{settings.SITE_URL}{path}"


def digest_email(*, digest, supporters, now):
    user = digest.user
    entries = []
    for supporter in supporters:
        entries.append(
            {
                "supporter": supporter,
                "days_since_contact": supporter_days_since_contact(supporter, now=now),
                "never_checked_in": supporter.last_check_in_at is None,
                "is_overdue": supporter_due_state(supporter, now=now) == "overdue",
                "reached_out_url": action_url(user=user, action=Action.REACHED_OUT, supporter=supporter),
                "snooze_url": action_url(user=user, action=Action.SNOOZE, supporter=supporter),
            }
        )
    unsubscribe_url = action_url(user=user, action=Action.UNSUBSCRIBE)
    context = {
        "user": user,
        "entries": entries,
        "snooze_days": SNOOZE_DAYS,
        "pause_url": action_url(user=user, action=Action.PAUSE),
        "unsubscribe_url": unsubscribe_url,
        "settings_url": absolute_url(reverse("accounts:settings")),
        "log_url": absolute_url(reverse("checkins:log")),
        "site_url": settings.SITE_URL,
        "nudges": digest_nudges(user=user, now=now),
    }
    subject = " ".join(render_to_string("emails/reminder-subject.txt", context).split())
    message = EmailMultiAlternatives(
        subject=subject,
        body=render_to_string("emails/reminder-body.txt", context),
        to=[user.email],
        headers={
            "List-Unsubscribe": f"<{unsubscribe_url}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            "Auto-Submitted": "auto-generated",
        },
    )
    message.attach_alternative(render_to_string("emails/reminder-body.html", context), "text/html")
    return message


# --- One-click actions from the email -----------------------------------------------------------


class Action:
    do_not_call_in_templates = True

    REACHED_OUT = "reached-out"
    SNOOZE = "snooze"
    PAUSE = "pause"
    UNSUBSCRIBE = "unsubscribe"
    ALL = (REACHED_OUT, SNOOZE, PAUSE, UNSUBSCRIBE)
    NEEDS_SUPPORTER = (REACHED_OUT, SNOOZE)


class ActionRefused(Exception):
    """A forged, expired or no longer applicable link. The message is safe to show."""


@dataclasses.dataclass
class OneClick:
    token: str
    user: User
    action: str
    supporter: Supporter | None


def action_token_make(*, user, action, supporter=None):
    payload = {"u": user.pk, "a": action, "s": supporter.pk if supporter else None}
    return signing.dumps(payload, salt=ACTION_SALT)


def action_url(*, user, action, supporter=None):
    token = action_token_make(user=user, action=action, supporter=supporter)
    return absolute_url(reverse("checkins:action", args=[token]))


def action_token_read(token):
    """The action a link allows, or ActionRefused. Expired after REMINDER_LINK_MAX_AGE_DAYS."""
    try:
        payload = signing.loads(
            token, salt=ACTION_SALT, max_age=datetime.timedelta(days=settings.REMINDER_LINK_MAX_AGE_DAYS)
        )
    except signing.SignatureExpired as error:
        raise ActionRefused(
            _("This link has expired. Links in reminder emails work for two weeks.")
        ) from error
    except signing.BadSignature as error:
        raise ActionRefused(_("This link is not valid. It may have been copied only in part.")) from error
    action = payload.get("a")
    user = User.objects.filter(pk=payload.get("u"), is_active=True).first()
    if action not in Action.ALL or user is None:
        raise ActionRefused(_("This link is not valid."))
    supporter = None
    if action in Action.NEEDS_SUPPORTER:
        supporter = Supporter.objects.filter(pk=payload.get("s"), owner=user).select_related("owner").first()
        if supporter is None:
            raise ActionRefused(_("This person is no longer in your network, so there is nothing to do."))
    return OneClick(token=token, user=user, action=action, supporter=supporter)


def action_token_was_used(token):
    return UsedActionToken.objects.filter(digest=token_digest(token)).exists()


def action_perform(*, one_click, now):
    """Do what the link allows, once. False (and nothing changed) if the link was used before."""
    with transaction.atomic():
        try:
            with transaction.atomic():
                UsedActionToken.objects.create(
                    digest=token_digest(one_click.token),
                    user=one_click.user,
                    action=one_click.action,
                    used_at=now,
                )
        except IntegrityError:
            return False
        user, supporter = one_click.user, one_click.supporter
        if one_click.action == Action.REACHED_OUT:
            check_in_log(
                owner=user,
                supporter=supporter,
                happened_at=now,
                channel=supporter.preferred_channel or Channel.OTHER,
                initiated_by=InitiatedBy.ME,
            )
        elif one_click.action == Action.SNOOZE:
            supporter_snooze(supporter=supporter, now=now)
        elif one_click.action == Action.PAUSE:
            reminders_pause(user=user, until_on=pause_until_on(user=user, now=now), now=now)
        elif one_click.action == Action.UNSUBSCRIBE:
            reminders_unsubscribe(user=user, now=now)
    return True


def pause_until_on(*, user, now):
    """Pausing "for a week" from the email: no digests today and for the next six days."""
    return local_date(now, user.zone) + datetime.timedelta(days=PAUSE_DAYS - 1)


# --- Undo for a few minutes after "I reached out today" and "Snooze" -----------------------------

UNDO_MINUTES = 5
UNDO_SALT = "checkins.undo"


class UndoRefused(Exception):
    """An undo that is forged, someone else's, too late or already done. The message is safe to show."""


def undo_token_make(*, owner, supporter, now, check_in=None, snoozed_until=None):
    """A signed note of exactly one action, for the POST form in the message that confirms it.

    A check-in is undone by deleting it; a snooze by putting back the snooze that was there before
    (`snoozed_until`, None for none). Both also restore the snooze the check-in had ended.
    """
    payload = {
        "u": owner.pk,
        "s": supporter.pk,
        "c": check_in.pk if check_in else None,
        "p": snoozed_until.isoformat() if snoozed_until else None,
        "t": now.timestamp(),
    }
    return signing.dumps(payload, salt=UNDO_SALT)


@transaction.atomic
def action_undo(*, owner, token, now):
    """Reverse the one action `token` describes, for its owner only, once, within UNDO_MINUTES.

    Returns the supporter the action was about.
    """
    try:
        payload = signing.loads(token, salt=UNDO_SALT)
    except signing.BadSignature as error:
        raise UndoRefused(_("That undo button is not valid, so nothing was changed.")) from error
    if payload.get("u") != owner.pk:
        raise UndoRefused(_("That undo button belongs to a different account, so nothing was changed."))
    issued_at = datetime.datetime.fromtimestamp(payload["t"], tz=datetime.UTC)
    if now - issued_at > datetime.timedelta(minutes=UNDO_MINUTES):
        raise UndoRefused(
            _("Undo works for %(minutes)d minutes, so nothing was changed.") % {"minutes": UNDO_MINUTES}
        )
    supporter = Supporter.objects.filter(pk=payload.get("s"), owner=owner).select_related("owner").first()
    if supporter is None:
        raise UndoRefused(_("This person is no longer in your network, so there is nothing to undo."))
    try:
        with transaction.atomic():
            UsedActionToken.objects.create(digest=token_digest(token), user=owner, action="undo", used_at=now)
    except IntegrityError as error:
        raise UndoRefused(_("That is already undone.")) from error
    if payload.get("c") is not None:
        CheckIn.objects.filter(pk=payload["c"], owner=owner, supporter=supporter).delete()
    previous = payload.get("p")
    supporter.snoozed_until = datetime.datetime.fromisoformat(previous) if previous else None
    supporter_due_recompute(supporter=supporter)
    return supporter
