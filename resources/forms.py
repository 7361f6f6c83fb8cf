from django import forms
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from core.support_types import SupportType
from resources.models import Kind


class ResourceFilterForm(forms.Form):
    """The filters of the /resources/ page: a plain GET form, so it works without JavaScript."""

    type = forms.ChoiceField(
        label=_("Type of support"),
        choices=[("", _("All types")), *SupportType.choices],
        required=False,
    )
    kind = forms.ChoiceField(label=_("Kind"), choices=[("", _("Everything")), *Kind.choices], required=False)
    country = forms.ChoiceField(
        label=_("Country"),
        choices=lambda: [("", _("Only ones that serve everyone")), *countries],
        required=False,
        help_text=_("Services that serve everyone, wherever they live, are always shown."),
    )
