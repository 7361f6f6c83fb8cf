from django import forms
from django.utils.translation import gettext_lazy as _

from contacts.models import Supporter
from core.support_types import SupportType
from core.text import MultiLineField
from wellbeing.models import (
    LSNS_FAMILY_FIELDS,
    LSNS_FRIENDS_FIELDS,
    UCLA_FIELDS,
    PlanStep,
    SafetyPlan,
    SelfCheck,
)
from wellbeing.steps import STEPS, WHAT_MATTERS_MOST


class SupporterChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, supporter):
        return f"{supporter.name} ({supporter.relationship})" if supporter.relationship else supporter.name


PEOPLE_FIELDS = {
    PlanStep.DISTRACTION: "distraction_people",
    PlanStep.HELP: "help_people",
    PlanStep.PROFESSIONAL: "professional_people",
}


class PlanForm(forms.ModelForm):
    """The whole plan on one page. People are chosen only from the owner's own supporters."""

    distraction_people = SupporterChoiceField(
        queryset=Supporter.objects.none(), required=False, widget=forms.CheckboxSelectMultiple
    )
    help_people = SupporterChoiceField(
        queryset=Supporter.objects.none(), required=False, widget=forms.CheckboxSelectMultiple
    )
    professional_people = SupporterChoiceField(
        queryset=Supporter.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Only people marked as giving professional support are listed here."),
    )

    class Meta:
        model = SafetyPlan
        fields = SafetyPlan.OWN_WORDS_FIELDS
        field_classes = dict.fromkeys(SafetyPlan.OWN_WORDS_FIELDS, MultiLineField)

    def __init__(self, *args, owner, **kwargs):
        super().__init__(*args, **kwargs)
        supporters = Supporter.objects.for_owner(owner).active()
        self.fields["distraction_people"].queryset = supporters
        self.fields["help_people"].queryset = supporters
        self.fields["professional_people"].queryset = supporters.giving(SupportType.PROFESSIONAL)
        for step in [*STEPS, WHAT_MATTERS_MOST]:
            if step.own_words_field:
                field = self.fields[step.own_words_field]
                field.label = step.own_words_label
                field.widget.attrs["rows"] = 4
                if step.examples:
                    examples = "; ".join(
                        str(example)[0].lower() + str(example)[1:] for example in step.examples
                    )
                    field.help_text = _("For example: %(examples)s.") % {"examples": examples}
            if step.people_step:
                self.fields[PEOPLE_FIELDS[step.people_step]].label = step.people_hint
        if self.instance.pk:
            for step, name in PEOPLE_FIELDS.items():
                self.initial[name] = [
                    person.supporter_id for person in self.instance.people.all() if person.step == step
                ]

    def people_by_step(self):
        return {step: list(self.cleaned_data[name]) for step, name in PEOPLE_FIELDS.items()}

    def texts(self):
        return {name: self.cleaned_data[name] for name in SafetyPlan.OWN_WORDS_FIELDS}

    def step_fields(self):
        """(step, own-words field, people field) for each step, in order, for the template."""
        rows = []
        for step in [*STEPS, WHAT_MATTERS_MOST]:
            rows.append(
                (
                    step,
                    self[step.own_words_field] if step.own_words_field else None,
                    self[PEOPLE_FIELDS[step.people_step]] if step.people_step else None,
                )
            )
        return rows


class SelfCheckForm(forms.ModelForm):
    """Every item required, every answer one of the published options."""

    class Meta:
        model = SelfCheck
        fields = UCLA_FIELDS + LSNS_FAMILY_FIELDS + LSNS_FRIENDS_FIELDS
        widgets = dict.fromkeys(UCLA_FIELDS + LSNS_FAMILY_FIELDS + LSNS_FRIENDS_FIELDS, forms.RadioSelect)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.required = True
            field.error_messages["required"] = _("Please choose an answer.")
            field.error_messages["invalid_choice"] = _("Please choose one of the answers listed.")
            # Drop the blank "---------" choice a model field adds.
            field.choices = [choice for choice in field.choices if choice[0] != ""]

    def answers(self):
        return dict(self.cleaned_data)

    def ucla_fields(self):
        return [self[name] for name in UCLA_FIELDS]

    def family_fields(self):
        return [self[name] for name in LSNS_FAMILY_FIELDS]

    def friends_fields(self):
        return [self[name] for name in LSNS_FRIENDS_FIELDS]
