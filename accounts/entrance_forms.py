"""allauth's sign-in, sign-up and password forms with SupportNet's own words (ACCOUNT_FORMS).

The library's labels ("Remember Me", "Password (again)") and placeholders are replaced; what the
forms check stays allauth's.
"""

from allauth.account import forms as allauth_forms
from django.utils.translation import gettext_lazy as _

from accounts.signup import SignupForm as SameAnswerSignupForm

LABELS = {
    "login": _("Email"),
    "email": _("Email"),
    "password": _("Password"),
    "remember": _("Keep me signed in on this device"),
    "password1": _("Password"),
    "password2": _("The same password again"),
    "oldpassword": _("Your current password"),
}
NEW_PASSWORD_LABELS = {"password1": _("New password"), "password2": _("The same new password again")}


def use_our_words(form, labels=LABELS):
    for name, field in form.fields.items():
        if name in labels:
            field.label = labels[name]
        field.widget.attrs.pop("placeholder", None)
    form.label_suffix = ""


class LoginForm(allauth_forms.LoginForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        use_our_words(self)
        # allauth's help text is a stock "Forgot your password?" link; the page has its own.
        self.fields["password"].help_text = ""


class SignupForm(SameAnswerSignupForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        use_our_words(self)
        self.fields["password1"].help_text = _("At least 8 characters. A few unrelated words work well.")


class ResetPasswordForm(allauth_forms.ResetPasswordForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        use_our_words(self)


class ResetPasswordKeyForm(allauth_forms.ResetPasswordKeyForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        use_our_words(self, {**LABELS, **NEW_PASSWORD_LABELS})


class ChangePasswordForm(allauth_forms.ChangePasswordForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        use_our_words(self, {**LABELS, **NEW_PASSWORD_LABELS})
        self.fields["oldpassword"].help_text = ""


class SetPasswordForm(allauth_forms.SetPasswordForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        use_our_words(self)


class ReauthenticateForm(allauth_forms.ReauthenticateForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        use_our_words(self)
        self.fields["password"].help_text = ""
