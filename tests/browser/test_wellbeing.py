"""Fill the crisis plan and take the self-check in real Chromium, with screenshots at phone and laptop
widths."""

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.browser.conftest import SCREENS, assert_accessible, open_menu, screenshot
from tests.factories import CheckInFactory, SupporterFactory, UserFactory
from wellbeing import services
from wellbeing.models import LSNS_FIELDS, UCLA_FIELDS, PlanPerson, SelfCheck

UCLA_QUESTIONS = [SelfCheck._meta.get_field(name).verbose_name for name in UCLA_FIELDS]
LSNS_QUESTIONS = [SelfCheck._meta.get_field(name).verbose_name for name in LSNS_FIELDS]


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


def test_it_fills_the_plan_and_takes_the_self_check(open_tab, person):
    page = open_tab("laptop", user=person)
    page.goto("/crisis/")
    page.get_by_role("link", name="Open my crisis plan").click()
    page.get_by_role("link", name="Start my plan").click()
    assert_accessible(page)

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
    screenshot(page, "plan-edit", SCREENS)
    page.get_by_role("button", name="Save my plan").click()

    page.get_by_text("Your plan is saved.").wait_for()
    assert page.get_by_role("link", name="Call +44 7700 900123").get_attribute("href") == "tel:+447700900123"
    assert page.get_by_role("link", name="ada@example.com").get_attribute("href") == "mailto:ada@example.com"
    page.get_by_role("button", name="I've told Ada Lovelace").click()
    page.get_by_text("Told on ").wait_for()
    assert PlanPerson.objects.get(supporter__name="Ada Lovelace").told_at is not None
    assert_accessible(page)
    screenshot(page, "plan", SCREENS)

    # The print stylesheet: one clean A4 page, without navigation or buttons.
    page.emulate_media(media="print")
    screenshot(page, "plan-print")
    printed = page.pdf(format="A4", print_background=True)
    assert len(re.findall(rb"/Type\s*/Page[^s]", printed)) == 1
    page.emulate_media(media="screen")

    open_menu(page)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Self-check").click()
    page.get_by_role("link", name="Take this month's self-check").click()
    page.get_by_role("button", name="Save my answers").click()
    expect(page.get_by_text("Please choose an answer.")).to_have_count(9)  # nothing answered yet
    assert_accessible(page)
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
    assert_accessible(page)
    screenshot(page, "self-check", SCREENS)

    # Taken again the same month: the page says the new answers replace this month's.
    page.get_by_role("link", name="Change this month's answers").click()
    expect(page.get_by_text("your new answers replace that one")).to_be_visible()
    screenshot(page, "self-check-form", SCREENS)
    for question in UCLA_QUESTIONS:
        page.get_by_role("group", name=question).get_by_label("Often").check()
    for question in LSNS_QUESTIONS:
        page.get_by_role("group", name=question).get_by_label("One", exact=True).check()
    page.get_by_role("button", name="Save my answers").click()
    page.get_by_text("You don't have to carry this alone").wait_for()
    assert SelfCheck.objects.filter(owner=person).count() == 4, "still one self-check a month"
    assert page.get_by_role("link", name="Open my crisis plan").is_visible()
    screenshot(page, "self-check-concerning", SCREENS)
