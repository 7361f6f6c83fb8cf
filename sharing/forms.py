import secrets

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.timezones import timezone_choices
from contacts.forms import QuietForm
from contacts.models import Supporter
from core.support_types import SupportType
from sharing.services import ASK_LABELS, Boundaries


class InviteForm(QuietForm):
    supporter = forms.ModelChoiceField(
        queryset=Supporter.objects.none(),
        label=_("Who"),
        empty_label=_("Choose someone"),
        error_messages={
            "required": _("Please choose who to invite."),
            "invalid_choice": _("Please choose someone from your own network."),
        },
    )
    email = forms.EmailField(
        label=_("Their email address"),
        max_length=254,
        help_text=_("We send them one email asking whether they agree. Nothing more unless they say yes."),
        error_messages={
            "required": _("Please give their email address."),
            "invalid": _("Please check the address."),
        },
    )
    from_name = forms.CharField(
        label=_("Your name, as they know you"),
        max_length=60,
        help_text=_("So they know who is asking."),
        error_messages={"required": _("Please say how they know you, for example your first name.")},
    )

    def __init__(self, *args, owner, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["supporter"].queryset = Supporter.objects.for_owner(owner).active()


class BoundariesForm(QuietForm):
    how_to_ask = forms.CharField(
        label=_("How do you like to be asked?"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("For example: “text first, I'll call back”, or “not about money”."),
    )
    quiet_from = forms.TimeField(
        label=_("Quiet hours from"),
        required=False,
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        error_messages={"invalid": _("Please write a time like 22:00.")},
    )
    quiet_until = forms.TimeField(
        label="until",
        required=False,
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        error_messages={"invalid": _("Please write a time like 08:00.")},
    )
    timezone = forms.ChoiceField(label=_("Your time zone"), choices=timezone_choices)
    most_asks_per_week = forms.IntegerField(
        label=_("Most asks a week"),
        required=False,
        min_value=1,
        max_value=50,
        help_text=_("Leave empty for no limit. SupportNet stops emailing you asks once you reach it."),
        error_messages={
            "min_value": _("Please choose at least 1, or leave it empty."),
            "max_value": _("Please choose 50 or fewer."),
            "invalid": _("Please write a number."),
        },
    )

    def clean(self):
        cleaned = super().clean()
        if bool(cleaned.get("quiet_from")) != bool(cleaned.get("quiet_until")):
            raise forms.ValidationError(_("Please give both ends of your quiet hours, or neither."))
        return cleaned

    def boundaries(self):
        return Boundaries(**self.cleaned_data)


class AskForm(QuietForm):
    """The people come from `candidates` (already filtered to the person's own network)."""

    message = forms.CharField(
        label=_("Your message"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Change it as you like. It goes only to the people you choose."),
        error_messages={"required": _("Please write a few words, even just “Could you call me?”.")},
    )
    people = forms.TypedMultipleChoiceField(
        label=_("Who to ask"),
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": _("Please choose people from your own network.")},
    )
    by_email = forms.TypedMultipleChoiceField(
        label=_("Email them from SupportNet"),
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "invalid_choice": _(
                "SupportNet can only email people who agreed and have not had their most asks this week."
            )
        },
    )
    form_key = forms.CharField(widget=forms.HiddenInput, max_length=32)

    def __init__(self, *args, candidates, support_type, **kwargs):
        kwargs.setdefault("initial", {})
        kwargs["initial"].setdefault("form_key", secrets.token_hex(16))
        super().__init__(*args, **kwargs)
        self.support_type = SupportType(support_type)
        self.fields["people"].choices = [(c.supporter.pk, c.supporter.name) for c in candidates]
        self.fields["by_email"].choices = [
            (c.supporter.pk, c.supporter.name) for c in candidates if c.may_email
        ]

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("people") and not cleaned.get("by_email") and not self.errors:
            raise forms.ValidationError(_("Please choose at least one person to ask."))
        return cleaned


def support_type_options():
    return [(kind.value, ASK_LABELS[kind]) for kind in SupportType]
