"""Everything the dashboard shows, read in a fixed number of queries whatever the size of the network.

Three queries: the person's active supporters (all of them: the picture, the counts, the due list
and the crisis panel are all worked out from this one list in Python), their last few check-ins,
and their check-ins per day over the last twelve weeks.
"""

import datetime
from dataclasses import dataclass, field
from functools import cached_property

from django.db.models import Count
from django.db.models.functions import TruncDate
from django.urls import reverse

from checkins.due import DueState, supporter_days_since_contact, supporter_due_base_at, supporter_due_state
from checkins.models import CheckIn
from contacts.models import Circle, Supporter
from core.support_types import SUPPORT_TYPE_DESCRIPTIONS, SUPPORT_TYPE_SUGGESTIONS, SupportType
from dashboard import circles

RECENT_CHECK_INS = 5
ACTIVITY_WEEKS = 12


def lateness(supporter, now):
    """How many rhythms have passed since the last contact (1.0: just due; overdue is past 1.5)."""
    rhythm = supporter.rhythm_in_days()
    if not rhythm:
        return 0.0
    return (now - supporter_due_base_at(supporter)) / datetime.timedelta(days=rhythm)


@dataclass
class TypeSummary:
    kind: SupportType
    count: int
    description: str
    suggestion: str

    @property
    def is_gap(self):
        return self.count == 0

    @property
    def list_url(self):
        return f"{reverse('contacts:list')}?type={self.kind.value}"


@dataclass
class DueSupporter:
    supporter: Supporter
    days_since_contact: int
    has_checked_in: bool
    is_overdue: bool


@dataclass
class PersonLine:
    supporter: Supporter
    url: str
    kinds: str
    is_overdue: bool


@dataclass
class Week:
    starts_on: datetime.date
    count: int


@dataclass
class Overview:
    supporters: list
    types: list
    due: list
    crisis_contacts: list
    recent_check_ins: list
    weeks: list
    picture: circles.Picture
    overdue_ids: set = field(default_factory=set)

    @property
    def is_first_visit(self):
        return not self.supporters

    @property
    def gaps(self):
        return [summary for summary in self.types if summary.is_gap]

    @cached_property
    def detail_urls(self):
        """{supporter id: their page}, worked out once for the picture and the list."""
        return {
            supporter.id: reverse("contacts:detail", args=[supporter.id]) for supporter in self.supporters
        }

    @cached_property
    def circle_lists(self):
        """[(Circle, [PersonLine, ... by name]), ...] from the inner circle outwards: the picture in words."""
        lines = {circle: [] for circle in Circle}
        for supporter in self.supporters:
            lines[supporter.circle].append(
                PersonLine(
                    supporter=supporter,
                    url=self.detail_urls[supporter.id],
                    kinds=", ".join(kind.label.lower() for kind in supporter.support_types),
                    is_overdue=supporter.id in self.overdue_ids,
                )
            )
        return list(lines.items())

    @property
    def overdue_count(self):
        return len(self.overdue_ids)

    @property
    def check_ins_in_weeks(self):
        return sum(week.count for week in self.weeks)


def active_supporters(user):
    # Private notes are never shown here: not read, not decrypted.
    supporters = list(Supporter.objects.for_owner(user).active().defer("notes").order_by("name", "id"))
    for supporter in supporters:
        supporter.owner = user  # rhythm_in_days() reads the owner's defaults: no query per supporter.
    return supporters


def type_summaries(supporters):
    return [
        TypeSummary(
            kind=kind,
            count=sum(1 for supporter in supporters if getattr(supporter, f"gives_{kind.value}")),
            description=SUPPORT_TYPE_DESCRIPTIONS[kind],
            suggestion=SUPPORT_TYPE_SUGGESTIONS[kind],
        )
        for kind in SupportType
    ]


def due_list(supporters, now):
    """Who is due or overdue (as the check-ins app decides), most overdue first: by rhythms passed."""
    states = {supporter.id: supporter_due_state(supporter, now=now) for supporter in supporters}
    due = [supporter for supporter in supporters if states[supporter.id] in (DueState.DUE, DueState.OVERDUE)]
    due.sort(key=lambda supporter: (-lateness(supporter, now), supporter.next_check_in_at, supporter.name))
    return [
        DueSupporter(
            supporter=supporter,
            days_since_contact=supporter_days_since_contact(supporter, now=now),
            has_checked_in=supporter.last_check_in_at is not None,
            is_overdue=states[supporter.id] == DueState.OVERDUE,
        )
        for supporter in due
    ]


def weekly_activity(user, now, weeks=ACTIVITY_WEEKS):
    """Check-ins per week (Monday to Sunday in the person's time zone), oldest week first."""
    today = now.astimezone(user.zone).date()
    this_monday = today - datetime.timedelta(days=today.weekday())
    first_monday = this_monday - datetime.timedelta(weeks=weeks - 1)
    start = datetime.datetime.combine(first_monday, datetime.time(), tzinfo=user.zone)
    per_day = (
        CheckIn.objects.filter(owner=user, happened_at__gte=start)
        .annotate(day=TruncDate("happened_at", tzinfo=user.zone))
        .values("day")
        .annotate(count=Count("id"))
        .values_list("day", "count")
    )
    counts = [0] * weeks
    for day, count in per_day:
        index = (day - first_monday).days // 7
        if 0 <= index < weeks:
            counts[index] += count
    return [Week(first_monday + datetime.timedelta(weeks=index), counts[index]) for index in range(weeks)]


def picture_of(supporters):
    """The circles picture; within each circle, people who give the same main type sit together."""
    order = {kind: index for index, kind in enumerate(SupportType)}
    by_circle = {circle: [] for circle in circles.CIRCLES}
    for supporter in sorted(supporters, key=lambda s: (order[s.main_support_type], s.name, s.id)):
        by_circle.setdefault(supporter.circle, []).append(supporter)
    return circles.picture(by_circle)


def overview_for(*, user, now):
    supporters = active_supporters(user)
    due = due_list(supporters, now)
    overdue_ids = {entry.supporter.id for entry in due if entry.is_overdue}
    recent = list(
        CheckIn.objects.filter(owner=user)
        .select_related("supporter")
        .only("happened_at", "channel", "mood", "supporter__name")
        .order_by("-happened_at", "-id")[:RECENT_CHECK_INS]
    )
    return Overview(
        supporters=supporters,
        types=type_summaries(supporters),
        due=due,
        crisis_contacts=[supporter for supporter in supporters if supporter.is_crisis_contact],
        recent_check_ins=recent,
        weeks=weekly_activity(user, now),
        picture=picture_of(supporters),
        overdue_ids=overdue_ids,
    )
