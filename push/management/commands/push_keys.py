from django.core.management.base import BaseCommand

from push import keys


class Command(BaseCommand):
    help = "Make a new VAPID key pair for Web Push and print it as lines for the environment (.env)."

    def handle(self, *args, **options):
        private_key = keys.private_key_generate()
        self.stdout.write(f"WEBPUSH_VAPID_PRIVATE_KEY={private_key}")
        # Derived from the private key at start-up; printed only so it can be checked.
        self.stdout.write(f"# public key: {keys.public_key_of(private_key)}")
        self.stderr.write(
            "Keep the private key secret. Changing it later ends every device's subscription: "
            "people must turn notifications on again."
        )
