"""axe-core finds no serious or critical problem on the main pages, and each is screenshotted at both sizes."""

import datetime

import pytest
from django.utils import timezone

from contacts.models import Circle
from tests.browser.conftest import assert_accessible, screenshot, sign_in
from tests.factories import CheckInFactory, SupporterFactory

SIGNED_OUT_PAGES = {
    "sign-in": "/accounts/login/",
    "sign-up": "/accounts/signup/",
    "crisis-signed-out": "/crisis/",
}
SIGNED_IN_PAGES = {
    "dashboard-signed-in": "/",
    "crisis": "/crisis/",
    "account": "/accounts/settings/",
    "supporter-list": "/supporters/",
    "supporter-add": "/supporters/new/",
    "supporter-detail": "/supporters/{maya}/",
    "supporter-edit": "/supporters/{maya}/edit/",
    "check-in-log": "/check-ins/new/",
    "check-ins": "/check-ins/",
    "reminders": "/check-ins/reminders/",
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


@pytest.mark.parametrize("name", SIGNED_OUT_PAGES)
def test_signed_out_pages_have_no_serious_accessibility_problems(site, name):
    site.goto(SIGNED_OUT_PAGES[name])
    assert_accessible(site)
    screenshot(site, name)


@pytest.mark.parametrize("name", SIGNED_IN_PAGES)
def test_signed_in_pages_have_no_serious_accessibility_problems(site, user, name):
    ids = small_network(user)
    sign_in(site, user.email, "a calm long passphrase")
    site.goto(SIGNED_IN_PAGES[name].format(**ids))
    assert_accessible(site)
    screenshot(site, name)


def test_the_reminder_settings_fit_the_smallest_phone_with_their_explanation(laptop, user):
    sign_in(laptop, user.email, "a calm long passphrase")
    laptop.set_viewport_size({"width": 320, "height": 700})
    laptop.goto("/check-ins/reminders/")
    explanation = laptop.get_by_text("A subject line shows on lock screens")
    assert explanation.is_visible()
    assert laptop.evaluate("document.documentElement.scrollWidth") <= 320
    assert not laptop.get_by_label("Say more in reminder emails").is_checked()
    screenshot(laptop, "reminders")
