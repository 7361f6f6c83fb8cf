from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from core.links import LinkRefused
from core.support_types import SupportType
from sharing import services
from sharing.forms import AskForm, BoundariesForm, InviteForm, support_type_options
from sharing.models import ConsentStatus


@login_required
def home(request, invite_form=None):
    consents = list(services.consents_for(owner=request.user).select_related("plan_share"))
    return render(
        request,
        "sharing/home.html",
        {
            "consents": consents,
            "invite_form": invite_form or InviteForm(owner=request.user),
            "events": services.events_for(owner=request.user, limit=20),
            _("Status"): ConsentStatus,
        },
    )


@login_required
@require_POST
def invite(request):
    form = InviteForm(request.POST, owner=request.user)
    if form.is_valid():
        try:
            consent = services.consent_invite(
                owner=request.user,
                supporter_id=form.cleaned_data["supporter"].pk,
                email=form.cleaned_data["email"],
                from_name=form.cleaned_data["from_name"],
                now=timezone.now(),
            )
        except services.SharingRefused as refusal:
            form.add_error(None, str(refusal))
        else:
            messages.success(
                request,
                _("We have emailed %(name)s to ask whether they agree.") % {"name": consent.supporter.name},
            )
            return redirect("sharing:home")
    response = home(request, invite_form=form)
    response.status_code = 400
    return response


@login_required
@require_POST
def share_plan(request, consent_id):
    try:
        services.plan_share_start(owner=request.user, consent_id=consent_id, now=timezone.now())
    except services.SharingRefused as refusal:
        messages.error(request, str(refusal))
    else:
        messages.success(request, _("They can now see your crisis plan when signed in."))
    return redirect("sharing:home")


@login_required
@require_POST
def stop_sharing(request, consent_id):
    services.plan_share_revoke(owner=request.user, consent_id=consent_id, now=timezone.now())
    messages.success(request, _("Done: they can no longer see your crisis plan."))
    return redirect("sharing:home")


@login_required
def ask(request):
    kind = request.GET.get("kind") or request.POST.get("kind")
    if kind not in SupportType.values:
        return render(request, "sharing/ask_kind.html", {"options": support_type_options()})
    now = timezone.now()
    candidates = services.ask_candidates(owner=request.user, support_type=kind, now=now)
    initial = {"message": services.ASK_MESSAGES[SupportType(kind)]}
    form = AskForm(request.POST or None, candidates=candidates, support_type=kind, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            support_ask = services.ask_create(
                owner=request.user,
                support_type=kind,
                message=form.cleaned_data["message"],
                supporter_ids=form.cleaned_data["people"],
                email_ids=form.cleaned_data["by_email"],
                form_key=form.cleaned_data["form_key"],
                now=now,
            )
        except services.SharingRefused as refusal:
            form.add_error(None, str(refusal))
        else:
            return redirect("sharing:ask_sent", ask_id=support_ask.pk)
    return render(
        request,
        "sharing/ask.html",
        {
            "form": form,
            "kind": kind,
            "kind_label": services.ASK_LABELS[SupportType(kind)],
            "candidates": candidates,
            "options": support_type_options(),
        },
        status=400 if form.errors else 200,
    )


@login_required
def ask_sent(request, ask_id):
    support_ask = services.ask_for(owner=request.user, ask_id=ask_id)
    return render(
        request,
        "sharing/ask_sent.html",
        {"ask": support_ask, "links": services.ask_links(ask=support_ask, country=request.user.country.code)},
    )


@never_cache
def consent(request, token):
    """The supporter's own page, reached from the invitation or any ask email: no account needed.
    GET shows where things stand; only a POST changes anything (mail scanners follow links)."""
    try:
        supporter_consent = services.consent_from_token(token)
    except LinkRefused as refusal:
        return render(request, "sharing/link_refused.html", {"reason": str(refusal)}, status=400)
    form = BoundariesForm(
        request.POST if request.POST.get("answer") == "agree" else None,
        initial={
            "how_to_ask": supporter_consent.how_to_ask,
            "quiet_from": supporter_consent.quiet_from,
            "quiet_until": supporter_consent.quiet_until,
            "timezone": supporter_consent.timezone,
            "most_asks_per_week": supporter_consent.most_asks_per_week,
        },
    )
    status = 200
    if request.method == "POST":
        now = timezone.now()
        try:
            if request.POST.get("answer") == "agree" and form.is_valid():
                agreed_before = supporter_consent.has_agreed
                services.consent_agree(consent=supporter_consent, boundaries=form.boundaries(), now=now)
                done = "saved" if agreed_before else "agreed"
                return render(
                    request, "sharing/consent_done.html", {"consent": supporter_consent, "done": done}
                )
            if request.POST.get("answer") == "stop":
                services.consent_decline(consent=supporter_consent, now=now)
                return render(
                    request, "sharing/consent_done.html", {"consent": supporter_consent, "done": "stopped"}
                )
        except LinkRefused as refusal:
            return render(request, "sharing/link_refused.html", {"reason": str(refusal)}, status=400)
        status = 400
    if supporter_consent.status not in (ConsentStatus.INVITED, ConsentStatus.AGREED):
        return render(
            request, "sharing/link_refused.html", {"reason": _("This invitation has ended.")}, status=400
        )
    return render(
        request, "sharing/consent.html", {"consent": supporter_consent, "form": form}, status=status
    )


@login_required
def shared_with_me(request):
    return render(
        request, "sharing/shared_with_me.html", {"shares": services.shares_visible_to(user=request.user)}
    )


@login_required
def shared_plan(request, share_id):
    try:
        share, sections = services.shared_plan_for(user=request.user, share_id=share_id)
    except Http404:
        return render(request, "sharing/share_ended.html", status=404)
    *steps, what_matters_most = sections
    return render(
        request,
        "sharing/shared_plan.html",
        {"share": share, "steps": steps, "what_matters_most": what_matters_most},
    )
