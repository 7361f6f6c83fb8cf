"""When a supporter is due, and when a person's next digest may go out: facts, no writes.

Everything here is computed in the owner's own time zone. A supporter with a rhythm of N days is
due from the start (local midnight) of the day N days after their last check-in, or after they
were added if there is none yet, so a digest at 09:00 includes everyone due that day. Snoozing
sets a "not before" moment. Past one and a half times the rhythm a supporter is "overdue", which
pages show more strongly, in gentle words.

The `contacts` app must not import `checkins`, so these supporter facts live here as functions.
"""

import collections
import datetime
import enum

from django.utils import timezone

from contacts.models import Supporter

# How far ahead to look for the next allowed weekday after a pause.
SCHEDULE_HORIZON_DAYS = 8


class DueState(enum.StrEnum):
    NO_RHYTHM = "no_rhythm"
    UPCOMING = "upcoming"
    SNOOZED = "snoozed"
    DUE = "due"
    OVERDUE = "overdue"


def local_midnight(day, zone):
    return datetime.datetime.combine(day, datetime.time(0, 0), tzinfo=zone)


def local_date(moment, zone):
    return timezone.localtime(moment, zone).date()


def supporter_due_base_at(supporter):
    """The moment the rhythm counts from: the last check-in, or when the supporter was added."""
    return supporter.last_check_in_at or supporter.created_at


def supporter_due_at(supporter):
    """When this supporter becomes due (UTC), or None when they have no rhythm or are archived.

    Needs `supporter.owner` (for the time zone and the circle's default rhythm).
    """
    days = supporter.rhythm_in_days()
    if days is None or supporter.is_archived:
        return None
    zone = supporter.owner.zone
    base_on = local_date(supporter_due_base_at(supporter), zone)
    due_at = local_midnight(base_on + datetime.timedelta(days=days), zone)
    if supporter.snoozed_until and supporter.snoozed_until > due_at:
        due_at = supporter.snoozed_until
    return due_at.astimezone(datetime.UTC)


def supporter_days_since_contact(supporter, *, now):
    """Whole local days since the last check-in (or since they were added), never negative."""
    zone = supporter.owner.zone
    return max(0, (local_date(now, zone) - local_date(supporter_due_base_at(supporter), zone)).days)


def supporter_due_state(supporter, *, now):
    """Where this supporter stands today: read from the stored `next_check_in_at`."""
    if supporter.next_check_in_at is None:
        return DueState.NO_RHYTHM
    if supporter.next_check_in_at > now:
        if supporter.snoozed_until and supporter.snoozed_until > now:
            return DueState.SNOOZED
        return DueState.UPCOMING
    days = supporter.rhythm_in_days()
    if days and supporter_days_since_contact(supporter, now=now) > 1.5 * days:
        return DueState.OVERDUE
    return DueState.DUE


def supporter_due_summary(supporter, *, now):
    """What a page says of one supporter's keeping in touch (checkins/snippets/due_badge.html)."""
    zone = supporter.owner.zone
    return {
        "state": str(supporter_due_state(supporter, now=now)),
        "days_since_contact": supporter_days_since_contact(supporter, now=now),
        "last_on": local_date(supporter.last_check_in_at, zone) if supporter.last_check_in_at else None,
        "next_on": local_date(supporter.next_check_in_at, zone) if supporter.next_check_in_at else None,
    }


def due_supporters(*, user, now):
    """The person's supporters who are due at `now`, longest waiting first. One indexed query."""
    return (
        Supporter.objects.filter(owner=user, is_archived=False, next_check_in_at__lte=now)
        .select_related("owner")
        .order_by("next_check_in_at", "name", "id")
    )


def due_supporters_of(*, users, now):
    """Who is due for each of these people, as `due_supporters` orders them: one query for a batch."""
    by_owner = collections.defaultdict(list)
    owners = {user.pk: user for user in users}
    supporters = Supporter.objects.filter(owner__in=owners, is_archived=False, next_check_in_at__lte=now)
    for supporter in supporters.order_by("owner_id", "next_check_in_at", "name", "id"):
        supporter.owner = owners[supporter.owner_id]
        by_owner[supporter.owner_id].append(supporter)
    return by_owner


def digest_slot_on(user, day):
    """The moment (UTC) of this person's digest on a local date, or None if none goes out that day."""
    if not user.reminders_enabled or str(day.weekday()) not in user.reminder_weekdays:
        return None
    if user.reminders_paused_until and day <= user.reminders_paused_until:
        return None
    moment = datetime.datetime.combine(day, datetime.time(user.reminder_hour, 0), tzinfo=user.zone)
    return moment.astimezone(datetime.UTC)


def next_digest_at(user, *, now, last_digest_on=None):
    """The next moment the person's digest may go out: today's slot (even if its hour has passed,
    so a digest missed while the site was down still goes out today) or a later day's, skipping
    paused days, other weekdays, and any day that already has its digest. None when reminders are off.
    """
    today = local_date(now, user.zone)
    first = today
    if last_digest_on and last_digest_on >= first:
        first = last_digest_on + datetime.timedelta(days=1)
    if user.reminders_paused_until and user.reminders_paused_until >= first:
        first = user.reminders_paused_until + datetime.timedelta(days=1)
    for offset in range(SCHEDULE_HORIZON_DAYS):
        slot = digest_slot_on(user, first + datetime.timedelta(days=offset))
        if slot:
            return slot
    return None
