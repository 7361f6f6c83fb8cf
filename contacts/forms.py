import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils.html import format_html
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from contacts.models import Channel, Circle, Feeling, Rhythm, Supporter
from core.support_types import SUPPORT_TYPE_DESCRIPTIONS, SupportType
from core.text import MultiLineField, SingleLineField

CHOOSE_FROM_LIST = _("Please choose one of the options shown.")
RHYTHM_RANGE = _("Choose a number of days from 1 to 365.")


# Django fills in the limit and the length given (MaxLengthValidator's parameters).
TOO_LONG = _("Please keep this to %(limit_value)d characters or fewer (it has %(show_value)d).")


def text_field(model_field_name, *, required=False, widget=None, error_messages=None, **kwargs):
    """A form field with the model field's label and length limit, and a kind message for each.

    Control characters are cleaned out (core.text); only a text area keeps line breaks."""
    model_field = Supporter._meta.get_field(model_field_name)
    limit = model_field.max_length
    field_class = MultiLineField if isinstance(widget, forms.Textarea) else SingleLineField
    return field_class(
        label=kwargs.pop("label", None) or capfirst(model_field.verbose_name),
        max_length=limit,
        required=required,
        widget=widget,
        error_messages={"max_length": TOO_LONG, **(error_messages or {})},
        **kwargs,
    )


def support_type_choices():
    """Each type with its one-line description, so a person knows what "instrumental" means."""
    return [
        (
            kind.value,
            format_html(
                '<span class="choice-name">{}</span> <span class="choice-help">{}</span>',
                kind.label,
                SUPPORT_TYPE_DESCRIPTIONS[kind],
            ),
        )
        for kind in SupportType
    ]


# A permissive international phone number: an optional "+", then digits with the spaces, dots,
# dashes, slashes and brackets people write them with. Between 3 digits (short helplines such as
# 111) and 17 (the 15 of E.164 plus a short extension). Stored exactly as typed.
PHONE_CHARACTERS = re.compile(r"^\+?[\d\s().\-/]+$")


def validate_phone(value):
    digits = sum(character.isdigit() for character in value)
    if not PHONE_CHARACTERS.match(value) or not 3 <= digits <= 17:
        raise ValidationError(
            _(
                "Enter a phone number with digits, spaces or dashes, and a + at the start for an "
                "international number, like +44 20 7946 0958."
            ),
            code="invalid_phone",
        )


class QuietForm(forms.Form):
    """Labels without Django's trailing colon."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)


class SupporterForm(QuietForm):
    """Who a supporter is and how to stay in touch. Validates only: contacts.services does the writes."""

    name = text_field(
        "name",
        label=_("Name"),
        required=True,
        error_messages={"required": _("Please give this person a name, or a nickname only you know.")},
    )
    relationship = text_field(
        "relationship", label=_("Relationship"), help_text=_("For example: sister, neighbour, therapist.")
    )
    support_types = forms.MultipleChoiceField(
        label=_("Kinds of support they give"),
        help_text=_("Choose every kind that fits. Most people give more than one."),
        choices=support_type_choices,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "choice-list"}),
        error_messages={
            "required": _("Choose at least one kind of support this person gives."),
            "invalid_choice": CHOOSE_FROM_LIST,
        },
    )
    circle = forms.ChoiceField(
        label=_("How close are you?"),
        choices=Circle.choices,
        initial=Circle.MIDDLE,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose how close you are."), "invalid_choice": CHOOSE_FROM_LIST},
    )
    feeling = forms.ChoiceField(
        label=_("How does the relationship feel?"),
        choices=[("", _("I'd rather not say")), *Feeling.choices],
        required=False,
        widget=forms.RadioSelect,
        help_text=_("Only you see this. Some ties take more than they give, and noticing it is okay."),
        error_messages={"invalid_choice": CHOOSE_FROM_LIST},
    )
    is_crisis_contact = forms.BooleanField(
        label=_("Someone I can reach in a crisis"),
        required=False,
        help_text=_("Crisis contacts are kept one tap away on every page."),
    )
    email = forms.EmailField(
        label=_("Email"),
        required=False,
        max_length=Supporter._meta.get_field("email").max_length,
        error_messages={
            "invalid": _("Enter an email address like name@example.com."),
            "max_length": TOO_LONG,
        },
    )
    phone = text_field(
        "phone",
        label=_("Phone"),
        validators=[validate_phone],
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "off"}),
    )
    preferred_channel = forms.ChoiceField(
        label=_("Best way to reach them"),
        choices=[("", _("No preference")), *Channel.choices],
        required=False,
        error_messages={"invalid_choice": CHOOSE_FROM_LIST},
    )
    best_times = text_field(
        "best_times",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Good times, and what they have asked for: “not after 9pm”, “weekends only”."),
    )
    rhythm = forms.ChoiceField(
        label=_("How often would you like to be reminded to check in?"),
        choices=Rhythm.choices,
        initial=Rhythm.CIRCLE,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose how often to check in."), "invalid_choice": CHOOSE_FROM_LIST},
    )
    rhythm_days = forms.IntegerField(
        label=_("Every how many days"),
        required=False,
        min_value=1,
        max_value=365,
        help_text=_("Only used when you choose “Every so many days”. From 1 to 365."),
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
        error_messages={
            "invalid": _("Enter a whole number of days, like 10."),
            "min_value": RHYTHM_RANGE,
            "max_value": RHYTHM_RANGE,
        },
    )
    notes = text_field(
        "notes",
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Only you can read these."),
    )

    def __init__(self, *args, owner, **kwargs):
        super().__init__(*args, **kwargs)
        usual = _(
            "The usual for their circle (days: inner %(inner)d, middle %(middle)d, outer %(outer)d)"
        ) % {circle.value: owner.rhythm_for_circle(circle) for circle in Circle}
        self.fields["rhythm"].choices = [
            (Rhythm.CIRCLE, usual),
            (Rhythm.CUSTOM, _("Every so many days")),
            (Rhythm.NONE, _("No reminders for this person")),
        ]

    @classmethod
    def initial_for(cls, supporter):
        """The form's starting values for editing this supporter."""
        return {
            **{field: getattr(supporter, field) for field in cls.base_fields if field != "support_types"},
            "support_types": [kind.value for kind in supporter.support_types],
        }

    def clean(self):
        cleaned = super().clean()
        custom = cleaned.get("rhythm") == Rhythm.CUSTOM
        if custom and "rhythm_days" not in self.errors and cleaned.get("rhythm_days") is None:
            self.add_error("rhythm_days", _("Say how many days between check-ins, from 1 to 365."))
        return cleaned


class RhythmDefaultsForm(QuietForm):
    """The owner's usual check-in rhythm per circle, used by every supporter "on the usual"."""

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        for circle in Circle:
            self.fields[f"{circle.value}_rhythm_days"] = forms.IntegerField(
                label=_("%(circle)s (days)") % {"circle": circle.label},
                initial=user.rhythm_for_circle(circle),
                min_value=1,
                max_value=365,
                widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
                error_messages={
                    "required": RHYTHM_RANGE,
                    "invalid": _("Enter a whole number of days, like 14."),
                    "min_value": RHYTHM_RANGE,
                    "max_value": RHYTHM_RANGE,
                },
            )


class SupporterFilterForm(QuietForm):
    """The list page's search and filters. Values that don't fit are ignored, never an error page."""

    q = SingleLineField(label=_("Search by name or relationship"), required=False, max_length=100)
    type = forms.ChoiceField(
        label=_("Kind of support"), choices=[("", _("Any kind")), *SupportType.choices], required=False
    )
    circle = forms.ChoiceField(
        label=_("Circle"), choices=[("", _("Any circle")), *Circle.choices], required=False
    )
    archived = forms.BooleanField(label=_("Include archived people"), required=False)
    sort = forms.ChoiceField(
        label=_("Order"),
        choices=[("", _("By name")), ("due", _("Who is due first"))],
        required=False,
    )

    def filter(self, supporters):
        """Apply whichever filters are valid to a queryset of supporters."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        if not data.get("archived"):
            supporters = supporters.active()
        if data.get("q"):
            supporters = supporters.search(data["q"])
        if data.get("type"):
            supporters = supporters.giving(data["type"])
        if data.get("circle"):
            supporters = supporters.in_circle(data["circle"])
        if data.get("sort") == "due":
            supporters = supporters.due_first()
        return supporters

    @property
    def is_filtered(self):
        data = getattr(self, "cleaned_data", {})
        return any(data.get(name) for name in ("q", "type", "circle"))
