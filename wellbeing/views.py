import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from core.downloads import download_response
from wellbeing import services
from wellbeing.charts import trend_panels
from wellbeing.documents import plan_as_pdf, plan_as_text
from wellbeing.forms import PlanForm, SelfCheckForm
from wellbeing.models import LSNS_ISOLATION_BELOW, PlanStep


@login_required
def plan(request):
    crisis_plan = services.plan_for(user=request.user)
    *steps, what_matters_most = services.plan_sections(crisis_plan)
    return render(
        request,
        "wellbeing/plan.html",
        {
            "plan": crisis_plan,
            "steps": steps,
            "what_matters_most": what_matters_most,
            "help_step": PlanStep.HELP,
            "crisis_lines": services.directory_crisis_lines(user=request.user),
        },
    )


@login_required
def plan_edit(request):
    crisis_plan = services.plan_for(user=request.user)
    form = PlanForm(request.POST or None, instance=crisis_plan, owner=request.user)
    if request.method == "POST" and form.is_valid():
        services.plan_update(user=request.user, texts=form.texts(), people_by_step=form.people_by_step())
        messages.success(request, _("Your plan is saved."))
        return redirect("wellbeing:plan")
    has_supporters = form.fields["help_people"].queryset.exists()
    return render(request, "wellbeing/plan_edit.html", {"form": form, "has_supporters": has_supporters})


@login_required
@require_POST
def plan_told(request, plan_person_id):
    person = services.plan_person_for(user=request.user, plan_person_id=plan_person_id)
    told = request.POST.get("told") == "yes"
    services.plan_person_mark_told(plan_person=person, told=told, now=timezone.now())
    if told:
        messages.success(
            request, _("Noted: %(name)s knows they are on your plan.") % {"name": person.supporter.name}
        )
    return redirect(reverse("wellbeing:plan") + "#step-4")


@login_required
def plan_text(request):
    crisis_plan = services.plan_for(user=request.user)
    text = plan_as_text(plan=crisis_plan, user=request.user, now=timezone.now())
    return download_response(text, content_type="text/plain; charset=utf-8", filename="my-crisis-plan.txt")


@login_required
def plan_pdf(request):
    crisis_plan = services.plan_for(user=request.user)
    pdf = plan_as_pdf(plan=crisis_plan, user=request.user, now=timezone.now())
    return download_response(pdf, content_type="application/pdf", filename="my-crisis-plan.pdf")


@login_required
def self_check(request):
    now = timezone.now()
    history = services.history_for(user=request.user, now=now)
    feelings, network = trend_panels(history)
    latest = request.user.self_checks.order_by("-month_on").first()
    this_month = services.month_on(user=request.user, now=now)
    return render(
        request,
        "wellbeing/self_check.html",
        {
            "latest": latest,
            "this_month": latest if latest and latest.month_on == this_month else None,
            "next_month": (this_month.replace(day=28) + datetime.timedelta(days=4)).replace(day=1),
            "history": history,
            "has_history": any(row.ucla_score is not None or row.check_ins for row in history),
            "feelings": feelings,
            "network": network,
            "lsns_cut_point": LSNS_ISOLATION_BELOW,
            "crisis_contacts": services.crisis_contacts(user=request.user)
            if latest and latest.is_concerning()
            else [],
            "crisis_lines": services.directory_crisis_lines(user=request.user),
        },
    )


@login_required
def self_check_take(request):
    now = timezone.now()
    form = SelfCheckForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.self_check_record(user=request.user, answers=form.answers(), now=now)
        messages.success(request, _("Thank you. Your answers are saved."))
        return redirect("wellbeing:self_check")
    return render(
        request,
        "wellbeing/self_check_take.html",
        {"form": form, "this_month": services.self_check_this_month(user=request.user, now=now)},
    )
