"""The dashboard's content, rendered once per summary, kept per person and language, and filled in
on every view.

One Redis round trip reads the person's network version, their kept page and the directory's crisis
lines together. A kept page is their `NetworkSummary` (dashboard.overview), dashboard/network.html
rendered from it and the whole page around that (header, navigation, footer: the same on every view
but for a message, when the frame is drawn again), with holes (dashboard.holes) for what every view
reads itself:
- the CSRF token and the time now, for the due list's quick-action forms (and sign-out);
- the due people's best times and the crisis contacts with their phone numbers and email: private
  (best times are encrypted at rest), so they never go to the cache; one query reads those people,
  as before;
- the directory's crisis lines and the suggestions beside a gap: moderators change them at any time.
So the kept page holds nothing that the summary did not already hold (names, counts, kinds).

It is kept while its stamp holds (the network version, which every write to the person's supporters
or check-ins changes; their time zone, usual rhythms and country; the page's path) and until the
summary's `valid_until` (local midnight, or the next moment someone becomes due), at most
SUMMARY_MAX_SECONDS. The list of everyone due (?due=all) is rendered for its view and not kept.
"""

from dataclasses import dataclass
from functools import cache as remember
from functools import partial

from django.contrib.messages import get_messages
from django.core.cache import cache
from django.middleware.csrf import get_token
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, gettext

from checkins.services.check_ins import SNOOZE_DAYS
from contacts.models import Supporter
from contacts.versions import network_version_with
from core.support_types import SUPPORT_TYPE_DESCRIPTIONS, SupportType
from dashboard import charts, circles
from dashboard.holes import Holes
from dashboard.overview import (
    CRISIS_SHOWN,
    SUMMARY_FORMAT,
    SUMMARY_MAX_SECONDS,
    NetworkSummary,
    active_supporters,
    network_summary,
    overview_of,
    shown_ids,
)
from resources.directory import crisis_lines_for, crisis_lines_keys, directory_for
from resources.templatetags.directory import offering

# The due list shows the few most overdue people; a link shows everyone who is due.
DUE_SHOWN = 8
# Part of the cache key: change it whenever KeptPage changes shape or the holes change.
PAGE_FORMAT = 2


@dataclass
class KeptPage:
    stamp: tuple
    summary: NetworkSummary
    html: str  # dashboard/network.html with holes
    page: str  # the whole page (dashboard/home.html around `html`) with holes, shown without messages
    nonce: str  # the holes' (dashboard.holes.Holes)


def page_key(user_pk, language):
    return f"dashboard-page:{PAGE_FORMAT}.{SUMMARY_FORMAT}:{user_pk}:{language}"


def page_stamp(user, version, path):
    """What a kept page was made from besides the time: owner-scoped, and changed by any write to the
    network or to the settings the page depends on (time zone, usual rhythm per circle, country)."""
    rhythms = tuple(user.rhythm_for_circle(circle) for circle in circles.CIRCLES)
    return (version, user.timezone, rhythms, str(user.country or ""), path)


def _render(request, now, summary, supporters, due_limit):
    """dashboard/network.html with holes, from `summary` and the rows of the people it shows in full."""
    user = request.user
    overview = overview_of(user=user, now=now, summary=summary, supporters=supporters, due_limit=due_limit)
    holes = Holes()
    context = {
        "overview": overview,
        "due_shown": overview.due,
        "due_hidden": overview.due_count - len(overview.due),
        "type_descriptions": SUPPORT_TYPE_DESCRIPTIONS.items(),
        "snooze_days": SNOOZE_DAYS,
        "holes": holes,
        "csrf_token": holes.mark("csrf"),
        "local_now": holes.mark("local_now"),
    }
    if not overview.is_first_visit:
        # Worked out only if the template's cached fragments need them (see overview.fragment_key).
        context["circles"] = remember(partial(charts.circle_picture, overview.picture))
        context["activity"] = remember(lambda: charts.bar_chart(overview.weeks))
    return render_to_string("dashboard/network.html", context, request), holes


def _whole_page(request, content, holes):
    """dashboard/home.html around `content`: the page's frame (header, navigation, footer) is the same
    on every view of the dashboard by this person in this language, but for messages and the CSRF token
    of the sign-out form."""
    context = {"content": content, "csrf_token": holes.mark("csrf"), "messages": []}
    return render_to_string("dashboard/home.html", context, request)


def dashboard_page(request, *, now, show_all_due=False):
    """The dashboard for `request.user` at `now`, as HTML."""
    user = request.user
    key = page_key(user.pk, get_language())
    directory_keys = crisis_lines_keys(user.country)
    version, cached = network_version_with(user.pk, key, *directory_keys)
    kept = cached.get(key)
    stamp = page_stamp(user, version, request.path)
    if kept is not None and (kept.stamp != stamp or kept.summary.valid_until <= now):
        kept = None
    if kept is None:
        supporters = active_supporters(user)
        summary = network_summary(user, supporters, now)
        html, holes = _render(request, now, summary, supporters, DUE_SHOWN)
        page = _whole_page(request, html, holes)
        kept = KeptPage(stamp=stamp, summary=summary, html=html, page=page, nonce=holes.nonce)
        seconds = (summary.valid_until - now).total_seconds()
        cache.set(key, kept, timeout=max(1, min(SUMMARY_MAX_SECONDS, int(seconds))))
    else:
        summary, html, holes = kept.summary, kept.html, Holes(kept.nonce)
        ids = shown_ids(summary, None if show_all_due else DUE_SHOWN)
        supporters = shown_supporters(user, ids) if ids else []
    crisis_lines = {key: cached[key] for key in directory_keys if key in cached}
    fillers = _fillers(request, now, summary, supporters, crisis_lines)
    if show_all_due:
        html, holes = _render(request, now, summary, supporters, None)
    elif not get_messages(request):
        return holes.fill(kept.page, fillers)
    # A message to show (after a quick action, say), or everyone due: the frame is drawn for this view.
    return render_to_string("dashboard/home.html", {"content": holes.fill(html, fillers)}, request)


def shown_supporters(user, ids):
    """What the holes show of these people (and nothing else: no notes, no rhythms)."""
    return list(
        Supporter.objects.for_owner(user)
        .active()
        .filter(pk__in=ids)
        .only("id", "name", "relationship", "phone", "email", "best_times", "preferred_channel")
    )


def _fillers(request, now, summary, supporters, crisis_lines_cached):
    user = request.user
    by_id = {supporter.id: supporter for supporter in supporters}
    directory = remember(lambda: directory_for(country=user.country, topics=user.recovery_topic_list))
    best_times = gettext("Best times: %(best_times)s")
    csrf_token = remember(lambda: get_token(request))  # one token for every form, as a template does

    def best_times_of(pk):
        supporter = by_id.get(int(pk))
        if supporter is None or not supporter.best_times:
            return ""
        # As {% blocktranslate %} does: the translation as it is, the value escaped.
        text = best_times % {"best_times": conditional_escape(supporter.best_times)}
        text = mark_safe(text)  # noqa: S308 (a translation, trusted as in templates; the value escaped)
        return format_html('<p class="due-facts">{}</p>', text)

    def crisis_contacts(_):
        contacts = [by_id[pk] for pk in summary.crisis_ids[:CRISIS_SHOWN] if pk in by_id]
        return render_to_string(
            "dashboard/snippets/crisis_contacts.html",
            {"crisis_contacts": contacts, "crisis_count": len(summary.crisis_ids)},
        )

    def crisis_lines(_):
        lines = crisis_lines_for(country=user.country, cached=crisis_lines_cached)
        return render_to_string("dashboard/snippets/crisis_lines.html", {"crisis_lines": lines})

    def gap_resources(kind):
        kind = SupportType(kind)
        return render_to_string(
            "resources/snippets/for_support_type.html",
            {"resources": offering(directory(), kind), "support_type": kind},
        )

    return {
        "csrf": lambda _: csrf_token(),
        # The quick "I reached out today" form says when, as the person's own wall-clock time.
        "local_now": lambda _: timezone.localtime(now, user.zone).strftime("%Y-%m-%dT%H:%M"),
        "best_times": best_times_of,
        "crisis_contacts": crisis_contacts,
        "crisis_lines": crisis_lines,
        "gap_resources": gap_resources,
    }
