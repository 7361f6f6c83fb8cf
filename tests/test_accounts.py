import re

import pytest
from allauth.account.models import EmailAddress
from django.urls import reverse

from accounts.models import User
from tests.factories import SupporterFactory, UserFactory

PASSWORD = "quiet harbour lanterns"
# "/" answers everyone (the signed-out home page), so being signed in is checked on a private page.
SIGNED_IN_PAGE = "/supporters/"


def sign_up(client, **overrides):
    data = {
        "email": "new@example.com",
        "password1": PASSWORD,
        "password2": PASSWORD,
        "timezone": "Pacific/Auckland",
    }
    return client.post(reverse("account_signup"), {**data, **overrides})


def confirmation_link(message):
    return re.search(r"https?://[^/\s]+(/accounts/confirm-email/[^\s]+/)", message.body).group(1)


@pytest.mark.django_db
def test_it_signs_up_confirms_by_email_and_lands_signed_in_on_the_first_step(client, mailoutbox):
    response = sign_up(client)
    assert response.status_code == 302
    user = User.objects.get(email="new@example.com")
    assert user.timezone == "Pacific/Auckland"
    assert not EmailAddress.objects.get(user=user).verified

    # Not signed in until the address is confirmed.
    assert client.get(reverse("contacts:list")).status_code == 302
    assert len(mailoutbox) == 1
    link = confirmation_link(mailoutbox[0])

    assert client.get(link).status_code == 200
    response = client.post(link)
    assert response.status_code == 302
    assert response.url == reverse("dashboard:first_step")
    assert EmailAddress.objects.get(user=user).verified
    assert client.get(response.url).status_code == 200


@pytest.mark.django_db
def test_it_does_not_let_an_unconfirmed_address_sign_in(client, mailoutbox):
    sign_up(client)
    client.logout()
    response = client.post(reverse("account_login"), {"login": "new@example.com", "password": PASSWORD})
    assert response.status_code == 302
    assert "confirm-email" in response.url
    assert client.get(SIGNED_IN_PAGE).status_code == 302


def test_it_signs_in_and_out(client, user):
    response = client.post(
        reverse("account_login"), {"login": user.email, "password": "a calm long passphrase"}
    )
    assert response.status_code == 302
    assert client.get(SIGNED_IN_PAGE).status_code == 200

    assert client.get(reverse("account_logout")).status_code == 200, "GET only asks to confirm"
    assert client.get(SIGNED_IN_PAGE).status_code == 200
    client.post(reverse("account_logout"))
    assert client.get(SIGNED_IN_PAGE).status_code == 302


def test_it_rejects_a_wrong_password_with_a_message(client, user):
    response = client.post(reverse("account_login"), {"login": user.email, "password": "not it"})
    assert response.status_code == 200
    assert "not correct" in response.content.decode()


def test_it_resets_a_forgotten_password(client, user, mailoutbox):
    client.post(reverse("account_reset_password"), {"email": user.email})
    assert len(mailoutbox) == 1
    link = re.search(r"https?://[^/\s]+(/accounts/password/reset/key/[^\s]+/)", mailoutbox[0].body).group(1)

    response = client.get(link)  # allauth moves the key into the session and redirects
    form_url = response.url if response.status_code == 302 else link
    response = client.post(
        form_url, {"password1": "a brand new passphrase", "password2": "a brand new passphrase"}
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password("a brand new passphrase")


def test_it_changes_the_password(owner_client, user):
    response = owner_client.post(
        reverse("account_change_password"),
        {
            "oldpassword": "a calm long passphrase",
            "password1": "another calm phrase",
            "password2": "another calm phrase",
        },
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password("another calm phrase")


def test_it_sends_a_confirmation_to_a_new_email_address(owner_client, user, mailoutbox):
    response = owner_client.post(reverse("account_email"), {"action_add": "", "email": "moved@example.com"})
    assert response.status_code == 302
    assert EmailAddress.objects.filter(user=user, email="moved@example.com", verified=False).exists()
    assert mailoutbox[-1].to == ["moved@example.com"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"email": "not-an-address"}, "Enter a valid email address."),
        ({"password1": "short", "password2": "short"}, "too short"),
        ({"password2": "something else entirely"}, "same password"),
        ({"password1": "password123", "password2": "password123"}, "too common"),
        ({"timezone": "Mars/Olympus_Mons"}, "pick your time zone from the list"),
    ],
)
def test_it_explains_bad_sign_up_input_and_creates_nothing(client, overrides, message):
    response = sign_up(client, **overrides)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not User.objects.exists()


def test_it_does_not_create_a_second_account_for_a_taken_email(client, user, mailoutbox):
    response = sign_up(client, email=user.email)
    # allauth prevents account enumeration: the page looks like success, the owner gets an email.
    assert response.status_code == 302
    assert User.objects.filter(email=user.email).count() == 1
    assert mailoutbox[0].to == [user.email]


def test_it_saves_the_time_zone_on_the_account_page(owner_client, user):
    response = owner_client.post(
        reverse("accounts:settings"), {"language": "en-gb", "timezone": "America/Anchorage"}
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.timezone == "America/Anchorage"


def test_it_refuses_an_unknown_time_zone_on_the_account_page(owner_client, user):
    response = owner_client.post(
        reverse("accounts:settings"), {"language": "en-gb", "timezone": "Nowhere/Land"}
    )
    assert "pick your time zone from the list" in response.content.decode()
    user.refresh_from_db()
    assert user.timezone == "Europe/London"


@pytest.mark.django_db
def test_it_sends_anonymous_visitors_to_sign_in(client):
    for name in ["dashboard:first_step", "accounts:settings"]:
        response = client.get(reverse(name))
        assert response.status_code == 302
        assert response.url.startswith(reverse("account_login"))


@pytest.mark.django_db
def test_it_shows_dates_in_the_signed_in_persons_time_zone(client):
    person = UserFactory(timezone="Pacific/Tongatapu")  # UTC+13
    SupporterFactory(owner=person, name="Ana", last_check_in_at="2026-11-20T20:00:00Z")
    client.force_login(person)
    content = client.get(reverse("contacts:detail", args=[person.supporters.get().pk])).content.decode()
    assert "Last contact 21 Nov 2026" in content


def test_it_activates_the_persons_time_zone_for_every_request(rf, user):
    from django.contrib.auth.models import AnonymousUser
    from django.utils import timezone

    from accounts.middleware import UserTimezoneMiddleware

    middleware = UserTimezoneMiddleware(lambda request: timezone.get_current_timezone_name())
    request = rf.get("/")
    request.user = user
    assert middleware(request) == "Europe/London"
    request.user = AnonymousUser()
    assert middleware(request) == "UTC"
