"""Asking for support and sharing the crisis plan in real Chromium: the prefilled links as the browser
reads them, every new page checked by axe and photographed at phone and laptop widths."""

import datetime

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from checkins.models import CheckIn, CheckInKind
from sharing import services
from sharing.models import ConsentStatus
from tests.browser.conftest import SCREENS, assert_accessible, screenshot
from tests.factories import SupporterFactory, UserFactory
from tests.sharing_helpers import make_consent, make_share

MESSAGE = "Rough day & I'd love a chat? 100% fine if not — thank you!\nAlex"


@pytest.fixture
def person(transactional_db):
    user = UserFactory(email="alex@example.com", timezone="Europe/London", country="GB")
    ada = SupporterFactory(
        owner=user, name="Ada Lovelace", phone="07700 900123", email="ada@example.net", best_times="Evenings"
    )
    make_consent(
        user,
        supporter=ada,
        email="ada@example.net",
        how_to_ask="Text first, I'll call back",
        quiet_from=datetime.time(22),
        quiet_until=datetime.time(7),
        timezone="Europe/London",
        most_asks_per_week=3,
    )
    SupporterFactory(owner=user, name="Sam Okafor", phone="+44 20 7946 0958")
    SupporterFactory(owner=user, name="Dee Driver", gives_emotional=False, gives_instrumental=True)
    return user


def check_every_size(page, name):
    """axe at phone and laptop widths, and a screenshot of each (var/screenshots/NAME-WxH.png)."""
    for size in SCREENS:
        page.set_viewport_size(SCREENS[size])
        assert_accessible(page)
        screenshot(page, name)
    page.set_viewport_size(SCREENS["laptop"])


def link_parts(page, kind, person):
    """The link's parts as Chromium parses them (the URL API decodes the query as an app would)."""
    return page.evaluate(
        """([kind, person]) => {
            const card = [...document.querySelectorAll('.ask-send')].find(c => c.querySelector('h2').textContent === person);
            const link = card.querySelector(`a[data-link="${kind}"]`);
            const url = new URL(link.href);
            return {protocol: url.protocol, host: url.host, path: decodeURIComponent(url.pathname),
                    body: url.searchParams.get('body'), text: url.searchParams.get('text'),
                    subject: url.searchParams.get('subject'), raw: link.getAttribute('href')};
        }""",
        [kind, person],
    )


def test_it_asks_for_support_in_one_tap_with_links_prefilled_for_the_person_s_own_apps(open_tab, person):
    page = open_tab("laptop", user=person)
    page.goto("/")
    page.get_by_role("link", name="I could use some support").click()
    check_every_size(page, "sharing-ask-kind")
    page.get_by_role("link", name="Someone to listen").click()

    # Only people who listen, with the boundaries they set.
    main = page.locator("main")
    assert main.get_by_text("Dee Driver").count() == 0
    assert main.get_by_text("Text first, I'll call back").is_visible()
    assert main.get_by_text("At most 3 asks a week").is_visible()
    check_every_size(page, "sharing-ask")

    page.get_by_role("textbox", name="Your message").fill(MESSAGE)
    page.get_by_role("checkbox", name="Ada Lovelace", exact=True).check()
    page.get_by_role("checkbox", name="Sam Okafor", exact=True).check()
    page.get_by_role("button", name="Next: send it").click()
    page.wait_for_url("**/ask/*/")
    check_every_size(page, "sharing-ask-sent")

    sms = link_parts(page, "sms", "Ada Lovelace")
    assert (sms["protocol"], sms["path"], sms["body"]) == ("sms:", "+447700900123", MESSAGE)
    whatsapp = link_parts(page, "whatsapp", "Sam Okafor")
    assert (whatsapp["host"], whatsapp["path"], whatsapp["text"]) == ("wa.me", "/442079460958", MESSAGE)
    mail = link_parts(page, "mailto", "Ada Lovelace")
    assert (mail["protocol"], mail["path"], mail["body"], mail["subject"]) == (
        "mailto:",
        "ada@example.net",
        MESSAGE,
        "Could you help?",
    )
    assert "+" not in mail["raw"].split("?", 1)[1] and " " not in mail["raw"]

    # Logged once, whatever the person does next on the page.
    page.reload()
    page.go_back()
    asked = CheckIn.objects.filter(owner=person, kind=CheckInKind.ASKED_FOR_SUPPORT)
    assert sorted(asked.values_list("supporter__name", flat=True)) == ["Ada Lovelace", "Sam Okafor"]


def test_the_crisis_page_has_the_ask_too(open_tab, person):
    page = open_tab("phone", user=person)
    page.goto("/crisis/")
    page.get_by_role("link", name="I could use some support").click()
    page.wait_for_url("**/ask/")


def test_the_person_sees_who_can_see_the_plan_and_revokes_in_one_click(open_tab, person):
    supporter_account = UserFactory(email="ada@example.net")
    share = make_share(person, email="ada@example.net", plan_words="I go quiet and stop eating")
    make_consent(person, status=ConsentStatus.INVITED, email="invited@example.net")
    ada_consent = person.supporters.get(name="Ada Lovelace").consent
    services.plan_share_start(owner=person, consent_id=ada_consent.pk, now=share.created_at)

    reader = open_tab("laptop", user=supporter_account)
    reader.goto(reverse("sharing:shared_with_me"))
    check_every_size(reader, "sharing-shared-with-me")
    reader.get_by_role("link", name="Alex's crisis plan").first.click()
    expect(reader.get_by_text("I go quiet and stop eating")).to_be_visible()
    check_every_size(reader, "sharing-shared-plan")
    plan_url = reader.url

    page = open_tab("laptop", user=person)
    page.goto(reverse("sharing:home"))
    check_every_size(page, "sharing-home")
    page.get_by_role("button", name=f"Stop sharing my plan with {share.consent.supporter.name}").click()
    expect(page.get_by_text("they can no longer see your crisis plan")).to_be_visible()

    reader.goto(plan_url)
    assert reader.get_by_role("heading", name="This share has ended").is_visible()
    assert reader.get_by_text("I go quiet and stop eating").count() == 0
    check_every_size(reader, "sharing-share-ended")


def test_a_supporter_agrees_on_their_own_page_without_an_account(open_tab, person):
    consent = make_consent(person, status=ConsentStatus.INVITED, email="new@example.net")
    page = open_tab("phone")
    page.goto(reverse("sharing:consent", args=[services.consent_token_make(consent)]))
    check_every_size(page, "sharing-consent")
    page.get_by_role("textbox", name="How do you like to be asked?").fill("Call, don't text")
    page.get_by_label("Most asks a week").fill("2")
    page.get_by_role("button", name="Yes, I agree").click()
    expect(page.get_by_role("heading", name="Thank you")).to_be_visible()
    check_every_size(page, "sharing-consent-done")
    consent.refresh_from_db()
    assert (consent.status, consent.most_asks_per_week) == (ConsentStatus.AGREED, 2)

    page.goto(reverse("sharing:consent", args=["forged"]))
    assert page.get_by_text("This link is not valid").is_visible()
    check_every_size(page, "sharing-link-refused")
