"""The moderator's story in real Chromium: sign in through the site's sign-in, deactivate and
reactivate an account with a reason, add a crisis line and see it on a person's crisis page; then
the directory and the crisis page pass axe at phone and laptop widths."""

import re

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.core.management import call_command

from accounts.models import User
from moderation.models import AccountAction
from resources.models import Resource
from tests.browser.conftest import EVERY_IMPACT, SCREENS, assert_accessible, screenshot, sign_in
from tests.factories import ResourceFactory, SupporterFactory, UserFactory
from tests.test_moderation import current_code

MODERATOR_PASSWORD = "the moderator's own passphrase"


def submit(page, selector):
    with page.expect_navigation():
        page.click(selector)


def test_it_runs_the_moderator_story_in_a_browser(live_server, open_tab, transactional_db, monkeypatch):
    page = open_tab("laptop")
    base = live_server.url
    person = UserFactory(email="person@example.com", country="IE")
    SupporterFactory(owner=person, name="Private Person", notes="PRIVATE NOTE")
    monkeypatch.setenv("MODERATOR_PASSWORD", MODERATOR_PASSWORD)
    call_command("create_moderator", "mod@example.com", "--no-input")
    secret = generate_totp_secret()
    TOTP.activate(User.objects.get(email="mod@example.com"), secret)

    sign_in(
        page,
        "mod@example.com",
        MODERATOR_PASSWORD,
        start="/admin/",
        lands_on=re.compile("/accounts/2fa/authenticate/"),
    )
    assert "/accounts/2fa/authenticate/" in page.url
    page.fill("input[name=code]", current_code(secret))
    submit(page, "button[type=submit]")
    assert page.url == f"{base}/admin/"
    screenshot(page, "moderation-admin-index", SCREENS)

    page.goto(f"{base}/admin/accounts/user/?q=person")
    screenshot(page, "moderation-admin-users", SCREENS)
    submit(page, "text=person@example.com")
    assert "PRIVATE" not in page.content()
    assert "Private Person" not in page.content()
    screenshot(page, "moderation-admin-user", SCREENS)
    submit(page, "text=Deactivate account")
    submit(page, "input[type=submit]")
    assert "Please give a reason" in page.content()
    page.fill("textarea[name=reason]", "Checking the moderation tools; back in a minute.")
    submit(page, "input[type=submit]")
    assert "deactivated" in page.locator(".messagelist").inner_text()
    assert not User.objects.get(email="person@example.com").is_active
    submit(page, "text=Reactivate account")
    page.fill("textarea[name=reason]", "Check finished.")
    submit(page, "input[type=submit]")
    assert User.objects.get(email="person@example.com").is_active
    assert AccountAction.objects.count() == 2

    page.goto(f"{base}/admin/resources/resource/add/")
    page.fill("input[name=name]", "Browser Test Line")
    page.select_option("select[name=kind]", "crisis_line")
    page.check("input[name=gives_emotional]")
    page.select_option("select[name=country]", "IE")
    page.fill("input[name=phone]", "1800 000 000")
    page.check("input[name=is_published]")
    submit(page, "input[name=_save]")
    assert Resource.objects.filter(name="Browser Test Line", is_published=True).exists()
    screenshot(page, "moderation-admin-resources", SCREENS)

    page.goto(f"{base}/admin/moderation/sitefigures/")
    assert "People with at least one supporter" in page.content()
    screenshot(page, "moderation-admin-figures", SCREENS)
    for url in ["/admin/contacts/supporter/", "/admin/checkins/checkin/", "/admin/moderation/accountaction/"]:
        assert page.goto(f"{base}{url}").status in (403, 404), url

    person_page = open_tab("laptop")
    sign_in(person_page, "person@example.com", "a calm long passphrase")
    person_page.goto(f"{base}/crisis/")
    assert "Browser Test Line" in person_page.content()
    assert person_page.locator("a[href='tel:1800000000']").count() == 1
    assert page.csp_violations == [], "nothing on these pages breaks the Content-Security-Policy"


@pytest.mark.parametrize("path", ["/resources/", "/resources/?type=peer", "/crisis/"])
def test_it_keeps_the_directory_accessible(open_tab, transactional_db, path):
    page = open_tab("laptop")
    ResourceFactory(name="Listening Line", country="", opening_hours="24 hours, every day")
    ResourceFactory(name="Peer Circle", country="", kind="peer_group", gives_emotional=False, gives_peer=True)
    page.goto(path)
    for each in SCREENS:
        page.set_viewport_size(SCREENS[each])
        assert_accessible(page, EVERY_IMPACT)
    name = path.strip("/").replace("/?type=", "-")
    screenshot(page, f"moderation-{name}", SCREENS)
