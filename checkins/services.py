"""Check-ins, due moments, the reminder sweep, digests and one-click actions: every write lives here.

Delivery is AT LEAST ONCE, on purpose. The database decides what is due and records each day's
digest (unique per person and local day), and a digest is claimed by a conditional UPDATE before
it is sent, so a second sweep, a second beat or a task delivered twice never sends a second email.
The only window for a duplicate is a worker dying after the SMTP server accepted the message and
before the "sent" row is written: that claim is reclaimed after REMINDER_CLAIM_TIMEOUT_SECONDS and
sent again. We accept that rare double over the alternative (at most once), which would silently
lose the reminder of anyone whose worker died mid-send, and a lost reminder is the failure the
person cannot see. The timeout is far longer than Celery's hard time limit, so a live worker's
claim is never taken from it.

The queue holds nothing that matters: no ETA tasks but short retry backoffs, and every sweep
re-derives what is due from the database, so a flushed Redis only delays sending until the next sweep.
"""

import dataclasses
import datetime
import hashlib
import logging
import smtplib
from functools import partial

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMultiAlternatives
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
from checkins.models import CheckIn, Digest, DigestStatus, InitiatedBy, SweepHeartbeat, UsedActionToken
from contacts.models import Channel, Supporter

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
def check_in_log(*, owner, supporter, happened_at, channel, initiated_by, mood=None, note=""):
    """Record that the owner and a supporter connected, and move the supporter's due moment on."""
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


def last_digest_done_on(*, user):
    """The latest local day whose digest is settled: sent, nothing to send, or failed too often to retry."""
    done = Q(status__in=[DigestStatus.SENT, DigestStatus.SKIPPED]) | Q(
        status=DigestStatus.FAILED, attempts__gte=settings.REMINDER_MAX_ATTEMPTS
    )
    return user.digests.filter(done).aggregate(last=Max("scheduled_on"))["last"]


def user_schedule_recompute(*, user, now):
    """Store when this person's next digest may go out (the column the sweep polls)."""
    last_done_on = last_digest_done_on(user=user)
    user.next_digest_at = (
        next_digest_at(user, now=now, last_digest_on=last_done_on) if user.is_active else None
    )
    User.objects.filter(pk=user.pk).update(next_digest_at=user.next_digest_at)
    return user.next_digest_at


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


def digest_claim_for_today(*, user, now):
    """Create or take over today's digest row for this person; its id when it should be sent now.

    Runs in the caller's transaction. Two sweeps at once both reach here: the unique constraint
    lets one create the row, and the conditional UPDATEs let one take over a failed or stale one.
    """
    last_done_on = last_digest_done_on(user=user)
    slot = next_digest_at(user, now=now, last_digest_on=last_done_on)
    if slot != user.next_digest_at:
        User.objects.filter(pk=user.pk).update(next_digest_at=slot)
        user.next_digest_at = slot
    if slot is None or slot > now:
        return None
    today = local_date(now, user.zone)
    digest, created = Digest.objects.get_or_create(user=user, scheduled_on=today, defaults={"queued_at": now})
    if created:
        return digest.pk
    stale = now - datetime.timedelta(seconds=settings.REMINDER_CLAIM_TIMEOUT_SECONDS)
    retake = Digest.objects.filter(pk=digest.pk, attempts__lt=settings.REMINDER_MAX_ATTEMPTS).filter(
        Q(status=DigestStatus.FAILED)
        | Q(status=DigestStatus.QUEUED, queued_at__lt=stale)
        | Q(status=DigestStatus.SENDING, claimed_at__lt=stale)
    )
    if retake.update(status=DigestStatus.QUEUED, queued_at=now):
        logger.info("Digest %s (%s) queued again after %s", digest.pk, user.pk, digest.status)
        return digest.pk
    return None


def reminders_send_due(*, now, queue=True):
    """The sweep: claim today's digest for everyone due and send each one.

    With `queue`, one Celery task per digest is queued once the claim is committed (beat's way);
    without, the digests are sent here, one after another (`manage.py send_reminders`).
    Returns the ids of the digests it claimed.
    """
    from checkins.tasks import send_digest

    claimed = []
    for user in reminders_due_users(now=now):
        with transaction.atomic():
            digest_id = digest_claim_for_today(user=user, now=now)
            if digest_id and queue:
                transaction.on_commit(partial(send_digest.delay, digest_id))
        if digest_id:
            claimed.append(digest_id)
    if not queue:
        for digest_id in claimed:
            try:
                digest_send(digest_id=digest_id, now=now)
            except DigestNotDelivered as error:
                digest_mark_failed(digest_id=digest_id, reason=str(error))
    SweepHeartbeat.objects.update_or_create(
        name=SWEEP_HEARTBEAT, defaults={"finished_at": now, "users_queued": len(claimed)}
    )
    return claimed


def sweep_last_finished_at():
    return SweepHeartbeat.objects.filter(name=SWEEP_HEARTBEAT).values_list("finished_at", flat=True).first()


# --- Sending one digest -------------------------------------------------------------------------


class DigestNotDelivered(Exception):
    """The mail server did not take the digest; the row is back to "queued" for a retry."""


def digest_send(*, digest_id, now):
    """Claim one digest and send it. True if an email went out, False if there was nothing to do."""
    claimed = Digest.objects.filter(pk=digest_id, status=DigestStatus.QUEUED).update(
        status=DigestStatus.SENDING, claimed_at=now, attempts=F("attempts") + 1
    )
    if not claimed:
        return False  # Sent, being sent, or taken over by someone else: a second delivery stops here.
    digest = Digest.objects.select_related("user").get(pk=digest_id)
    user = digest.user
    supporters = list(due_supporters(user=user, now=now))
    paused = user.reminders_paused_until and user.reminders_paused_until >= digest.scheduled_on
    if not supporters or not user.reminders_enabled or not user.is_active or paused:
        with transaction.atomic():
            Digest.objects.filter(pk=digest_id).update(status=DigestStatus.SKIPPED)
            user_schedule_recompute(user=user, now=now)
        return False
    with translation.override(user.language):  # The worker writes in the recipient's language.
        message = digest_email(digest=digest, supporters=supporters, now=now)
    try:
        message.send()
    except (smtplib.SMTPException, OSError) as error:
        reason = f"{type(error).__name__}: {error}"[:1000]
        Digest.objects.filter(pk=digest_id, status=DigestStatus.SENDING).update(
            status=DigestStatus.QUEUED, queued_at=now, failure_reason=reason
        )
        raise DigestNotDelivered(reason) from error
    with transaction.atomic():
        Digest.objects.filter(pk=digest_id).update(
            status=DigestStatus.SENT, sent_at=now, supporter_count=len(supporters), failure_reason=""
        )
        user_schedule_recompute(user=user, now=now)
    return True


def digest_mark_failed(*, digest_id, reason):
    """Give up on this attempt: recorded with its reason; the next sweep queues it again."""
    Digest.objects.filter(pk=digest_id, status=DigestStatus.QUEUED).update(
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
                "reached_out_url": action_url(
                    user=user, action=Action.REACHED_OUT, supporter=supporter, digest=digest
                ),
                "snooze_url": action_url(user=user, action=Action.SNOOZE, supporter=supporter, digest=digest),
            }
        )
    unsubscribe_url = action_url(user=user, action=Action.UNSUBSCRIBE, digest=digest)
    context = {
        "user": user,
        "entries": entries,
        "snooze_days": SNOOZE_DAYS,
        "pause_url": action_url(user=user, action=Action.PAUSE, digest=digest),
        "unsubscribe_url": unsubscribe_url,
        "settings_url": absolute_url(reverse("accounts:settings")),
        "log_url": absolute_url(reverse("checkins:log")),
        "site_url": settings.SITE_URL,
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


def action_token_make(*, user, action, supporter=None, digest=None):
    payload = {
        "u": user.pk,
        "a": action,
        "s": supporter.pk if supporter else None,
        "d": digest.pk if digest else None,
    }
    return signing.dumps(payload, salt=ACTION_SALT)


def action_url(*, user, action, supporter=None, digest=None):
    token = action_token_make(user=user, action=action, supporter=supporter, digest=digest)
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


def token_digest(token):
    return hashlib.sha256(token.encode()).hexdigest()


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
