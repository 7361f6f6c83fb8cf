"""Site-wide figures for moderators: counts from aggregate queries, never a row of anyone's data."""

import datetime

from django.db.models import Count, Q
from django.db.models.functions import TruncWeek

from accounts.models import User
from checkins.digest_counts import digest_counts_per_day
from checkins.models import CheckIn
from contacts.models import Supporter
from core.support_types import SupportType

WEEKS = 12
DAYS = 14


def _weeks(now, count):
    """The Mondays (UTC) of the last `count` weeks, oldest first, this week included."""
    this_monday = now.date() - datetime.timedelta(days=now.weekday())
    return [this_monday - datetime.timedelta(weeks=back) for back in range(count - 1, -1, -1)]


def _start_of(day):
    return datetime.datetime.combine(day, datetime.time.min, tzinfo=datetime.UTC)


def sign_ups_per_week(*, now, weeks=WEEKS):
    mondays = _weeks(now, weeks)
    rows = (
        User.objects.filter(date_joined__gte=_start_of(mondays[0]))
        .annotate(week=TruncWeek("date_joined", tzinfo=datetime.UTC))
        .values("week")
        .annotate(count=Count("id"))
    )
    counts = {row["week"].date(): row["count"] for row in rows}
    return [{"week": monday, "count": counts.get(monday, 0)} for monday in mondays]


def active_users_per_week(*, now, weeks=WEEKS):
    """People who logged at least one check-in in the week (by when they logged it)."""
    mondays = _weeks(now, weeks)
    rows = (
        CheckIn.objects.filter(created_at__gte=_start_of(mondays[0]))
        .annotate(week=TruncWeek("created_at", tzinfo=datetime.UTC))
        .values("week")
        .annotate(count=Count("owner", distinct=True))
    )
    counts = {row["week"].date(): row["count"] for row in rows}
    return [{"week": monday, "count": counts.get(monday, 0)} for monday in mondays]


def people_with_each_support_type():
    """How many people have at least one (not archived) supporter giving each type of support."""
    totals = Supporter.objects.filter(is_archived=False).aggregate(
        **{
            kind.value: Count("owner", filter=Q(**{f"gives_{kind.value}": True}), distinct=True)
            for kind in SupportType
        },
        anyone=Count("owner", distinct=True),
    )
    return {
        "by_type": [{"type": kind, "count": totals[kind.value]} for kind in SupportType],
        "anyone": totals["anyone"],
    }


def account_totals(*, now):
    return User.objects.aggregate(
        total=Count("id"),
        active=Count("id", filter=Q(is_active=True)),
        deactivated=Count("id", filter=Q(is_active=False)),
        reminders_on=Count("id", filter=Q(is_active=True, reminders_enabled=True)),
        signed_in_last_7_days=Count("id", filter=Q(last_login__gte=now - datetime.timedelta(days=7))),
        staff=Count("id", filter=Q(is_staff=True)),
    )


def digest_counts(*, now, weeks=WEEKS):
    """Digests sent and failed per local day over the last `weeks` weeks: the rolled-up day counts
    (`checkins.DigestDayCount`, kept after the digest rows expire) and, for recent days, the rows."""
    first_day = _weeks(now, weeks)[0]
    return digest_counts_per_day(first_day=first_day, last_day=now.date())


def digests_per_day(*, now, days=DAYS, counts=None):
    """Digests sent and failed per day (the people's own local dates), for the last `days` days."""
    counts = digest_counts(now=now) if counts is None else counts
    first_day = now.date() - datetime.timedelta(days=days - 1)
    return [
        {"day": day, **counts.get(day, {"sent": 0, "failed": 0})}
        for day in (first_day + datetime.timedelta(days=offset) for offset in range(days))
    ]


def digests_sent_per_week(*, now, weeks=WEEKS, counts=None):
    counts = digest_counts(now=now, weeks=weeks) if counts is None else counts
    sent = {}
    for day, count in counts.items():
        monday = day - datetime.timedelta(days=day.weekday())
        sent[monday] = sent.get(monday, 0) + count["sent"]
    return [{"week": monday, "count": sent.get(monday, 0)} for monday in _weeks(now, weeks)]


def site_figures(*, now):
    sign_ups = sign_ups_per_week(now=now)
    active = active_users_per_week(now=now)
    digests = digest_counts(now=now)
    digests_sent = digests_sent_per_week(now=now, counts=digests)
    return {
        "accounts": account_totals(now=now),
        "weeks": [
            {
                "week": joined["week"],
                "sign_ups": joined["count"],
                "active": logged["count"],
                "digests_sent": sent["count"],
            }
            for joined, logged, sent in zip(sign_ups, active, digests_sent, strict=True)
        ],
        "support_types": people_with_each_support_type(),
        "digests": digests_per_day(now=now, counts=digests),
    }
