"""Sign-up that answers a known address as it answers a new one: same page, same work, same time."""

from allauth.account.adapter import get_adapter
from allauth.account.forms import SignupForm as AllauthSignupForm
from allauth.account.internal.flows.email_verification import consume_email_verification_rate_limit
from allauth.account.internal.flows.signup import prevent_enumeration
from django.contrib import messages
from django.contrib.auth.hashers import make_password


class SignupForm(AllauthSignupForm):
    def try_save(self, request):
        if not self.account_already_exists:
            return super().try_save(request)
        # A new account costs one password hash; hash here too, or the quick answer gives the address away.
        make_password(self.cleaned_data.get("password1"))
        email = self.cleaned_data["email"]
        adapter = get_adapter(request)
        if not consume_email_verification_rate_limit(request, email, dry_run=True):
            # allauth would skip both the owner's email and the "we sent you an email" message while its
            # per-address cooldown runs; our own once-a-day rule (the adapter) decides about the email.
            adapter.send_account_already_exists_mail(email)
            adapter.add_message(
                request,
                messages.INFO,
                "account/messages/email_confirmation_sent.txt",
                {"email": email, "login": False, "signup": True},
            )
        return None, prevent_enumeration(request, email=email)
