"""Encrypted text fields, on `cryptography`'s Fernet alone (README, "Encryption at rest").

Keys come from the environment (`settings.FIELD_ENCRYPTION_KEYS`, Fernet keys, newest first), so
rotating SECRET_KEY never makes data unreadable and the data key rotates on its own (`manage.py
reencrypt`). An empty string is stored as "" (the column is NOT NULL); a value that no key decrypts
raises `UndecryptableValue`, never hands back the ciphertext; values are decrypted once, when read
from the database. The same functions serve the MFA adapter, the backup check and `reencrypt`.
"""

import functools

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import FieldError
from django.db import models


class UndecryptableValue(Exception):
    """A stored value that none of FIELD_ENCRYPTION_KEYS can decrypt. Never carries the value itself."""


@functools.cache
def _multi_fernet(keys: tuple[str, ...]) -> MultiFernet:
    return MultiFernet([Fernet(key.encode("ascii")) for key in keys])


def fernet() -> MultiFernet:
    """The keys in force: encrypts with the first, decrypts with any."""
    return _multi_fernet(tuple(settings.FIELD_ENCRYPTION_KEYS))


def encrypt(text: str) -> str:
    return fernet().encrypt(text.encode("utf-8")).decode("ascii") if text else ""


def decrypt(token: str, *, where: str = "a field") -> str:
    if not token:
        return token
    try:
        return fernet().decrypt(token.encode("ascii")).decode("utf-8")
    except (InvalidToken, UnicodeEncodeError):
        raise UndecryptableValue(
            f"A value in {where} cannot be decrypted with any key in FIELD_ENCRYPTION_KEYS."
        ) from None


def rotate(token: str) -> str:
    """The same plaintext, encrypted with the newest key."""
    return fernet().rotate(token.encode("ascii")).decode("ascii") if token else token


def is_encrypted_with_newest_key(token: str) -> bool:
    if not token:
        return True
    newest = Fernet(settings.FIELD_ENCRYPTION_KEYS[0].encode("ascii"))
    try:
        newest.decrypt(token.encode("ascii"))
    except InvalidToken:
        return False
    return True


class EncryptedTextField(models.TextField):
    """A TextField stored Fernet-encrypted. Not searchable or sortable: filter on other columns."""

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        if value is None:
            return None
        return encrypt(value)

    def from_db_value(self, value, expression, connection):
        if value is None:
            return value
        return decrypt(value, where=f"{self.model._meta.db_table}.{self.column}")

    def get_lookup(self, lookup_name):
        """Only `isnull`: comparing with ciphertext (random each time) would quietly match nothing."""
        if lookup_name != "isnull":
            raise FieldError(f"{self.name} is encrypted: it cannot be filtered with {lookup_name!r}.")
        return super().get_lookup(lookup_name)


def encrypted_fields_of(model) -> list[str]:
    return [field.name for field in model._meta.concrete_fields if isinstance(field, EncryptedTextField)]


def _rewrite_columns(connection, table, columns, transform):
    # Table and column names come from the models' own metadata, quoted; values are parameters.
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT id, {', '.join(quote(column) for column in columns)} FROM {quote(table)}")  # noqa: S608
        rows = cursor.fetchall()
        for row_id, *values in rows:
            new_values = [transform(value) if value else value for value in values]
            if new_values != values:
                assignments = ", ".join(f"{quote(column)} = %s" for column in columns)
                update = f"UPDATE {quote(table)} SET {assignments} WHERE id = %s"  # noqa: S608
                cursor.execute(update, [*new_values, row_id])


def _looks_encrypted(value: str) -> bool:
    try:
        fernet().decrypt(value.encode("ascii"))
    except (InvalidToken, UnicodeEncodeError):
        return False
    return True


def encrypt_existing(app_label, model_name, columns):
    """A data migration step: encrypt the plaintext already in these columns (skips encrypted ones)."""

    def forwards(apps, schema_editor):
        table = apps.get_model(app_label, model_name)._meta.db_table
        _rewrite_columns(
            schema_editor.connection,
            table,
            columns,
            lambda value: value if _looks_encrypted(value) else encrypt(value),
        )

    def backwards(apps, schema_editor):
        table = apps.get_model(app_label, model_name)._meta.db_table
        _rewrite_columns(schema_editor.connection, table, columns, lambda value: decrypt(value, where=table))

    return forwards, backwards


def reencrypt_all() -> dict[str, int]:
    """Re-encrypt every encrypted value not yet under the newest key. Returns rows changed per table."""
    from django.apps import apps
    from django.db import connection, transaction

    changed = {}
    for model in apps.get_models():
        columns = [
            model._meta.get_field(name).column
            for name in encrypted_fields_of(model)
            if model._meta.get_field(name).model is model
        ]
        if not columns or model._meta.proxy:
            continue
        table = model._meta.db_table
        count = 0

        def newest(token, table=table):
            nonlocal count
            if is_encrypted_with_newest_key(token):
                return token
            count += 1
            try:
                return rotate(token)
            except InvalidToken:
                raise UndecryptableValue(
                    f"A value in {table} cannot be decrypted with any key in FIELD_ENCRYPTION_KEYS."
                ) from None

        with transaction.atomic():
            _rewrite_columns(connection, table, columns, newest)
        changed[table] = count
    changed["mfa_authenticator"] = reencrypt_authenticators()
    return changed


def reencrypt_authenticators() -> int:
    """Move allauth.mfa's encrypted secrets (see accounts.adapter.MFAAdapter) to the newest key.

    They live inside a JSON column: the TOTP "secret", the recovery codes' "seed" and any
    "migrated_codes". Returns how many authenticators changed.
    """
    from allauth.mfa.models import Authenticator

    changed = []
    for authenticator in Authenticator.objects.all():
        data = authenticator.data
        tokens = [data.get("secret"), data.get("seed"), *(data.get("migrated_codes") or [])]
        if all(is_encrypted_with_newest_key(token) for token in tokens if token):
            continue
        for name in ("secret", "seed"):
            if data.get(name):
                data[name] = rotate(data[name])
        if data.get("migrated_codes"):
            data["migrated_codes"] = [rotate(code) for code in data["migrated_codes"]]
        changed.append(authenticator)
    Authenticator.objects.bulk_update(changed, ["data"])
    return len(changed)
