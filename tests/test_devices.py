"""The sessions page names a device in words, parsed by ua-parser, never the raw user-agent string."""

import pytest
from allauth.usersessions.models import UserSession
from django.test import Client
from django.urls import reverse

from accounts.devices import device_name

IPHONE = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
    "Version/17.4 Mobile/15E148 Safari/604.1"
)
FIREFOX_WINDOWS = "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0"


@pytest.mark.parametrize(
    ("user_agent", "name"),
    [
        (IPHONE, "Mobile Safari on iPhone (iOS)"),
        (FIREFOX_WINDOWS, "Firefox on Windows"),
        ("", "An unknown browser"),
        ("something odd", "An unknown browser"),
    ],
)
def test_it_names_the_device_in_words(user_agent, name):
    assert device_name(user_agent) == name


def test_the_sessions_page_shows_the_device_name_not_the_raw_string(user):
    phone = Client(HTTP_USER_AGENT=IPHONE)
    phone.post(reverse("account_login"), {"login": user.email, "password": "a calm long passphrase"})
    assert UserSession.objects.filter(user=user, user_agent=IPHONE).exists()
    page = phone.get(reverse("usersessions_list")).content.decode()
    assert "Mobile Safari on iPhone (iOS)" in page
    assert "AppleWebKit" not in page
