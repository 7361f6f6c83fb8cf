from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from contacts import services
from contacts.forms import RhythmDefaultsForm, SupporterForm
from contacts.models import Supporter
from core.support_types import SUPPORT_TYPE_DESCRIPTIONS, SupportType


def get_supporter_or_404(request, pk):
    """The signed-in person's own supporter, or a 404 for anyone else's: every supporter view uses this."""
    return get_object_or_404(Supporter.objects.for_owner(request.user).select_related("owner"), pk=pk)


def support_types_explained():
    return [(kind, SUPPORT_TYPE_DESCRIPTIONS[kind]) for kind in SupportType]


@login_required
def supporter_add(request):
    form = SupporterForm(request.POST or None, owner=request.user)
    if request.method == "POST" and form.is_valid():
        supporter = services.supporter_create(owner=request.user, **form.cleaned_data)
        messages.success(
            request, _("%(name)s is now part of your support network.") % {"name": supporter.name}
        )
        return redirect("contacts:detail", pk=supporter.pk)
    return render(request, "contacts/form.html", {"form": form})


@login_required
def supporter_edit(request, pk):
    supporter = get_supporter_or_404(request, pk)
    form = SupporterForm(
        request.POST or None, owner=request.user, initial=SupporterForm.initial_for(supporter)
    )
    if request.method == "POST" and form.is_valid():
        services.supporter_update(supporter=supporter, **form.cleaned_data)
        messages.success(request, _("Your changes to %(name)s are saved.") % {"name": supporter.name})
        return redirect("contacts:detail", pk=supporter.pk)
    return render(request, "contacts/form.html", {"form": form, "supporter": supporter})


@login_required
def supporter_archive(request, pk):
    supporter = get_supporter_or_404(request, pk)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    services.supporter_archive(supporter=supporter)
    messages.success(
        request,
        _(
            "%(name)s is archived: hidden from your list and your reminders. You can bring them back at any time."
        )
        % {"name": supporter.name},
    )
    return redirect("contacts:detail", pk=supporter.pk)


@login_required
def supporter_unarchive(request, pk):
    supporter = get_supporter_or_404(request, pk)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    services.supporter_unarchive(supporter=supporter)
    messages.success(request, _("%(name)s is back in your support network.") % {"name": supporter.name})
    return redirect("contacts:detail", pk=supporter.pk)


@login_required
def supporter_delete(request, pk):
    supporter = get_supporter_or_404(request, pk)
    if request.method == "POST":
        name = supporter.name
        services.supporter_delete(supporter=supporter)
        messages.success(request, _("%(name)s and their check-ins are deleted.") % {"name": name})
        return redirect("contacts:list")
    return render(request, "contacts/delete.html", {"supporter": supporter})


@login_required
def rhythm_defaults(request):
    """The usual rhythm per circle. The form also sits on the account page; errors show here."""
    form = RhythmDefaultsForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        moved = services.rhythm_defaults_update(user=request.user, **form.cleaned_data)
        message = _("Your usual check-in rhythms are saved.")
        if moved:
            message += " " + ngettext(
                "%(count)d person follows the new rhythm.",
                "%(count)d people follow the new rhythm.",
                len(moved),
            ) % {"count": len(moved)}
        messages.success(request, message)
        return redirect("accounts:settings")
    return render(request, "contacts/rhythm_defaults.html", {"rhythm_form": form})
