"""Digests counted per local day: rolled up into `DigestDayCount` before the rows expire.

A day's figures come from exactly one place: its `DigestDayCount` row once the day is rolled up,
its digest rows until then. Only settled states are counted.
"""

import datetime

from django.db.models import Count, Q

from checkins.models import Digest, DigestDayCount, DigestStatus

# A local day is rolled up this long after it ends in UTC: every time zone has finished it and the
# sweep's retries (REMINDER_MAX_ATTEMPTS sweeps) are long over.
SETTLED_AFTER = datetime.timedelta(days=2)


def _counts(digests):
    return (
        digests.order_by()
        .values("scheduled_on")
        .annotate(
            sent=Count("id", filter=Q(status=DigestStatus.SENT)),
            failed=Count("id", filter=Q(status=DigestStatus.FAILED)),
        )
    )


def digest_days_to_roll_up(*, now):
    """Settled local days that have digest rows but no counts yet."""
    last_settled_on = now.date() - SETTLED_AFTER
    return Digest.objects.filter(scheduled_on__lte=last_settled_on).exclude(
        scheduled_on__in=DigestDayCount.objects.values("day")
    )


def digest_counts_roll_up(*, now) -> int:
    """Store the counts of every settled day not rolled up yet. Idempotent: a day is counted once,
    while all its rows still exist. Returns how many days were added."""
    rows = _counts(digest_days_to_roll_up(now=now))
    counts = [DigestDayCount(day=row["scheduled_on"], sent=row["sent"], failed=row["failed"]) for row in rows]
    # ignore_conflicts: two sweeps at once add each day once.
    DigestDayCount.objects.bulk_create(counts, ignore_conflicts=True)
    return len(counts)


def digest_counts_per_day(*, first_day: datetime.date, last_day: datetime.date) -> dict:
    """{day: {"sent": n, "failed": n}} for the days in the range that had digests: two queries."""
    rolled_up = DigestDayCount.objects.filter(day__range=(first_day, last_day))
    counts = {row.day: {"sent": row.sent, "failed": row.failed} for row in rolled_up}
    live = _counts(
        Digest.objects.filter(scheduled_on__range=(first_day, last_day)).exclude(
            scheduled_on__in=DigestDayCount.objects.values("day")
        )
    )
    counts.update({row["scheduled_on"]: {"sent": row["sent"], "failed": row["failed"]} for row in live})
    return counts
