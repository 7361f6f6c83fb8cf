"""Issue 14's second half in real Chromium: a warm start in at most five page loads, undo and focus after
an action, the phone menu without JavaScript, and dark mode."""

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from accounts.models import User
from checkins.services.check_ins import supporter_due_recompute
from contacts.models import Supporter
from tests.browser.conftest import EVERY_IMPACT, PASSWORD, assert_accessible, screenshot
from tests.factories import CheckInFactory, SupporterFactory

WIDTHS = ["small-phone", "phone", "laptop"]


def confirmation_path(message):
    body = message.get_body(preferencelist=("plain",)).get_content()
    return re.search(r"https?://[^/\s]+(/accounts/confirm-email/\S+/)", body).group(1)


def count_page_loads(page):
    loads = []
    page.on("load", lambda loaded: loads.append(loaded.url))
    return loads


@pytest.mark.parametrize("width", WIDTHS)
def test_a_new_person_reaches_a_dashboard_with_three_people_in_five_page_loads(open_tab, inbox, width):
    page = open_tab(width)
    loads = count_page_loads(page)

    page.goto("/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Stay close to the people who help you")
    expect(page.get_by_text("SupportNet is not an emergency service and not a treatment.")).to_be_visible()
    page.get_by_label("Email").fill("river@example.com")
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_label("The same password again").fill(PASSWORD)
    page.get_by_role("button", name="Create my account").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your email to confirm")

    (message,) = inbox.wait_for(1)
    body = message.get_body(preferencelist=("plain",)).get_content()
    assert "Hello from" not in body and "example.com!" not in body
    assert message["Subject"] == "SupportNet: Please confirm your email address"
    page.goto(confirmation_path(message))
    page.get_by_role("button", name="Confirm my email").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Who is there for you?")
    for number, (name, kind, circle) in enumerate(
        [
            ("Maya", "emotional", "inner"),
            ("Dr Okafor", "professional", "middle"),
            ("Jo", "instrumental", "outer"),
        ],
        start=1,
    ):
        page.locator(f"[name=name_{number}]").fill(name)
        page.locator(f"[name=kind_{number}]").select_option(kind)
        page.locator(f"[name=circle_{number}]").select_option(circle)
    page.get_by_role("button", name="Add them and show my dashboard").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Your support network")
    expect(page.locator(".lead").first).to_contain_text("3 people support you.")
    expect(page.locator("#messages")).to_be_focused()
    assert len(loads) <= 5, loads
    river = User.objects.get(email="river@example.com")
    assert sorted(Supporter.objects.filter(owner=river).values_list("name", flat=True)) == [
        "Dr Okafor",
        "Jo",
        "Maya",
    ]
    screenshot(page, "first-dashboard")


def test_the_first_step_keeps_what_was_typed_and_focuses_the_error_summary(open_tab, user):
    page = open_tab("phone", user=user)
    page.goto("/welcome/")
    page.locator("[name=kind_1]").select_option("peer")
    page.get_by_role("button", name="Add them and show my dashboard").click()
    summary = page.locator("#error-summary")
    expect(summary).to_be_focused()
    expect(summary).to_contain_text("Please write at least one name, or skip this step for now.")
    expect(page.locator("[name=kind_1]")).to_have_value("peer")
    assert_accessible(page, EVERY_IMPACT)


def overdue(user, name):
    """Someone last seen 20 days ago on a weekly rhythm, with the due moment the service derives."""
    supporter = SupporterFactory(owner=user, name=name)
    CheckInFactory(supporter=supporter, happened_at=timezone.now() - datetime.timedelta(days=20))
    supporter_due_recompute(supporter=supporter)
    return supporter


@pytest.mark.parametrize("width", ["phone", "laptop"])
def test_i_reached_out_today_can_be_undone_from_its_message(open_tab, user, width):
    sam = overdue(user, "Sam Rivera")
    page = open_tab(width, user=user)
    page.goto("/")
    page.get_by_role("button", name="I reached out today to Sam Rivera").click()

    message = page.locator("#messages")
    expect(message).to_be_focused()
    expect(message).to_contain_text("It's good that you connected with Sam Rivera.")
    assert sam.check_ins.count() == 2
    screenshot(page, "undo-message")
    message.get_by_role("button", name="Undo").click()

    expect(page.locator("#messages")).to_contain_text(
        "Undone. Everything about Sam Rivera is as it was before."
    )
    expect(page.locator("#messages")).to_be_focused()
    assert sam.check_ins.count() == 1
    expect(page.get_by_role("button", name="I reached out today to Sam Rivera")).to_be_visible()


def test_a_snooze_can_be_undone_from_its_message(open_tab, user):
    sam = overdue(user, "Sam Rivera")
    page = open_tab("phone", user=user)
    page.goto("/")
    page.get_by_role("button", name="Snooze 3 days for Sam Rivera").click()
    expect(page.locator("#messages")).to_be_focused()
    sam.refresh_from_db()
    assert sam.snoozed_until is not None
    page.locator("#messages").get_by_role("button", name="Undo").click()
    expect(page.locator("#messages")).to_contain_text("Undone.")
    sam.refresh_from_db()
    assert sam.snoozed_until is None


def test_without_javascript_the_message_is_the_first_thing_after_the_skip_link(open_tab, user):
    overdue(user, "Sam Rivera")
    page = open_tab("phone", user=user, java_script_enabled=False)
    page.goto("/")
    page.get_by_role("button", name="I reached out today to Sam Rivera").click()
    expect(page.locator("#messages")).to_be_visible()  # the new page has loaded
    page.keyboard.press("Tab")
    expect(page.locator(".skip-link")).to_be_focused()
    first_after_skip = page.evaluate("() => document.querySelector('.skip-link').nextElementSibling.id")
    assert first_after_skip == "messages"
    page.keyboard.press("Tab")
    expect(page.locator("#messages").get_by_role("button", name="Undo")).to_be_focused()


MENU_LINKS = ["Dashboard", "Supporters", "Check-ins", "My plan", "Self-check", "Resources", "Account"]


@pytest.mark.parametrize("width", WIDTHS)
def test_the_menu_works_without_javascript_at_every_width(open_tab, user, width):
    page = open_tab(width, user=user, java_script_enabled=False)
    page.goto("/supporters/")
    nav = page.get_by_role("navigation", name="Main")
    if width == "laptop":
        expect(page.locator(".nav-more summary")).to_be_hidden()
    else:
        expect(nav.get_by_role("link", name="Check-ins")).to_be_hidden()
        page.locator(".nav-more summary").click()
    for name in MENU_LINKS:
        link = nav.get_by_role("link", name=name, exact=True)
        expect(link).to_be_visible()
        box = link.bounding_box()
        assert box["height"] >= 44, (name, box)
        assert box["x"] >= 0 and box["x"] + box["width"] <= page.viewport_size["width"], (name, box)
    expect(nav.get_by_role("button", name="Sign out")).to_be_visible()
    assert page.evaluate("() => document.documentElement.scrollWidth") <= page.viewport_size["width"]
    screenshot(page, "menu-open-no-js")
    nav.get_by_role("link", name="My plan").click()
    expect(page).to_have_url(re.compile("/plan/$"))


TARGET_PAGES = [
    "/",
    "/supporters/",
    "/supporters/?sort=due",
    "/supporters/{sam}/",
    "/check-ins/",
    "/welcome/",
]
# Every control that is not a link inside running text: its box, and a description to say which failed.
SMALL_TARGETS = """(minimum) => [...document.querySelectorAll(
    "main a, main button, main summary, main input[type=checkbox], main input[type=radio], nav a, nav button, nav summary")]
  .filter((element) => element.checkVisibility() && getComputedStyle(element).display !== "inline")
  .map((element) => [element.getBoundingClientRect(), element.outerHTML.slice(0, 80)])
  .filter(([box]) => box.width < minimum || box.height < minimum)
  .map(([box, html]) => `${Math.round(box.width)}x${Math.round(box.height)} ${html}`)"""
BUTTONS_UNDER_44 = """() => [...document.querySelectorAll("main .button, main button, nav a, nav summary, nav button")]
  .filter((element) => element.checkVisibility() && element.getBoundingClientRect().height < 44)
  .map((element) => element.outerHTML.slice(0, 80))"""


def test_touch_targets_are_44px_for_controls_and_24px_at_least_for_every_other_link(open_tab, user):
    sam = overdue(user, "Sam Rivera")
    sam.phone = "+44 7700 900123"
    sam.save()
    page = open_tab("small-phone", user=user)
    for path in TARGET_PAGES:
        page.goto(path.format(sam=sam.id))
        assert page.evaluate(SMALL_TARGETS, 24) == [], path
        assert page.evaluate(BUTTONS_UNDER_44) == [], path
