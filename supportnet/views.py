from django.db import connection
from django.http import JsonResponse
from django.utils import timezone

from checkins.services.sweep import SweepTrigger, sweep_last_finished_at, sweep_overdue_reason
from retention.services import retention_sweep_last_finished_at
from supportnet.celery import app as celery_app


def database_answers():
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        return True
    except Exception:
        return False


def broker_answers():
    try:
        with celery_app.connection_for_write() as broker:
            broker.ensure_connection(max_retries=1, timeout=2)
        return True
    except Exception:
        return False


def isoformat_or_none(moment):
    return moment.isoformat() if moment else None


def healthz(request):
    """Whether the database and the Celery broker answer and beat's reminder sweep runs on time:
    200 when all hold, 503 otherwise, with each failure's reason in `reasons`.

    Beat's last *finished* sweep is reported apart from manual runs (`send_reminders`), which
    cannot stand in for a dead beat.
    """
    checks = {"database": database_answers(), "broker": broker_answers()}
    reasons = [f"The {name} does not answer." for name, answers in checks.items() if not answers]
    details = {}
    if checks["database"]:
        details["last_reminder_sweep_at"] = isoformat_or_none(sweep_last_finished_at())
        details["last_manual_reminder_sweep_at"] = isoformat_or_none(
            sweep_last_finished_at(trigger=SweepTrigger.MANUAL)
        )
        overdue = sweep_overdue_reason(now=timezone.now())
        # The daily retention sweep (retention.tasks.purge_expired): older than two days means trouble.
        details["last_retention_sweep_at"] = isoformat_or_none(retention_sweep_last_finished_at())
        checks["reminder_sweep"] = overdue is None
        reasons += [overdue] if overdue else []
    healthy = not reasons
    return JsonResponse(
        {"status": "ok" if healthy else "unavailable", **checks, **details, "reasons": reasons},
        status=200 if healthy else 503,
    )
