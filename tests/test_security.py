"""Hardening: password hashing, rate limits, no account enumeration, headers, cookies, deploy checks."""

import datetime
import json
import os
import re
import secrets
import subprocess
import sys
import time
from html.parser import HTMLParser
from pathlib import Path

import pytest
import redis
from allauth.account.adapter import get_adapter
from cryptography.fernet import Fernet
from django.conf import settings as django_settings
from django.contrib.auth.hashers import Argon2PasswordHasher
from django.core.cache import cache
from django.test import Client, RequestFactory
from django.urls import get_resolver, reverse

from tests.factories import UserFactory
from tests.test_two_factor import PASSWORD, sign_in, totp_code
from tests.waiting import wait_until

ROOT = Path(__file__).resolve().parent.parent


def production_environment(**overrides):
    environment = {
        key: value
        for key, value in os.environ.items()
        if key
        not in {
            "DJANGO_SETTINGS_MODULE",
            "DJANGO_ALLOW_ASYNC_UNSAFE",
            "SECURE_SSL_REDIRECT",
            "SECURE_HSTS_SECONDS",
        }
    }
    environment.update(
        DEBUG="false",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="supportnet.example.org,testserver",
        SITE_URL="https://supportnet.example.org",
        EMAIL_URL="smtp://127.0.0.1:25",
        FIELD_ENCRYPTION_KEYS=Fernet.generate_key().decode(),
        **overrides,
    )
    return environment


def production_settings(*names):
    """Read settings as they are with DEBUG off, in a fresh process (settings are read at import)."""
    script = (
        "import json, django; from django.conf import settings; django.setup(); "
        f"print(json.dumps({{name: getattr(settings, name, None) for name in {list(names)!r}}}, default=str))"
    )
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        env={**production_environment(), "DJANGO_SETTINGS_MODULE": "supportnet.settings"},
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(result.stdout.splitlines()[-1])


# --- Passwords ------------------------------------------------------------------------------------


def test_it_hashes_passwords_with_argon2_in_production():
    values = production_settings("PASSWORD_HASHERS")
    assert values["PASSWORD_HASHERS"][0] == "django.contrib.auth.hashers.Argon2PasswordHasher"


def test_it_stores_new_passwords_as_argon2_and_rehashes_older_ones_at_sign_in(client, db, settings):
    from django.contrib.auth.hashers import make_password

    settings.PASSWORD_HASHERS = [name for name in settings.PASSWORD_HASHERS if "MD5" not in name]
    assert UserFactory().password.startswith("argon2$argon2id$")

    user = UserFactory(email="old@example.com")
    user.password = make_password(PASSWORD, hasher="pbkdf2_sha256")
    user.save(update_fields=["password"])
    sign_in(client, user.email)
    user.refresh_from_db()
    assert user.password.startswith("argon2$")


def test_it_has_the_password_validators_switched_on():
    names = [validator["NAME"].rsplit(".", 1)[-1] for validator in django_settings.AUTH_PASSWORD_VALIDATORS]
    assert names == [
        "UserAttributeSimilarityValidator",
        "MinimumLengthValidator",
        "CommonPasswordValidator",
        "NumericPasswordValidator",
    ]


# --- Rate limits ----------------------------------------------------------------------------------


def test_it_answers_429_to_the_sixth_failed_sign_in_within_minutes(client, user):
    for _ in range(5):
        response = sign_in(client, user.email, password="not my password")
        assert response.status_code == 200
        assert "not correct" in response.content.decode()

    response = sign_in(client, user.email, password="not my password")
    assert response.status_code == 429
    assert "Please wait a few minutes" in response.content.decode()

    response = sign_in(client, user.email)
    assert response.status_code == 429, "even the right password waits"
    assert client.get(reverse("contacts:list")).status_code == 302


def test_it_counts_failed_sign_ins_per_address_whatever_its_case_and_spaces(client, user):
    """The lock is on the address, not on how it was typed: five variants are five guesses at one account."""
    for typed in [
        "Owner@Example.com",
        " owner@example.com",
        "OWNER@EXAMPLE.COM ",
        "owner@EXAMPLE.com",
        "owner@example.com",
    ]:
        assert sign_in(client, typed, password="not my password").status_code == 200
    for typed in [user.email, "  Owner@Example.COM  "]:
        assert sign_in(Client(), typed).status_code == 429, "the right password waits too, from any browser"


def test_it_lets_the_owner_back_in_at_once_by_resetting_the_password(client, user, mailoutbox):
    """The trade-off we chose: anyone can lock an address for five minutes, and its owner can always
    end that at once with the reset link, which only the owner receives."""
    for _ in range(5):
        sign_in(client, user.email, password="not my password")
    assert sign_in(client, user.email).status_code == 429

    owner = Client()
    owner.post(reverse("account_reset_password"), {"email": user.email})
    [message] = mailoutbox
    link = re.search(r"https?://[^/\s]+(/accounts/password/reset/key/[^\s]+/)", message.body).group(1)
    form_url = owner.get(link).url
    new_password = "a brand new calm passphrase"
    assert owner.post(form_url, {"password1": new_password, "password2": new_password}).status_code == 302
    response = sign_in(owner, user.email, password=new_password)
    assert response.status_code == 302
    assert owner.get(reverse("dashboard:home")).status_code == 200


def test_it_keeps_the_rate_limit_counts_in_redis(client, user):
    sign_in(client, user.email, password="not my password")
    connection = redis.Redis.from_url(django_settings.REDIS_URL)
    prefix = django_settings.CACHES["default"]["KEY_PREFIX"]
    assert django_settings.CACHES["default"]["BACKEND"] == "django.core.cache.backends.redis.RedisCache"
    assert list(connection.scan_iter(f"{prefix}:*allauth:rl:allauth.account:login_failed*"))


def test_it_rate_limits_the_admin_sign_in_too(client, user):
    """The admin's own form is closed; its sign-in is allauth's, with the same limit."""
    user.is_staff = True
    user.save(update_fields=["is_staff"])
    admin_login = client.get(reverse("admin:index")).url
    sign_in_url = client.get(admin_login).url
    assert sign_in_url.startswith(reverse("account_login"))

    for _ in range(5):
        response = client.post(
            sign_in_url, {"login": user.email, "password": "guess"}, headers={"referer": admin_login}
        )
        assert response.status_code == 200
    response = client.post(sign_in_url, {"login": user.email, "password": "guess"})
    assert response.status_code == 429

    response = client.post(admin_login, {"username": user.email, "password": "guess"})
    assert response.status_code == 302, "the admin form never checks a password itself"
    assert response.url.startswith(reverse("account_login"))


def test_it_counts_the_client_address_from_the_proxy_header_when_told_to(settings):
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="203.0.113.7, 10.0.0.1")
    assert get_adapter().get_client_ip(request) == "10.0.0.2", "by default the header is not trusted"

    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    assert get_adapter().get_client_ip(request) == "10.0.0.1"
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 2
    assert get_adapter().get_client_ip(request) == "203.0.113.7"

    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 0
    settings.ALLAUTH_TRUSTED_CLIENT_IP_HEADER = "X-Real-IP"
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.2", HTTP_X_REAL_IP="198.51.100.4")
    assert get_adapter().get_client_ip(request) == "198.51.100.4"


def test_it_applies_the_per_address_limit_to_the_forwarded_address(client, db, settings):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1

    def fail_from(address, email):
        return client.post(
            reverse("account_login"),
            {"login": email, "password": "guess"},
            headers={"x-forwarded-for": address},
        )

    for number in range(10):
        assert fail_from("203.0.113.7", f"someone{number}@example.com").status_code == 200
    assert fail_from("203.0.113.7", "someone-else@example.com").status_code == 429
    assert fail_from("198.51.100.4", "someone-else@example.com").status_code == 200


def test_it_reads_the_proxy_settings_from_the_environment():
    environment = production_environment(TRUSTED_PROXY_COUNT="1", TRUSTED_CLIENT_IP_HEADER="X-Real-IP")
    script = (
        "import django; from django.conf import settings; django.setup(); "
        "print(settings.ALLAUTH_TRUSTED_PROXY_COUNT, settings.ALLAUTH_TRUSTED_CLIENT_IP_HEADER)"
    )
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        env={**environment, "DJANGO_SETTINGS_MODULE": "supportnet.settings"},
        capture_output=True,
        text=True,
        check=True,
    )
    assert result.stdout.split() == ["1", "X-Real-IP"]


# --- No account enumeration -----------------------------------------------------------------------


def visible_text(response):
    """The page with the address typed in and the per-render CSRF token taken out."""
    page = (
        response.content.decode()
        .replace("unknown@example.com", "EMAIL")
        .replace("known@example.com", "EMAIL")
    )
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", page)


def test_it_answers_sign_up_the_same_for_a_known_and_an_unknown_address(db, mailoutbox):
    UserFactory(email="known@example.com")
    answers = []
    for email in ["known@example.com", "unknown@example.com"]:
        client = Client()
        response = client.post(
            reverse("account_signup"),
            {"email": email, "password1": PASSWORD, "password2": PASSWORD, "timezone": "UTC"},
        )
        page = client.get(response.url)
        answers.append((response.status_code, response.url, page.status_code, visible_text(page)))
    assert answers[0] == answers[1]
    assert [message.to for message in mailoutbox] == [["known@example.com"], ["unknown@example.com"]]


class CountingArgon2Hasher(Argon2PasswordHasher):
    """Production's hasher, counting the passwords it hashes."""

    hashed = 0

    def encode(self, password, salt):
        type(self).hashed += 1
        return super().encode(password, salt)


def sign_up(client, email, password=PASSWORD):
    return client.post(
        reverse("account_signup"),
        {"email": email, "password1": password, "password2": password, "timezone": "UTC"},
    )


def test_it_hashes_one_password_on_sign_up_whether_or_not_the_address_has_an_account(db, settings):
    """Hashing is nearly all of a sign-up's time: skipping it for a known address would answer it faster."""
    settings.PASSWORD_HASHERS = ["tests.test_security.CountingArgon2Hasher"]
    UserFactory(email="known@example.com")
    hashed = {}
    for email in ["known@example.com", "unknown@example.com"]:
        CountingArgon2Hasher.hashed = 0
        assert sign_up(Client(), email).status_code == 302
        hashed[email] = CountingArgon2Hasher.hashed
    assert hashed == {"known@example.com": 1, "unknown@example.com": 1}


@pytest.mark.parametrize("rate_limits", ["on", "off"])
def test_it_tells_the_owner_of_an_address_of_sign_up_attempts_once_a_day(
    db, inbox, settings, monkeypatch, rate_limits
):
    """The first attempt is always told, even right after the account's own sign-up (allauth's cooldown for
    that address is running); a flood of attempts is told once; a "day" later, the next attempt again.
    The day is shortened to four seconds here."""
    from accounts import services

    monkeypatch.setattr(services, "SIGNUP_NOTICE_INTERVAL", datetime.timedelta(seconds=4))
    if rate_limits == "off":
        settings.ACCOUNT_RATE_LIMITS = False
    assert sign_up(Client(), "owner@example.com").status_code == 302
    [confirmation] = inbox.wait_for(1)
    assert "confirm" in confirmation["Subject"].lower()

    started = time.monotonic()
    for _ in range(5):
        assert sign_up(Client(), " Owner@Example.com ").url == reverse("account_email_verification_sent")
    assert time.monotonic() - started < 3, "the flood must fit in the shortened day"
    [notice] = inbox.wait_for(2)[1:]
    assert notice["Subject"] == "SupportNet: Someone tried to sign up with your address"
    assert notice["To"] == "owner@example.com"
    assert "at most once a day" in notice.get_content()

    # Mail goes out within the request (SMTP answers 250 once the sink holds it), so what is in the
    # inbox now is all that was sent. Then wait for the shortened day to end, not a fixed time.
    assert len(inbox.messages) == 2, "five attempts, one email"
    wait_until(
        lambda: not cache.has_key(services.signup_notice_key("owner@example.com")),
        timeout=10,
        what="the shortened day to end",
    )
    sign_up(Client(), "owner@example.com")
    sign_up(Client(), "owner@example.com")
    assert [message["To"] for message in inbox.messages[1:]] == ["owner@example.com"] * 2


def test_it_answers_sign_up_the_same_right_after_the_account_s_own_sign_up(db, inbox):
    """allauth's per-address cooldown is running for the known address: the answer must not show it."""
    sign_up(Client(), "known@example.com")
    answers = []
    for email in ["known@example.com", "unknown@example.com"]:
        client = Client()
        response = sign_up(client, email)
        page = client.get(response.url)
        answers.append(
            (
                response.status_code,
                response.url,
                sorted(response.cookies),
                page.status_code,
                visible_text(page),
            )
        )
    assert answers[0] == answers[1]
    assert "We have sent you an email with a link" in answers[0][-1]


def test_it_answers_password_reset_the_same_for_a_known_and_an_unknown_address(db, mailoutbox):
    UserFactory(email="known@example.com")
    answers = []
    for email in ["known@example.com", "unknown@example.com"]:
        client = Client()
        response = client.post(reverse("account_reset_password"), {"email": email})
        page = client.get(response.url)
        answers.append((response.status_code, response.url, page.status_code, visible_text(page)))
    assert answers[0] == answers[1]
    assert [message.to for message in mailoutbox] == [["known@example.com"], ["unknown@example.com"]]


def test_it_answers_a_failed_sign_in_the_same_for_a_known_and_an_unknown_address(client, db):
    UserFactory(email="known@example.com")
    known = sign_in(client, "known@example.com", password="guess")
    unknown = sign_in(client, "unknown@example.com", password="guess")
    assert known.status_code == unknown.status_code == 200
    assert visible_text(known) == visible_text(unknown)


# --- Headers and cookies --------------------------------------------------------------------------


def test_it_sends_a_strict_content_security_policy(client, db):
    response = client.get(reverse("account_login"))
    policy = dict(
        part.strip().split(" ", 1) for part in response.headers["Content-Security-Policy"].split(";")
    )
    assert policy["default-src"] == "'self'"
    assert policy["script-src"] == "'self'"
    assert policy["style-src"] == "'self'"
    assert policy["frame-ancestors"] == "'none'"
    assert policy["object-src"] == "'none'"
    assert "unsafe" not in response.headers["Content-Security-Policy"]


def test_it_sends_the_framing_referrer_and_sniffing_headers(client, db):
    response = client.get(reverse("dashboard:crisis"))
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_it_tells_browsers_not_to_store_signed_in_pages(owner_client):
    for name in ["dashboard:home", "accounts:settings", "mfa_index", "usersessions_list", "dashboard:crisis"]:
        response = owner_client.get(reverse(name))
        assert "no-store" in response.headers["Cache-Control"], name
        assert "private" in response.headers["Cache-Control"], name


def test_it_tells_browsers_not_to_store_the_answer_that_signs_someone_in(client, user):
    response = sign_in(client, user.email)
    assert "no-store" in response.headers["Cache-Control"]


def test_it_lets_public_pages_be_cached(client, db):
    response = client.get(reverse("dashboard:crisis"))
    assert "no-store" not in response.headers.get("Cache-Control", "")


def test_it_marks_the_session_and_csrf_cookies_httponly_and_samesite(client, user):
    client.get(reverse("account_login"))
    sign_in(client, user.email)
    for name in ["sessionid", "csrftoken"]:
        cookie = client.cookies[name]
        assert cookie["httponly"], name
        assert cookie["samesite"] == "Lax", name


def test_it_marks_cookies_secure_and_turns_on_https_and_hsts_in_production():
    values = production_settings(
        "SESSION_COOKIE_SECURE",
        "CSRF_COOKIE_SECURE",
        "SECURE_SSL_REDIRECT",
        "SECURE_HSTS_SECONDS",
        "SECURE_HSTS_INCLUDE_SUBDOMAINS",
        "SECURE_PROXY_SSL_HEADER",
    )
    assert values == {
        "SESSION_COOKIE_SECURE": True,
        "CSRF_COOKIE_SECURE": True,
        "SECURE_SSL_REDIRECT": True,
        "SECURE_HSTS_SECONDS": 31536000,
        "SECURE_HSTS_INCLUDE_SUBDOMAINS": True,
        "SECURE_PROXY_SSL_HEADER": ["HTTP_X_FORWARDED_PROTO", "https"],
    }


def test_it_redirects_to_https_and_sends_hsts_with_production_settings(client, db, settings):
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_HSTS_SECONDS = 31536000
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

    response = client.get(reverse("dashboard:crisis"))
    assert response.status_code == 301
    assert response.url.startswith("https://")

    response = client.get(reverse("dashboard:crisis"), headers={"x-forwarded-proto": "https"})
    assert response.status_code == 200
    assert response.headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"


def test_it_passes_the_deploy_checks_with_production_settings():
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=production_environment(),
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


# --- No inline scripts or styles anywhere we render ------------------------------------------------


class InlineCodeFinder(HTMLParser):
    """Collects everything a strict CSP would block: inline <script>/<style>, style= and on*= attributes."""

    def __init__(self):
        super().__init__()
        self.problems = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "script" and "src" not in attributes:
            self.problems.append(f"inline <script> {attributes}")
        if tag == "style":
            self.problems.append("<style> element")
        for name, value in attrs:
            if name == "style" or name.startswith("on"):
                self.problems.append(f"<{tag} {name}={value!r}>")
            if name in {"href", "src", "action"} and (value or "").strip().lower().startswith("javascript:"):
                self.problems.append(f"<{tag} {name}={value!r}>")


def inline_code(response):
    finder = InlineCodeFinder()
    finder.feed(response.content.decode())
    return finder.problems


@pytest.fixture
def staff_signed_in_with_two_step(client, db):
    from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    staff = UserFactory(email="moderator@example.com", is_staff=True, is_superuser=True)
    secret = generate_totp_secret()
    TOTP.activate(staff, secret)
    RecoveryCodes.activate(staff)
    sign_in(client, staff.email)
    client.post(reverse("mfa_authenticate"), {"code": totp_code(secret)})
    client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    return client


ANONYMOUS_PAGES = [
    "account_login",
    "account_signup",
    "account_reset_password",
    "account_reset_password_done",
    "account_email_verification_sent",
    "dashboard:crisis",
]


def site_paths(pk):
    """Every page of the site outside the admin: routes without arguments, and `pk` for those with one."""

    def walk(patterns, prefix=""):
        for pattern in patterns:
            if hasattr(pattern, "url_patterns"):
                yield from walk(pattern.url_patterns, prefix + str(pattern.pattern))
            else:
                yield prefix + str(pattern.pattern)

    for route in walk(get_resolver().url_patterns):
        if route.startswith("admin/") or "^" in route:
            continue
        if "<int:pk>" in route:
            route = route.replace("<int:pk>", str(pk))
        if "<" not in route:
            yield "/" + route


@pytest.mark.parametrize("name", ANONYMOUS_PAGES)
def test_it_renders_signed_out_pages_without_inline_code(client, db, name):
    response = client.get(reverse(name))
    assert response.status_code == 200
    assert inline_code(response) == []


def test_it_renders_every_signed_in_page_without_inline_code(staff_signed_in_with_two_step):
    from tests.factories import SupporterFactory

    client = staff_signed_in_with_two_step
    supporter = SupporterFactory(owner=client.get(reverse("accounts:settings")).wsgi_request.user)
    paths = [*site_paths(supporter.pk), reverse("admin:index"), reverse("admin:accounts_user_changelist")]
    checked, problems = [], {}
    for path in paths:
        response = client.get(path)
        if response.status_code == 200 and response.headers["Content-Type"].startswith("text/html"):
            checked.append(path)
            assert "Content-Security-Policy" in response.headers, path
            if inline_code(response):
                problems[path] = inline_code(response)
    assert problems == {}
    for expected in [reverse("mfa_index"), reverse("usersessions_list"), f"/supporters/{supporter.pk}/edit/"]:
        assert expected in checked


def test_it_renders_the_two_step_set_up_page_without_inline_code(owner_client):
    owner_client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    response = owner_client.get(reverse("mfa_activate_totp"))
    assert response.status_code == 200
    assert "<svg" in response.content.decode(), "the QR code is inline SVG, not a data: image"
    assert inline_code(response) == []


def test_it_renders_the_pending_email_change_and_the_code_step_without_inline_code(client, user):
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    client.force_login(user)
    client.post(reverse("account_email"), {"action_add": "", "email": "moved@example.com"})
    response = client.get(reverse("account_email"))
    assert "moved@example.com" in response.content.decode()
    assert inline_code(response) == []

    TOTP.activate(user, generate_totp_secret())
    client.post(reverse("account_logout"))
    response = sign_in(client, user.email)
    response = client.get(response.url)
    assert inline_code(response) == []


def test_it_finds_inline_code_when_there_is_some():
    class Page:
        content = b'<p style="color:red" onclick="x()"><script>alert(1)</script><a href="javascript:x()">'

    assert len(inline_code(Page())) == 4
