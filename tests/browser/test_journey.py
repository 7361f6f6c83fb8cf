"""A person's way through SupportNet in real Chromium, at phone and laptop sizes."""

import datetime
import io
import re

from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import expect

from accounts.models import User
from checkins.services.check_ins import supporter_due_recompute
from contacts.models import Circle, Supporter
from tests.browser.conftest import PASSWORD, assert_accessible, screenshot, screenshot_path, sign_in, sign_out
from tests.factories import CheckInFactory, SupporterFactory


def confirmation_path(message):
    body = message.get_body(preferencelist=("plain",)).get_content()
    return re.search(r"https?://[^/\s]+(/accounts/confirm-email/\S+/)", body).group(1)


def add_supporter(page, name, *, kinds, circle, crisis_phone=None, channel=""):
    page.goto("/")
    page.get_by_role("link", name="Supporters", exact=True).click()
    page.get_by_role("link", name=re.compile("^Add")).first.click()
    page.get_by_label("Name").fill(name)
    for kind in kinds:
        page.locator(f"input[name=support_types][value={kind}]").check()
    page.locator(f"input[name=circle][value={circle}]").check()
    if crisis_phone:
        page.get_by_label("Someone I can reach in a crisis").check()
        page.get_by_label("Phone").fill(crisis_phone)
    if channel:
        page.get_by_label("Best way to reach them").select_option(channel)
    page.get_by_role("button", name="Add supporter").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(name)


def test_the_journey_from_sign_up_to_a_network_on_the_dashboard(site, inbox, screen):
    site.goto("/accounts/signup/")
    site.get_by_label("Email").fill("river@example.com")
    site.locator("input[name=password1]").fill(PASSWORD)
    site.locator("input[name=password2]").fill(PASSWORD)
    site.get_by_label("Your time zone").select_option("Europe/Berlin")
    site.get_by_role("button", name="Create my account").click()
    expect(site.get_by_role("heading", level=1)).to_contain_text(re.compile("confirm|verify", re.I))

    (message,) = inbox.wait_for(1)
    assert message["To"] == "river@example.com"
    site.goto(confirmation_path(message))
    site.get_by_role("button", name=re.compile("Confirm", re.I)).click()
    # Signed in, on the guided first step; this journey adds people one by one with all details instead.
    expect(site.get_by_role("heading", level=1)).to_have_text("Who is there for you?")
    site.get_by_role("link", name="Skip for now").click()
    site.wait_for_url(re.compile(r"/$"))

    # A fresh sign-in, as on another day.
    sign_out(site)
    sign_in(site, "river@example.com")
    expect(site.get_by_role("heading", level=1)).to_have_text("Welcome to SupportNet")
    assert User.objects.get(email="river@example.com").timezone == "Europe/Berlin"
    assert_accessible(site)
    screenshot(site, "dashboard-first-visit")

    site.get_by_role("link", name="Add the first person").click()
    expect(site.get_by_role("heading", level=1)).to_have_text("Add a supporter")
    add_supporter(
        site, "Maya Patel", kinds=["emotional", "peer"], circle="inner", crisis_phone="+44 7700 900123"
    )
    add_supporter(site, "Dr Okafor", kinds=["professional"], circle="middle", channel="video")
    add_supporter(site, "Jo Banks", kinds=["instrumental"], circle="outer")

    site.get_by_role("link", name="Dashboard", exact=True).click()
    expect(site.get_by_role("heading", level=1)).to_have_text("Your support network")
    kinds = site.locator("#kinds")
    expect(kinds.locator(".type-row")).to_have_text(
        [
            re.compile(r"Emotional\s+1 person"),
            re.compile(r"Informational\s+nobody yet"),
            re.compile(r"Practical\s+1 person"),
            re.compile(r"Peer\s+1 person"),
            re.compile(r"Professional\s+1 person"),
        ]
    )
    expect(kinds).to_contain_text("support-group leader")  # the suggestion for the one gap
    expect(site.locator("svg.circles .dot")).to_have_count(3)
    expect(site.locator("svg.circles")).to_contain_text("MP")
    crisis = site.locator("#crisis")
    expect(crisis.get_by_role("link", name="Call +44 7700 900123")).to_have_attribute(
        "href", "tel:+447700900123"
    )
    expect(site.locator("#due")).to_contain_text("Nobody is due right now")
    assert_accessible(site)
    screenshot(site, "dashboard-journey")

    # Time passes: Maya was added 10 days ago (inner circle, every 7 days: due) and Dr Okafor 30 days
    # ago (middle circle, every 14 days: past one and a half rhythms, so overdue). Jo is not due yet.
    owner = User.objects.get(email="river@example.com")
    added_days_ago = {"Maya Patel": 10, "Dr Okafor": 30, "Jo Banks": 10}
    for supporter in Supporter.objects.filter(owner=owner):
        supporter.created_at = timezone.now() - datetime.timedelta(days=added_days_ago[supporter.name])
        supporter.save(update_fields=["created_at"])
        supporter_due_recompute(supporter=supporter)
    site.reload()
    due = site.locator("#due .due-item")
    expect(due).to_have_count(2)
    expect(due.nth(0)).to_contain_text("Dr Okafor")
    expect(due.nth(0)).to_contain_text("It has been a while")
    expect(due.nth(0)).to_contain_text("prefers video call")
    expect(due.nth(1)).to_contain_text("Maya Patel")
    expect(site.locator("svg.circles .overdue-ring")).to_have_count(1)
    assert_accessible(site)
    screenshot(site, "dashboard-due")

    # Log a check-in with Maya with one button, straight from the due list.
    site.get_by_role("button", name="I reached out today to Maya Patel").click()
    expect(site.get_by_role("status")).to_contain_text("you connected with Maya Patel")
    expect(due).to_have_count(1)
    expect(site.locator("#recent")).to_contain_text("Maya Patel")
    expect(site.locator("#activity svg")).to_contain_text("1")

    # The reminder sweep sends today's digest, which lists Dr Okafor; its "I reached out" link logs it.
    inbox.messages.clear()
    call_command("send_reminders", stdout=io.StringIO())
    (reminder,) = inbox.wait_for(1)
    assert reminder["To"] == "river@example.com"
    text = reminder.get_body(preferencelist=("plain",)).get_content()
    assert "Dr Okafor" in text
    assert "Maya Patel" not in text
    reached_out = re.search(r"I reached out to Dr Okafor: https?://[^/\s]+(/\S+)", text).group(1)
    site.goto(reached_out)
    assert_accessible(site)
    screenshot(site, "reminder-reached-out")
    site.get_by_role("button", name="Yes, log it").click()
    expect(site.get_by_role("heading", level=1)).to_have_text("Done")
    site.get_by_role("link", name="Go to your dashboard").click()
    expect(site.locator("#due")).to_contain_text("Nobody is due right now")
    expect(site.locator("#recent li")).to_have_count(2)
    expect(site.locator("#recent li").first).to_contain_text("Dr Okafor")
    expect(site.locator("svg.circles .overdue-ring")).to_have_count(0)
    assert_accessible(site)
    screenshot(site, "dashboard-after-check-ins")


def test_it_shows_a_full_network_calmly(site, user):
    """Until the supporters and check-ins pages land, the network is made in the database directly."""
    now = timezone.now()
    people = [
        (
            "Maya Patel",
            Circle.INNER,
            {"gives_emotional": True, "is_crisis_contact": True, "phone": "+44 7700 900123"},
        ),
        ("Sam Rivers", Circle.INNER, {"gives_emotional": True, "gives_peer": True}),
        ("Dr Okafor", Circle.MIDDLE, {"gives_professional": True, "gives_emotional": False}),
        ("Jo Banks", Circle.MIDDLE, {"gives_instrumental": True, "gives_emotional": False}),
        ("Tuesday Group", Circle.OUTER, {"gives_peer": True, "gives_emotional": False}),
        ("Alex Kim", Circle.OUTER, {"gives_emotional": True}),
    ]
    supporters = {}
    for index, (name, circle, fields) in enumerate(people):
        supporters[name] = SupporterFactory(
            owner=user,
            name=name,
            circle=circle,
            last_check_in_at=now - datetime.timedelta(days=3 + 6 * index),
            next_check_in_at=now - datetime.timedelta(days=4 * index - 8),
            **fields,
        )
    for day in range(0, 70, 4):
        CheckInFactory(supporter=supporters["Maya Patel"], happened_at=now - datetime.timedelta(days=day))
    sign_in(site, user.email, "a calm long passphrase")

    expect(site.get_by_role("heading", level=1)).to_have_text("Your support network")
    due = site.locator("#due")
    expect(due.get_by_role("link", name="Alex Kim", exact=True)).to_be_visible()
    expect(site.locator("#kinds")).to_contain_text("nobody yet")
    expect(site.locator("#crisis").get_by_role("link", name="Call +44 7700 900123")).to_have_attribute(
        "href", "tel:+447700900123"
    )
    expect(site.locator("svg.circles a")).to_have_count(6)
    assert_accessible(site)
    screenshot(site, "dashboard")

    site.get_by_text("The picture as a list, circle by circle").click()
    expect(site.locator("#circles details").get_by_role("link", name="Dr Okafor")).to_be_visible()


def test_it_keeps_a_large_network_readable(site, user, screen):
    now = timezone.now()
    circles = [Circle.INNER] * 12 + [Circle.MIDDLE] * 38 + [Circle.OUTER] * 100
    kinds = ["emotional", "informational", "instrumental", "peer", "professional"]
    for index, circle in enumerate(circles):
        kind = kinds[index % 5]
        SupporterFactory(
            owner=user,
            name=f"Person {index:03d}",
            circle=circle,
            **{f"gives_{each}": each == kind for each in kinds},
            last_check_in_at=now - datetime.timedelta(days=index % 50),
            next_check_in_at=now + datetime.timedelta(days=10 - index % 50),
        )
    sign_in(site, user.email, "a calm long passphrase")
    # Twelve a circle at most: the inner circle's 12 all drawn, the others 11 and a "+N more" dot.
    expect(site.locator("svg.circles a")).to_have_count(36)
    expect(site.locator('svg.circles a[href="/supporters/?circle=outer"]')).to_have_count(1)
    expect(site.locator("svg.circles")).to_contain_text("+89")
    site.locator("#circles").screenshot(path=str(screenshot_path(site, "dashboard-150-people-circles")))
