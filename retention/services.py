"""The daily retention sweep: apply every rule of the retention table, in small batches."""

from django.db import transaction
from django.utils import timezone

from checkins.digest_counts import digest_counts_roll_up
from retention.models import PurgeHeartbeat
from retention.rules import rules_that_expire

BATCH_SIZE = 500


def _delete_in_batches(queryset, *, batch_size: int) -> int:
    """Delete what `queryset` matches, `batch_size` rows per transaction, so no lock is held long
    and a run stopped halfway loses nothing but time. Returns how many rows of its model went."""
    model = queryset.model
    removed = 0
    while True:
        with transaction.atomic():
            ids = list(queryset.order_by("pk").values_list("pk", flat=True)[:batch_size])
            if not ids:
                return removed
            _, per_model = model.objects.filter(pk__in=ids).delete()
            removed += per_model.get(model._meta.label, 0)


def expired_purge(*, now, dry_run: bool = False, batch_size: int = BATCH_SIZE) -> dict[str, int]:
    """Remove every row whose retention has run out: {model label: rows removed (or, with
    `dry_run`, that would be)}. Idempotent: a second run removes nothing new."""
    if not dry_run:
        # The digests' daily totals are kept before any digest row goes.
        digest_counts_roll_up(now=now)
    removed = {}
    for rule in rules_that_expire():
        expired = rule.expired(now)
        removed[rule.label] = (
            expired.count() if dry_run else _delete_in_batches(expired, batch_size=batch_size)
        )
    return removed


def retention_sweep(*, now, batch_size: int = BATCH_SIZE) -> dict[str, int]:
    """The scheduled sweep: purge, then record the heartbeat that /healthz reports."""
    removed = expired_purge(now=now, batch_size=batch_size)
    PurgeHeartbeat.objects.update_or_create(
        pk=1, defaults={"finished_at": timezone.now(), "rows_removed": sum(removed.values())}
    )
    return removed


def retention_sweep_last_finished_at():
    return PurgeHeartbeat.objects.filter(pk=1).values_list("finished_at", flat=True).first()
