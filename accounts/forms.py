from django import forms
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from accounts.models import RecoveryTopic, User
from accounts.timezones import country_zones, timezone_choices


class TimezoneField(forms.TypedChoiceField):
    def __init__(self, **kwargs):
        super().__init__(
            choices=timezone_choices,
            label=_("Your time zone"),
            help_text=_("So reminders reach you at a sensible hour."),
            error_messages={"invalid_choice": _("Please pick your time zone from the list.")},
            **kwargs,
        )


class CountrySelect(forms.Select):
    """Each country's option carries its time zones, so the sign-up page can preselect the country of
    the browser's zone (static/js/site.js)."""

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex, attrs)
        zones = country_zones().get(str(value))
        if zones:
            option["attrs"]["data-zones"] = zones
        return option


class SignupForm(forms.Form):
    """Extra sign-up fields; allauth adds the email and password fields around them."""

    timezone = TimezoneField(initial="UTC", widget=forms.Select(attrs={"data-detect": ""}))
    # The form field of a CountryField like User.country's, with the sign-up page's own blank choice
    # (allauth's sign-up form is no ModelForm); the country names stay lazy, in the page's language.
    country = CountryField(blank=True, blank_label=_("I would rather not say")).formfield(
        label=_("Your country"),
        widget=CountrySelect(attrs={"data-detect": ""}),
        help_text=_("So that crisis help shows your emergency number and the help lines where you live."),
    )

    def signup(self, request, user):
        user.timezone = self.cleaned_data["timezone"]
        user.country = self.cleaned_data["country"]
        # The language these pages are in: the switch's cookie if used, else the browser's Accept-Language.
        user.language = translation.get_language_from_request(request)
        user.save(update_fields=["timezone", "country", "language"])


class ProfileForm(forms.ModelForm):
    timezone = TimezoneField()
    recovery_topics = forms.MultipleChoiceField(
        label=_("What I'm recovering from (optional)"),
        choices=RecoveryTopic.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "Only if you want to tell us: it lets the dashboard suggest peer groups that fit you. "
            "Without it we suggest only groups that are open to anyone."
        ),
        error_messages={"invalid_choice": _("Please choose from the options shown.")},
    )

    class Meta:
        model = User
        fields = ["language", "timezone", "country", "recovery_topics"]
        labels = {"language": _("Language"), "country": _("Your country")}
        help_texts = {
            "language": _("For these pages, your emails and your downloads."),
            "country": _("So the crisis page and the resource directory show the help lines where you live."),
        }

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        self.initial["recovery_topics"] = self.instance.recovery_topic_list
        # A form posted without it (an older page, a script) keeps the language as it is.
        self.fields["language"].required = False

    def clean_language(self):
        return self.cleaned_data["language"] or self.instance.language

    def clean_recovery_topics(self):
        return ",".join(self.cleaned_data["recovery_topics"])

    def save(self, commit=True):
        """Saves only the fields that changed, so a new country does not reschedule anything."""
        user = super().save(commit=False)
        if commit and self.changed_data:
            user.save(update_fields=self.changed_data)
        return user
