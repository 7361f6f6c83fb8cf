import hashlib
from functools import cache
from pathlib import Path

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import AnonymousUser
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.templatetags.static import static
from django.utils import timezone
from django.utils.translation import ngettext
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_POST
from django_countries import countries

from accounts.entrance_forms import SignupForm
from checkins.services.actions import undo_token_make
from checkins.services.check_ins import SNOOZE_DAYS, supporter_snooze
from checkins.views import safe_next
from contacts.models import Supporter
from contacts.services import supporters_create_many
from dashboard.forms import FirstPeopleForm
from dashboard.network_page import dashboard_page
from dashboard.offline import device_owner_token
from resources.directory import crisis_lines_for


def home(request):
    """Signed in: the dashboard. Signed out: what SupportNet is, with the sign-up form right there."""
    if not request.user.is_authenticated:
        return render(request, "dashboard/landing.html", {"form": SignupForm()})
    return dashboard(request)


def dashboard(request):
    return HttpResponse(
        dashboard_page(request, now=timezone.now(), show_all_due=request.GET.get("due") == "all")
    )


@login_required
def first_step(request):
    """Where a new person lands after confirming their email: up to three people in one form."""
    form = FirstPeopleForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        people = supporters_create_many(owner=request.user, people=form.cleaned_data["people"])
        count = len(people)
        messages.success(
            request,
            ngettext(
                "%(count)d person is now part of your support network. You can add details, such as how "
                "to reach them, on each person's page.",
                "%(count)d people are now part of your support network. You can add details, such as how "
                "to reach them, on each person's page.",
                count,
            )
            % {"count": count},
        )
        return redirect("dashboard:home")
    return render(request, "dashboard/first_step.html", {"form": form})


@require_POST
@login_required
def snooze(request, pk):
    """The due list's quick "snooze": the check-ins service moves the reminder on a few days."""
    supporter = get_object_or_404(
        Supporter.objects.for_owner(request.user).active().select_related("owner"), pk=pk
    )
    now = timezone.now()
    undo = undo_token_make(
        owner=request.user, supporter=supporter, snoozed_until=supporter.snoozed_until, now=now
    )
    supporter_snooze(supporter=supporter, now=now)
    messages.success(
        request,
        ngettext(
            "Snoozed: no reminders about %(name)s for %(days)d day.",
            "Snoozed: no reminders about %(name)s for %(days)d days.",
            SNOOZE_DAYS,
        )
        % {"name": supporter.name, "days": SNOOZE_DAYS},
        extra_tags=f"undo {undo}",
    )
    return redirect(safe_next(request, "dashboard:home"))


def crisis(request):
    """Where to get urgent help: the emergency number and crisis lines for a country (the one asked
    for, else the person's own), and for a signed-in person the supporters they marked for a crisis."""
    contacts = []
    country = request.user.country if request.user.is_authenticated else ""
    asked_for = request.GET.get("country", "").upper()
    if asked_for in dict(countries):
        country = asked_for
    if request.user.is_authenticated:
        contacts = Supporter.objects.for_owner(request.user).active().filter(is_crisis_contact=True)
    return render(
        request,
        "dashboard/crisis.html",
        {
            "crisis_contacts": contacts,
            "crisis_lines": crisis_lines_for(country=country),
            "country": country,
            "country_choices": countries,
            "device_owner": device_owner_token(request.user) if request.user.is_authenticated else "",
        },
    )


@cache_control(no_cache=True)
def service_worker(request):
    """The service worker, from the site's root so that it may look after every page."""
    response = render(request, "pwa/sw.js", {"version": _asset_version()}, content_type="text/javascript")
    response["Service-Worker-Allowed"] = "/"
    return response


@cache_control(max_age=86400)
def manifest(request):
    return render(request, "pwa/manifest.webmanifest", content_type="application/manifest+json")


def offline(request):
    """What the service worker shows when a page cannot load and no copy is kept on the device.
    The same for everyone (it is kept on the device), so it is rendered as for a visitor."""
    return render(request, "pwa/offline.html", {"user": AnonymousUser()})


@cache
def _asset_version():
    """Changes whenever a static file the worker keeps changes, so browsers fetch the new files."""
    names = [
        "css/site.css",
        "css/crisis.css",
        "css/wellbeing.css",
        "js/site.js",
        "js/crisis.js",
        "icons/icon-192.png",
        "icons/icon-512.png",
    ]
    urls = (
        "".join(static(name) for name in names)
        + (Path(__file__).parent.parent / "templates/pwa/sw.js").read_text()
    )
    return hashlib.sha256(urls.encode()).hexdigest()[:12]
