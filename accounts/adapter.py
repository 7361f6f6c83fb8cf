from allauth.account.adapter import DefaultAccountAdapter
from allauth.core.exceptions import ImmediateHttpResponse
from allauth.core.ratelimit import respond_429
from allauth.mfa.adapter import DefaultMFAAdapter
from django.core.exceptions import ValidationError

from accounts.services import account_signup_notice_claim
from core import encryption


class AccountAdapter(DefaultAccountAdapter):
    def pre_authenticate(self, request, **credentials):
        """Answer 429 Too Many Requests, not a form error, once the failed sign-in limit is reached.

        allauth allows five failed attempts per address within five minutes (and ten a minute per
        client address); `pre_authenticate` raises only when that limit is used up.
        """
        try:
            super().pre_authenticate(request, **credentials)
        except ValidationError as error:
            raise ImmediateHttpResponse(respond_429(request)) from error

    def send_account_already_exists_mail(self, email):
        """Someone tried to sign up with this address: tell its owner, at most once a day."""
        if account_signup_notice_claim(email=email):
            super().send_account_already_exists_mail(email)


class MFAAdapter(DefaultMFAAdapter):
    """Authenticator secrets and recovery-code seeds are stored encrypted, with the same keys as
    private notes: a copy of the database alone is not enough to pass someone's two-step sign-in."""

    def encrypt(self, text):
        return encryption.encrypt(text)

    def decrypt(self, encrypted_text):
        return encryption.decrypt(encrypted_text, where="an authenticator")
