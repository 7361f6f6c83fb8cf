import datetime

from django import forms
from django.db.models import Case, F, IntegerField, Value, When
from django.utils import timezone
from django.utils.formats import get_format
from django.utils.translation import gettext_lazy as _

from accounts.models import REMINDER_PREFERENCE_FIELDS, User
from checkins.models import CheckIn, InitiatedBy, Mood
from contacts.models import Channel, Supporter
from core.text import MultiLineField

WEEKDAYS = [
    ("0", _("Monday")),
    ("1", _("Tuesday")),
    ("2", _("Wednesday")),
    ("3", _("Thursday")),
    ("4", _("Friday")),
    ("5", _("Saturday")),
    ("6", _("Sunday")),
]
HOURS = [(hour, f"{hour:02d}:00") for hour in range(24)]


class SupporterChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, supporter):
        return f"{supporter.name} ({supporter.relationship})" if supporter.relationship else supporter.name


# The check-in form offers this many people at once, not the whole network: the one already chosen,
# then whoever has waited longest, or the matches of a search by name.
PICKER_SIZE = 8
PICKER_SEARCH_SIZE = 20


class CheckInForm(forms.ModelForm):
    """Log or edit a check-in. Times are entered in the person's own time zone (the view activates it)."""

    supporter = SupporterChoiceField(
        queryset=Supporter.objects.none(),
        label=_("Who with"),
        empty_label=_("Choose someone"),
        error_messages={
            "required": _("Please choose who you connected with."),
            "invalid_choice": _("Please choose someone from your own network."),
        },
    )
    happened_at = forms.DateTimeField(
        label=_("When"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        help_text=_("Now, or earlier if you are catching up."),
    )
    channel = forms.ChoiceField(
        label=_("How"),
        choices=Channel.choices,
        error_messages={"invalid_choice": _("Please choose how you connected.")},
    )
    initiated_by = forms.ChoiceField(
        label=_("Who reached out"),
        choices=InitiatedBy.choices,
        error_messages={"invalid_choice": _("Please choose who reached out.")},
    )
    mood = forms.TypedChoiceField(
        label=_("How it felt"),
        choices=[("", _("I'd rather not say")), *Mood.choices],
        coerce=int,
        empty_value=None,
        required=False,
        error_messages={"invalid_choice": _("Please choose how it felt from the list.")},
    )

    class Meta:
        model = CheckIn
        fields = ["supporter", "happened_at", "channel", "initiated_by", "mood", "note"]
        widgets = {"note": forms.Textarea(attrs={"rows": 3})}
        field_classes = {"note": MultiLineField}
        help_texts = {"note": _("Only you can see this.")}

    def __init__(self, *args, owner, find="", **kwargs):
        super().__init__(*args, **kwargs)
        supporters = Supporter.objects.filter(owner=owner)
        if self.instance.pk:
            supporters = supporters.filter(is_archived=False) | supporters.filter(
                pk=self.instance.supporter_id
            )
        else:
            supporters = supporters.filter(is_archived=False)
        # Any of these may be chosen; only a few are shown (see picker_choices).
        self.fields["supporter"].queryset = supporters.order_by("name", "id")
        self.find = find.strip()[:100]
        self.find_matches = 0
        self._picker_choices = None
        self.fields["supporter"].widget = forms.RadioSelect()
        self.fields["supporter"].help_text = _(
            "Whoever you have waited longest to hear from comes first. Someone else? Find them by name above."
        )
        self.fields["supporter"].widget.choices = self.picker_choices
        if not self.instance.pk:
            self.fields["happened_at"].initial = timezone.localtime().replace(second=0, microsecond=0)
            self.fields["initiated_by"].initial = InitiatedBy.ME

    def chosen_supporter_id(self):
        value = self["supporter"].value()
        value = getattr(value, "pk", value)
        return int(value) if str(value or "").isdigit() else None

    def picker_choices(self):
        """Who the form offers, in one query whatever the size of the network: the person already
        chosen first, then the matches of `find` (a search by name), or else whoever is due soonest
        (longest waiting first). Read only when the picker is drawn."""
        if self._picker_choices is not None:
            return self._picker_choices
        queryset = self.fields["supporter"].queryset
        chosen = self.chosen_supporter_id()
        chosen_first = Case(
            When(pk=chosen or 0, then=Value(0)), default=Value(1), output_field=IntegerField()
        )
        if self.find:
            shown = queryset.filter(pk=chosen or 0) | queryset.search(self.find)
            size = PICKER_SEARCH_SIZE
            order = [chosen_first, "name", "id"]
        else:
            shown, size = queryset, PICKER_SIZE
            order = [chosen_first, F("next_check_in_at").asc(nulls_last=True), "name", "id"]
        field = self.fields["supporter"]
        self._picker_choices = [
            (supporter.pk, field.label_from_instance(supporter))
            for supporter in shown.only("id", "name", "relationship").order_by(*order)[:size]
        ]
        self.find_matches = sum(1 for pk, _ in self._picker_choices if pk != chosen) if self.find else 0
        return self._picker_choices

    @classmethod
    def for_supporter(cls, supporter, *, now):
        """A blank form for one supporter's page: the supporter fixed, their usual channel, now."""
        form = cls(
            owner=supporter.owner,
            initial={"supporter": supporter.pk, "channel": supporter.preferred_channel or None},
        )
        form.fields["supporter"].widget = forms.HiddenInput()
        # Written out as local wall-clock time, since the page showing it may not use the owner's zone.
        form.initial["happened_at"] = timezone.localtime(now, supporter.owner.zone).strftime("%Y-%m-%dT%H:%M")
        return form

    def clean_happened_at(self):
        happened_at = self.cleaned_data["happened_at"]
        if happened_at > timezone.now():
            raise forms.ValidationError(
                _("That time is still to come. Please choose now or a time in the past.")
            )
        return happened_at


class CheckInFilterForm(forms.Form):
    """Filters for the list of check-ins. Whose check-ins: a search by name (`who`), never a list of
    the whole network; `supporter` (one person, as a supporter's page links to) is offered only once
    chosen, beside "Everyone"."""

    who = forms.CharField(
        label=_("Who with"),
        required=False,
        max_length=100,
        help_text=_("A name, or part of one."),
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
    )
    supporter = SupporterChoiceField(
        queryset=Supporter.objects.none(), required=False, empty_label=_("Everyone")
    )
    channel = forms.ChoiceField(
        label=_("How"), choices=[("", _("Any way")), *Channel.choices], required=False
    )
    initiated_by = forms.ChoiceField(
        label=_("Who reached out"), choices=[("", _("Either")), *InitiatedBy.choices], required=False
    )
    since = forms.DateField(label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    until = forms.DateField(label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, owner, **kwargs):
        super().__init__(*args, **kwargs)
        self.owner = owner
        field = self.fields["supporter"]
        field.queryset = Supporter.objects.filter(owner=owner).order_by("name", "id")
        chosen = str(self.data.get("supporter", "")) if self.is_bound else ""
        person = field.queryset.filter(pk=chosen).first() if chosen.isdigit() else None
        if person is None:
            field.widget = forms.HiddenInput()
        else:
            # Validated against the same queryset (owner-scoped); only this one person is listed.
            field.widget.choices = [("", field.empty_label), (person.pk, field.label_from_instance(person))]

    def filter(self, check_ins):
        if not self.is_valid():
            return check_ins
        data = self.cleaned_data
        if data["supporter"]:
            check_ins = check_ins.filter(supporter=data["supporter"])
        if data["who"].strip():
            check_ins = check_ins.filter(
                supporter__in=Supporter.objects.filter(owner=self.owner).search(data["who"])
            )
        if data["channel"]:
            check_ins = check_ins.filter(channel=data["channel"])
        if data["initiated_by"]:
            check_ins = check_ins.filter(initiated_by=data["initiated_by"])
        zone = timezone.get_current_timezone()
        if data["since"]:
            check_ins = check_ins.filter(
                happened_at__gte=datetime.datetime.combine(data["since"], datetime.time(0), tzinfo=zone)
            )
        if data["until"]:
            next_day = data["until"] + datetime.timedelta(days=1)
            check_ins = check_ins.filter(
                happened_at__lt=datetime.datetime.combine(next_day, datetime.time(0), tzinfo=zone)
            )
        return check_ins


class ReminderPreferencesForm(forms.ModelForm):
    """Validates only: `reminder_preferences_update` saves and reschedules the next digest."""

    reminder_hour = forms.TypedChoiceField(
        label=_("Time of day"),
        choices=HOURS,
        coerce=int,
        help_text=_("In your own time zone. One email at most each day, only when someone is due."),
    )
    reminder_weekdays = forms.MultipleChoiceField(
        label=_("On these days"),
        choices=WEEKDAYS,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    reminders_paused_until = forms.DateField(
        label=_("Pause reminders until"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_(
            "For a holiday or a break: no reminders up to and including this day. Leave empty for none."
        ),
    )

    class Meta:
        model = User
        fields = REMINDER_PREFERENCE_FIELDS
        widgets = {"reminder_channel": forms.RadioSelect}
        labels = {
            "reminder_channel": _("Send reminders by"),
            "reminder_push_names": _("Name people in notifications"),
            "reminder_self_check": _("Add the monthly self-check"),
            "reminders_enabled": _("Send me reminder emails"),
            "reminder_email_details": _("Say more in reminder emails"),
        }
        help_texts = {
            "reminder_email_details": _(
                "When this is off, a reminder's subject line names no one and the "
                "email lists names only. When it is on, the subject names who is due, and the email also says "
                "how you know each person "
                "(for example “therapist”), how they like to be contacted and their best times. A subject "
                "line shows on lock screens and in mail previews, and an email is kept by your mail service: "
                "switch this on only if no one else sees your phone or your inbox."
            ),
            "reminder_channel": _(
                "Notifications reach the devices you turn them on for, under "
                "“Notifications on your devices”. With none that takes them, the reminder comes by email."
            ),
            "reminder_push_names": _(
                "When this is off, a notification says only that someone might like to "
                "hear from you. When it is on, it names them and offers “I reached out” and “Snooze”. "
                "Notifications show on your lock screen."
            ),
            "reminder_self_check": _(
                "Once a month, until you have taken it, the reminder also mentions the short self-check."
            ),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, label_suffix="", **kwargs)
        self.initial["reminder_weekdays"] = list(self.instance.reminder_weekdays)
        self.fields["reminder_channel"].required = False
        # Listed from the first day of the week where the person's language is spoken (Django's
        # FIRST_DAY_OF_WEEK counts from Sunday; our weekday numbers from Monday).
        start = (int(get_format("FIRST_DAY_OF_WEEK")) - 1) % 7
        self.fields["reminder_weekdays"].choices = WEEKDAYS[start:] + WEEKDAYS[:start]

    def clean_reminder_channel(self):
        # Left out (an older page, a one-field post), the channel stays as it was.
        return self.cleaned_data["reminder_channel"] or self.instance.reminder_channel

    def clean_reminder_weekdays(self):
        days = "".join(sorted(set(self.cleaned_data["reminder_weekdays"])))
        if not days and self.cleaned_data.get("reminders_enabled"):
            raise forms.ValidationError(_("Choose at least one day, or switch reminders off above."))
        return days or self.instance.reminder_weekdays
