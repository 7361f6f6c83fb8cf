import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import override_settings
from django.urls import path, reverse

from supportnet.tasks import ping

ROOT = Path(__file__).resolve().parent.parent


def start_django(**environment):
    """Import the settings in a fresh process with exactly this environment."""
    keep = {key: os.environ[key] for key in ("PATH", "HOME") if key in os.environ}
    return subprocess.run(
        [sys.executable, "-c", "import django; django.setup(); print('started')"],
        cwd=ROOT,
        env={**keep, "DJANGO_SETTINGS_MODULE": "supportnet.settings", **environment},
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_it_refuses_to_start_in_production_without_a_secret_key():
    result = start_django(DEBUG="false", ALLOWED_HOSTS="example.org", EMAIL_URL="smtp://localhost:25")
    assert result.returncode != 0
    assert "SECRET_KEY must be set when DEBUG is off" in result.stderr


def test_it_refuses_to_start_in_production_without_allowed_hosts():
    result = start_django(DEBUG="false", SECRET_KEY="x" * 50, EMAIL_URL="smtp://localhost:25")
    assert result.returncode != 0
    assert "ALLOWED_HOSTS must be set when DEBUG is off" in result.stderr


def test_it_starts_in_production_when_configured():
    result = start_django(
        DEBUG="false",
        SECRET_KEY="x" * 50,
        ALLOWED_HOSTS="example.org",
        EMAIL_URL="smtp://localhost:25",
        FIELD_ENCRYPTION_KEYS="Ezoh4uepWVpP3AyY4CbCmTFRou2654HPfUsuSFw-0lA=",
    )
    assert result.returncode == 0, result.stderr
    assert "started" in result.stdout


def test_it_starts_for_development_with_no_configuration_at_all():
    result = start_django()
    assert result.returncode == 0, result.stderr


@pytest.mark.django_db
def test_healthz_reports_a_working_database_and_broker(client):
    response = client.get(reverse("healthz"))
    assert response.status_code == 200
    assert response.json() == {
        "status": "ok",
        "database": True,
        "broker": True,
        "reminder_sweep": True,
        "last_reminder_sweep_at": None,
        "last_manual_reminder_sweep_at": None,
        "last_retention_sweep_at": None,
        "reasons": [],
    }


@pytest.mark.django_db
def test_healthz_reports_an_unreachable_broker(client):
    from supportnet.celery import app

    real_url = app.conf.broker_url
    app.conf.broker_url = "redis://127.0.0.1:9/0"  # nothing listens on the discard port
    try:
        response = client.get(reverse("healthz"))
    finally:
        app.conf.broker_url = real_url
    assert response.status_code == 503
    assert response.json()["broker"] is False
    assert response.json()["database"] is True


@pytest.mark.django_db
def test_unknown_pages_get_a_styled_404(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "find that page" in response.content.decode()
    assert "not an emergency service" in response.content.decode()


def boom(request):
    raise RuntimeError("secret internals")


urlpatterns = [path("boom/", boom)]


@pytest.mark.django_db
@pytest.mark.urls(__name__)
@override_settings(DEBUG=False)
def test_errors_get_a_styled_500_without_a_traceback(client):
    client.raise_request_exception = False
    response = client.get("/boom/")
    body = response.content.decode()
    assert response.status_code == 500
    assert "Something went wrong on our side" in body
    assert "secret internals" not in body and "Traceback" not in body


@pytest.mark.worker
def test_a_task_round_trips_through_a_real_worker_on_redis(celery_worker_process):
    assert ping.delay().get(timeout=20) == "pong"


def test_development_email_is_printed_and_kept_under_var_mail(settings, tmp_path, capsys):
    from django.core.mail import send_mail

    settings.EMAIL_BACKEND = "supportnet.mail.ConsoleAndFileBackend"
    settings.EMAIL_MAIL_DIR = tmp_path
    send_mail("Confirm your address", "Open this link", None, ["new@example.com"])
    saved = list(tmp_path.iterdir())
    assert len(saved) == 1
    assert "Open this link" in saved[0].read_text()
    assert "Open this link" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("environment", "started"),
    [
        ({}, True),  # 90 s hard limit, 20 s EMAIL_TIMEOUT: a batch starts messages for 30 s
        ({"REMINDER_BATCH_SECONDS": "31"}, False),  # its last message could outlive the hard limit
        ({"CELERY_TASK_TIME_LIMIT": "60"}, False),  # 60 - 3 * 20 leaves a batch no time
        ({"CELERY_TASK_TIME_LIMIT": "60", "REMINDER_BATCH_SECONDS": "0"}, False),
    ],
)
def test_it_refuses_a_batch_budget_the_task_time_limit_cannot_hold(environment, started):
    result = start_django(**environment)
    assert (result.returncode == 0) is started, result.stderr
    if not started:
        assert "REMINDER_BATCH_SECONDS must be positive" in result.stderr
