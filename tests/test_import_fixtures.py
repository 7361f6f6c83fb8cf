"""Address-book files exported by real applications (see tests/fixtures/addressbooks/README.md), and
the round trip of our own exports: what goes out comes back field by field."""

import csv
import datetime
import io
import json
from pathlib import Path

import pytest
from django.urls import reverse

from contacts.models import Supporter
from privacy import services
from privacy.exports import SUPPORTER_FIELDS, export_everything, supporters_as_csv, supporters_as_vcards
from privacy.imports import parse_upload
from privacy.models import PendingImport
from tests.factories import SupporterFactory, UserFactory

FIXTURES = Path(__file__).parent / "fixtures" / "addressbooks"
NOW = datetime.datetime(2026, 11, 28, 12, 0, tzinfo=datetime.UTC)

# File: (people ready to add, people listed with a problem)
EXPECTED = {
    "android.vcf": (6, 0),
    "blackberry-john-doe.vcf": (1, 0),
    "evolution-john-doe.vcf": (1, 0),
    "gmail-john-doe.vcf": (1, 0),
    "gmail-list.vcf": (3, 0),
    "gmail-single.vcf": (1, 0),
    "gmail-single2.vcf": (1, 0),
    "google-contacts.csv": (4, 1),
    "iphone-cr-cr-lf.vcf": (2, 1),
    "iphone-john-doe.vcf": (1, 0),
    "lotus-notes-john-doe.vcf": (1, 0),
    "lotus-notes-profile.vcf": (1, 0),
    "mac-address-book-john-doe.vcf": (1, 0),
    "monica-empty-fn.vcf": (3, 0),
    "outlook-2003.vcf": (0, 1),
    "outlook.csv": (3, 0),
    "rfc2426-example.vcf": (2, 0),
    "rfc6350-altid-language.vcf": (1, 0),
    "rfc6350-example.vcf": (1, 0),
    "thunderbird-morefunctions.vcf": (1, 0),
    "vcard21-quoted-printable.vcf": (2, 0),
}


def people_in(name, raw=None):
    _, parsed = parse_upload(file_name=name, raw=raw if raw is not None else (FIXTURES / name).read_bytes())
    return parsed["people"]


def by_name(people):
    return {person["fields"]["name"]: person for person in people}


def test_every_fixture_has_an_expected_count():
    on_disk = {path.name for path in FIXTURES.iterdir() if path.suffix in (".vcf", ".csv")}
    assert on_disk == set(EXPECTED)
    assert len(on_disk) >= 15


@pytest.mark.parametrize(("name", "counts"), sorted(EXPECTED.items()))
def test_each_real_file_imports_the_expected_people(user, name, counts):
    ready, with_problems = counts
    pending = services.import_start(owner=user, file_name=name, raw=(FIXTURES / name).read_bytes(), now=NOW)
    preview = services.import_preview(pending=pending)
    assert (preview["ready_count"], preview["problem_count"]) == counts
    added, _ = services.import_confirm(
        pending=pending, support_types=["emotional"], circle="middle", skip_duplicates=True
    )
    assert added == ready == Supporter.objects.for_owner(user).count()
    assert with_problems == len(preview["people"]) - ready


@pytest.mark.parametrize("ending", ["\n", "\r\n", "\r", "\r\r\n"])
def test_any_line_ending_gives_the_same_people(ending):
    text = (FIXTURES / "rfc2426-example.vcf").read_text()
    people = people_in("x.vcf", text.replace("\n", ending).encode())
    assert [person["fields"]["name"] for person in people] == ["Frank Dawson", "Tim Howes"]
    assert [person["where"] for person in people] == ["Card 1 (line 1)", "Card 2 (line 14)"]


def test_an_iphone_file_with_cr_cr_lf_names_the_right_line():
    broken = people_in("iphone-cr-cr-lf.vcf")[2]
    assert broken["where"] == "Card 3 (line 19)"
    assert broken["problems"] == [
        {"field": "phone", "why": "“call me maybe” doesn't look like a phone number"}
    ]


def test_a_card_without_a_full_name_is_named_from_its_nickname_organisation_or_email_and_says_so():
    people = by_name(people_in("monica-empty-fn.vcf") + people_in("android.vcf"))
    assert people["Birdie"]["notices"] == ["No full name given: named “Birdie” from its nickname."]
    assert "from its organisation" in people["Samaritans"]["notices"][0]
    assert "from its email address" in people["john.doe@company.com"]["notices"][0]
    assert people["john.doe@company.com"]["fields"]["email"] == "john.doe@company.com"


def test_a_card_with_only_structured_name_parts_is_named_from_them():
    raw = b"BEGIN:VCARD\r\nVERSION:3.0\r\nN:Okafor;Amara;;Dr;\r\nEND:VCARD\r\n"
    (person,) = people_in("x.vcf", raw)
    assert person["fields"]["name"] == "Dr Amara Okafor"
    assert "from its name parts" in person["notices"][0]


def test_an_unescaped_comma_in_fn_keeps_the_whole_name():
    people = by_name(people_in("monica-empty-fn.vcf"))
    assert "Mr. John Richter, James Doe Sr." in people


def test_a_tel_uri_with_an_extension_keeps_the_number_and_the_extension():
    (simon,) = people_in("rfc6350-example.vcf")
    assert simon["fields"]["phone"] == "+1-418-656-9254"
    assert "Phone extension: 102" in simon["fields"]["notes"]
    assert simon["notices"] == ["The phone extension 102 is kept in the notes."]


def test_of_several_full_names_the_own_script_wins_and_the_other_is_kept():
    (person,) = people_in("rfc6350-altid-language.vcf")
    assert person["fields"]["name"] == "李明"
    assert "Also written: Li Ming" in person["fields"]["notes"]


def test_vcard_2_1_quoted_printable_and_legacy_charsets_are_decoded():
    people = by_name(people_in("vcard21-quoted-printable.vcf"))
    assert people["Jürgen Müller"]["fields"]["notes"] == "Café on Fridays,\nbring a friend"
    assert people["Lucía García"]["fields"]["phone"] == "+34 600 000 000"


def test_lotus_notes_profile_line_is_ignored():
    (mei,) = people_in("lotus-notes-profile.vcf")
    assert (mei["fields"]["name"], mei["problems"]) == ("Mei Ng", [])


def test_google_csv_multi_values_take_the_first_good_one():
    people = by_name(people_in("google-contacts.csv"))
    ana = people["Ana López"]["fields"]
    assert (ana["email"], ana["phone"]) == ("ana@example.com", "+34 600 000 001")
    assert people["Tom Oduya"]["fields"]["phone"] == "07700 900111"
    amara = people["Dr Amara Okafor"]
    assert amara["problems"] == [
        {"field": "email", "why": "“not an email” doesn't look like an email address"}
    ]


def test_an_outlook_csv_in_windows_1252_is_read_and_says_so():
    _, parsed = parse_upload(file_name="outlook.csv", raw=(FIXTURES / "outlook.csv").read_bytes())
    assert "Windows-1252" in parsed["notices"][0]
    assert [person["fields"]["name"] for person in parsed["people"]] == [
        "Priya Shah",
        "Sam Doe",
        "Hearing Voices group",
    ]


def test_the_records_with_problems_download_as_a_file_to_fix(owner_client, user):
    raw = (FIXTURES / "google-contacts.csv").read_bytes()
    pending = services.import_start(owner=user, file_name="google.csv", raw=raw, now=NOW)
    response = owner_client.get(reverse("privacy:import_skipped", args=[pending.pk]))
    assert response["Content-Disposition"] == 'attachment; filename="to-fix.csv"'
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert [row["Name"] for row in rows] == ["Dr Amara Okafor"]
    assert rows[0]["What to fix"] == "email: “not an email” doesn't look like an email address"
    # Fixed and imported again, it is added.
    fixed = response.content.decode().replace("not an email", "amara@example.org").encode()
    pending = services.import_start(owner=user, file_name="fixed.csv", raw=fixed, now=NOW)
    assert services.import_preview(pending=pending)["ready_count"] == 1


def test_a_vcard_to_fix_holds_the_original_cards(owner_client, user):
    raw = (FIXTURES / "iphone-cr-cr-lf.vcf").read_bytes()
    pending = services.import_start(owner=user, file_name="iphone.vcf", raw=raw, now=NOW)
    content = owner_client.get(reverse("privacy:import_skipped", args=[pending.pk])).content.decode()
    assert (
        content == "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Broken\r\nTEL;type=HOME:call me maybe\r\nEND:VCARD\r\n"
    )


def test_an_outsider_cannot_download_the_records_to_fix(outsider_client, user):
    raw = (FIXTURES / "google-contacts.csv").read_bytes()
    pending = services.import_start(owner=user, file_name="google.csv", raw=raw, now=NOW)
    assert outsider_client.get(reverse("privacy:import_skipped", args=[pending.pk])).status_code == 404


def test_confirm_adds_only_the_ready_ones_in_one_step(owner_client, user):
    raw = (FIXTURES / "google-contacts.csv").read_bytes()
    pending = services.import_start(owner=user, file_name="google.csv", raw=raw, now=NOW)
    response = owner_client.post(
        reverse("privacy:import_preview", args=[pending.pk]), {"support_types": ["peer"], "circle": "outer"}
    )
    assert response.status_code == 302
    names = set(Supporter.objects.for_owner(user).values_list("name", flat=True))
    assert names == {"Ana López", "Tom Oduya", "Gran", "only.an.address@example.org"}
    assert not PendingImport.objects.filter(owner=user).exists()


# --- Round trip: export, then import into a fresh account --------------------------------------


def full_network(user):
    SupporterFactory(
        owner=user,
        name="Aisha Khan, MD",
        relationship="therapist; Tuesdays",
        gives_peer=True,
        gives_professional=True,
        circle="inner",
        feeling="energising",
        email="aisha@example.com",
        phone="+44 20 7946 0958",
        preferred_channel="call",
        best_times="Not after 9pm,\nnever Sundays",
        rhythm="custom",
        rhythm_days=5,
        is_crisis_contact=True,
        notes="=SUM(A1) \\ “ñ” 🌱 李明 محمد\nsecond line; with, commas",
    )
    SupporterFactory(
        owner=user,
        name="-Ben",
        gives_emotional=False,
        gives_instrumental=True,
        circle="outer",
        feeling="draining",
        preferred_channel="message",
        rhythm="none",
        is_archived=True,
        phone="(020) 7946-0000",
    )
    SupporterFactory(owner=user, name="Zoë")


def field_values(user):
    rows = []
    for supporter in Supporter.objects.for_owner(user).order_by("name"):
        values = {}
        for field in SUPPORTER_FIELDS:
            value = getattr(supporter, field)
            values[field] = [kind.value for kind in value] if field == "support_types" else value
        rows.append(values)
    return rows


def round_trip(user, file_name, content):
    fresh = UserFactory()
    pending = services.import_start(owner=fresh, file_name=file_name, raw=content.encode(), now=NOW)
    assert services.import_preview(pending=pending)["problem_count"] == 0
    services.import_confirm(
        pending=pending, support_types=["informational"], circle="middle", skip_duplicates=False
    )
    return fresh


@pytest.mark.parametrize(
    ("file_name", "export"),
    [
        ("s.vcf", lambda user: supporters_as_vcards(user=user)),
        ("s.csv", lambda user: supporters_as_csv(user=user)),
        ("s.csv", lambda user: supporters_as_csv(user=user, byte_order_mark=True)),
        ("s.json", lambda user: json.dumps(export_everything(user=user, now=NOW))),
    ],
    ids=["vcard", "csv", "csv-with-bom", "json"],
)
def test_export_then_import_into_a_fresh_account_is_equal_field_by_field(user, file_name, export):
    full_network(user)
    fresh = round_trip(user, file_name, export(user))
    assert field_values(fresh) == field_values(user)


def test_every_exported_card_has_n_uid_and_rev(user):
    full_network(user)
    cards = sorted(
        supporters_as_vcards(user=user).split("END:VCARD\r\n")[:-1], key=lambda card: "Aisha" not in card
    )
    assert len(cards) == 3
    for card in cards:
        unfolded = card.replace("\r\n ", "")
        assert "\r\nN:" in unfolded and "\r\nUID:urn:uuid:" in unfolded and "\r\nREV:" in unfolded
    assert "CATEGORIES:emotional,peer,professional" in cards[0].replace("\r\n ", "")
    assert "X-SUPPORTNET-CIRCLE:inner" in cards[0]


def test_other_parsers_read_our_vcards(user):
    import vobject

    full_network(user)
    cards = list(vobject.readComponents(supporters_as_vcards(user=user)))
    assert [card.fn.value for card in cards] == ["-Ben", "Aisha Khan, MD", "Zoë"]
    assert cards[1].role.value == "therapist; Tuesdays"


def test_imported_check_ins_set_each_supporters_last_and_next_check_in(user):
    from tests.factories import CheckInFactory

    aisha = SupporterFactory(owner=user, name="Aisha", rhythm="custom", rhythm_days=7)
    for days in (3, 10):
        CheckInFactory(supporter=aisha, happened_at=NOW - datetime.timedelta(days=days))
    fresh = round_trip(user, "x.json", json.dumps(export_everything(user=user, now=NOW)))
    imported = Supporter.objects.for_owner(fresh).get(name="Aisha")
    assert imported.last_check_in_at == NOW - datetime.timedelta(days=3)
    assert imported.next_check_in_at.date() == (NOW + datetime.timedelta(days=4)).date()


def test_a_json_supporter_to_fix_comes_with_its_check_ins_and_imports_once_fixed(owner_client, user):
    from tests.factories import CheckInFactory

    aisha = SupporterFactory(owner=user, name="Aisha")
    CheckInFactory(supporter=aisha, happened_at=NOW - datetime.timedelta(days=3), note="Walk")
    SupporterFactory(owner=user, name="Ben")
    data = export_everything(user=user, now=NOW)
    data["supporters"][0]["email"] = "not an email"
    pending = services.import_start(owner=user, file_name="x.json", raw=json.dumps(data).encode(), now=NOW)
    to_fix = json.loads(owner_client.get(reverse("privacy:import_skipped", args=[pending.pk])).content)
    assert [entry["name"] for entry in to_fix["supporters"]] == ["Aisha"]
    assert [entry["note"] for entry in to_fix["check_ins"]] == ["Walk"]
    to_fix["supporters"][0]["email"] = "aisha@example.org"
    fresh = UserFactory()
    pending = services.import_start(owner=fresh, file_name="f.json", raw=json.dumps(to_fix).encode(), now=NOW)
    assert services.import_confirm(
        pending=pending, support_types=[], circle="middle", skip_duplicates=False
    ) == (1, 1)
