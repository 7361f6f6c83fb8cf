"""Export everything (JSON, CSV, vCard) and import supporters (vCard, CSV, JSON) with a preview."""

import csv
import datetime
import html
import io
import json

import pytest
import vobject
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from checkins.models import CheckIn
from contacts import services as contacts_services
from contacts.models import Supporter
from privacy import services
from privacy.exports import csv_safe, export_everything
from privacy.imports import MAX_PEOPLE, ImportFileError, parse_upload
from privacy.models import PendingImport
from tests.factories import CheckInFactory, SupporterFactory, UserFactory
from wellbeing.models import SafetyPlan

NOW = datetime.datetime(2026, 11, 28, 12, 0, tzinfo=datetime.UTC)

VCARDS = (
    "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Jo Bloggs\r\nN:Bloggs;Jo;;;\r\nEMAIL;TYPE=INTERNET:jo@example.com\r\n"
    "TEL;TYPE=CELL:+44 7700 900123\r\nNOTE:Met at group\r\nEND:VCARD\r\n"
    "BEGIN:VCARD\r\nVERSION:2.1\r\nN:Doe;Sam;;;\r\nTEL;CELL:07700 900456\r\n"
    "NOTE;ENCODING=QUOTED-PRINTABLE;CHARSET=UTF-8:Caf=C3=A9 friend\r\nEND:VCARD\r\n"
)


def upload(client, name, content):
    data = content.encode() if isinstance(content, str) else content
    return client.post(reverse("privacy:import"), {"file": SimpleUploadedFile(name, data)})


def build_network(user):
    aisha = SupporterFactory(
        owner=user,
        name="Aisha Khan",
        gives_peer=True,
        circle="inner",
        feeling="energising",
        email="aisha@example.com",
        phone="+44 20 7946 0958",
        preferred_channel="call",
        best_times="Not after 9pm",
        rhythm="custom",
        rhythm_days=5,
        is_crisis_contact=True,
        notes="Knows about the hospital stay, “ñ” 🌱",
    )
    ben = SupporterFactory(
        owner=user, name="Ben", gives_emotional=False, gives_professional=True, circle="outer"
    )
    contacts_services.supporter_archive(supporter=ben)
    CheckInFactory(supporter=aisha, happened_at=NOW - datetime.timedelta(days=3), mood=4, note="Long walk")
    CheckInFactory(supporter=aisha, happened_at=NOW - datetime.timedelta(days=10), channel="message")
    CheckInFactory(supporter=ben, happened_at=NOW - datetime.timedelta(days=40), initiated_by="them")
    return aisha, ben


SUPPORTER_KEYS = [
    "name",
    "relationship",
    "support_types",
    "circle",
    "feeling",
    "email",
    "phone",
    "preferred_channel",
    "best_times",
    "rhythm",
    "rhythm_days",
    "is_crisis_contact",
    "notes",
    "is_archived",
]


def comparable(data):
    supporters = {entry["id"]: entry for entry in data["supporters"]}
    return (
        sorted(tuple((key, str(entry[key])) for key in SUPPORTER_KEYS) for entry in data["supporters"]),
        sorted(
            (
                supporters[entry["supporter_id"]]["name"],
                entry["happened_at"],
                entry["channel"],
                entry["initiated_by"],
                entry["mood"],
                entry["note"],
            )
            for entry in data["check_ins"]
        ),
    )


# --- Export ------------------------------------------------------------------------------------


def test_it_exports_everything_as_json(owner_client, user):
    build_network(user)
    user.recovery_topics = "anxiety,trauma"
    user.country = "GB"
    user.save(update_fields=["recovery_topics", "country"])
    SafetyPlan.objects.create(owner=user, warning_signs="Not sleeping")
    response = owner_client.get(reverse("privacy:export_json"))
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="supportnet-export.json"'
    assert "no-store" in response["Cache-Control"]
    data = json.loads(response.content)
    assert data["format"] == "supportnet-export"
    assert data["profile"]["email"] == user.email
    assert data["profile"]["timezone"] == "Europe/London"
    assert data["profile"]["country"] == "GB"
    assert data["profile"]["recovering_from"] == ["anxiety", "trauma"]
    assert data["preferences"]["inner_rhythm_days"] == 7
    assert [entry["name"] for entry in data["supporters"]] == ["Aisha Khan", "Ben"]
    assert data["supporters"][0]["notes"] == "Knows about the hospital stay, “ñ” 🌱"
    assert data["supporters"][0]["support_types"] == ["emotional", "peer"]
    assert len(data["check_ins"]) == 3
    assert data["wellbeing"]["crisis_plan"]["warning_signs"] == "Not sleeping"
    assert "reminder_history" in data
    assert "password" not in response.content.decode()


def test_the_json_export_holds_no_other_persons_data(owner_client, user, other_user):
    SupporterFactory(owner=other_user, name="Not yours")
    data = json.loads(owner_client.get(reverse("privacy:export_json")).content)
    assert data["supporters"] == []
    assert data["check_ins"] == []


def test_it_exports_supporters_as_csv(owner_client, user):
    build_network(user)
    SupporterFactory(owner=user, name='=HYPERLINK("http://evil")')
    response = owner_client.get(reverse("privacy:export_csv"))
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert [row["name"] for row in rows] == ['\'=HYPERLINK("http://evil")', "Aisha Khan", "Ben"]
    assert rows[1]["support_types"] == "emotional;peer"
    assert rows[1]["phone"] == "+44 20 7946 0958"
    assert rows[1]["notes"] == "Knows about the hospital stay, “ñ” 🌱"


@pytest.mark.parametrize(
    ("value", "phone", "expected"),
    [
        ("=1+1", False, "'=1+1"),
        ("@SUM(A1)", False, "'@SUM(A1)"),
        ("+44 20", False, "'+44 20"),
        ("-5", False, "'-5"),
        ("-2+3+cmd|' /C calc'!A0", False, "'-2+3+cmd|' /C calc'!A0"),
        ("-2+3+cmd|' /C calc'!A0", True, "'-2+3+cmd|' /C calc'!A0"),
        ("\tx", False, "'\tx"),
        ("\rx", False, "'\rx"),
        ("+44 20 7946 0958", True, "+44 20 7946 0958"),
        ("(020) 7946-0958", True, "(020) 7946-0958"),
        ("=HYPERLINK(1)", True, "'=HYPERLINK(1)"),
        ("+1 (555) SUM(1)", True, "'+1 (555) SUM(1)"),
        ("Jo", False, "Jo"),
    ],
)
def test_it_keeps_spreadsheets_from_running_cells_as_formulas(value, phone, expected):
    assert csv_safe(value, phone=phone) == expected


def test_the_csv_export_can_start_with_a_byte_order_mark_for_spreadsheets(owner_client, user):
    SupporterFactory(owner=user, name="李明")
    plain = owner_client.get(reverse("privacy:export_csv")).content
    for_excel = owner_client.get(reverse("privacy:export_csv") + "?for=spreadsheet").content
    assert not plain.startswith(b"\xef\xbb\xbf")
    assert for_excel.startswith(b"\xef\xbb\xbf")
    assert "李明" in for_excel.decode("utf-8-sig")


def test_it_exports_supporters_as_vcard_4(owner_client, user):
    build_network(user)
    response = owner_client.get(reverse("privacy:export_vcard"))
    assert response["Content-Type"] == "text/vcard; charset=utf-8"
    cards = list(vobject.readComponents(response.content.decode()))
    assert [card.fn.value for card in cards] == ["Aisha Khan", "Ben"]
    assert all(card.version.value == "4.0" for card in cards)
    assert cards[0].email.value == "aisha@example.com"
    assert cards[0].tel.value == "+44 20 7946 0958"
    assert "Knows about the hospital stay" in cards[0].note.value


def test_the_vcard_export_imports_back(user):
    build_network(user)
    fresh = UserFactory()
    from privacy.exports import supporters_as_vcards

    pending = services.import_start(
        owner=fresh, file_name="x.vcf", raw=supporters_as_vcards(user=user).encode(), now=NOW
    )
    added, _ = services.import_confirm(
        pending=pending, support_types=["emotional"], circle="middle", skip_duplicates=True
    )
    assert added == 2
    assert Supporter.objects.for_owner(fresh).get(name="Aisha Khan").phone == "+44 20 7946 0958"


@pytest.mark.parametrize(
    "name", ["privacy:export_json", "privacy:export_csv", "privacy:export_vcard", "privacy:import"]
)
def test_anonymous_visitors_are_sent_to_sign_in(client, name):
    response = client.get(reverse(name))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_the_account_page_offers_the_downloads(owner_client):
    content = owner_client.get(reverse("accounts:settings")).content.decode()
    for name in ["privacy:export_json", "privacy:export_csv", "privacy:export_vcard", "privacy:import"]:
        assert reverse(name) in content


def test_the_json_export_takes_a_constant_number_of_queries(user, django_assert_max_num_queries):
    build_network(user)
    with django_assert_max_num_queries(12) as small:
        export_everything(user=user, now=NOW)
    for _ in range(20):
        CheckInFactory(supporter=SupporterFactory(owner=user))
    with django_assert_max_num_queries(len(small.captured_queries)):
        export_everything(user=user, now=NOW)


# --- JSON round trip ---------------------------------------------------------------------------


def test_the_json_export_round_trips_into_a_fresh_account(owner_client, user, client):
    build_network(user)
    exported = owner_client.get(reverse("privacy:export_json")).content
    fresh = UserFactory()
    client.force_login(fresh)
    response = upload(client, "supportnet-export.json", exported)
    pending = PendingImport.objects.get(owner=fresh)
    assert response["Location"] == reverse("privacy:import_preview", args=[pending.pk])
    preview = client.get(response["Location"])
    assert "Aisha Khan" in preview.content.decode()
    assert "3 check-ins" in preview.content.decode()
    response = client.post(reverse("privacy:import_preview", args=[pending.pk]), {"circle": "middle"})
    assert response.status_code == 302, response.content.decode()
    reimported = json.loads(client.get(reverse("privacy:export_json")).content)
    assert comparable(reimported) == comparable(json.loads(exported))
    assert not PendingImport.objects.filter(owner=fresh).exists()


# --- Import: vCard and CSV ---------------------------------------------------------------------


def test_it_previews_a_vcard_file_then_adds_everyone_on_confirm(owner_client, user):
    response = upload(owner_client, "contacts.vcf", VCARDS)
    pending = PendingImport.objects.get(owner=user)
    page = owner_client.get(response["Location"]).content.decode()
    assert "Jo Bloggs" in page and "Sam Doe" in page
    assert Supporter.objects.for_owner(user).count() == 0
    response = owner_client.post(
        reverse("privacy:import_preview", args=[pending.pk]),
        {"support_types": ["peer", "emotional"], "circle": "outer", "skip_duplicates": "on"},
    )
    assert response.status_code == 302
    jo, sam = Supporter.objects.for_owner(user).order_by("name")
    assert (jo.name, jo.email, jo.phone, jo.notes, jo.circle) == (
        "Jo Bloggs",
        "jo@example.com",
        "+44 7700 900123",
        "Met at group",
        "outer",
    )
    assert [kind.value for kind in jo.support_types] == ["emotional", "peer"]
    assert sam.notes == "Café friend"


def test_the_preview_asks_for_the_kinds_of_support_of_the_batch(owner_client, user):
    upload(owner_client, "contacts.vcf", VCARDS)
    pending = PendingImport.objects.get(owner=user)
    response = owner_client.post(reverse("privacy:import_preview", args=[pending.pk]), {"circle": "outer"})
    assert response.status_code == 200
    assert "Choose at least one kind of support" in response.content.decode()
    assert Supporter.objects.for_owner(user).count() == 0


def test_it_marks_likely_duplicates_and_can_leave_them_out(owner_client, user):
    SupporterFactory(owner=user, name="jo  bloggs")
    SupporterFactory(owner=user, name="Samuel", phone="+44 7700 900456")
    upload(owner_client, "contacts.vcf", VCARDS)
    pending = PendingImport.objects.get(owner=user)
    page = owner_client.get(reverse("privacy:import_preview", args=[pending.pk])).content.decode()
    assert "same name as jo  bloggs" in page
    assert "same phone number as Samuel" in page
    owner_client.post(
        reverse("privacy:import_preview", args=[pending.pk]),
        {"support_types": ["emotional"], "circle": "middle", "skip_duplicates": "on"},
    )
    assert Supporter.objects.for_owner(user).count() == 2


def test_it_can_add_likely_duplicates_when_asked(owner_client, user):
    SupporterFactory(owner=user, name="Jo Bloggs")
    upload(owner_client, "contacts.vcf", VCARDS)
    pending = PendingImport.objects.get(owner=user)
    owner_client.post(
        reverse("privacy:import_preview", args=[pending.pk]),
        {"support_types": ["emotional"], "circle": "middle"},
    )
    assert Supporter.objects.for_owner(user).filter(name="Jo Bloggs").count() == 2


def test_it_imports_a_google_contacts_csv(user):
    text = "First Name,Last Name,E-mail 1 - Value,Phone 1 - Value,Notes\nAna,Lopez,ana@example.com,+34 600 000 000,Hi\n"
    file_format, parsed = parse_upload(file_name="google.csv", raw=text.encode())
    assert file_format == "csv"
    assert parsed["people"][0]["fields"] == {
        "name": "Ana Lopez",
        "email": "ana@example.com",
        "phone": "+34 600 000 000",
        "notes": "Hi",
    }


def test_the_csv_export_imports_back_with_its_types_and_circles(user):
    build_network(user)
    from privacy.exports import supporters_as_csv

    fresh = UserFactory()
    pending = services.import_start(
        owner=fresh, file_name="s.csv", raw=supporters_as_csv(user=user).encode(), now=NOW
    )
    services.import_confirm(pending=pending, support_types=[], circle="middle", skip_duplicates=False)
    aisha = Supporter.objects.for_owner(fresh).get(name="Aisha Khan")
    assert [kind.value for kind in aisha.support_types] == ["emotional", "peer"]
    assert aisha.circle == "inner"
    assert aisha.rhythm_days == 5
    assert Supporter.objects.for_owner(fresh).get(name="Ben").is_archived


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("a.csv", 'name,email\nJo,jo@example.com\n"Sam,unterminated\n', "Line 3 could not be read as CSV"),
        ("a.csv", "name,email\n\n,\n", "We found nobody"),
        ("a.csv", "notes\nhello\n", "Line 1 should name the columns"),
        ("a.vcf", "hello\nworld\n", "Line 1 is outside any card"),
        ("a.json", '{"format": "supportnet-export", "supporters": [', "Line 1 is not valid JSON"),
        ("a.json", '{"format": "something else"}', "not a SupportNet export"),
        ("a.json", '{"format": "supportnet-export", "x": ' + "[" * 5000 + "]" * 5000 + "}", "nests lists"),
        ("a.json", '{"format": "supportnet-export", "x": ' + "9" * 5000 + "}", "number too long"),
        ("a.json", '{"format": "supportnet-export",\n "x": -' + "1" * 40 + ".5e10}", "Line 2 has a number"),
        ("a.txt", "", "This file is empty"),
        ("a.csv", b"\xef\xbb\xbf", "This file is empty"),
        ("a.csv", "\x00", "Line 1 should name the columns"),
        ("a.pdf", "%PDF", "Choose a vCard"),
        ("a.json", b'{"format": "\xff"}', "Line 1 is not UTF-8"),
    ],
)
def test_a_file_that_cannot_be_read_gets_a_clear_message_and_changes_nothing(
    owner_client, user, name, content, message
):
    response = upload(owner_client, name, content)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not PendingImport.objects.exists()
    assert Supporter.objects.for_owner(user).count() == 0


@pytest.mark.parametrize(
    ("name", "content", "where", "problem"),
    [
        (
            "a.vcf",
            VCARDS + "BEGIN:VCARD\r\nVERSION:3.0\r\nFN Broken\r\nEND:VCARD\r\n",
            "Card 3 (line 15)",
            "line 17 is not a valid vCard line",
        ),
        (
            "a.vcf",
            VCARDS + "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Jo\r\n",
            "Card 3 (line 15)",
            "it has no END:VCARD",
        ),
        (
            "a.vcf",
            VCARDS + "BEGIN:VCARD\r\nVERSION:3.0\r\nEND:VCARD\r\n",
            "Card 3 (line 15)",
            "there is no name",
        ),
        (
            "a.csv",
            "name,email\nJo,jo@example.com\nSam,not-an-email\n",
            "Line 3",
            "“not-an-email” doesn't look like an email address",
        ),
        ("a.csv", "name,email\nSam,sam@example.com,extra\nJo,jo@example.com\n", "Line 2", "it has 3 cells"),
        ("a.csv", "name,phone\nSam,call me maybe\nJo,\n", "Line 2", "look like a phone number"),
        ("a.csv", "name\n" + "x" * 101 + "\nJo\n", "Line 2", "at most 100 characters"),
        ("a.csv", "name,rhythm_days\nSam,99999999999999999999\nJo,\n", "Line 2", "should be a whole number"),
    ],
)
def test_a_record_with_a_problem_is_listed_and_the_rest_can_be_added(
    owner_client, user, name, content, where, problem
):
    response = upload(owner_client, name, content)
    pending = PendingImport.objects.get(owner=user)
    page = html.unescape(owner_client.get(response["Location"]).content.decode())
    assert where in page
    assert problem in page
    assert "be added yet" in page
    ready = services.import_preview(pending=pending)["ready_count"]
    assert ready >= 1
    owner_client.post(
        reverse("privacy:import_preview", args=[pending.pk]),
        {"support_types": ["emotional"], "circle": "middle"},
    )
    assert Supporter.objects.for_owner(user).count() == ready


def test_it_refuses_a_file_over_2_mb(owner_client, user):
    response = upload(owner_client, "big.csv", "name\n" + "Jo\n" * (1024 * 1024))
    assert "larger than 2 MB" in response.content.decode()
    assert not PendingImport.objects.exists()


def test_it_refuses_more_than_5000_people(user):
    text = "name\n" + "".join(f"Person {number}\n" for number in range(MAX_PEOPLE + 1))
    with pytest.raises(ImportFileError, match="at most 5000"):
        parse_upload(file_name="many.csv", raw=text.encode())


def test_it_takes_exactly_5000_people(user):
    text = "name\n" + "".join(f"Person {number}\n" for number in range(MAX_PEOPLE))
    _, parsed = parse_upload(file_name="many.csv", raw=text.encode())
    assert len(parsed["people"]) == MAX_PEOPLE


def test_an_import_is_all_or_nothing(user, monkeypatch):
    """A failure after the supporters are written (here: while adding the check-ins) undoes them all."""
    build_network(user)
    data = json.dumps(export_everything(user=user, now=NOW)).encode()
    fresh = UserFactory()
    SupporterFactory(owner=fresh, name="Already here")
    pending = services.import_start(owner=fresh, file_name="x.json", raw=data, now=NOW)

    def fail(*args, **kwargs):
        assert Supporter.objects.for_owner(fresh).count() == 3, "the supporters were written first"
        raise RuntimeError("the database went away")

    monkeypatch.setattr(CheckIn.objects, "bulk_create", fail)
    with pytest.raises(RuntimeError):
        services.import_confirm(pending=pending, support_types=[], circle="middle", skip_duplicates=False)
    assert list(Supporter.objects.for_owner(fresh).values_list("name", flat=True)) == ["Already here"]
    assert not CheckIn.objects.filter(owner=fresh).exists()
    assert PendingImport.objects.filter(pk=pending.pk).exists()


def test_a_row_the_database_refuses_undoes_the_whole_batch(user):
    pending = services.import_start(owner=user, file_name="c.vcf", raw=VCARDS.encode(), now=NOW)
    from django.db import IntegrityError

    # No kinds of support at all breaks the "at least one type" constraint, checked by the database.
    with pytest.raises((IntegrityError, ValueError)):
        services.import_confirm(pending=pending, support_types=[], circle="middle", skip_duplicates=False)
    assert Supporter.objects.for_owner(user).count() == 0


def test_a_large_import_writes_supporters_in_batches(user, django_assert_max_num_queries):
    """Supporters go in with bulk inserts; what remains per person is the check-ins app recomputing
    each one's due moment (two queries each, in its signal receiver)."""
    text = "name\n" + "".join(f"Person {number}\n" for number in range(1200))
    pending = services.import_start(owner=user, file_name="many.csv", raw=text.encode(), now=NOW)
    with django_assert_max_num_queries(1200 * 2 + 20):
        added, _ = services.import_confirm(
            pending=pending, support_types=["emotional"], circle="middle", skip_duplicates=True
        )
    assert added == 1200


def test_a_json_import_with_a_bad_check_in_adds_nothing(user):
    build_network(user)
    data = export_everything(user=user, now=NOW)
    data["check_ins"][2]["channel"] = "carrier pigeon"
    with pytest.raises(ImportFileError, match="Check-in 3 in the file could not be read"):
        parse_upload(file_name="x.json", raw=json.dumps(data).encode())


def test_a_json_import_refuses_a_check_in_in_the_future(user):
    build_network(user)
    data = export_everything(user=user, now=NOW)
    data["check_ins"][0]["happened_at"] = "2999-01-01T00:00:00+00:00"
    with pytest.raises(ImportFileError, match="Check-in 1 in the file is in the future"):
        parse_upload(file_name="x.json", raw=json.dumps(data).encode())


def test_the_pending_import_is_encrypted_and_owned(user, other_user):
    pending = services.import_start(owner=user, file_name="c.vcf", raw=VCARDS.encode(), now=NOW)
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT payload FROM privacy_pendingimport WHERE id = %s", [pending.pk])
        assert "Bloggs" not in cursor.fetchone()[0]
    assert pending.owner == user


def test_the_confirm_step_trusts_no_hidden_owner_or_people(owner_client, user, other_user):
    pending = services.import_start(owner=user, file_name="c.vcf", raw=VCARDS.encode(), now=NOW)
    owner_client.post(
        reverse("privacy:import_preview", args=[pending.pk]),
        {"support_types": ["emotional"], "circle": "middle", "owner": other_user.pk, "people": "Mallory"},
    )
    assert Supporter.objects.for_owner(other_user).count() == 0
    assert sorted(Supporter.objects.for_owner(user).values_list("name", flat=True)) == [
        "Jo Bloggs",
        "Sam Doe",
    ]


def test_an_outsider_cannot_see_or_confirm_or_cancel_an_import(outsider_client, user):
    pending = services.import_start(owner=user, file_name="c.vcf", raw=VCARDS.encode(), now=NOW)
    url = reverse("privacy:import_preview", args=[pending.pk])
    assert outsider_client.get(url).status_code == 404
    assert outsider_client.post(url, {"support_types": ["emotional"], "circle": "middle"}).status_code == 404
    assert outsider_client.post(reverse("privacy:import_cancel", args=[pending.pk])).status_code == 404
    assert PendingImport.objects.filter(pk=pending.pk).exists()


def test_the_owner_can_cancel_an_import(owner_client, user):
    pending = services.import_start(owner=user, file_name="c.vcf", raw=VCARDS.encode(), now=NOW)
    response = owner_client.post(reverse("privacy:import_cancel", args=[pending.pk]))
    assert response.status_code == 302
    assert not PendingImport.objects.exists()


def test_a_new_upload_replaces_an_unconfirmed_one(user):
    first = services.import_start(owner=user, file_name="c.vcf", raw=VCARDS.encode(), now=NOW)
    services.import_start(owner=user, file_name="c.vcf", raw=VCARDS.encode(), now=NOW)
    assert not PendingImport.objects.filter(pk=first.pk).exists()


def test_the_preview_takes_a_constant_number_of_queries(owner_client, user, django_assert_max_num_queries):
    pending = services.import_start(owner=user, file_name="c.vcf", raw=VCARDS.encode(), now=NOW)
    url = reverse("privacy:import_preview", args=[pending.pk])
    with django_assert_max_num_queries(10) as small:
        owner_client.get(url)
    SupporterFactory.create_batch(30, owner=user)
    many = "".join(f"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:P{number}\r\nEND:VCARD\r\n" for number in range(200))
    pending = services.import_start(owner=user, file_name="c.vcf", raw=many.encode(), now=NOW)
    with django_assert_max_num_queries(len(small.captured_queries)):
        owner_client.get(reverse("privacy:import_preview", args=[pending.pk]))


def test_imported_check_ins_belong_to_the_importer(user):
    build_network(user)
    data = json.dumps(export_everything(user=user, now=NOW)).encode()
    fresh = UserFactory()
    pending = services.import_start(owner=fresh, file_name="x.json", raw=data, now=NOW)
    services.import_confirm(pending=pending, support_types=[], circle="middle", skip_duplicates=False)
    assert CheckIn.objects.filter(owner=fresh).count() == 3
    assert set(CheckIn.objects.filter(owner=fresh).values_list("supporter__owner", flat=True)) == {fresh.pk}
