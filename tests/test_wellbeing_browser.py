"""Fill the crisis plan and take the self-check in real Chromium, at phone and laptop widths.

Screenshots land in var/screenshots/. Fixtures stay in this file so they never clash with the
shared browser conftest.
"""

import datetime
import os
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone

from tests.factories import CheckInFactory, SupporterFactory, UserFactory
from wellbeing import services
from wellbeing.models import LSNS_FIELDS, UCLA_FIELDS, PlanPerson, SelfCheck

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

SCREENSHOTS = Path(settings.BASE_DIR) / "var" / "screenshots"
WIDTHS = {"phone": 375, "laptop": 1280}

pytestmark = pytest.mark.browser

UCLA_QUESTIONS = [SelfCheck._meta.get_field(name).verbose_name for name in UCLA_FIELDS]
LSNS_QUESTIONS = [SelfCheck._meta.get_field(name).verbose_name for name in LSNS_FIELDS]


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": "/usr/bin/chromium",
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
        ],
    }


@pytest.fixture
def person(transactional_db):
    user = UserFactory(email="river@example.com", timezone="Europe/London")
    ada = SupporterFactory(
        owner=user,
        name="Ada Lovelace",
        relationship="friend",
        phone="+44 7700 900123",
        email="ada@example.com",
    )
    SupporterFactory(owner=user, name="Sam Okafor", relationship="brother", phone="07700 900456")
    SupporterFactory(
        owner=user,
        name="Dr Priya Shah",
        relationship="counsellor",
        gives_emotional=False,
        gives_professional=True,
        phone="020 7946 0000",
    )
    # Some history so the trend has something to show beside this month.
    now = timezone.now()
    for months_ago, (ucla, lsns) in enumerate([((2, 2, 2), 13), ((3, 2, 3), 9), ((3, 3, 3), 7)], start=1):
        when = now - datetime.timedelta(days=31 * months_ago)
        per_item = [lsns // 6 + (1 if index < lsns % 6 else 0) for index in range(6)]
        services.self_check_record(
            user=user,
            answers={
                **dict(zip(UCLA_FIELDS, ucla, strict=True)),
                **dict(zip(LSNS_FIELDS, per_item, strict=True)),
            },
            now=when,
        )
        for _ in range(4 - months_ago):
            CheckInFactory(supporter=ada, happened_at=when)
    return user


@pytest.fixture
def signed_in_page(page, live_server, person):
    client = Client()
    client.force_login(person)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    page.context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": live_server.url}])
    return page


def screenshot(page, name):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    for label, width in WIDTHS.items():
        page.set_viewport_size({"width": width, "height": 900})
        page.screenshot(path=SCREENSHOTS / f"{name}-{label}.png", full_page=True)


def serious_accessibility_problems(page):
    # Evaluated through the DevTools protocol: an injected <script> tag would break our strict CSP.
    page.evaluate((Path(settings.BASE_DIR) / "node_modules" / "axe-core" / "axe.min.js").read_text())
    violations = page.evaluate("async () => (await axe.run()).violations")
    return [(v["id"], v["nodes"][0]["html"]) for v in violations if v["impact"] in ("serious", "critical")]


def test_it_fills_the_plan_and_takes_the_self_check(signed_in_page, live_server, person):
    page = signed_in_page
    page.goto(f"{live_server.url}/crisis/")
    page.get_by_role("link", name="Open my crisis plan").click()
    page.get_by_role("link", name="Start my plan").click()
    assert serious_accessibility_problems(page) == []

    page.get_by_role("textbox", name="My warning signs").fill("I stop answering messages and stay in bed")
    page.get_by_role("textbox", name="Things I can do on my own").fill(
        "A walk by the river\nBreathing slowly for five minutes"
    )
    page.get_by_role("group", name="People who are good company").get_by_label("Sam Okafor (brother)").check()
    page.get_by_role("textbox", name="Places and activities that help").fill("The library on Mill Road")
    page.get_by_role("group", name="People I can ask for help").get_by_label("Ada Lovelace (friend)").check()
    page.get_by_role("group", name="Professionals from my network").get_by_label(
        "Dr Priya Shah (counsellor)"
    ).check()
    page.get_by_role("textbox", name="Other services and numbers").fill("GP out-of-hours: 111")
    page.get_by_role("textbox", name="Making my surroundings safer").fill(
        "Sam keeps my tablets and hands me a week at a time"
    )
    page.get_by_role("textbox", name="What matters most to me").fill("My niece, and finishing my course")
    screenshot(page, "plan-edit")
    page.get_by_role("button", name="Save my plan").click()

    page.get_by_text("Your plan is saved.").wait_for()
    assert page.get_by_role("link", name="Call +44 7700 900123").get_attribute("href") == "tel:+447700900123"
    assert page.get_by_role("link", name="ada@example.com").get_attribute("href") == "mailto:ada@example.com"
    page.get_by_role("button", name="I've told Ada Lovelace").click()
    page.get_by_text("Told on ").wait_for()
    assert PlanPerson.objects.get(supporter__name="Ada Lovelace").told_at is not None
    assert serious_accessibility_problems(page) == []
    screenshot(page, "plan")

    # The print stylesheet: one clean A4 page, without navigation or buttons.
    page.set_viewport_size({"width": 1280, "height": 900})
    page.emulate_media(media="print")
    page.screenshot(path=SCREENSHOTS / "plan-print.png", full_page=True)
    printed = page.pdf(format="A4", print_background=True)
    assert len(re.findall(rb"/Type\s*/Page[^s]", printed)) == 1
    page.emulate_media(media="screen")

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Self-check").click()
    page.get_by_role("link", name="Take this month's self-check").click()
    page.get_by_role("button", name="Save my answers").click()
    assert page.get_by_text("Please choose an answer.").count() == 9, "nothing answered yet"
    assert serious_accessibility_problems(page) == []
    for question, answer in [
        ("How often do you feel that you lack companionship?", "Some of the time"),
        ("How often do you feel left out?", "Hardly ever"),
        ("How often do you feel isolated from others?", "Some of the time"),
        ("How many relatives do you see or hear from at least once a month?", "Three or four"),
        ("How many relatives do you feel at ease with that you can talk about private matters?", "Two"),
        ("How many relatives do you feel close to such that you could call on them for help?", "Two"),
        ("How many of your friends do you see or hear from at least once a month?", "Three or four"),
        ("How many friends do you feel at ease with that you can talk about private matters?", "One"),
        ("How many friends do you feel close to such that you could call on them for help?", "Two"),
    ]:
        page.get_by_role("group", name=question).get_by_label(answer, exact=True).check()
    page.get_by_role("button", name="Save my answers").click()

    page.get_by_text("Your answers are saved.").wait_for()
    latest = SelfCheck.objects.filter(owner=person).order_by("-month_on").first()
    assert (latest.ucla_score, latest.lsns_score) == (5, 13)
    assert page.get_by_text("A score is not a diagnosis.").is_visible()
    assert page.locator("svg[role=img]").count() == 4
    assert serious_accessibility_problems(page) == []
    screenshot(page, "self-check")

    # Taken again the same month: the page says the new answers replace this month's.
    page.get_by_role("link", name="Change this month's answers").click()
    assert page.get_by_text("your new answers replace that one").is_visible()
    screenshot(page, "self-check-form")
    for question in UCLA_QUESTIONS:
        page.get_by_role("group", name=question).get_by_label("Often").check()
    for question in LSNS_QUESTIONS:
        page.get_by_role("group", name=question).get_by_label("One", exact=True).check()
    page.get_by_role("button", name="Save my answers").click()
    page.get_by_text("You don't have to carry this alone").wait_for()
    assert SelfCheck.objects.filter(owner=person).count() == 4, "still one self-check a month"
    assert page.get_by_role("link", name="Open my crisis plan").is_visible()
    screenshot(page, "self-check-concerning")
