from django import forms
from django_countries import countries

from core.support_types import SupportType
from resources.models import Kind


class ResourceFilterForm(forms.Form):
    """The filters of the /resources/ page: a plain GET form, so it works without JavaScript."""

    type = forms.ChoiceField(
        label="Type of support",
        choices=[("", "All types"), *SupportType.choices],
        required=False,
    )
    kind = forms.ChoiceField(label="Kind", choices=[("", "Everything"), *Kind.choices], required=False)
    country = forms.ChoiceField(
        label="Country",
        choices=lambda: [("", "Only ones that serve everyone"), *countries],
        required=False,
        help_text="Services that serve everyone, wherever they live, are always shown.",
    )
