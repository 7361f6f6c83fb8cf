from django import forms, template
from django.utils import timezone

from checkins.due import supporter_days_since_contact, supporter_due_state
from checkins.forms import CheckInForm, ReminderPreferencesForm

register = template.Library()


@register.simple_tag
def check_in_form_for(supporter):
    """A blank check-in form for one supporter, for their page (see checkins/snippets/log_form.html)."""
    initial = {"supporter": supporter.pk, "channel": supporter.preferred_channel or None}
    form = CheckInForm(owner=supporter.owner, initial=initial)
    form.fields["supporter"].widget = forms.HiddenInput()
    # Written out as local wall-clock time, since the page showing it may not use the owner's zone.
    form.initial["happened_at"] = timezone.localtime(timezone.now(), supporter.owner.zone).strftime(
        "%Y-%m-%dT%H:%M"
    )
    return form


@register.simple_tag
def reminder_preferences_form(user):
    return ReminderPreferencesForm(instance=user)


@register.inclusion_tag("checkins/snippets/due_badge.html")
def due_badge(supporter):
    """Last contact and when next due, in gentle words. Needs `supporter.owner` loaded (one query otherwise)."""
    now = timezone.now()
    zone = supporter.owner.zone
    state = supporter_due_state(supporter, now=now)
    return {
        "supporter": supporter,
        "state": str(state),
        "days_since_contact": supporter_days_since_contact(supporter, now=now),
        "last_on": timezone.localtime(supporter.last_check_in_at, zone).date()
        if supporter.last_check_in_at
        else None,
        "next_on": timezone.localtime(supporter.next_check_in_at, zone).date()
        if supporter.next_check_in_at
        else None,
    }


@register.simple_tag
def recent_check_ins_for(supporter, count=5):
    return list(supporter.check_ins.all()[:count])
