from django import forms
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

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
    country = CountryField(blank=True, blank_label=_("Only ones that serve everyone")).formfield(
        label=_("Country"),
        help_text=_("Services that serve everyone, wherever they live, are always shown."),
    )
