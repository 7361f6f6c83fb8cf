"""Everything a person does on the way in and on the dashboard works with Tab, Space and Enter alone."""

import re

from playwright.sync_api import expect

from tests.browser.conftest import tab_to


def test_it_signs_in_adds_a_supporter_and_uses_the_dashboard_with_the_keyboard_only(laptop, user):
    page = laptop
    page.goto("/accounts/login/")
    tab_to(page, "input[name=login]")
    page.keyboard.type(user.email)
    tab_to(page, "input[name=password]")
    page.keyboard.type("a calm long passphrase")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Welcome to SupportNet")

    # The skip link comes first and takes focus to the main content.
    page.keyboard.press("Tab")
    expect(page.locator(":focus")).to_have_text("Skip to main content")
    page.keyboard.press("Enter")
    expect(page.locator("main")).to_be_focused()

    # Add the first person.
    tab_to(page, "a.button-primary")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Add a supporter")
    tab_to(page, "input[name=name]")
    page.keyboard.type("Maya Patel")
    tab_to(page, "input[name=support_types][value=emotional]")
    page.keyboard.press("Space")
    tab_to(page, "input[name=is_crisis_contact]")
    page.keyboard.press("Space")
    tab_to(page, "input[name=phone]")
    page.keyboard.type("+44 7700 900123")
    tab_to(page, "button[type=submit]:not(.link-button)")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Maya Patel")

    # Back to the dashboard through the main navigation.
    tab_to(page, ".site-nav a[href='/']")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Your support network")

    # The plain list of the circles opens with Enter, and its links are next in the tab order.
    tab_to(page, "#circles summary")
    page.keyboard.press("Enter")
    tab_to(page, "#circles details a")
    expect(page.locator(":focus")).to_have_text("Maya Patel")

    # The crisis contact's number is reachable, and so is the crisis page from the header.
    tab_to(page, "#crisis a[href^='tel:']")
    page.goto("/")
    tab_to(page, "a.crisis-control")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/crisis/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("If you need help now")
    expect(page.get_by_role("link", name="Call +44 7700 900123")).to_be_visible()

    # Signing out is a button in the main navigation.
    tab_to(page, ".site-nav button")
    page.keyboard.press("Enter")
    # Signed out, the home page says what SupportNet is, with the way back in.
    page.wait_for_url(re.compile(r"/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Stay close to the people who help you")
