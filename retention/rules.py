"""The retention table: how long each kind of stored data is kept, and why.

`RETENTION` covers every model (ours and the third-party apps we store), `REDIS_RETENTION` every
family of Redis keys. The README's table is `retention_table_markdown()` (a test compares them,
and another fails when a model has no entry). A rule with `expired` is applied by the daily sweep
(`retention.services.expired_purge`); one without is kept until its owner or a person removes it.
Deleting an account removes every row that belongs to the person at once, whatever its rule.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass

from allauth.account import app_settings as allauth_account_settings
from allauth.account.models import EmailConfirmation
from allauth.usersessions.models import UserSession
from django.conf import settings
from django.contrib.admin.models import LogEntry
from django.contrib.sessions.models import Session
from django.db.models import Q, QuerySet

from api.models import AccessToken
from checkins.models import Digest, DigestStatus, UsedActionToken
from moderation.models import AccountAction
from privacy.models import PendingImport
from privacy.services import PENDING_IMPORT_LIFETIME
from sharing.models import SharingEvent, SupportAsk

DIGEST_LIFETIME = datetime.timedelta(days=90)
# A digest in one of these states will not change again. Others belong to the reminder sweep.
DIGEST_FINAL_STATUSES = [DigestStatus.SENT, DigestStatus.FAILED, DigestStatus.SKIPPED, DigestStatus.MISSED]
AUDIT_LIFETIME = datetime.timedelta(days=2 * 365)
SUPPORT_ASK_LIFETIME = datetime.timedelta(days=365)
# An ended token stays listed a while, so its owner can see what stopped and when.
ENDED_TOKEN_LIFETIME = datetime.timedelta(days=30)


@dataclass(frozen=True)
class Rule:
    label: str  # "app_label.ModelName"
    kept: str
    why: str
    expired: Callable[[datetime.datetime], QuerySet] | None = None


@dataclass(frozen=True)
class RedisRule:
    pattern: str  # a Redis glob over the keys of that family (cache keys as Django writes them: ":1:...")
    kept: str
    why: str
    max_ttl_seconds: int | None = None  # every key of the family expires within this; None: no TTL


def _expired_sessions(now):
    return Session.objects.filter(expire_date__lt=now)


def _stale_user_sessions(now):
    # allauth's list of sign-ins: an entry whose Django session is gone or expired signs nobody in.
    live_keys = Session.objects.filter(expire_date__gte=now).values("session_key")
    return UserSession.objects.exclude(session_key__in=live_keys)


def _expired_email_confirmations(now):
    return EmailConfirmation.objects.filter(
        created__lt=now - datetime.timedelta(days=allauth_account_settings.EMAIL_CONFIRMATION_EXPIRE_DAYS)
    )


def _expired_pending_imports(now):
    return PendingImport.objects.filter(created_at__lt=now - PENDING_IMPORT_LIFETIME)


def _expired_used_action_tokens(now):
    # A link is signed before it is used, so once `used_at` is older than the links' lifetime its
    # signature has expired too: a second click is refused by the signature, not by this row.
    return UsedActionToken.objects.filter(
        used_at__lt=now - datetime.timedelta(days=settings.REMINDER_LINK_MAX_AGE_DAYS)
    )


def _expired_digests(now):
    # By the person's local day; a day of UTC either way changes nothing at this length.
    return Digest.objects.filter(
        scheduled_on__lt=now.date() - DIGEST_LIFETIME, status__in=DIGEST_FINAL_STATUSES
    )


def _expired_account_actions(now):
    return AccountAction.objects.filter(created_at__lt=now - AUDIT_LIFETIME)


def _expired_access_tokens(now):
    ended_before = now - ENDED_TOKEN_LIFETIME
    return AccessToken.objects.filter(Q(expires_at__lt=ended_before) | Q(revoked_at__lt=ended_before))


def _expired_support_asks(now):
    return SupportAsk.objects.filter(created_at__lt=now - SUPPORT_ASK_LIFETIME)


def _expired_sharing_events(now):
    return SharingEvent.objects.filter(happened_at__lt=now - AUDIT_LIFETIME)


def _expired_admin_log_entries(now):
    return LogEntry.objects.filter(action_time__lt=now - AUDIT_LIFETIME)


WHILE_THE_ACCOUNT = "while the account exists"

RETENTION = [
    # --- Ours ---
    Rule(
        "accounts.User",
        f"{WHILE_THE_ACCOUNT} (with its group memberships)",
        "The account itself; the person deletes it from the account page, and every row below that is theirs goes with it.",
    ),
    Rule(
        "contacts.Supporter",
        f"until the person deletes it, or {WHILE_THE_ACCOUNT}",
        "The person's own map of their network; archived supporters too, until they delete them.",
    ),
    Rule(
        "checkins.CheckIn",
        f"until the person deletes it, or {WHILE_THE_ACCOUNT}",
        "The person's own history, which the due dates and their charts are computed from.",
    ),
    Rule(
        "checkins.Digest",
        "90 days after its local day once sent, failed or skipped; then counts only",
        "Lets the person and the moderators see whether reminders arrive, and why one failed; the day's "
        "totals are kept in DigestDayCount first.",
        _expired_digests,
    ),
    Rule(
        "checkins.DigestDayCount",
        "kept",
        "Digests sent and failed per local day, summed over everyone: no person in it. The moderators' "
        "weekly figures.",
    ),
    Rule(
        "checkins.UsedActionToken",
        f"until its link's signature expires ({settings.REMINDER_LINK_MAX_AGE_DAYS} days after use)",
        "Stops a one-click link from acting twice; once the signature has expired the link is refused anyway.",
        _expired_used_action_tokens,
    ),
    Rule(
        "checkins.SweepHeartbeat", "one row, overwritten", "When the reminder sweep last ran, for /healthz."
    ),
    Rule(
        "wellbeing.SafetyPlan",
        f"until the person clears it, or {WHILE_THE_ACCOUNT}",
        "The person's crisis plan: it has to be there when needed.",
    ),
    Rule(
        "wellbeing.PlanPerson",
        "as long as its plan and its supporter",
        "Who is on the crisis plan, and whether they were told.",
    ),
    Rule(
        "wellbeing.SelfCheck",
        f"until the person deletes it, or {WHILE_THE_ACCOUNT}",
        "The monthly self-check: its value is the trend over months.",
    ),
    Rule("resources.Resource", "while moderators keep it listed", "The public directory: no person in it."),
    Rule(
        "moderation.AccountAction",
        "2 years; the account link is emptied when the account is deleted",
        "The audit of moderators' actions, for complaints and appeals.",
        _expired_account_actions,
    ),
    Rule("moderation.SiteFigures", "no table", "Only the admin's entry for the figures page."),
    Rule(
        "privacy.PendingImport",
        "24 hours after upload (and replaced by the person's next upload)",
        "An uploaded file (encrypted) waiting for the person to confirm the preview.",
        _expired_pending_imports,
    ),
    Rule(
        "privacy.CalendarFeed",
        "until turned off or replaced (a replaced token's hash is overwritten)",
        "The private calendar address; only a hash of its token is stored.",
    ),
    Rule(
        "sharing.SupporterConsent",
        f"until the person deletes the supporter, or {WHILE_THE_ACCOUNT}",
        'Whether a supporter agreed to hear from SupportNet, and their boundaries; a "no" is kept so '
        "they are never asked again.",
    ),
    Rule(
        "sharing.PlanShare",
        "until the person stops sharing, the supporter withdraws, or the account is deleted",
        "Lets one supporter who agreed read the current crisis plan; stopping deletes the row.",
    ),
    Rule(
        "api.AccessToken",
        "30 days after it expires or is revoked",
        "A personal access token, stored as a hash; an ended one stays listed a month so its owner sees what stopped.",
        _expired_access_tokens,
    ),
    Rule(
        "sharing.SupportAsk",
        "1 year after the ask (the check-in it logged stays with the check-ins)",
        "The person's asks for support and their message (encrypted), for their own history and export.",
        _expired_support_asks,
    ),
    Rule(
        "sharing.AskRecipient",
        "as long as its ask",
        "Who an ask went to, and whether SupportNet's email to them was sent.",
    ),
    Rule(
        "sharing.SharingEvent",
        "2 years",
        "The person's own record of invitations, answers, shares, asks and withdrawals.",
        _expired_sharing_events,
    ),
    Rule(
        "push.PushSubscription",
        "until the person removes the device or turns it off there, or its push service says it is gone",
        "Where the person's reminder notifications go (address and keys encrypted); a push service's "
        "404 or 410 deletes it at the next reminder.",
    ),
    Rule(
        "retention.PurgeHeartbeat", "one row, overwritten", "When the retention sweep last ran, for /healthz."
    ),
    # --- Django and allauth ---
    Rule(
        "sessions.Session",
        "until it expires (SESSION_COOKIE_AGE after sign-in) or the person signs out",
        "Keeps the person signed in; an expired one signs nobody in.",
        _expired_sessions,
    ),
    Rule(
        "usersessions.UserSession",
        "as long as its session",
        "The list of where the person is signed in (address and browser at sign-in).",
        _stale_user_sessions,
    ),
    Rule(
        "account.EmailAddress",
        WHILE_THE_ACCOUNT,
        "The person's addresses and which one is confirmed.",
    ),
    Rule(
        "account.EmailConfirmation",
        f"{allauth_account_settings.EMAIL_CONFIRMATION_EXPIRE_DAYS} days (the confirmation link's lifetime)",
        "Unused while confirmation links are signed (allauth's default); swept in case.",
        _expired_email_confirmations,
    ),
    Rule(
        "mfa.Authenticator",
        "until the person turns two-step sign-in off, or while the account exists",
        "The authenticator app's secret and recovery codes (encrypted).",
    ),
    Rule(
        "admin.LogEntry",
        "2 years; entries about an account are deleted with it",
        "The admin's own history of changes, for the same audits as the moderation log.",
        _expired_admin_log_entries,
    ),
    Rule("auth.Group", "kept", "Roles such as Moderators: configuration, no person in it."),
    Rule("auth.Permission", "kept", "Configuration made by migrations."),
    Rule("contenttypes.ContentType", "kept", "Configuration made by migrations."),
]

REDIS_RETENTION = [
    RedisRule(
        ":1:allauth:rl:*",
        "the rate limit's window (at most 5 minutes)",
        "Counts failed sign-ins per address and per client; it expires with its window.",
        max_ttl_seconds=300,
    ),
    RedisRule(
        ":1:allauth.mfa.totp.used*",
        "the code's validity window (about 90 seconds)",
        "Stops an authenticator code from being used twice.",
        max_ttl_seconds=300,
    ),
    RedisRule(
        ":1:signup-notice:*",
        "24 hours",
        "Remembers (by a hash of the address, never the address) that the owner of an existing account "
        "was told of a sign-up attempt, so they hear of it at most once a day.",
        max_ttl_seconds=24 * 3600,
    ),
    RedisRule(
        ":1:privacy:delete-account-failures:*",
        "5 minutes",
        "Counts wrong passwords on the delete-account form.",
        max_ttl_seconds=300,
    ),
    RedisRule(
        ":1:api-rate:*",
        "the API's rate-limit window (API_RATE_LIMIT_WINDOW_SECONDS, 60 by default) and 5 seconds",
        "Counts a token's (or a signed-in person's) API requests in the current window: a number only.",
        max_ttl_seconds=settings.API_RATE_LIMIT_WINDOW_SECONDS + 5,
    ),
    RedisRule(
        ":1:sharing:rl:*",
        "the rate limit's window (at most 24 hours)",
        "Counts a person's invitations (a day) and asks for support (an hour).",
        max_ttl_seconds=24 * 3600,
    ),
    RedisRule(
        ":1:network-version:*",
        "30 days after the person's last change",
        "A random token per person that every change to their supporters or check-ins replaces: it "
        "names their cached dashboard, so a change shows at once. No data.",
        max_ttl_seconds=30 * 24 * 3600,
    ),
    RedisRule(
        ":1:dashboard-page:*",
        "10 minutes at most (less when someone becomes due sooner)",
        "A person's dashboard in one language, as HTML with holes, and its summary: counts, who is due "
        "and the names of the people it shows. No notes, phone numbers, email or best times: every view "
        "reads those itself.",
        max_ttl_seconds=600,
    ),
    RedisRule(
        ":1:directory-version",
        "30 days after the directory's last change",
        "A random token that every change to the directory replaces, so its cached crisis lines are "
        "never shown after a change. No data.",
        max_ttl_seconds=30 * 24 * 3600,
    ),
    RedisRule(
        ":1:crisis-lines:*",
        "5 minutes",
        "The directory's published crisis lines for a country (public entries), under the directory's "
        "version.",
        max_ttl_seconds=300,
    ),
    RedisRule(
        ":1:template.cache.dashboard-*",
        "10 minutes",
        "Parts of the dashboard as HTML (the circles picture, recent check-ins, the weekly chart), each "
        "under a key that a change replaces.",
        max_ttl_seconds=600,
    ),
    RedisRule(
        "celery-task-meta-*",
        "1 hour (CELERY_RESULT_EXPIRES)",
        "A task's result, for the few callers that wait for one (an operator's ping): numbers only.",
        max_ttl_seconds=3600,
    ),
    RedisRule(
        "celery",
        "until a worker takes each message",
        "The task queue: ids only, never names or notes. The database, not the queue, holds what is due.",
    ),
    RedisRule(
        "unacked*",
        "until the worker finishes the task (redelivered after 6 hours)",
        "Messages a worker has taken but not finished, so a lost worker loses nothing.",
    ),
    RedisRule("_kombu.binding*", "kept", "Celery's routing table: no data."),
]


def rules_that_expire():
    return [rule for rule in RETENTION if rule.expired is not None]


def _row(*cells):
    return "| " + " | ".join(cell.replace("|", "\\|") for cell in cells) + " |"


def retention_table_markdown() -> str:
    """The README's retention tables, rendered from the rules above."""
    lines = [
        _row("what (model)", "kept", "why", "swept"),
        "|---|---|---|---|",
        *(_row(f"`{rule.label}`", rule.kept, rule.why, "yes" if rule.expired else "") for rule in RETENTION),
        "",
        _row("Redis keys", "kept", "why"),
        "|---|---|---|",
        *(_row(f"`{rule.pattern}`", rule.kept, rule.why) for rule in REDIS_RETENTION),
    ]
    return "\n".join(lines) + "\n"
