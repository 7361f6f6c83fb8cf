"""Back up the PostgreSQL database, restore it into an empty one, and check the keys can read it.

    python scripts/backup.py backup [--output FILE]       # default var/backups/supportnet-<UTC time>.dump
    python scripts/backup.py restore FILE                 # into DATABASE_URL, which must be empty
    python scripts/backup.py check                        # can FIELD_ENCRYPTION_KEYS read DATABASE_URL?

A backup is one `pg_dump` in PostgreSQL's custom format: a single snapshot, consistent while the app
keeps running. Private notes and crisis plans inside it stay encrypted, readable only with
FIELD_ENCRYPTION_KEYS, which are NOT in the backup: keep the keys, and keep them apart from it.
`--database-url URL` works on another database than DATABASE_URL.
"""

import argparse
import os
import shutil
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
KEYS_WARNING = (
    "The private notes and crisis plans in it are encrypted: they can be read again only with the "
    "FIELD_ENCRYPTION_KEYS in force today. Keep those keys in your secret store, apart from this file "
    "(a backup stored with its keys protects nothing)."
)


def setup_django(database_url):
    if database_url:
        os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "supportnet.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.db import connection

    if connection.vendor != "postgresql":
        sys.exit(
            "Backups here are for PostgreSQL (DATABASE_URL). With SQLite, stop the app and copy "
            "var/supportnet.sqlite3 instead."
        )
    return connection


def client(program):
    """pg_dump or pg_restore, by full path; they come with PostgreSQL's client package."""
    return shutil.which(program) or sys.exit(
        f"{program} is not installed: install PostgreSQL's client programs (apt-get install postgresql-client)."
    )


def libpq_environment(connection):
    """pg_dump and pg_restore read the connection from PG* variables: no password on a command line."""
    settings = connection.settings_dict
    values = {
        "PGHOST": settings["HOST"],
        "PGPORT": str(settings["PORT"] or ""),
        "PGUSER": settings["USER"],
        "PGPASSWORD": settings["PASSWORD"],
        "PGDATABASE": settings["NAME"],
    }
    return {**os.environ, **{key: value for key, value in values.items() if value}}


def backup(connection, output):
    output = Path(output or ROOT / "var" / "backups" / f"supportnet-{datetime.now(UTC):%Y%m%dT%H%M%SZ}.dump")
    output.parent.mkdir(parents=True, exist_ok=True)
    result = subprocess.run(
        [client("pg_dump"), "--format=custom", "--no-owner", "--no-privileges", "--file", str(output)],
        env=libpq_environment(connection),
        capture_output=True,
        text=True,
    )
    if result.returncode:
        sys.exit(f"pg_dump failed, no backup was written: {result.stderr.strip()}")
    output.chmod(0o600)
    print(
        f"Wrote {output} ({output.stat().st_size:,} bytes) from database {connection.settings_dict['NAME']}."
    )
    print(KEYS_WARNING)


def restore(connection, dump):
    if not Path(dump).is_file():
        sys.exit(f"There is no backup file at {dump}.")
    tables = connection.introspection.table_names()
    if tables:
        sys.exit(
            f"The database {connection.settings_dict['NAME']} is not empty ({len(tables)} tables): nothing "
            "was restored. Restore into a new, empty database (createdb NAME) and point DATABASE_URL at it."
        )
    connection.close()
    result = subprocess.run(
        [client("pg_restore"), "--no-owner", "--no-privileges", "--exit-on-error", "--single-transaction",
         "--dbname", connection.settings_dict["NAME"], str(dump)],
        env=libpq_environment(connection),
        capture_output=True,
        text=True,
    )  # fmt: skip
    if result.returncode:
        sys.exit(f"pg_restore failed and changed nothing (one transaction): {result.stderr.strip()}")
    print(f"Restored {dump} into database {connection.settings_dict['NAME']}.")
    check(connection)


def check(connection):
    """Decrypt one stored value of every encrypted column: the keys either read this data or they don't."""
    from django.apps import apps

    from core.encryption import UndecryptableValue, decrypt, encrypted_fields_of

    quote = connection.ops.quote_name
    checked = 0
    for model in apps.get_models():
        if model._meta.proxy:
            continue
        for name in encrypted_fields_of(model):
            table, column = model._meta.db_table, model._meta.get_field(name).column
            with connection.cursor() as cursor:
                cursor.execute(
                    f"SELECT {quote(column)} FROM {quote(table)} WHERE {quote(column)} <> '' LIMIT 1"  # noqa: S608
                )
                row = cursor.fetchone()
            if not row:
                continue
            try:
                decrypt(row[0], where=f"{table}.{column}")
            except UndecryptableValue as error:
                sys.exit(
                    f"{error} The data is there, but these keys cannot read it: set FIELD_ENCRYPTION_KEYS "
                    "to the keys in force when the backup was made (from your secret store), then run "
                    "`python scripts/backup.py check` again."
                )
            checked += 1
    print(
        f"FIELD_ENCRYPTION_KEYS decrypt the stored private text ({checked} encrypted columns with data checked)."
    )


def main(argv=None):
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--database-url", help="this database instead of DATABASE_URL")
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("backup", help="pg_dump the database to a file").add_argument("--output")
    commands.add_parser("restore", help="pg_restore a backup into an empty database").add_argument("file")
    commands.add_parser("check", help="check that FIELD_ENCRYPTION_KEYS read the stored private text")
    arguments = parser.parse_args(argv)

    connection = setup_django(arguments.database_url)
    if arguments.command == "backup":
        backup(connection, arguments.output)
    elif arguments.command == "restore":
        restore(connection, arguments.file)
    else:
        check(connection)


if __name__ == "__main__":
    main()
