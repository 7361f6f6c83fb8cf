from django.db import connection
from django.http import JsonResponse

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
    """Whether the database and the Celery broker answer: 200 when both do, 503 otherwise."""
    checks = {"database": database_answers(), "broker": broker_answers()}
    healthy = all(checks.values())
    return JsonResponse(
        {"status": "ok" if healthy else "unavailable", **checks}, status=200 if healthy else 503
    )
