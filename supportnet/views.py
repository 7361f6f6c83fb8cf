from django.db import connection
from django.http import JsonResponse

from checkins.services import sweep_last_finished_at
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


def healthz(request):
    """Whether the database and the Celery broker answer: 200 when both do, 503 otherwise.

    Also when the reminder sweep (beat) last finished, for monitoring: a time older than a few
    sweep intervals means beat is not running. It does not change the status code.
    """
    checks = {"database": database_answers(), "broker": broker_answers()}
    healthy = all(checks.values())
    last_sweep_at = sweep_last_finished_at() if checks["database"] else None
    last_retention_at = retention_sweep_last_finished_at() if checks["database"] else None
    return JsonResponse(
        {
            "status": "ok" if healthy else "unavailable",
            **checks,
            "last_reminder_sweep_at": last_sweep_at.isoformat() if last_sweep_at else None,
            # The daily retention sweep (retention.tasks.purge_expired): older than two days means trouble.
            "last_retention_sweep_at": last_retention_at.isoformat() if last_retention_at else None,
        },
        status=200 if healthy else 503,
    )
