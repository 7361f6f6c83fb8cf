"""Control characters typed or pasted into the site's fields (core.text): one-line fields store
one line with none; multi-line fields keep their line breaks and lose the rest. Nothing else changes."""

import json
import re

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from checkins.models import CheckIn
from contacts.models import Supporter
from core.text import single_line, without_controls
from privacy import services as privacy_services
from resources.models import Resource
from tests.factories import SupporterFactory, make_moderator
from tests.test_checkins import valid_data
from tests.test_wellbeing import plan_post
from wellbeing.models import SafetyPlan

CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
# A bell, an escape sequence that recolours a terminal, C1 controls, a null byte, a DEL.
NOISE = "\x07\x1b[31m\x85\x9b\x00\x7f"


def test_it_cleans_one_line_and_multi_line_text():
    assert single_line(" Sam\r\nRivers\t\x0bthe\u2028second\x07 ") == "Sam Rivers the second"
    assert single_line("Zoë 🌱 O'Neill") == "Zoë 🌱 O'Neill"
    assert without_controls("line one\r\nline two\tand\x1b[31m red\x00") == "line one\nline two\tand[31m red"


def test_it_keeps_a_supporter_s_one_line_fields_on_one_line(owner_client, user):
    response = owner_client.post(
        reverse("contacts:add"),
        {
            "name": "Sam\r\nRivers" + NOISE,
            "relationship": "sis\tter\nBcc: someone@example.net",
            "phone": "020\n7946\r0958",
            "support_types": ["emotional"],
            "circle": "inner",
            "rhythm": "circle",
            "best_times": "Weekdays\r\nnot after 9pm" + NOISE,
            "notes": "First line\nSecond line" + NOISE,
        },
    )
    assert response.status_code == 302
    supporter = Supporter.objects.for_owner(user).get()
    assert supporter.name == "Sam Rivers[31m"
    assert supporter.relationship == "sis ter Bcc: someone@example.net"
    assert supporter.phone == "020 7946 0958"
    assert supporter.best_times == "Weekdays\nnot after 9pm[31m"
    assert supporter.notes == "First line\nSecond line[31m"


def test_it_refuses_a_name_that_is_only_control_characters_kindly(owner_client, user):
    response = owner_client.post(
        reverse("contacts:add"),
        {"name": "\r\n\x07", "support_types": ["emotional"], "circle": "inner", "rhythm": "circle"},
    )
    assert response.status_code == 200
    assert "Please give this person a name" in response.content.decode()
    assert not Supporter.objects.exists()


def test_it_cleans_the_supporter_search(owner_client, user):
    SupporterFactory(owner=user, name="Sam Rivers")
    page = owner_client.get(reverse("contacts:list"), {"q": "Sam\x00\x1b"}).content.decode()
    assert "Sam Rivers" in page


def test_it_keeps_the_lines_of_a_check_in_note_and_drops_its_controls(owner_client, user):
    supporter = SupporterFactory(owner=user)
    response = owner_client.post(
        reverse("checkins:log"), valid_data(supporter, note="We talked.\r\nIt helped." + NOISE)
    )
    assert response.status_code == 302
    assert CheckIn.objects.get().note == "We talked.\nIt helped.[31m"


def test_it_keeps_the_lines_of_the_crisis_plan_and_drops_its_controls(owner_client, user):
    response = owner_client.post(
        reverse("wellbeing:plan_edit"),
        plan_post(warning_signs="I stop answering\r\nI sleep badly" + NOISE, what_matters_most="Pepper\x00"),
    )
    assert response.status_code == 302
    plan = SafetyPlan.objects.get(owner=user)
    assert plan.warning_signs == "I stop answering\nI sleep badly[31m"
    assert plan.what_matters_most == "Pepper"


def test_it_refuses_an_email_address_with_a_line_break_at_sign_up(client, db):
    """The account's one-line field is its address: allauth refuses controls in it, with a message."""
    response = client.post(
        reverse("account_signup"),
        {
            "email": "new@example.com\r\nBcc: everyone@example.net",
            "password1": "a calm long passphrase",
            "password2": "a calm long passphrase",
            "timezone": "UTC",
        },
    )
    assert response.status_code == 200
    assert "Enter a valid email address." in response.content.decode()
    assert len(mail.outbox) == 0


def test_it_keeps_a_resource_s_one_line_fields_on_one_line(client, db, two_step_login):
    two_step_login(client, make_moderator())
    response = client.post(
        reverse("admin:resources_resource_add"),
        {
            "name": "Night\r\nLine" + NOISE,
            "kind": "crisis_line",
            "gives_emotional": "on",
            "country": "IE",
            "phone": "116 123",
            "opening_hours": "24 hours\na day",
            "description": "Someone to talk to.\r\nAny time." + NOISE,
            "is_published": "on",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    resource = Resource.objects.latest("pk")
    assert (resource.name, resource.opening_hours) == ("Night Line[31m", "24 hours a day")
    assert resource.description == "Someone to talk to.\nAny time.[31m"


def test_it_cleans_imported_names(user):
    raw = b"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Jo\\nBloggs\x07\r\nEND:VCARD\r\n"
    pending = privacy_services.import_start(owner=user, file_name="c.vcf", raw=raw, now=timezone.now())
    names = [person["fields"]["name"] for person in json.loads(pending.payload)["people"]]
    assert names == ["Jo Bloggs"]
    assert not any(CONTROL.search(name) for name in names)


@pytest.mark.parametrize("field", ["name", "relationship", "phone"])
def test_no_stored_one_line_supporter_field_has_a_control_character_after_editing(owner_client, user, field):
    supporter = SupporterFactory(owner=user, name="Ana", phone="0800 000 000")
    data = {
        "name": "Ana",
        "relationship": "friend",
        "phone": "0800 000 000",
        "support_types": ["emotional"],
        "circle": "inner",
        "rhythm": "circle",
    }
    data[field] = data[field].replace(" ", "\r\n") + "\x0b" if field == "phone" else "A\r\nB\x1f"
    response = owner_client.post(reverse("contacts:edit", args=[supporter.pk]), data)
    assert response.status_code == 302
    supporter.refresh_from_db()
    assert not CONTROL.search(getattr(supporter, field))
