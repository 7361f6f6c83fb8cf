import getpass
import os

from allauth.account.models import EmailAddress
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from accounts.models import User
from moderation.roles import moderators_group

PASSWORD_VARIABLE = "MODERATOR_PASSWORD"  # noqa: S105 - the name of a variable, not a password


class Command(BaseCommand):
    help = (
        "Make a moderator: create a staff account in the Moderators group, or promote an existing one. "
        "A new account's password is asked for (or read from $MODERATOR_PASSWORD with --no-input)."
    )

    def add_arguments(self, parser):
        parser.add_argument("email")
        parser.add_argument(
            "--no-input", action="store_false", dest="interactive", help="Do not prompt for a password."
        )

    def handle(self, *args, email, interactive, **options):
        email = User.objects.normalize_email(email).strip()
        user = User.objects.filter(email__iexact=email).first()
        password = None if user else self._password(email, interactive)
        with transaction.atomic():
            created = user is None
            if created:
                user = User.objects.create_user(email=email, password=password)
            user.is_staff = True
            user.save(update_fields=["is_staff"])
            user.groups.add(moderators_group())
            # The operator vouches for the address, as with createsuperuser, so it can sign in at once.
            address, _ = EmailAddress.objects.get_or_create(
                user=user, email__iexact=user.email, defaults={"email": user.email, "primary": True}
            )
            if not address.verified:
                address.verified = True
                address.save(update_fields=["verified"])
        if created:
            self.stdout.write(self.style.SUCCESS(f"Created moderator {user.email}."))
            if password is None:
                self.stdout.write("No password was set: they can choose one with “Forgot password?”.")
        else:
            self.stdout.write(self.style.SUCCESS(f"{user.email} is now a moderator."))

    def _password(self, email, interactive):
        if not interactive:
            password = os.environ.get(PASSWORD_VARIABLE) or None
            if password:
                self._validate(password, email)
            return password
        while True:
            password = getpass.getpass("Password: ")
            if password != getpass.getpass("Password (again): "):
                self.stderr.write("The passwords did not match.")
                continue
            try:
                self._validate(password, email)
            except CommandError as error:
                self.stderr.write(str(error))
                continue
            return password

    def _validate(self, password, email):
        try:
            validate_password(password, User(email=email))
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
