"""allauth's pages and emails speak in SupportNet's voice, and the first step adds up to three people."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from contacts.models import Supporter
from tests.factories import SupporterFactory

STOCK_WORDS = [
    "Sign In",
    "Sign Up",
    "Signup",
    "Remember Me",
    "Password (again)",
    "Confirm Email Address",
    "Verify Your Email Address",
    "Confirm Access",
    "Are you sure",
    "Hello from",
    "Thank you for using",
    "Forgot your password?",
    "Reset My Password",
    "Deactivate Authenticator App",
]
SIGNED_OUT = ["account_login", "account_signup", "account_reset_password", "account_reset_password_done"]
SIGNED_IN = ["account_logout", "account_change_password", "account_reauthenticate", "usersessions_list"]


def assert_our_words(text, where):
    found = [words for words in STOCK_WORDS if words in text]
    assert not found, f"{where}: {found}"


@pytest.mark.parametrize("name", SIGNED_OUT)
def test_the_signed_out_allauth_pages_use_our_words(client, db, name):
    assert_our_words(client.get(reverse(name)).content.decode(), name)


@pytest.mark.parametrize("name", SIGNED_IN)
def test_the_signed_in_allauth_pages_use_our_words(owner_client, name):
    assert_our_words(owner_client.get(reverse(name)).content.decode(), name)


def test_a_wrong_link_and_the_sent_page_use_our_words(client, db):
    page = client.get(reverse("account_confirm_email", args=["not-a-key"])).content.decode()
    assert "This link no longer works" in page
    assert_our_words(page, "confirm-email")
    assert_our_words(client.get(reverse("account_email_verification_sent")).content.decode(), "sent")


def test_the_emails_use_our_words(client, db, mailoutbox, user):
    password = "quiet harbour lanterns"
    client.post(
        reverse("account_signup"),
        {"email": "new@example.com", "password1": password, "password2": password, "timezone": "UTC"},
    )
    Client().post(reverse("account_reset_password"), {"email": user.email})
    Client().post(reverse("account_reset_password"), {"email": "nobody@example.com"})
    assert [message.subject for message in mailoutbox] == [
        "SupportNet: Please confirm your email address",
        "SupportNet: Set a new password",
        "SupportNet: About your request to SupportNet",
    ]
    for message in mailoutbox:
        assert_our_words(message.body, message.subject)
        assert "not an emergency service" in message.body
    assert re.search(r"/accounts/confirm-email/\S+/", mailoutbox[0].body)


def test_the_first_step_adds_the_people_named_and_skips_blank_rows(owner_client, user):
    response = owner_client.post(
        reverse("dashboard:first_step"),
        {
            "name_1": "Maya", "kind_1": "emotional", "circle_1": "inner",
            "name_2": "  ", "kind_2": "peer", "circle_2": "middle",
            "name_3": "Dr Okafor", "kind_3": "professional", "circle_3": "outer",
        },
    )  # fmt: skip
    assert response.status_code == 302 and response.url == reverse("dashboard:home")
    people = {supporter.name: supporter for supporter in Supporter.objects.filter(owner=user)}
    assert set(people) == {"Maya", "Dr Okafor"}
    assert people["Maya"].gives_emotional and people["Maya"].circle == "inner"
    assert people["Dr Okafor"].gives_professional and people["Dr Okafor"].circle == "outer"
    page = owner_client.get(reverse("dashboard:home")).content.decode()
    assert "2 people are now part of your support network." in page
    assert "2 people support you." in page


def test_the_first_step_refuses_an_empty_form_kindly_and_adds_nobody(owner_client, user):
    response = owner_client.post(reverse("dashboard:first_step"), {"kind_1": "made-up"})
    assert response.status_code == 200
    page = response.content.decode()
    assert 'id="error-summary"' in page
    assert "Please choose one of the kinds shown." in page
    assert not Supporter.objects.filter(owner=user).exists()


def test_the_first_step_is_only_for_signed_in_people(client, db):
    response = client.get(reverse("dashboard:first_step"))
    assert response.status_code == 302 and response.url.startswith(reverse("account_login"))


def test_one_person_reads_as_one_person(owner_client, user):
    SupporterFactory(owner=user)
    assert "1 person supports you." in owner_client.get(reverse("dashboard:home")).content.decode()
