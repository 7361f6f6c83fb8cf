from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from contacts.models import Circle, Supporter
from core.support_types import SupportType

# The first step asks for a few people at once, so a new person sees a useful dashboard quickly.
FIRST_PEOPLE_ROWS = 3
NAME_LIMIT = Supporter._meta.get_field("name").max_length


class FirstPeopleForm(forms.Form):
    """Up to three people, each with a name, one kind of support and a circle. Blank rows are skipped;
    everything else can be added later on each person's page."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        for number in range(1, FIRST_PEOPLE_ROWS + 1):
            self.fields[f"name_{number}"] = forms.CharField(
                label=_("Name"),
                max_length=NAME_LIMIT,
                required=False,
                error_messages={
                    "max_length": _("Please keep a name to %(limit_value)d characters or fewer.")
                },
            )
            self.fields[f"kind_{number}"] = forms.ChoiceField(
                label=_("The main support they give"),
                choices=SupportType.choices,
                initial=SupportType.EMOTIONAL,
                error_messages={"invalid_choice": _("Please choose one of the kinds shown.")},
            )
            self.fields[f"circle_{number}"] = forms.ChoiceField(
                label=_("How close"),
                choices=Circle.choices,
                initial=Circle.MIDDLE,
                error_messages={"invalid_choice": _("Please choose one of the circles shown.")},
            )

    def rows(self):
        """The bound fields grouped per person, for the template."""
        return [
            (number, self[f"name_{number}"], self[f"kind_{number}"], self[f"circle_{number}"])
            for number in range(1, FIRST_PEOPLE_ROWS + 1)
        ]

    def clean(self):
        people = [
            {
                "name": name.strip(),
                "support_types": [self.cleaned_data.get(f"kind_{number}")],
                "circle": self.cleaned_data.get(f"circle_{number}"),
            }
            for number in range(1, FIRST_PEOPLE_ROWS + 1)
            if (name := self.cleaned_data.get(f"name_{number}") or "").strip()
        ]
        if not people and not self.errors:
            raise ValidationError(_("Please write at least one name, or skip this step for now."))
        self.cleaned_data["people"] = people
        return self.cleaned_data
