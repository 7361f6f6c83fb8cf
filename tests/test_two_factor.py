"""Two-step sign-in (TOTP and recovery codes), the staff requirement before /admin/, and sessions."""

import base64
import hashlib
import hmac
import json
import re
import struct
import time
from datetime import timedelta

import pytest
import time_machine
from allauth.mfa.models import Authenticator
from allauth.usersessions.models import UserSession
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.factories import UserFactory
from tests.test_devices import FIREFOX_WINDOWS, IPHONE

PASSWORD = "a calm long passphrase"


def totp_code(secret, at=None):
    """The six-digit RFC 6238 code an authenticator app shows for `secret` (SHA-1, 30 s steps)."""
    counter = int(at if at is not None else time.time()) // 30
    digest = hmac.new(
        base64.b32decode(secret, casefold=True), struct.pack(">Q", counter), hashlib.sha1
    ).digest()
    offset = digest[-1] & 0x0F
    number = struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF
    return f"{number % 1_000_000:06d}"


def sign_in(client, email, password=PASSWORD):
    return client.post(reverse("account_login"), {"login": email, "password": password})


def turn_on_two_step(client, password=PASSWORD):
    """Go through the real set-up pages; return the secret the page showed."""
    response = client.get(reverse("mfa_activate_totp"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_reauthenticate")), "asks for the password first"
    response = client.post(reverse("account_reauthenticate"), {"password": password})
    assert response.status_code == 302
    page = client.get(reverse("mfa_activate_totp")).content.decode()
    secret = re.search(r'id="authenticator_secret" value="([A-Z2-7]+)"', page).group(1)
    response = client.post(reverse("mfa_activate_totp"), {"code": totp_code(secret)})
    assert response.status_code == 302
    assert response.url == reverse("mfa_view_recovery_codes")
    return secret


def signed_in(client):
    return client.get(reverse("contacts:list")).status_code == 200


@pytest.fixture
def two_step_user(db):
    """A user with an authenticator app set up (secret known to the test) and recovery codes."""
    from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    user = UserFactory(email="careful@example.com")
    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    RecoveryCodes.activate(user)
    user.totp_secret = secret
    return user


def make_staff(user, *, superuser=False):
    user.is_staff = True
    user.is_superuser = superuser
    user.save(update_fields=["is_staff", "is_superuser"])
    return user


# --- The account page and allauth's pages --------------------------------------------------------


def test_it_offers_two_step_sign_in_and_the_session_list_on_the_account_page(owner_client):
    page = owner_client.get(reverse("accounts:settings")).content.decode()
    assert "Two-step sign-in" in page
    assert "<strong>Off.</strong>" in page
    assert reverse("mfa_index") in page
    assert reverse("usersessions_list") in page


def test_it_shows_two_step_sign_in_as_on_once_it_is(client, two_step_user):
    client.force_login(two_step_user)
    page = client.get(reverse("accounts:settings")).content.decode()
    assert "<strong>On.</strong>" in page
    assert "Manage two-step sign-in" in page


@pytest.mark.parametrize("name", ["mfa_index", "usersessions_list"])
def test_it_sends_anonymous_visitors_from_the_two_step_pages_to_sign_in(client, db, name):
    response = client.get(reverse(name))
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))


def test_it_shows_only_your_own_two_step_state(client, two_step_user, other_user):
    client.force_login(other_user)
    page = client.get(reverse("mfa_index")).content.decode()
    assert "<strong>Off.</strong>" in page
    assert "recovery codes" not in page.lower()


# --- Turning it on, signing in with it, turning it off -------------------------------------------


@pytest.mark.django_db(transaction=True)  # allauth sends the email once the change is committed
def test_it_turns_on_two_step_sign_in_with_a_real_code_and_asks_for_it_at_sign_in(client, user, mailoutbox):
    sign_in(client, user.email)
    secret = turn_on_two_step(client)

    assert Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
    assert Authenticator.objects.filter(user=user, type=Authenticator.Type.RECOVERY_CODES).exists()
    page = client.get(reverse("mfa_view_recovery_codes")).content.decode()
    assert len(re.findall(r"\b\d{8}\b", page)) == 10
    assert mailoutbox[-1].to == [user.email]
    assert "Authenticator app activated" in mailoutbox[-1].body

    client.post(reverse("account_logout"))
    with time_machine.travel(timezone.now() + timedelta(seconds=31), tick=False):
        response = sign_in(client, user.email)
        assert response.status_code == 302
        assert response.url == reverse("mfa_authenticate")
        assert not signed_in(client), "the password alone does not sign in"

        response = client.post(reverse("mfa_authenticate"), {"code": "123456"})
        assert response.status_code == 200
        assert "Incorrect code" in response.content.decode()
        assert not signed_in(client)

        response = client.post(reverse("mfa_authenticate"), {"code": totp_code(secret)})
        assert response.status_code == 302
        assert signed_in(client)


def test_it_refuses_a_wrong_code_when_turning_it_on(client, user):
    sign_in(client, user.email)
    client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    client.get(reverse("mfa_activate_totp"))
    response = client.post(reverse("mfa_activate_totp"), {"code": "000000"})
    assert response.status_code == 200
    assert "Incorrect code" in response.content.decode()
    assert not Authenticator.objects.filter(user=user).exists()


def test_it_does_not_accept_the_same_code_twice(client, two_step_user):
    code = totp_code(two_step_user.totp_secret)
    sign_in(client, two_step_user.email)
    client.post(reverse("mfa_authenticate"), {"code": code})
    assert signed_in(client)

    other_browser = Client()
    sign_in(other_browser, two_step_user.email)
    response = other_browser.post(reverse("mfa_authenticate"), {"code": code})
    assert response.status_code == 200
    assert not signed_in(other_browser)


def test_it_signs_in_with_a_recovery_code_only_once(client, two_step_user):
    from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes

    authenticator = Authenticator.objects.get(user=two_step_user, type=Authenticator.Type.RECOVERY_CODES)
    code = RecoveryCodes(authenticator).get_unused_codes()[0]

    sign_in(client, two_step_user.email)
    client.post(reverse("mfa_authenticate"), {"code": code})
    assert signed_in(client)

    client.post(reverse("account_logout"))
    sign_in(client, two_step_user.email)
    response = client.post(reverse("mfa_authenticate"), {"code": code})
    assert response.status_code == 200
    assert not signed_in(client)


def test_it_turns_off_two_step_sign_in_after_a_fresh_code_and_emails_the_owner(
    client, two_step_user, mailoutbox
):
    sign_in(client, two_step_user.email)
    client.post(reverse("mfa_authenticate"), {"code": totp_code(two_step_user.totp_secret)})

    with time_machine.travel(timezone.now() + timedelta(minutes=10), tick=False):
        response = client.post(reverse("mfa_deactivate_totp"))
        assert response.status_code == 302
        assert response.url.startswith(reverse("account_reauthenticate"))
        assert Authenticator.objects.filter(user=two_step_user, type=Authenticator.Type.TOTP).exists()

        client.post(reverse("mfa_reauthenticate"), {"code": totp_code(two_step_user.totp_secret)})
        response = client.post(reverse("mfa_deactivate_totp"))
        assert response.status_code == 302

    assert not Authenticator.objects.filter(user=two_step_user).exists()
    assert "Authenticator app deactivated" in mailoutbox[-1].body
    assert mailoutbox[-1].to == [two_step_user.email]


def test_it_confirms_sensitive_changes_with_the_password_or_a_code_never_an_email_alone(
    client, two_step_user
):
    client.force_login(two_step_user)
    page = client.get(reverse("account_reauthenticate")).content.decode()
    assert reverse("mfa_reauthenticate") in page
    assert "sign-in code" not in page
    assert client.post(reverse("account_request_reauthentication_code")).status_code == 403


# --- Staff must use it before /admin/ ------------------------------------------------------------


@pytest.mark.parametrize("superuser", [False, True])
def test_it_sends_staff_without_an_authenticator_to_set_one_up_before_the_admin(client, user, superuser):
    make_staff(user, superuser=superuser)
    sign_in(client, user.email)
    for path in [reverse("admin:index"), reverse("admin:accounts_user_changelist")]:
        response = client.get(path)
        assert response.status_code == 302
        assert response.url == reverse("mfa_activate_totp")


def test_it_asks_staff_who_signed_in_before_setting_it_up_for_a_code_before_the_admin(client, user):
    make_staff(user)
    sign_in(client, user.email)
    secret = turn_on_two_step(client)

    response = client.get(reverse("admin:index"))
    assert response.status_code == 302
    assert response.url == f"{reverse('mfa_reauthenticate')}?next=%2Fadmin%2F"

    with time_machine.travel(timezone.now() + timedelta(seconds=31), tick=False):
        response = client.post(response.url, {"code": totp_code(secret)})
        assert response.status_code == 302
        assert response.url == reverse("admin:index")
        assert client.get(reverse("admin:index")).status_code == 200


def test_it_lets_staff_who_signed_in_with_their_code_into_the_admin(client, two_step_user):
    make_staff(two_step_user, superuser=True)
    response = client.get(client.get(reverse("admin:index")).url)
    assert response.url == f"{reverse('account_login')}?next=%2Fadmin%2F", (
        "allauth's sign-in, not the admin's"
    )

    sign_in(client, two_step_user.email)
    client.post(reverse("mfa_authenticate"), {"code": totp_code(two_step_user.totp_secret)})
    response = client.get(reverse("admin:index"))
    assert response.status_code == 200
    assert client.get(reverse("admin:accounts_user_changelist")).status_code == 200


def test_it_lets_the_two_step_login_fixture_into_the_admin(client, user, two_step_login):
    two_step_login(client, make_staff(user))
    assert client.get(reverse("admin:index")).status_code == 200


def test_it_closes_the_admin_login_form_as_a_way_around_two_step_sign_in(client, two_step_user):
    make_staff(two_step_user, superuser=True)
    response = client.post(
        reverse("admin:login"), {"username": two_step_user.email, "password": PASSWORD, "next": "/admin/"}
    )
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))
    assert client.get(reverse("admin:index")).status_code == 302


def test_it_refuses_the_admin_to_people_who_are_not_staff(owner_client):
    response = owner_client.get(reverse("admin:index"))
    assert owner_client.get(response.url).status_code == 403


def test_it_shows_moderators_no_authenticator_secret_and_no_sessions(client, two_step_user, user):
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    secret = generate_totp_secret()
    authenticator = TOTP.activate(user, secret).instance
    make_staff(two_step_user, superuser=True)
    sign_in(client, two_step_user.email)
    client.post(reverse("mfa_authenticate"), {"code": totp_code(two_step_user.totp_secret)})

    listing = client.get(reverse("admin:mfa_authenticator_changelist"))
    assert listing.status_code == 200
    assert user.email in listing.content.decode()
    page = client.get(reverse("admin:mfa_authenticator_change", args=[authenticator.pk])).content.decode()
    assert user.email in page
    assert secret not in page
    assert "seed" not in page
    assert client.get(reverse("admin:mfa_authenticator_add")).status_code == 403
    assert client.get("/admin/usersessions/usersession/").status_code == 404

    response = client.post(
        reverse("admin:mfa_authenticator_delete", args=[authenticator.pk]), {"post": "yes"}
    )
    assert response.status_code == 302
    assert not Authenticator.objects.filter(pk=authenticator.pk).exists(), "a lost phone can be reset"


# --- Sessions --------------------------------------------------------------------------------------


def test_it_lists_your_sessions_and_signs_out_the_others(user, other_user):
    laptop, phone, stranger = (
        Client(HTTP_USER_AGENT=FIREFOX_WINDOWS),
        Client(HTTP_USER_AGENT=IPHONE),
        Client(),
    )
    sign_in(laptop, user.email)
    sign_in(phone, user.email)
    sign_in(stranger, other_user.email)

    page = laptop.get(reverse("usersessions_list")).content.decode()
    assert "Firefox on Windows" in page
    assert "Mobile Safari on iPhone (iOS)" in page
    assert page.count('class="card"') == 2, "only your own sessions"
    assert "This browser" in page

    response = laptop.post(reverse("usersessions_list"))
    assert response.status_code == 302
    assert signed_in(laptop)
    assert not signed_in(phone)
    assert signed_in(stranger)
    assert UserSession.objects.filter(user=user).count() == 1


def test_it_signs_out_other_sessions_when_the_password_changes_and_keeps_this_one(user, mailoutbox):
    here, elsewhere = Client(), Client()
    sign_in(here, user.email)
    sign_in(elsewhere, user.email)

    response = here.post(
        reverse("account_change_password"),
        {"oldpassword": PASSWORD, "password1": "another calm phrase", "password2": "another calm phrase"},
    )
    assert response.status_code == 302
    assert signed_in(here)
    assert not signed_in(elsewhere)
    assert mailoutbox[-1].to == [user.email]
    assert "Your password was changed" in mailoutbox[-1].body
    assert "If it was not you" in mailoutbox[-1].body


def test_it_tells_the_old_address_when_the_email_address_changes(owner_client, user, mailoutbox):
    owner_client.post(reverse("account_email"), {"action_add": "", "email": "moved@example.com"})
    link = re.search(r"https?://[^/\s]+(/accounts/confirm-email/[^\s]+/)", mailoutbox[-1].body).group(1)
    owner_client.post(link)

    user.refresh_from_db()
    assert user.email == "moved@example.com"
    notice = mailoutbox[-1]
    assert notice.to == ["owner@example.com"]
    assert "moved@example.com" in notice.body


def test_it_stores_authenticator_secrets_encrypted(two_step_user):
    with connection.cursor() as cursor:
        cursor.execute("SELECT type, data FROM mfa_authenticator WHERE user_id = %s", [two_step_user.pk])
        stored = dict(cursor.fetchall())
    totp = stored["totp"] if isinstance(stored["totp"], dict) else json.loads(stored["totp"])
    codes = (
        stored["recovery_codes"]
        if isinstance(stored["recovery_codes"], dict)
        else json.loads(stored["recovery_codes"])
    )
    assert totp["secret"] != two_step_user.totp_secret
    assert totp["secret"].startswith("gAAAA")
    assert codes["seed"].startswith("gAAAA")


def test_authenticators_move_to_a_new_key_and_still_give_the_same_codes(two_step_user, settings):
    from allauth.mfa.totp.internal.auth import TOTP
    from cryptography.fernet import Fernet

    from core.encryption import reencrypt_all

    new_key = Fernet.generate_key().decode()
    settings.FIELD_ENCRYPTION_KEYS = [new_key, *settings.FIELD_ENCRYPTION_KEYS]
    assert reencrypt_all()["mfa_authenticator"] == 2
    assert reencrypt_all()["mfa_authenticator"] == 0, "idempotent"

    settings.FIELD_ENCRYPTION_KEYS = [new_key]  # the old key is gone
    totp = Authenticator.objects.get(user=two_step_user, type=Authenticator.Type.TOTP)
    assert TOTP(totp).validate_code(totp_code(two_step_user.totp_secret))
