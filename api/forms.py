from django import forms
from django.utils.translation import gettext_lazy as _

from api.models import AccessToken, Scope
from api.services import EXPIRY_CHOICES_DAYS


class AccessTokenForm(forms.Form):
    name = forms.CharField(
        label=_("Name"),
        max_length=AccessToken._meta.get_field("name").max_length,
        help_text=_("What the token is for, so you recognise it later: “Phone shortcut”."),
        error_messages={
            "required": _("Please give the token a name."),
            "max_length": _("Please keep the name to %(limit_value)d characters or fewer."),
        },
    )
    scope = forms.ChoiceField(
        label=_("What it may do"),
        choices=Scope.choices,
        initial=Scope.READ,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose what the token may do."),
            "invalid_choice": _("Please choose one of the options shown."),
        },
    )
    expires_in_days = forms.TypedChoiceField(
        label=_("Expires after"),
        choices=[(days, f"{days} days") for days in EXPIRY_CHOICES_DAYS],
        coerce=int,
        initial=30,
        error_messages={
            "required": _("Choose when the token expires."),
            "invalid_choice": _("Please choose one of the options shown."),
        },
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
