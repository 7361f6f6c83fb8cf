from django.core.management.base import BaseCommand, CommandError

from core.encryption import UndecryptableValue, reencrypt_all


class Command(BaseCommand):
    help = (
        "Re-encrypt every encrypted field with the newest key in FIELD_ENCRYPTION_KEYS. Run it after "
        "putting a new key first; once it has finished, the old keys can be removed."
    )

    def handle(self, *args, **options):
        try:
            changed = reencrypt_all()
        except UndecryptableValue as error:
            raise CommandError(str(error)) from None
        for table, count in changed.items():
            self.stdout.write(f"{table}: {count} value(s) re-encrypted")
        self.stdout.write(self.style.SUCCESS("Every encrypted value now uses the newest key."))
