"""Retention: every model and Redis key family has a stated lifetime, and one daily sweep applies it."""

import datetime
import fnmatch
from pathlib import Path

import pytest
import redis
from allauth.account.models import EmailAddress, EmailConfirmation
from allauth.usersessions.models import UserSession
from celery.schedules import crontab
from django.apps import apps
from django.conf import settings
from django.contrib.admin.models import ADDITION, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.contrib.sessions.models import Session
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import User
from api.models import AccessToken
from checkins.digest_counts import digest_counts_roll_up
from checkins.models import Digest, DigestDayCount, DigestStatus, UsedActionToken
from moderation.figures import digests_per_day, digests_sent_per_week, site_figures
from moderation.models import AccountAction, AccountActionKind
from privacy import services as privacy_services
from privacy.exports import export_everything
from privacy.models import PendingImport
from retention import rules, services
from retention.models import PurgeHeartbeat
from retention.tasks import purge_expired
from sharing.models import SharingEvent, SupportAsk
from supportnet.tasks import ping
from tests.factories import CheckInFactory, ResourceFactory, SupporterFactory, UserFactory
from tests.waiting import wait_until

ROOT = Path(__file__).resolve().parent.parent
NOW = datetime.datetime(2026, 11, 29, 12, 0, tzinfo=datetime.UTC)
TODAY = NOW.date()
VCARD = b"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Jo\r\nEND:VCARD\r\n"


# --- The table ---------------------------------------------------------------------------------


def test_every_model_has_exactly_one_retention_rule():
    labels = [rule.label for rule in rules.RETENTION]
    assert len(labels) == len(set(labels)), "a model has two rules"
    models = {model._meta.label for model in apps.get_models()}
    assert models - set(labels) == set(), "add these models to retention/rules.py RETENTION"
    assert set(labels) - models == set(), "these rules name no model"


def test_the_readme_shows_the_table_the_code_applies():
    readme = (ROOT / "README.md").read_text()
    assert rules.retention_table_markdown() in readme, (
        "The README's retention table is out of date: paste `python manage.py purge_expired --table`."
    )


def test_the_aggregate_tables_hold_no_person():
    for model in (DigestDayCount, PurgeHeartbeat):
        assert not [field for field in model._meta.get_fields() if field.is_relation], model


def test_beat_runs_the_sweep_once_a_day():
    entry = settings.CELERY_BEAT_SCHEDULE["retention-sweep"]
    assert entry["task"] == purge_expired.name
    schedule = entry["schedule"]
    assert isinstance(schedule, crontab)
    assert len(schedule.hour) == 1 and len(schedule.minute) == 1
    assert schedule.day_of_week == set(range(7))


# --- Rows of every kind at various ages ---------------------------------------------------------


def ago(**kwargs):
    return NOW - datetime.timedelta(**kwargs)


def set_created(model, pk, field, when):
    model.objects.filter(pk=pk).update(**{field: when})


def make_rows_of_every_kind():
    """For every swept model: rows just past their lifetime (returned by label) and rows just inside
    it; for the kept models: rows years old. Returns {label: pks that must go}."""
    person = UserFactory(email="person@example.com", date_joined=ago(days=5 * 365))
    moderator = UserFactory(email="mod@example.com", is_staff=True)
    expiring = {}

    # Kept whatever their age: the person's own records and the directory.
    supporter = SupporterFactory(owner=person)
    set_created(type(supporter), supporter.pk, "created_at", ago(days=5 * 365))
    CheckInFactory(supporter=supporter, happened_at=ago(days=5 * 365))
    ResourceFactory()
    privacy_services.calendar_feed_renew(user=person)
    DigestDayCount.objects.create(day=TODAY - datetime.timedelta(days=3 * 365), sent=4, failed=1)

    # Sessions: expired ones go; the sign-in list drops entries whose session is gone or expired.
    Session.objects.create(session_key="expired0", session_data="", expire_date=ago(seconds=1))
    Session.objects.create(
        session_key="live0", session_data="", expire_date=NOW + datetime.timedelta(hours=1)
    )
    expiring["sessions.Session"] = {"expired0"}
    user_sessions = {
        key: UserSession.objects.create(user=person, ip="127.0.0.1", session_key=key, user_agent="Firefox")
        for key in ["expired0", "gone0", "live0"]
    }
    expiring["usersessions.UserSession"] = {user_sessions["expired0"].pk, user_sessions["gone0"].pk}

    address = EmailAddress.objects.get(user=person)
    old_confirmation = EmailConfirmation.objects.create(email_address=address, key="old", created=ago(days=4))
    EmailConfirmation.objects.create(email_address=address, key="recent", created=ago(days=2))
    expiring["account.EmailConfirmation"] = {old_confirmation.pk}

    old_import = PendingImport.objects.create(
        owner=person, file_name="a.vcf", file_format="vcard", payload="{}"
    )
    set_created(PendingImport, old_import.pk, "created_at", ago(hours=25))
    recent_import = PendingImport.objects.create(
        owner=moderator, file_name="b.vcf", file_format="vcard", payload="{}"
    )
    set_created(PendingImport, recent_import.pk, "created_at", ago(hours=23))
    expiring["privacy.PendingImport"] = {old_import.pk}

    old_token = UsedActionToken.objects.create(
        digest="a" * 64, user=person, action="snooze", used_at=ago(days=15)
    )
    UsedActionToken.objects.create(digest="b" * 64, user=person, action="snooze", used_at=ago(days=13))
    expiring["checkins.UsedActionToken"] = {old_token.pk}

    def digest(days_ago, status):
        return Digest.objects.create(
            user=UserFactory(),
            scheduled_on=TODAY - datetime.timedelta(days=days_ago),
            status=status,
            queued_at=ago(days=days_ago),
        ).pk

    expiring["checkins.Digest"] = {
        digest(91, DigestStatus.SENT),
        digest(91, DigestStatus.FAILED),
        digest(200, DigestStatus.SKIPPED),
    }
    digest(91, DigestStatus.QUEUED)  # not settled: the reminder sweep's business, not ours
    digest(90, DigestStatus.SENT)
    digest(3, DigestStatus.SENT)

    def audit(days_ago):
        action = AccountAction.objects.create(
            actor=moderator,
            actor_email=moderator.email,
            account=person,
            action=AccountActionKind.DEACTIVATE,
            reason="test",
        )
        set_created(AccountAction, action.pk, "created_at", ago(days=days_ago))
        log = LogEntry.objects.create(
            user=moderator,
            content_type=ContentType.objects.get_for_model(User),
            object_id=str(person.pk),
            object_repr=person.email,
            action_flag=ADDITION,
            action_time=ago(days=days_ago),
        )
        return action.pk, log.pk

    # An ask (its recipients go with it; none here, to count asks alone) and the sharing audit.
    def ask(days_ago, key):
        return SupportAsk.objects.create(
            owner=person,
            support_type="emotional",
            message="Could you call?",
            form_key=key,
            created_at=ago(days=days_ago),
        ).pk

    expiring["sharing.SupportAsk"] = {ask(366, "old")}

    # Access tokens: ended (expired or revoked) more than 30 days ago go; a recently ended one stays.
    def token(key, **fields):
        return AccessToken.objects.create(user=person, name=key, token_hash=key, prefix=key[:8], **fields).pk

    expiring["api.AccessToken"] = {
        token("expired-long-ago", expires_at=ago(days=31)),
        token("revoked-long-ago", expires_at=NOW + datetime.timedelta(days=300), revoked_at=ago(days=31)),
    }
    token("expired-lately", expires_at=ago(days=29))
    token("revoked-lately", expires_at=NOW + datetime.timedelta(days=300), revoked_at=ago(days=29))
    token("in-use", expires_at=NOW + datetime.timedelta(days=30))
    ask(364, "recent")
    old_event = SharingEvent.objects.create(owner=person, kind="asked", happened_at=ago(days=731))
    SharingEvent.objects.create(owner=person, kind="asked", happened_at=ago(days=729))
    expiring["sharing.SharingEvent"] = {old_event.pk}

    old_action, old_log = audit(731)
    audit(729)
    expiring["moderation.AccountAction"] = {old_action}
    expiring["admin.LogEntry"] = {old_log}
    return expiring


def snapshot():
    """{label: set of primary keys} for every model with a table."""
    return {
        model._meta.label: set(model._base_manager.values_list("pk", flat=True))
        for model in apps.get_models()
        if model._meta.managed
    }


def test_the_sweep_removes_exactly_the_expired_rows_of_every_kind(db):
    expiring = make_rows_of_every_kind()
    assert set(expiring) == {rule.label for rule in rules.rules_that_expire()}, "a swept kind is not tested"
    before = snapshot()

    would_remove = services.expired_purge(now=NOW, dry_run=True)

    assert snapshot() == before, "the dry run removed something"
    assert would_remove == {label: len(pks) for label, pks in expiring.items()}

    removed = services.expired_purge(now=NOW)

    assert removed == would_remove
    after = snapshot()
    gone = {label: pks - after[label] for label, pks in before.items() if pks - after[label]}
    assert gone == expiring
    assert services.expired_purge(now=NOW) == dict.fromkeys(expiring, 0)
    assert services.expired_purge(now=NOW, dry_run=True) == dict.fromkeys(expiring, 0)


def test_it_deletes_in_batches_each_in_its_own_transaction(db):
    owner = UserFactory()
    for _ in range(5):
        pending = PendingImport.objects.create(
            owner=owner, file_name="a.vcf", file_format="vcard", payload="{}"
        )
        set_created(PendingImport, pending.pk, "created_at", ago(days=2))
    kept = PendingImport.objects.create(owner=owner, file_name="b.vcf", file_format="vcard", payload="{}")

    with CaptureQueriesContext(connection) as queries:
        removed = services.expired_purge(now=NOW, batch_size=2)

    deletes = [
        query["sql"] for query in queries if query["sql"].startswith('DELETE FROM "privacy_pendingimport"')
    ]
    assert len(deletes) == 3  # 2 + 2 + 1
    savepoints = [query["sql"] for query in queries if query["sql"].startswith("SAVEPOINT")]
    assert len(savepoints) >= 3 + 1  # a transaction per batch, and the empty look that ends the loop
    assert removed["privacy.PendingImport"] == 5
    assert list(PendingImport.objects.values_list("pk", flat=True)) == [kept.pk]


# --- Digests: counts survive the rows -------------------------------------------------------------


def make_digests(day, sent=0, failed=0, queued=0):
    for status, count in [
        (DigestStatus.SENT, sent),
        (DigestStatus.FAILED, failed),
        (DigestStatus.QUEUED, queued),
    ]:
        for _ in range(count):
            Digest.objects.create(user=UserFactory(), scheduled_on=day, status=status, queued_at=NOW)


def test_settled_days_are_counted_once_and_the_figures_outlive_the_rows(db):
    old_day = TODAY - datetime.timedelta(days=10)
    make_digests(old_day, sent=3, failed=1, queued=1)
    make_digests(TODAY - datetime.timedelta(days=1), sent=2)  # not settled yet: stays live
    assert digest_counts_roll_up(now=NOW) == 1
    assert digest_counts_roll_up(now=NOW) == 0
    assert list(DigestDayCount.objects.values_list("day", "sent", "failed")) == [(old_day, 3, 1)]

    # New rows for a counted day are not counted again; the figures read the count, not the rows.
    make_digests(old_day, sent=5)
    figures = {row["day"]: row for row in digests_per_day(now=NOW)}
    assert figures[old_day] == {"day": old_day, "sent": 3, "failed": 1}
    assert figures[TODAY - datetime.timedelta(days=1)]["sent"] == 2

    # The rows go; the weekly figure keeps the count.
    Digest.objects.filter(scheduled_on=old_day).delete()
    weeks = {row["week"]: row["count"] for row in digests_sent_per_week(now=NOW)}
    old_monday = old_day - datetime.timedelta(days=old_day.weekday())
    assert weeks[old_monday] == 3
    assert sum(weeks.values()) == 3 + 2
    page_weeks = {row["week"]: row["digests_sent"] for row in site_figures(now=NOW)["weeks"]}
    assert page_weeks == weeks


def test_the_sweep_counts_a_day_before_its_rows_go(db):
    day = TODAY - datetime.timedelta(days=100)
    make_digests(day, sent=2, failed=1)

    removed = services.expired_purge(now=NOW)

    assert removed["checkins.Digest"] == 3
    assert DigestDayCount.objects.get(day=day).sent == 2
    assert DigestDayCount.objects.get(day=day).failed == 1


def test_the_dry_run_counts_nothing_into_the_aggregate(db):
    make_digests(TODAY - datetime.timedelta(days=100), sent=2)
    assert services.expired_purge(now=NOW, dry_run=True)["checkins.Digest"] == 2
    assert not DigestDayCount.objects.exists()
    assert Digest.objects.count() == 2


def test_the_export_lists_what_is_kept_after_the_sweep(db, user):
    for days_ago in (120, 30):
        Digest.objects.create(
            user=user,
            scheduled_on=TODAY - datetime.timedelta(days=days_ago),
            status=DigestStatus.SENT,
            queued_at=ago(days=days_ago),
        )
    services.expired_purge(now=NOW)
    history = export_everything(user=user, now=NOW)["reminder_history"]
    assert [entry["scheduled_on"] for entry in history] == [(TODAY - datetime.timedelta(days=30)).isoformat()]


# --- The command, the task, /healthz ----------------------------------------------------------------


def test_the_command_s_dry_run_prints_the_counts_and_removes_nothing(db, capsys):
    owner = UserFactory()
    pending = PendingImport.objects.create(owner=owner, file_name="a.vcf", file_format="vcard", payload="{}")
    set_created(
        PendingImport,
        pending.pk,
        "created_at",
        datetime.datetime.now(datetime.UTC) - datetime.timedelta(days=2),
    )

    call_command("purge_expired", "--dry-run")
    output = capsys.readouterr().out
    assert "privacy.PendingImport: would remove 1" in output
    assert "Total: would remove 1 row(s)." in output
    assert PendingImport.objects.filter(pk=pending.pk).exists()
    assert not PurgeHeartbeat.objects.exists()

    call_command("purge_expired", "--batch-size", "1")
    output = capsys.readouterr().out
    assert "privacy.PendingImport: removed 1" in output
    assert not PendingImport.objects.filter(pk=pending.pk).exists()
    assert PurgeHeartbeat.objects.get().rows_removed == 1


def test_the_command_prints_the_readme_table(db, capsys):
    call_command("purge_expired", "--table")
    assert capsys.readouterr().out == rules.retention_table_markdown()


def test_healthz_reports_the_retention_sweep_beside_the_reminder_sweep(client, db):
    assert client.get(reverse("healthz")).json()["last_retention_sweep_at"] is None
    purge_expired.apply()
    report = client.get(reverse("healthz")).json()
    finished_at = datetime.datetime.fromisoformat(report["last_retention_sweep_at"])
    assert abs(finished_at - datetime.datetime.now(datetime.UTC)) < datetime.timedelta(minutes=1)
    assert "last_reminder_sweep_at" in report


@pytest.mark.worker
def test_beat_s_task_runs_the_sweep_in_a_real_worker(celery_worker_process, transactional_db):
    owner = UserFactory()
    pending = PendingImport.objects.create(owner=owner, file_name="a.vcf", file_format="vcard", payload="{}")
    set_created(
        PendingImport,
        pending.pk,
        "created_at",
        datetime.datetime.now(datetime.UTC) - datetime.timedelta(days=2),
    )

    purge_expired.delay()

    wait_until(PurgeHeartbeat.objects.exists, timeout=20, what="the worker to run the sweep")
    assert PurgeHeartbeat.objects.get().rows_removed == 1
    assert not PendingImport.objects.exists()


# --- Redis: every key belongs to a family in the table -------------------------------------------------


@pytest.mark.worker
def test_every_redis_key_belongs_to_a_family_that_expires_as_stated(
    celery_worker_process, transactional_db, client
):
    """Use every feature that writes to Redis, then look at every key there."""
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    from accounts.services import account_signup_notice_claim
    from tests.test_two_factor import totp_code

    person = UserFactory(email="keys@example.com")
    for _ in range(2):  # failed sign-ins: allauth's rate limits
        client.post(reverse("account_login"), {"login": person.email, "password": "wrong password here"})
    client.force_login(person)
    client.post(reverse("privacy:delete_account"), {"password": "wrong password here"})
    secret = generate_totp_secret()
    assert TOTP.activate(person, secret).validate_code(totp_code(secret))  # marks the code used
    assert ping.delay().get(timeout=20) == "pong"  # the queue, the worker's bookkeeping, a result
    assert account_signup_notice_claim(email=person.email)  # a sign-up with a known address
    assert client.get("/api/v1/supporters").status_code == 200  # the API's rate limit
    SupporterFactory(owner=person)
    assert client.get(reverse("dashboard:home")).status_code == 200  # the kept page, the crisis lines

    connection_ = redis.Redis.from_url(settings.REDIS_URL)
    cache_prefix = settings.CACHES["default"]["KEY_PREFIX"]
    ours = []
    for raw in connection_.scan_iter(count=1000):
        key = raw.decode()
        if key.startswith(cache_prefix):
            ours.append((key, key.removeprefix(cache_prefix)))
        elif not key.startswith("test-"):  # other tests' cache key spaces
            ours.append((key, key))
    families_seen = set()
    for key, unprefixed in ours:
        family = next(
            (rule for rule in rules.REDIS_RETENTION if fnmatch.fnmatchcase(unprefixed, rule.pattern)), None
        )
        assert family is not None, f"Redis key {key!r} has no row in the retention table"
        families_seen.add(family.pattern)
        if family.max_ttl_seconds is not None:
            ttl = connection_.ttl(key)
            assert 0 < ttl <= family.max_ttl_seconds, (key, ttl)
    assert {
        ":1:allauth:rl:*",
        ":1:allauth.mfa.totp.used*",
        ":1:privacy:delete-account-failures:*",
        ":1:signup-notice:*",
        ":1:api-rate:*",
        ":1:dashboard-page:*",
        ":1:directory-version",
        ":1:crisis-lines:*",
        "celery-task-meta-*",
        "_kombu.binding*",
    } <= families_seen
