import email
import email.policy
import os
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path
from urllib.parse import urlparse

import pytest
from aiosmtpd.controller import Controller

from tests.factories import UserFactory
from tests.waiting import wait_until

ROOT = Path(__file__).resolve().parent.parent

SERVICES = {
    "PostgreSQL": (
        "DATABASE_URL",
        5432,
        "pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start",
    ),
    "Redis": (
        "REDIS_URL",
        6379,
        'redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" --appendonly no',
    ),
}


def pytest_configure(config):
    """Stop at once, naming the service, when PostgreSQL or Redis is missing: never skip silently."""
    for service, (variable, default_port, how_to_start) in SERVICES.items():
        url = os.environ.get(variable, "")
        parsed = urlparse(url)
        if service == "PostgreSQL" and not parsed.scheme.startswith("postgres"):
            pytest.exit(
                f"{variable} must point at PostgreSQL (got {url!r}). Run the tests with `make test`.", 3
            )
        if service == "Redis" and parsed.scheme != "redis":
            pytest.exit(f"{variable} must point at Redis (got {url!r}). Run the tests with `make test`.", 3)
        address = (parsed.hostname or "127.0.0.1", parsed.port or default_port)
        try:
            socket.create_connection(address, timeout=3).close()
        except OSError as error:
            pytest.exit(
                f"{service} is not reachable at {address[0]}:{address[1]} ({error}). Start it: {how_to_start}",
                3,
            )


@pytest.fixture
def user(db):
    return UserFactory(email="owner@example.com", timezone="Europe/London")


@pytest.fixture
def other_user(db):
    return UserFactory(email="outsider@example.com")


@pytest.fixture
def owner_client(client, user):
    client.force_login(user)
    return client


@pytest.fixture
def outsider_client(client, other_user):
    client.force_login(other_user)
    return client


def database_url_for_other_processes():
    """The URL of the test database, for processes started by the tests (a Celery worker)."""
    from django.db import connection

    settings = connection.settings_dict
    return f"postgres://{settings['USER']}@{settings['HOST']}:{settings['PORT']}/{settings['NAME']}"


class Inbox:
    """An aiosmtpd handler that keeps every received message, parsed."""

    def __init__(self):
        self.messages = []
        self.refuse_next = 0
        self.refuse_to = set()  # addresses whose messages get a 451, every time
        self.sessions = 0

    async def handle_EHLO(self, server, session, envelope, hostname, responses):
        """Counts SMTP sessions, so a test can see one connection carry a batch of messages."""
        self.sessions += 1
        session.host_name = hostname
        return responses

    async def handle_DATA(self, server, session, envelope):
        if self.refuse_to & set(envelope.rcpt_tos):
            return "451 Requested action aborted: this mailbox is busy"
        if self.refuse_next:
            self.refuse_next -= 1
            return "451 Requested action aborted: try again later"
        self.messages.append(email.message_from_bytes(envelope.content, policy=email.policy.default))
        return "250 Message accepted for delivery"

    def wait_for(self, count, timeout=20):
        """The messages, once at least `count` have arrived (a test fails after `timeout` seconds). Mail
        sent in this process has arrived when the send returns (the server answers 250 after keeping it)."""
        wait_until(lambda: len(self.messages) >= count, timeout=timeout, what=f"{count} email(s)")
        return self.messages


@pytest.fixture(scope="session")
def smtp_server():
    """A real SMTP server on loopback; tests read what it received from `smtp_server.handler`."""
    controller = Controller(Inbox(), hostname="127.0.0.1", port=free_port())
    controller.start()
    yield controller
    controller.stop()


@pytest.fixture
def inbox(smtp_server, settings):
    """Send this test's email through the real SMTP server and return its (emptied) inbox."""
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = smtp_server.hostname
    settings.EMAIL_PORT = smtp_server.port
    settings.EMAIL_USE_TLS = False
    smtp_server.handler.messages.clear()
    smtp_server.handler.refuse_next = 0
    smtp_server.handler.refuse_to.clear()
    smtp_server.handler.sessions = 0
    return smtp_server.handler


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="session")
def celery_worker_process(django_db_setup, django_db_blocker, smtp_server, push_service_process_wide):
    """A real `celery worker` process on the real Redis, reading and writing the test database.

    Tests that use it must commit their data (`transactional_db`), since the worker is another process.
    """
    from supportnet.celery import app

    with django_db_blocker.unblock():
        database_url = database_url_for_other_processes()
    app.control.purge()
    environment = {
        **os.environ,
        "DATABASE_URL": database_url,
        "EMAIL_URL": f"smtp://{smtp_server.hostname}:{smtp_server.port}",
        "PYTHONUNBUFFERED": "1",
        # Reminder retries back off 1, 2, 4 seconds instead of minutes, so a test can watch them all.
        "REMINDER_RETRY_DELAY_SECONDS": "1",
        # Pushes go to the loopback push service (tests/push_service.py), whose test CA the worker trusts.
        "REQUESTS_CA_BUNDLE": push_service_process_wide.ca_bundle,
    }
    (ROOT / "var").mkdir(exist_ok=True)
    log = open(ROOT / "var" / "test-worker.log", "w")  # noqa: SIM115 - closed when the worker stops
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "supportnet",
            "worker",
            "--pool=solo",
            "--loglevel=INFO",
            "-n",
            "test@%h",
        ],
        cwd=ROOT,
        env=environment,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    deadline = time.monotonic() + 30
    while not app.control.ping(timeout=0.5):
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            pytest.fail(f"The Celery worker did not start; see {log.name}")
    yield process
    process.terminate()
    process.wait(timeout=20)
    log.close()


@pytest.fixture(autouse=True)
def fresh_cache(settings):
    """Each test gets its own key space in the real Redis cache, so rate limits never leak between tests."""
    settings.CACHES = {"default": {**settings.CACHES["default"], "KEY_PREFIX": f"test-{uuid.uuid4().hex}"}}


@pytest.fixture(autouse=True)
def fast_password_hasher(settings):
    """Hash test passwords with MD5: Argon2 (production's first hasher, tested in test_security) is slow on purpose."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher", *settings.PASSWORD_HASHERS]


@pytest.fixture
def two_step_login(db):
    """`two_step_login(client, user)`: sign in as if with password and authenticator code.

    Staff need this for /admin/ (accounts.middleware.StaffTwoFactorMiddleware); `force_login` alone
    is sent to set up two-step sign-in.
    """
    from allauth.mfa.models import Authenticator
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    def login(client, user):
        if not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists():
            TOTP.activate(user, generate_totp_secret())
        client.force_login(user)
        session = client.session
        session["account_authentication_methods_user"] = str(user.pk)
        session["account_authentication_methods"] = [{"method": "mfa", "type": "totp", "at": time.time()}]
        session.save()
        return client

    return login


@pytest.fixture(scope="session")
def push_service_process_wide():
    """One loopback push service (tests/push_service.py) for the session, trusting our VAPID key."""
    from django.conf import settings as django_settings

    from tests.push_service import PushService

    service = PushService(vapid_public_key=django_settings.WEBPUSH_VAPID_PUBLIC_KEY).start()
    yield service
    service.stop()


@pytest.fixture
def push_service(push_service_process_wide, monkeypatch):
    """The loopback push service, emptied, with its test CA trusted by `requests` in this process."""
    service = push_service_process_wide
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", service.ca_bundle)
    with service.lock:
        service.received.clear()
        service.refused.clear()
        service.answers.clear()
    return service


@pytest.fixture(scope="session", autouse=True)
def compiled_translations():
    """The .mo files Django reads, compiled from the .po files as they are now (make test does it too)."""
    from django.core.management import call_command

    call_command(
        "compilemessages", locale=["es", "hi"], ignore_patterns=[".venv", "node_modules", "var"], verbosity=0
    )
