from django.apps import AppConfig
from django.core import checks


class PrivacyConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "privacy"
    verbose_name = "Privacy: export, import, account deletion, calendar feed"

    def ready(self):
        checks.register(check_field_encryption_keys, checks.Tags.security)


def check_field_encryption_keys(app_configs=None, **kwargs):
    """Every FIELD_ENCRYPTION_KEYS entry must be a Fernet key (32 url-safe base64-encoded bytes)."""
    from cryptography.fernet import Fernet
    from django.conf import settings

    keys = settings.FIELD_ENCRYPTION_KEYS
    if not keys:
        return [checks.Error("FIELD_ENCRYPTION_KEYS is empty.", id="privacy.E001")]
    errors = []
    for position, key in enumerate(keys, start=1):
        try:
            Fernet(key.encode("ascii"))
        except (ValueError, UnicodeEncodeError):
            errors.append(
                checks.Error(
                    f"Key number {position} in FIELD_ENCRYPTION_KEYS is not a Fernet key.",
                    hint='Make one with: python -c "from cryptography.fernet import Fernet; '
                    'print(Fernet.generate_key().decode())"',
                    id="privacy.E002",
                )
            )
    return errors
