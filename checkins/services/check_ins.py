"""Check-ins and each supporter's due moment: every write of a check-in goes through here."""

import datetime

from django.db import connection, transaction
from django.db.models import Max
from django.utils import timezone

from checkins.due import local_date, local_midnight, supporter_due_at
from checkins.models import CheckIn, CheckInKind
from contacts.models import Supporter
from contacts.versions import network_changed

SNOOZE_DAYS = 3


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
