"""SupportNet settings, read from the environment.

Every variable is documented in `.env.example`. Without any, the app runs for development on
SQLite and a filesystem Celery broker under `var/`. With DEBUG off, production secrets have no
defaults: a missing SECRET_KEY or ALLOWED_HOSTS stops start-up with a clear message.
"""

from pathlib import Path

import environ
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured

from push import keys as push_keys

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DEBUG", default=True)
# Development defaults (SQLite, console email, plain HTTP, no production secrets) come with DEBUG.
# `make run` keeps them but turns DEBUG off, so a person trying the app meets the real error pages.
LOCAL_DEVELOPMENT = env.bool("LOCAL_DEVELOPMENT", default=DEBUG)


def required_in_production(name, development_default, cast=str):
    """Read a variable that must be set explicitly when DEBUG is off."""
    if name in env.ENVIRON:
        return env.list(name) if cast is list else env.str(name)
    if LOCAL_DEVELOPMENT:
        return development_default
    raise ImproperlyConfigured(
        f"{name} must be set when DEBUG is off. See .env.example for what it should contain."
    )


SECRET_KEY = required_in_production("SECRET_KEY", "dev-only-insecure-key-do-not-use-in-production")
ALLOWED_HOSTS = required_in_production(
    "ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]", "testserver"], cast=list
)
# The development server's address (`make run`); links in emails follow it unless SITE_URL is set.
HOST = env.str("HOST", default="127.0.0.1")
PORT = env.int("PORT", default=8000)
_LINK_HOST = "127.0.0.1" if HOST in {"0.0.0.0", "::", "[::]"} else HOST  # noqa: S104
SITE_URL = env.str("SITE_URL", default=f"http://{_LINK_HOST}:{PORT}").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "allauth.usersessions",
    "django_countries",  # its Spanish country names (the lists and the crisis page)
    "accounts",
    "dashboard",
    "contacts",
    "checkins",
    "wellbeing",
    "resources",
    "moderation",
    "privacy",
    "sharing",
    "retention",
    "api",
    "push",
    "benchdata",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # After sessions, before CommonMiddleware: the language of signed-out pages (cookie, Accept-Language).
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "csp.middleware.CSPMiddleware",
    "accounts.middleware.StaffTwoFactorMiddleware",
    "accounts.middleware.UserTimezoneMiddleware",
    "accounts.middleware.UserLanguageMiddleware",
    "supportnet.middleware.PrivatePagesNotCachedMiddleware",
]

ROOT_URLCONF = "supportnet.urls"
WSGI_APPLICATION = "supportnet.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# --- Data stores -------------------------------------------------------------------------------

DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'supportnet.sqlite3'}")}
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env.str("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
else:
    # A cache shared by the web process and the workers, so allauth's rate limits still count.
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": VAR_DIR / "cache",
        }
    }

# --- Celery ------------------------------------------------------------------------------------

CELERY_QUEUE_DIR = VAR_DIR / "celery" / "queue"
CELERY_PROCESSED_DIR = VAR_DIR / "celery" / "processed"
CELERY_RESULTS_DIR = VAR_DIR / "celery" / "results"
if REDIS_URL:
    CELERY_BROKER_URL = REDIS_URL
    CELERY_RESULT_BACKEND = REDIS_URL
else:
    # No server needed: kombu's filesystem transport, still a separate worker process.
    CELERY_BROKER_URL = "filesystem://"
    CELERY_RESULT_BACKEND = f"file://{CELERY_RESULTS_DIR}"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(CELERY_QUEUE_DIR),
        "data_folder_out": str(CELERY_QUEUE_DIR),
        "store_processed": True,
        "processed_folder": str(CELERY_PROCESSED_DIR),
    }
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default=CELERY_BROKER_URL)
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_RESULT_EXPIRES = 3600
CELERY_TASK_IGNORE_RESULT = True
# A task is acknowledged only once it has finished, so a worker that dies mid-task hands it back.
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SOFT_TIME_LIMIT = env.int("CELERY_TASK_SOFT_TIME_LIMIT", default=60)
# Celery kills a task at this age: REMINDER_CLAIM_TAKEBACK_SECONDS below counts on it.
CELERY_TASK_TIME_LIMIT = env.int("CELERY_TASK_TIME_LIMIT", default=90)
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Redis redelivers an unacknowledged message after this long. We never queue countdowns near it
# (the longest retry backoff is minutes), so a slow task is never delivered twice by accident.
if REDIS_URL:
    CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 6 * 3600}
CELERY_TIMEZONE = "UTC"
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")

# --- Email -------------------------------------------------------------------------------------

EMAIL_MAIL_DIR = VAR_DIR / "mail"
if "EMAIL_URL" in env.ENVIRON:
    globals().update(env.email_url("EMAIL_URL"))
elif "EMAIL_HOST" in env.ENVIRON:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_HOST = env.str("EMAIL_HOST")
    EMAIL_PORT = env.int("EMAIL_PORT", default=587)
    EMAIL_HOST_USER = env.str("EMAIL_HOST_USER", default="")
    EMAIL_HOST_PASSWORD = env.str("EMAIL_HOST_PASSWORD", default="")
    EMAIL_USE_TLS = env.bool("EMAIL_USE_TLS", default=True)
elif LOCAL_DEVELOPMENT:
    # Development: print each email and keep a copy under var/mail/ to read later.
    EMAIL_BACKEND = "supportnet.mail.ConsoleAndFileBackend"
else:
    raise ImproperlyConfigured("Set EMAIL_URL (or EMAIL_HOST and friends) when DEBUG is off.")
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=20)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="SupportNet <hello@supportnet.localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Accounts ----------------------------------------------------------------------------------

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "/"

ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
# After confirming the email a new person lands, signed in, on a guided first step.
ACCOUNT_SIGNUP_REDIRECT_URL = "dashboard:first_step"
ACCOUNT_CHANGE_EMAIL = True
ACCOUNT_SIGNUP_FORM_CLASS = "accounts.forms.SignupForm"
# The entrance forms in SupportNet's own words (labels only; allauth still does the checking); sign-up
# also answers a known address as it answers a new one (accounts.signup).
ACCOUNT_FORMS = {
    "login": "accounts.entrance_forms.LoginForm",
    "signup": "accounts.entrance_forms.SignupForm",
    "reset_password": "accounts.entrance_forms.ResetPasswordForm",
    "reset_password_from_key": "accounts.entrance_forms.ResetPasswordKeyForm",
    "change_password": "accounts.entrance_forms.ChangePasswordForm",
    "set_password": "accounts.entrance_forms.SetPasswordForm",
    "reauthenticate": "accounts.entrance_forms.ReauthenticateForm",
}
ACCOUNT_EMAIL_SUBJECT_PREFIX = "SupportNet: "
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "https" if SITE_URL.startswith("https") else "http"
ACCOUNT_RATE_LIMITS_ENABLED = env.bool("ACCOUNT_RATE_LIMITS_ENABLED", default=True)
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]

# --- Internationalisation, static files --------------------------------------------------------

LANGUAGE_CODE = "en-gb"
# British English is the source language; an English browser (en-US too) gets it. The translations
# need review by a native speaker before production (see their .po headers).
LANGUAGES = [("en-gb", "English"), ("es", "Español"), ("hi", "हिन्दी")]
LOCALE_PATHS = [BASE_DIR / "locale"]
# Dates, times and numbers follow the language (Django's format modules); weeks start on Monday in
# en-gb and es and on Sunday in hi, as there.
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not LOCAL_DEVELOPMENT
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
# In development whitenoise serves static/ as it is edited, with DEBUG on or off.
WHITENOISE_USE_FINDERS = WHITENOISE_AUTOREFRESH = LOCAL_DEVELOPMENT

# --- Security ----------------------------------------------------------------------------------


# Argon2 hashes new passwords; the others still check passwords hashed before the switch.
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]

# Two-step sign-in (allauth.mfa): optional for everyone, required for staff before /admin/.
MFA_TOTP_ISSUER = "SupportNet"
# allauth.usersessions lists where you are signed in. No per-request tracking of address and time.
USERSESSIONS_TRACK_ACTIVITY = False
# Changing the password keeps this session and signs out every other one (Django's session hash).
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
# Email the person when their password, email address or two-step sign-in changes.
ACCOUNT_EMAIL_NOTIFICATIONS = True
ACCOUNT_PREVENT_ENUMERATION = True
# Confirming a sensitive change (e.g. turning two-step sign-in off) takes the password or an app code,
# never an emailed code alone.
ACCOUNT_REAUTHENTICATION_METHODS = ["password", "mfa"]
ACCOUNT_ADAPTER = "accounts.adapter.AccountAdapter"
MFA_ADAPTER = "accounts.adapter.MFAAdapter"
# allauth's default, written out: failed sign-ins, 10 a minute per client address and 5 in five
# minutes per email address; the next one is answered 429 (accounts.adapter). Counted in the cache.
ACCOUNT_RATE_LIMITS = {"login_failed": "10/m/ip,5/5m/key"} if ACCOUNT_RATE_LIMITS_ENABLED else False
# Behind a reverse proxy: how allauth finds the client address for rate limits and the session list.
# Either the number of proxies you run that append to X-Forwarded-For, or one header your proxy sets.
ALLAUTH_TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
ALLAUTH_TRUSTED_CLIENT_IP_HEADER = env.str("TRUSTED_CLIENT_IP_HEADER", default="") or None

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
CSRF_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True
if not LOCAL_DEVELOPMENT:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    CSRF_TRUSTED_ORIGINS = [SITE_URL]

# Content-Security-Policy (django-csp 4): only our own scripts, styles and images; nothing inline.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        # The service worker (/sw.js) and the web app manifest, both from our own origin.
        "worker-src": ["'self'"],
        "manifest-src": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'none'"],
        "object-src": ["'none'"],
    }
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    # fontTools logs every step of font subsetting at INFO; one PDF would fill the log.
    "loggers": {"fontTools": {"level": "WARNING"}},
}

# --- Reminders ---------------------------------------------------------------------------------

# Beat runs the reminder sweep this often. Exactly one beat process may run (see README).
REMINDER_SWEEP_INTERVAL_SECONDS = env.int("REMINDER_SWEEP_INTERVAL_SECONDS", default=300)
# A sweep hands digests to the workers this many at a time; each batch is sent over one SMTP
# connection and stops starting new messages after REMINDER_BATCH_SECONDS (the rest are retried), so
# a batch ends inside the task's time limits whatever the mail server does.
REMINDER_BATCH_SIZE = env.int("REMINDER_BATCH_SIZE", default=50)
# By default what the hard time limit leaves once the last message's worst case (connect, commands,
# data: 3 * EMAIL_TIMEOUT) is set aside: 30 s.
REMINDER_BATCH_SECONDS = env.int("REMINDER_BATCH_SECONDS", default=CELERY_TASK_TIME_LIMIT - 3 * EMAIL_TIMEOUT)
if not 0 < REMINDER_BATCH_SECONDS <= CELERY_TASK_TIME_LIMIT - 3 * EMAIL_TIMEOUT:
    raise ImproperlyConfigured(
        "REMINDER_BATCH_SECONDS must be positive and leave 3 * EMAIL_TIMEOUT within CELERY_TASK_TIME_LIMIT."
    )
# SMTP failures are retried this many times, after delay * 2**attempt seconds; then recorded as failed.
REMINDER_SEND_RETRIES = env.int("REMINDER_SEND_RETRIES", default=3)
REMINDER_RETRY_DELAY_SECONDS = env.int("REMINDER_RETRY_DELAY_SECONDS", default=60)
# A failed digest is queued again by later sweeps until it has been tried this often; then that
# day's digest stays failed (with its reason, in the admin) and tomorrow's is due as usual.
REMINDER_MAX_ATTEMPTS = env.int("REMINDER_MAX_ATTEMPTS", default=12)
# A digest queued but not yet claimed by a sender this long has lost its queue message (Redis flushed
# or restarted): the sweep hands it to the queue again. Two sweep intervals, so a busy queue has had a
# whole interval to reach it; handing it over twice is harmless, since the claim decides who sends.
REMINDER_REQUEUE_AFTER_SECONDS = env.int(
    "REMINDER_REQUEUE_AFTER_SECONDS", default=2 * REMINDER_SWEEP_INTERVAL_SECONDS
)
# A claim ("sending") older than this belongs to a dead sender and is taken back. Celery kills a task
# at CELERY_TASK_TIME_LIMIT, so no live worker can still hold it; the margin covers the manual
# `send_reminders`, which re-checks its claim right before SMTP and then waits at most a few
# EMAIL_TIMEOUTs (connect, commands, data) for the server.
REMINDER_CLAIM_TAKEBACK_SECONDS = env.int(
    "REMINDER_CLAIM_TAKEBACK_SECONDS", default=CELERY_TASK_TIME_LIMIT + 3 * EMAIL_TIMEOUT
)
if REMINDER_CLAIM_TAKEBACK_SECONDS <= CELERY_TASK_TIME_LIMIT:
    raise ImproperlyConfigured("REMINDER_CLAIM_TAKEBACK_SECONDS must exceed CELERY_TASK_TIME_LIMIT.")
# /healthz answers 503 when beat's last finished sweep is older than this many sweep intervals.
REMINDER_SWEEP_STALE_AFTER_INTERVALS = env.int("REMINDER_SWEEP_STALE_AFTER_INTERVALS", default=3)
# How long the one-click links in a reminder email keep working.
REMINDER_LINK_MAX_AGE_DAYS = env.int("REMINDER_LINK_MAX_AGE_DAYS", default=14)
# The daily retention sweep runs at this UTC time.
RETENTION_SWEEP_HOUR = env.int("RETENTION_SWEEP_HOUR", default=3)
RETENTION_SWEEP_MINUTE = env.int("RETENTION_SWEEP_MINUTE", default=17)
CELERY_BEAT_SCHEDULE = {
    "reminder-sweep": {
        "task": "checkins.tasks.sweep_reminders",
        "schedule": REMINDER_SWEEP_INTERVAL_SECONDS,
        # A sweep that could not run in time is dropped: the next one covers everything anyway.
        "options": {"expires": REMINDER_SWEEP_INTERVAL_SECONDS},
    },
    # The retention table (README, retention/rules.py), applied once a day at a quiet hour.
    "retention-sweep": {
        "task": "retention.tasks.purge_expired",
        "schedule": crontab(minute=RETENTION_SWEEP_MINUTE, hour=RETENTION_SWEEP_HOUR),
        "options": {"expires": 6 * 3600},
    },
}

# --- Privacy: encryption at rest, data export and import ---------------------------------------


# Keys for the encrypted text fields (core/encryption.py): Fernet keys, comma separated, newest
# first. New values are encrypted with the first; any of them decrypts. Not derived from SECRET_KEY.
# Rotation: put a new key first, deploy, run `manage.py reencrypt`, then drop the old key.
FIELD_ENCRYPTION_KEYS = required_in_production(
    "FIELD_ENCRYPTION_KEYS", ["Ezoh4uepWVpP3AyY4CbCmTFRou2654HPfUsuSFw-0lA="], cast=list
)
# Error reports (emails to ADMINS, logs) never carry what a person typed or what a page held in
# memory: no POST values and no local variables, with DEBUG off (privacy/reporting.py).
DEFAULT_EXCEPTION_REPORTER_FILTER = "privacy.reporting.PrivateExceptionReporterFilter"

# --- API ---------------------------------------------------------------------------------------

# Requests per token (or per signed-in session) in each window, counted in the cache (Redis).
API_RATE_LIMIT_REQUESTS = env.int("API_RATE_LIMIT_REQUESTS", default=300)
API_RATE_LIMIT_WINDOW_SECONDS = env.int("API_RATE_LIMIT_WINDOW_SECONDS", default=60)
# The largest request body the API reads: far above any supporter or check-in.
API_MAX_BODY_BYTES = env.int("API_MAX_BODY_BYTES", default=64 * 1024)

# --- Benchmarks --------------------------------------------------------------------------------

# On only for `make bench`: mounts /bench/floor, the cheapest signed-in page, to measure against.
BENCH = env.bool("BENCH", default=False)

# --- Web Push (push/): reminders as phone notifications ------------------------------------------

# On by default in development; in production say WEBPUSH_ENABLED=true and give the VAPID key.
WEBPUSH_ENABLED = env.bool("WEBPUSH_ENABLED", default=DEBUG)
# The VAPID private key (base64url, 32 bytes): `manage.py push_keys` makes one. The public key is
# derived. Without it, development makes a pair once and keeps it in var/webpush-vapid-key.
WEBPUSH_VAPID_PRIVATE_KEY = env.str("WEBPUSH_VAPID_PRIVATE_KEY", default="")
if WEBPUSH_ENABLED and not WEBPUSH_VAPID_PRIVATE_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "WEBPUSH_ENABLED is on but WEBPUSH_VAPID_PRIVATE_KEY is not set. Make a key with "
            "`python manage.py push_keys`, or set WEBPUSH_ENABLED=false."
        )
    WEBPUSH_VAPID_PRIVATE_KEY = push_keys.development_private_key(VAR_DIR / "webpush-vapid-key")
try:
    WEBPUSH_VAPID_PUBLIC_KEY = (
        push_keys.public_key_of(WEBPUSH_VAPID_PRIVATE_KEY) if WEBPUSH_VAPID_PRIVATE_KEY else ""
    )
except ValueError as error:
    raise ImproperlyConfigured(str(error)) from None
# Who push services may write to about our pushes (RFC 8292 "sub"): a mailto: or https: address.
WEBPUSH_VAPID_SUBJECT = env.str("WEBPUSH_VAPID_SUBJECT", default="mailto:hello@supportnet.localhost")
# Seconds a push service may hold a reminder for a phone that is off (the day's reminder, not later).
WEBPUSH_TTL_SECONDS = env.int("WEBPUSH_TTL_SECONDS", default=12 * 3600)
WEBPUSH_TIMEOUT_SECONDS = env.int("WEBPUSH_TIMEOUT_SECONDS", default=10)
