"""Backups on real PostgreSQL: pg_dump, restore into a new database, read the encrypted notes back."""

import os
import subprocess
import sys
import uuid
from pathlib import Path

import psycopg2
import pytest
from cryptography.fernet import Fernet
from django.conf import settings
from django.db import connection

from tests.conftest import database_url_for_other_processes
from tests.factories import SupporterFactory, UserFactory

ROOT = Path(__file__).resolve().parent.parent
NOTE = "Call her after six; she knows about the plan."
KEYS = ",".join(settings.FIELD_ENCRYPTION_KEYS)


def run(*command, database_url, keys=KEYS):
    """A script in a fresh process, as an operator would run it: settings from the environment."""
    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "supportnet.settings",
        "DATABASE_URL": database_url,
        "FIELD_ENCRYPTION_KEYS": keys,
    }
    return subprocess.run(
        [sys.executable, *command], cwd=ROOT, env=environment, capture_output=True, text=True, timeout=120
    )


def read_note(database_url, keys=KEYS):
    return run(
        "manage.py",
        "shell",
        "--verbosity=0",
        "-c",
        "from contacts.models import Supporter; print(Supporter.objects.get(name='Maya').notes)",
        database_url=database_url,
        keys=keys,
    )


@pytest.fixture
def new_database():
    """An empty database beside the test database, dropped afterwards."""
    name = f"restore_{uuid.uuid4().hex[:12]}"
    params = connection.get_connection_params()
    admin = psycopg2.connect(**{**params, "dbname": "postgres"})
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute(f'CREATE DATABASE "{name}"')
    url = database_url_for_other_processes().rsplit("/", 1)[0] + f"/{name}"
    yield url
    with admin.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    admin.close()


def test_a_backup_restores_into_a_new_database_and_reads_back_only_with_the_same_keys(
    transactional_db, new_database, tmp_path
):
    SupporterFactory(owner=UserFactory(email="maya.owner@example.com"), name="Maya", notes=NOTE)
    dump = tmp_path / "supportnet.dump"

    made = run(
        "scripts/backup.py", "backup", "--output", str(dump), database_url=database_url_for_other_processes()
    )
    assert made.returncode == 0, made.stderr
    assert dump.stat().st_size > 0
    assert "apart from this file" in made.stdout, "the backup must say to keep the keys elsewhere"
    assert NOTE.encode() not in dump.read_bytes(), "the note is stored encrypted, also in the backup"

    restored = run("scripts/backup.py", "restore", str(dump), database_url=new_database)
    assert restored.returncode == 0, restored.stderr
    assert "FIELD_ENCRYPTION_KEYS decrypt the stored private text" in restored.stdout

    read = read_note(new_database)
    assert read.returncode == 0, read.stderr
    assert read.stdout.strip() == NOTE

    # With a wrong key: the check (the last step of every restore) and the app both say so.
    wrong_key = Fernet.generate_key().decode()
    checked = run("scripts/backup.py", "check", database_url=new_database, keys=wrong_key)
    assert checked.returncode == 1
    assert (
        "contacts_supporter.notes cannot be decrypted with any key in FIELD_ENCRYPTION_KEYS" in checked.stderr
    )
    assert "keys in force when the backup was made" in checked.stderr
    assert NOTE not in checked.stdout + checked.stderr

    read = read_note(new_database, keys=wrong_key)
    assert read.returncode != 0
    assert "cannot be decrypted with any key in FIELD_ENCRYPTION_KEYS" in read.stderr
    assert NOTE not in read.stdout + read.stderr


def test_restore_refuses_a_database_that_is_not_empty(transactional_db, tmp_path):
    dump = tmp_path / "supportnet.dump"
    test_database = database_url_for_other_processes()
    assert (
        run("scripts/backup.py", "backup", "--output", str(dump), database_url=test_database).returncode == 0
    )

    refused = run("scripts/backup.py", "restore", str(dump), database_url=test_database)
    assert refused.returncode == 1
    assert "is not empty" in refused.stderr and "nothing was restored" in refused.stderr
