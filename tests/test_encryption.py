"""Encryption at rest: notes, best times and crisis-plan words are ciphertext in the database."""

import io
import logging
import sys

import pytest
from cryptography.fernet import Fernet
from django.apps import apps
from django.contrib import admin
from django.core.management import call_command
from django.db import connection
from django.test import RequestFactory
from django.views.debug import ExceptionReporter

from checkins.models import CheckIn
from contacts.models import Supporter
from core import encryption
from core.encryption import EncryptedTextField, UndecryptableValue, encrypted_fields_of
from privacy.apps import check_field_encryption_keys
from tests.factories import CheckInFactory, SupporterFactory
from wellbeing.models import SafetyPlan

# Built at run time, so that the source lines an error report quotes never contain it.
SECRET_WORD = "".join(["fun", "eral"])
SECRET_NOTE = f"Struggling since the {SECRET_WORD}; call before 9pm"


def raw_values(table, column, row_id):
    with connection.cursor() as cursor:
        cursor.execute(f'SELECT "{column}" FROM "{table}" WHERE id = %s', [row_id])  # noqa: S608
        return cursor.fetchone()[0]


def test_it_stores_supporter_notes_and_best_times_as_ciphertext(user):
    supporter = SupporterFactory(owner=user, notes=SECRET_NOTE, best_times="Weekends only")
    raw_notes = raw_values("contacts_supporter", "notes", supporter.pk)
    raw_best_times = raw_values("contacts_supporter", "best_times", supporter.pk)
    assert SECRET_WORD not in raw_notes
    assert "Weekends" not in raw_best_times
    assert raw_notes.startswith("gAAAA")
    supporter.refresh_from_db()
    assert supporter.notes == SECRET_NOTE
    assert supporter.best_times == "Weekends only"


def test_it_stores_the_crisis_plans_own_words_as_ciphertext(user):
    plan = SafetyPlan.objects.create(
        owner=user, **{name: f"my words for {name}" for name in SafetyPlan.OWN_WORDS_FIELDS}
    )
    for name in SafetyPlan.OWN_WORDS_FIELDS:
        raw = raw_values("wellbeing_safetyplan", name, plan.pk)
        assert "my words" not in raw
    plan.refresh_from_db()
    assert plan.warning_signs == "my words for warning_signs"


def test_it_stores_check_in_notes_as_ciphertext(user):
    check_in = CheckInFactory(supporter=SupporterFactory(owner=user), note=SECRET_NOTE)
    assert SECRET_WORD not in raw_values("checkins_checkin", "note", check_in.pk)
    check_in.refresh_from_db()
    assert check_in.note == SECRET_NOTE


def test_the_crisis_plan_own_words_fields_are_all_encrypted():
    assert set(SafetyPlan.OWN_WORDS_FIELDS) <= set(encrypted_fields_of(SafetyPlan))
    assert {"notes", "best_times"} <= set(encrypted_fields_of(Supporter))
    assert encrypted_fields_of(CheckIn) == ["note"]


def test_it_stores_an_empty_text_as_an_empty_string(user):
    supporter = SupporterFactory(owner=user, notes="", best_times="")
    assert raw_values("contacts_supporter", "notes", supporter.pk) == ""
    supporter.refresh_from_db()
    assert supporter.notes == ""


def test_it_keeps_unicode_and_long_text(user):
    text = "Ça va 🌱 " * 500
    supporter = SupporterFactory(owner=user, notes=text)
    supporter.refresh_from_db()
    assert supporter.notes == text


def test_it_raises_rather_than_show_ciphertext_when_no_key_fits(user, settings):
    supporter = SupporterFactory(owner=user, notes=SECRET_NOTE)
    settings.FIELD_ENCRYPTION_KEYS = [Fernet.generate_key().decode()]
    with pytest.raises(UndecryptableValue) as raised:
        Supporter.objects.get(pk=supporter.pk)
    assert "gAAAA" not in str(raised.value)
    assert "contacts_supporter.notes" in str(raised.value)


def test_it_refuses_plaintext_left_in_an_encrypted_column(user):
    supporter = SupporterFactory(owner=user)
    with connection.cursor() as cursor:
        cursor.execute("UPDATE contacts_supporter SET notes = 'plain' WHERE id = %s", [supporter.pk])
    with pytest.raises(UndecryptableValue):
        Supporter.objects.get(pk=supporter.pk)


def test_an_old_key_still_decrypts_after_rotation(user, settings):
    old_key = settings.FIELD_ENCRYPTION_KEYS[0]
    supporter = SupporterFactory(owner=user, notes=SECRET_NOTE)
    new_key = Fernet.generate_key().decode()
    settings.FIELD_ENCRYPTION_KEYS = [new_key, old_key]
    assert Supporter.objects.get(pk=supporter.pk).notes == SECRET_NOTE
    # New writes use the new key.
    supporter.notes = "after rotation"
    supporter.save()
    raw = raw_values("contacts_supporter", "notes", supporter.pk)
    assert Fernet(new_key.encode()).decrypt(raw.encode()) == b"after rotation"


def test_reencrypt_moves_every_row_to_the_newest_key(user, settings):
    old_key = settings.FIELD_ENCRYPTION_KEYS[0]
    supporter = SupporterFactory(owner=user, notes=SECRET_NOTE, best_times="Mornings")
    plan = SafetyPlan.objects.create(owner=user, warning_signs="Not sleeping")
    check_in = CheckInFactory(supporter=supporter)
    new_key = Fernet.generate_key().decode()
    settings.FIELD_ENCRYPTION_KEYS = [new_key, old_key]
    output = io.StringIO()
    call_command("reencrypt", stdout=output)
    assert "contacts_supporter: 2 value(s) re-encrypted" in output.getvalue()
    assert "checkins_checkin: 0 value(s) re-encrypted" in output.getvalue()
    # Only the new key is needed now.
    settings.FIELD_ENCRYPTION_KEYS = [new_key]
    supporter.refresh_from_db()
    plan.refresh_from_db()
    assert supporter.notes == SECRET_NOTE
    assert supporter.best_times == "Mornings"
    assert plan.warning_signs == "Not sleeping"
    assert check_in.pk
    # Running it again changes nothing.
    output = io.StringIO()
    call_command("reencrypt", stdout=output)
    assert "contacts_supporter: 0 value(s) re-encrypted" in output.getvalue()


def test_reencrypt_stops_with_a_clear_message_when_a_key_is_missing(user, settings):
    SupporterFactory(owner=user, notes=SECRET_NOTE)
    settings.FIELD_ENCRYPTION_KEYS = [Fernet.generate_key().decode()]
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="cannot be decrypted"):
        call_command("reencrypt", stdout=io.StringIO())


def test_the_data_migration_encrypts_rows_written_in_plaintext(user):
    supporter = SupporterFactory(owner=user)
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE contacts_supporter SET notes = %s, best_times = '' WHERE id = %s",
            [SECRET_NOTE, supporter.pk],
        )
    forwards, backwards = encryption.encrypt_existing("contacts", "Supporter", ["best_times", "notes"])

    class Editor:
        pass

    editor = Editor()
    editor.connection = connection
    forwards(apps, editor)
    assert SECRET_WORD not in raw_values("contacts_supporter", "notes", supporter.pk)
    assert Supporter.objects.get(pk=supporter.pk).notes == SECRET_NOTE
    forwards(apps, editor)  # Already encrypted rows are left alone.
    assert Supporter.objects.get(pk=supporter.pk).notes == SECRET_NOTE
    backwards(apps, editor)
    assert raw_values("contacts_supporter", "notes", supporter.pk) == SECRET_NOTE


def test_the_system_check_refuses_a_key_that_is_not_a_fernet_key(settings):
    settings.FIELD_ENCRYPTION_KEYS = ["not-a-key"]
    assert [error.id for error in check_field_encryption_keys()] == ["privacy.E002"]
    settings.FIELD_ENCRYPTION_KEYS = [Fernet.generate_key().decode()]
    assert check_field_encryption_keys() == []


def test_it_requires_the_keys_in_production():
    import subprocess

    from tests.test_security import production_environment

    environment = production_environment()
    del environment["FIELD_ENCRYPTION_KEYS"]
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "import django, os; os.environ['DJANGO_SETTINGS_MODULE']='supportnet.settings'; django.setup()",
        ],
        env=environment,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode != 0
    assert "FIELD_ENCRYPTION_KEYS must be set" in result.stderr


def test_no_admin_shows_or_searches_an_encrypted_field():
    for model, model_admin in admin.site._registry.items():
        encrypted = set(encrypted_fields_of(model))
        if not encrypted:
            continue
        shown = set(model_admin.list_display) | set(model_admin.search_fields) | set(model_admin.list_filter)
        assert not shown & encrypted, model
        request = RequestFactory().get("/")
        request.user = type("Superuser", (), {"is_superuser": True, "is_active": True, "is_staff": True})()
        assert not set(model_admin.get_fields(request)) & encrypted, model


def test_error_reports_carry_no_post_values_and_no_local_variables(rf, settings):
    settings.DEBUG = False
    request = rf.post("/supporters/1/edit/", {"notes": SECRET_NOTE})
    request.user = None
    notes = SECRET_NOTE  # noqa: F841 - a local variable an error report must not show
    try:
        raise ValueError("boom")
    except ValueError:
        reporter = ExceptionReporter(request, *sys.exc_info())
        text = reporter.get_traceback_text()
        html = reporter.get_traceback_html()
    assert SECRET_WORD not in text
    assert SECRET_WORD not in html


def test_logs_never_contain_notes(owner_client, user, caplog):
    caplog.set_level(logging.DEBUG)
    supporter = SupporterFactory(owner=user, notes=SECRET_NOTE)
    owner_client.get(f"/supporters/{supporter.pk}/")
    owner_client.post(
        f"/supporters/{supporter.pk}/edit/",
        {
            "name": "A",
            "support_types": ["emotional"],
            "circle": "inner",
            "rhythm": "circle",
            "notes": SECRET_NOTE,
        },
    )
    assert SECRET_WORD not in caplog.text


def test_the_field_is_a_text_field_for_the_database():
    assert EncryptedTextField().get_internal_type() == "TextField"


def test_the_key_setting_is_documented_for_deployments():
    from pathlib import Path

    import yaml

    root = Path(__file__).resolve().parent.parent
    assert "FIELD_ENCRYPTION_KEYS=" in (root / ".env.example").read_text()
    compose = yaml.safe_load((root / "docker-compose.yml").read_text())
    assert "FIELD_ENCRYPTION_KEYS" in compose["x-app"]["environment"]
    assert "manage.py reencrypt" in (root / "README.md").read_text()


def test_it_refuses_to_filter_on_an_encrypted_field(user):
    from django.core.exceptions import FieldError

    SupporterFactory(owner=user, notes=SECRET_NOTE)
    with pytest.raises(FieldError, match="notes is encrypted"):
        list(Supporter.objects.filter(notes=SECRET_NOTE))
    assert Supporter.objects.filter(notes__isnull=False).count() == 1
