"""The account page: the person's own settings (accounts) with the rhythms per circle (contacts), the
reminder preferences (checkins), access tokens (api) and their data (privacy) assembled here, at the
page level, so that no lower app reaches up for the others' forms."""

from allauth.mfa.models import Authenticator
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import path

from accounts.forms import ProfileForm
from checkins.forms import ReminderPreferencesForm
from contacts.forms import RhythmDefaultsForm


@login_required
def settings_view(request):
    form = ProfileForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "Your settings are saved.")
        return redirect("accounts:settings")
    two_step_enabled = Authenticator.objects.filter(user=request.user, type=Authenticator.Type.TOTP).exists()
    return render(
        request,
        "dashboard/account.html",
        {
            "form": form,
            "two_step_enabled": two_step_enabled,
            "rhythm_form": RhythmDefaultsForm(user=request.user),
            "reminder_form": ReminderPreferencesForm(instance=request.user),
        },
    )


urlpatterns = [path("", settings_view, name="settings")]
