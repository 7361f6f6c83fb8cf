from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone

from contacts.models import SUPPORT_TYPE_DESCRIPTIONS, Supporter
from dashboard import charts, links
from dashboard.overview import overview_for


@login_required
def home(request):
    now = timezone.now()
    overview = overview_for(user=request.user, now=now)
    context = {
        "overview": overview,
        "type_descriptions": SUPPORT_TYPE_DESCRIPTIONS.items(),
        "add_supporter_url": links.add_supporter_url(),
        "supporters_url": links.supporters_url(),
        "log_check_in_url": links.optional_url("checkins:log"),
        "crisis_plan_url": links.optional_url("wellbeing:plan"),
        # The quick "I reached out today" form says when, as the person's own wall-clock time.
        "local_now": timezone.localtime(now, request.user.zone).strftime("%Y-%m-%dT%H:%M"),
    }
    if not overview.is_first_visit:
        context["circles"] = charts.circle_picture(overview.picture, overview.overdue_ids)
        context["activity"] = charts.bar_chart(overview.weeks)
    return render(request, "dashboard/home.html", context)


def crisis(request):
    """Where to get urgent help; for a signed-in person, also the supporters they marked for a crisis."""
    contacts = []
    if request.user.is_authenticated:
        contacts = Supporter.objects.for_owner(request.user).active().filter(is_crisis_contact=True)
    return render(request, "dashboard/crisis.html", {"crisis_contacts": contacts})
