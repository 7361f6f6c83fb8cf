from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from checkins.forms import CheckInFilterForm, CheckInForm, ReminderPreferencesForm
from checkins.models import CheckIn
from checkins.services import actions, check_ins, schedule
from contacts.models import Supporter
from core.links import LinkRefused

PAGE_SIZE = 50


def get_check_in_or_404(request, pk):
    return get_object_or_404(CheckIn.objects.select_related("supporter"), pk=pk, owner=request.user)


def safe_next(request, fallback):
    target = request.POST.get("next") or request.GET.get("next")
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return fallback


@login_required
def check_in_list(request):
    filters = CheckInFilterForm(request.GET or None, owner=request.user)
    check_ins = filters.filter(CheckIn.objects.filter(owner=request.user).select_related("supporter"))
    page = Paginator(check_ins, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "checkins/list.html",
        {"filters": filters, "page": page, "query": query.urlencode(), "is_filtered": bool(filters.data)},
    )


@login_required
def check_in_log(request):
    initial = {}
    if request.GET.get("supporter", "").isdigit():
        supporter = Supporter.objects.filter(owner=request.user, pk=request.GET["supporter"]).first()
        if supporter:
            initial = {"supporter": supporter, "channel": supporter.preferred_channel or None}
    form = CheckInForm(
        request.POST or None, owner=request.user, initial=initial, find=request.GET.get("find", "")
    )
    if request.method == "POST" and form.is_valid():
        snoozed_until = form.cleaned_data["supporter"].snoozed_until
        check_in = check_ins.check_in_log(owner=request.user, **form.cleaned_data)
        undo = actions.undo_token_make(
            owner=request.user,
            supporter=check_in.supporter,
            check_in=check_in,
            snoozed_until=snoozed_until,
            now=timezone.now(),
        )
        messages.success(
            request,
            _("Saved. It's good that you connected with %(name)s.") % {"name": check_in.supporter.name},
            extra_tags=f"undo {undo}",
        )
        return redirect(safe_next(request, "checkins:list"))
    return render(request, "checkins/log.html", {"form": form, "next": safe_next(request, "")})


@require_POST
@login_required
def undo(request):
    """The "Undo" button in the message that confirmed a check-in or a snooze."""
    try:
        supporter = actions.action_undo(
            owner=request.user, token=request.POST.get("token", ""), now=timezone.now()
        )
    except actions.UndoRefused as refusal:
        messages.error(request, str(refusal))
    else:
        messages.success(
            request, _("Undone. Everything about %(name)s is as it was before.") % {"name": supporter.name}
        )
    return redirect(safe_next(request, "dashboard:home"))


@login_required
def check_in_edit(request, pk):
    check_in = get_check_in_or_404(request, pk)
    previous_supporter = check_in.supporter
    form = CheckInForm(
        request.POST or None, instance=check_in, owner=request.user, find=request.GET.get("find", "")
    )
    if request.method == "POST" and form.is_valid():
        check_ins.check_in_update(check_in=form.instance, previous_supporter=previous_supporter)
        messages.success(request, _("Your changes are saved."))
        return redirect("checkins:list")
    return render(request, "checkins/edit.html", {"form": form, "check_in": check_in})


@login_required
def check_in_delete(request, pk):
    check_in = get_check_in_or_404(request, pk)
    if request.method == "POST":
        check_ins.check_in_delete(check_in=check_in)
        messages.success(request, _("That check-in is deleted."))
        return redirect("checkins:list")
    return render(request, "checkins/delete.html", {"check_in": check_in})


@login_required
def reminder_preferences(request):
    form = ReminderPreferencesForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        schedule.reminder_preferences_update(user=request.user, now=timezone.now(), **form.cleaned_data)
        messages.success(request, _("Your reminder preferences are saved."))
        return redirect("accounts:settings")
    return render(request, "checkins/reminders.html", {"reminder_form": form})


@csrf_exempt  # The signed token is the authority, and RFC 8058 one-click POSTs carry no cookies.
@require_http_methods(["GET", "POST"])  # GET shows the confirm page, POST acts; anything else is a 405.
def one_click_action(request, token):
    """GET shows what the link will do and a button; only the POST acts (mail scanners follow links).

    A link belongs to the person it was sent to. Signed in as someone else, we refuse it rather than
    act on another person's network from this session (and show nothing of theirs).
    """
    try:
        one_click = actions.action_token_read(token)
    except LinkRefused as refusal:
        return render(request, "checkins/action_refused.html", {"reason": str(refusal)}, status=400)
    if request.user.is_authenticated and request.user.pk != one_click.user.pk:
        return render(
            request,
            "checkins/action_refused.html",
            {
                "reason": _(
                    "This link was sent to a different account from the one you are signed in with. "
                    "Sign out, then open the link again."
                ),
                "other_account": True,
            },
            status=403,
        )
    context = {"one_click": one_click, "Action": actions.Action, "snooze_days": check_ins.SNOOZE_DAYS}
    with timezone.override(one_click.user.zone):
        now = timezone.now()
        context["pause_until_on"] = actions.pause_until_on(user=one_click.user, now=now)
        if request.method == "POST":
            done = actions.action_perform(one_click=one_click, now=now)
            return render(request, "checkins/action_done.html", {**context, "already_done": not done})
        if actions.action_token_was_used(token):
            return render(request, "checkins/action_done.html", {**context, "already_done": True})
        return render(request, "checkins/action_confirm.html", context)
