from allauth.mfa.models import Authenticator
from django import forms
from django.core.cache import cache
from django.utils.translation import gettext_lazy as _

from contacts.forms import CHOOSE_FROM_LIST, QuietForm, support_type_choices
from contacts.models import Circle
from core.counters import count_in_window
from privacy.imports import MAX_FILE_BYTES

FAILED_TRIES_ALLOWED = 5
FAILED_TRIES_WINDOW_SECONDS = 300


class ImportUploadForm(QuietForm):
    file = forms.FileField(
        label=_("Your contacts file"),
        help_text=_(
            "A vCard file (.vcf) from your phone or address book, a CSV file from Google, "
            "Outlook or a spreadsheet with a “name” column, or a SupportNet export (.json). "
            "Up to 2 MB and 5,000 people."
        ),
        error_messages={"required": _("Choose a file to import."), "empty": _("This file is empty.")},
        widget=forms.ClearableFileInput(attrs={"accept": ".vcf,.vcard,.csv,.txt,.json"}),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_FILE_BYTES:
            raise forms.ValidationError(
                _("This file is larger than 2 MB. Split it into smaller files and import each.")
            )
        return upload


class ImportConfirmForm(QuietForm):
    """The choices for the whole batch. Which people to add comes from the server, never the form."""

    support_types = forms.MultipleChoiceField(
        label=_("Kinds of support they give"),
        help_text=_("For everyone in this file whose entry doesn't say. You can change each person later."),
        choices=support_type_choices,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "choice-list"}),
        required=False,
        error_messages={"invalid_choice": CHOOSE_FROM_LIST},
    )
    circle = forms.ChoiceField(
        label=_("How close are they?"),
        help_text=_("For everyone in this file whose entry doesn't say."),
        choices=Circle.choices,
        initial=Circle.MIDDLE,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose how close they are."), "invalid_choice": CHOOSE_FROM_LIST},
    )
    skip_duplicates = forms.BooleanField(
        label=_("Leave out the people who look like someone already in your network"),
        required=False,
        initial=True,
    )

    def __init__(self, *args, needs_support_types, **kwargs):
        super().__init__(*args, **kwargs)
        self.needs_support_types = needs_support_types

    def clean(self):
        cleaned = super().clean()
        if (
            self.needs_support_types
            and not cleaned.get("support_types")
            and "support_types" not in self.errors
        ):
            self.add_error(
                "support_types", _("Choose at least one kind of support for the people in this file.")
            )
        return cleaned


class DeleteAccountForm(QuietForm):
    """Password, and an authenticator or recovery code when two-step sign-in is on."""

    password = forms.CharField(
        label=_("Your password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        error_messages={"required": _("Enter your password to delete your account.")},
    )
    code = forms.CharField(
        label=_("Code from your authenticator app"),
        help_text=_("Or one of your recovery codes."),
        max_length=64,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
        error_messages={"required": _("Enter the code from your authenticator app.")},
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.authenticators = list(
            Authenticator.objects.filter(user=user).exclude(type=Authenticator.Type.WEBAUTHN)
        )
        if not any(auth.type == Authenticator.Type.TOTP for auth in self.authenticators):
            del self.fields["code"]

    @property
    def failures_key(self):
        return f"privacy:delete-account-failures:{self.user.pk}"

    def clean(self):
        cleaned = super().clean()
        if cache.get(self.failures_key, 0) >= FAILED_TRIES_ALLOWED:
            raise forms.ValidationError(_("Too many wrong tries. Please wait five minutes and try again."))
        password = cleaned.get("password")
        if password is not None and not self.user.check_password(password):
            self._failed()
            self.add_error("password", _("That password is not right."))
            return cleaned
        code = cleaned.get("code")
        if code is not None and not self._code_is_right(code):
            self._failed()
            self.add_error("code", _("That code is not right. Codes change every 30 seconds."))
        return cleaned

    def _code_is_right(self, code):
        return any(auth.wrap().validate_code(code.replace(" ", "")) for auth in self.authenticators)

    def _failed(self):
        count_in_window(self.failures_key, window_seconds=FAILED_TRIES_WINDOW_SECONDS)
