"""Everything a person does on the way in and on the dashboard works with Tab and Enter alone."""

import datetime
import re

from django.utils import timezone
from playwright.sync_api import expect

from contacts.models import Circle
from tests.browser.conftest import tab_to
from tests.factories import SupporterFactory


def test_it_signs_in_and_uses_the_dashboard_with_the_keyboard_only(laptop, user):
    now = timezone.now()
    SupporterFactory(
        owner=user,
        name="Maya Patel",
        circle=Circle.INNER,
        is_crisis_contact=True,
        phone="+44 7700 900123",
        next_check_in_at=now - datetime.timedelta(days=1),
        last_check_in_at=now - datetime.timedelta(days=8),
    )
    page = laptop
    page.goto("/accounts/login/")
    tab_to(page, "input[name=login]")
    page.keyboard.type(user.email)
    tab_to(page, "input[name=password]")
    page.keyboard.type("a calm long passphrase")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Your support network")

    # The skip link comes first and takes focus to the main content.
    page.keyboard.press("Tab")
    expect(page.locator(":focus")).to_have_text("Skip to main content")
    page.keyboard.press("Enter")
    expect(page.locator("main")).to_be_focused()

    # The plain list of the circles opens with Enter, and its links are next in the tab order.
    tab_to(page, "#circles summary")
    page.keyboard.press("Enter")
    tab_to(page, "#circles details a")
    expect(page.locator(":focus")).to_have_text("Maya Patel")

    # The crisis contact's number is reachable, and so is the crisis page from the header.
    tab_to(page, "#crisis a[href^='tel:']")
    page.goto("/")
    tab_to(page, "a.crisis-link")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/crisis/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("If you need help now")
    expect(page.get_by_role("link", name="Call +44 7700 900123")).to_be_visible()

    # Signing out is a button in the main navigation.
    tab_to(page, ".site-nav button")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/accounts/login/"))
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile("Sign in", re.I))
