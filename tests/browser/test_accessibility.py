"""axe-core finds no violation of any impact on the main pages, in the light and the dark colour scheme,
at phone and laptop sizes; each is screenshotted (var/screenshots/NAME-SCHEME-WIDTHxHEIGHT.png)."""

import datetime

import pytest
from django.utils import timezone

from contacts.models import Circle
from tests.browser.conftest import EVERY_IMPACT, assert_accessible, screenshot
from tests.factories import CheckInFactory, SupporterFactory

SCHEMES = ["light", "dark"]
SIGNED_OUT_PAGES = {
    "home-signed-out": "/",
    "sign-in": "/accounts/login/",
    "sign-up": "/accounts/signup/",
    "password-reset": "/accounts/password/reset/",
    "crisis-signed-out": "/crisis/",
}
SIGNED_IN_PAGES = {
    "dashboard-signed-in": "/",
    "first-step": "/welcome/",
    "crisis": "/crisis/",
    "account": "/accounts/settings/",
    "sessions": "/accounts/sessions/",
    "supporter-list": "/supporters/",
    "supporter-list-due": "/supporters/?sort=due",
    "supporter-add": "/supporters/new/",
    "supporter-detail": "/supporters/{maya}/",
    "supporter-edit": "/supporters/{maya}/edit/",
    "check-in-log": "/check-ins/new/",
    "check-ins": "/check-ins/",
    "reminders": "/check-ins/reminders/",
    "plan": "/plan/",
    "self-check": "/self-check/",
    "resources": "/resources/",
}


def small_network(owner):
    now = timezone.now()
    maya = SupporterFactory(
        owner=owner,
        name="Maya Patel",
        circle=Circle.INNER,
        is_crisis_contact=True,
        phone="+44 7700 900123",
        email="maya@example.com",
        last_check_in_at=now - datetime.timedelta(days=12),
        next_check_in_at=now - datetime.timedelta(days=5),
    )
    SupporterFactory(owner=owner, name="Dr Okafor", circle=Circle.MIDDLE, gives_professional=True)
    CheckInFactory(supporter=maya, happened_at=now - datetime.timedelta(days=12))
    return {"maya": maya.id}


@pytest.mark.parametrize("scheme", SCHEMES)
@pytest.mark.parametrize("name", SIGNED_OUT_PAGES)
def test_signed_out_pages_have_no_accessibility_problems(open_tab, screen, scheme, name):
    page = open_tab(screen, color_scheme=scheme)
    page.goto(SIGNED_OUT_PAGES[name])
    assert_accessible(page, EVERY_IMPACT)
    screenshot(page, f"{name}-{scheme}")


@pytest.mark.parametrize("scheme", SCHEMES)
@pytest.mark.parametrize("name", SIGNED_IN_PAGES)
def test_signed_in_pages_have_no_accessibility_problems(open_tab, screen, user, scheme, name):
    ids = small_network(user)
    page = open_tab(screen, user=user, color_scheme=scheme)
    page.goto(SIGNED_IN_PAGES[name].format(**ids))
    assert_accessible(page, EVERY_IMPACT)
    screenshot(page, f"{name}-{scheme}")


SMALL_PHONE_PAGES = ["dashboard-signed-in", "supporter-detail", "supporter-list", "first-step", "account"]


@pytest.mark.parametrize("scheme", SCHEMES)
def test_the_main_pages_fit_a_320px_phone_in_both_schemes(open_tab, user, scheme):
    ids = small_network(user)
    page = open_tab("small-phone", color_scheme=scheme)
    page.goto("/")
    assert_accessible(page, EVERY_IMPACT)
    screenshot(page, f"home-signed-out-{scheme}")
    page = open_tab("small-phone", user=user, color_scheme=scheme)
    for name in SMALL_PHONE_PAGES:
        page.goto(SIGNED_IN_PAGES[name].format(**ids))
        assert page.evaluate("() => document.documentElement.scrollWidth") <= 320, name
        assert_accessible(page, EVERY_IMPACT)
        screenshot(page, f"{name}-{scheme}")


def test_the_reminder_settings_fit_the_smallest_phone_with_their_explanation(open_tab, user):
    page = open_tab("small-phone", user=user)
    page.goto("/check-ins/reminders/")
    explanation = page.get_by_text("A subject line shows on lock screens")
    assert explanation.is_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    assert not page.get_by_label("Say more in reminder emails").is_checked()
    screenshot(page, "reminders-320")
