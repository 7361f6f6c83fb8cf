"""Everything the dashboard shows, in a fixed number of queries and a fixed amount of page whatever
the size of the network.

What is worked out from the whole network (counts, who is due, the circles picture) is a
`NetworkSummary`, kept by dashboard.network_page with the page made from it, per person under their
network version (contacts.versions: every write to their supporters or check-ins changes it) until
the next moment a due state can change. A page then reads only the people it shows in full: the due
list's first few and the crisis contacts. Without a kept summary it reads all active supporters
once; either way one query. Two more, the last few check-ins and check-ins per day over the last
twelve weeks, only when the page fragments that show them (and the circles picture) are not cached
yet: those are cached with `{% cache %}` under `Overview.fragment_key`, which changes with every new
summary.

The picture draws at most PICTURE_LIMIT people per circle (those not in touch for a while first),
and a "+N more" dot links to the rest on the supporter list; the list under it names the same people.
"""

import datetime
import uuid
from dataclasses import dataclass, field
from functools import cached_property

from django.db.models import Count
from django.db.models.functions import TruncDate
from django.urls import reverse

from checkins.due import (
    DueState,
    local_date,
    local_midnight,
    supporter_days_since_contact,
    supporter_due_base_at,
    supporter_due_state,
)
from checkins.models import CheckIn
from contacts.models import Circle, Supporter
from core.support_types import (
    SUPPORT_TYPE_COLUMNS,
    SUPPORT_TYPE_DESCRIPTIONS,
    SUPPORT_TYPE_SUGGESTIONS,
    SupportType,
)
from dashboard import circles

RECENT_CHECK_INS = 5
ACTIVITY_WEEKS = 12
# People drawn per circle before the rest become one "+N more" dot (about what a phone shows legibly).
PICTURE_LIMIT = 12
# Crisis contacts named on the dashboard; the crisis page lists them all.
CRISIS_SHOWN = 5
# A cached summary is rebuilt at least this often, whatever else happens.
SUMMARY_MAX_SECONDS = 600
# Part of the cache key (dashboard.network_page): change it whenever NetworkSummary or PersonDot
# changes shape, so that a deploy never reads (unpickles) a summary cached by the code before it.
SUMMARY_FORMAT = 3


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


@dataclass(frozen=True)
class PersonDot:
    """What the picture and its list say about one person. Cached: names only, nothing private."""

    id: int
    name: str
    initials: str
    kinds: str  # "emotional, peer"
    main_type: str  # a SupportType value, for the colour
    url: str
    is_overdue: bool


@dataclass
class CircleList:
    circle: Circle
    people: list  # [PersonDot, ...] by name: the people the picture draws
    count: int  # everyone in the circle
    list_url: str

    @property
    def hidden(self):
        return self.count - len(self.people)


@dataclass
class Week:
    starts_on: datetime.date
    count: int


@dataclass
class NetworkSummary:
    """What the dashboard works out from all of a person's active supporters: small, and cached."""

    count: int
    type_counts: dict  # {SupportType value: people}
    due_ids: list  # due or overdue, most overdue first
    overdue_ids: set
    crisis_ids: list  # by name
    circle_counts: dict  # {circle: people}
    picture: circles.Picture  # its dots carry PersonDots
    valid_until: datetime.datetime  # the next moment someone's due state can change
    key: str = field(default_factory=lambda: uuid.uuid4().hex)  # names the page fragments made from it


@dataclass
class Overview:
    user: object
    now: datetime.datetime
    summary_key: str
    count: int
    types: list
    due: list  # DueSupporter, the first `due_limit` (all when None)
    due_count: int
    crisis_contacts: list  # the first CRISIS_SHOWN, by name
    crisis_count: int
    picture: circles.Picture
    circle_lists: list
    overdue_ids: set = field(default_factory=set)

    @property
    def fragment_key(self):
        """For the page fragments cached with `{% cache %}`: this person's, and new with every summary
        (so with every write, and whenever a due state or the day changes)."""
        return f"{self.user.pk}.{self.summary_key}"

    # Read only when a fragment that shows them is not cached.
    @cached_property
    def recent_check_ins(self):
        return list(
            CheckIn.objects.filter(owner=self.user)
            .select_related("supporter")
            .only("happened_at", "channel", "mood", "supporter__name")
            .order_by("-happened_at", "-id")[:RECENT_CHECK_INS]
        )

    @cached_property
    def weeks(self):
        return weekly_activity(self.user, self.now)

    @property
    def is_first_visit(self):
        return not self.count

    @property
    def gaps(self):
        return [summary for summary in self.types if summary.is_gap]

    @property
    def overdue_count(self):
        return len(self.overdue_ids)

    @property
    def check_ins_in_weeks(self):
        return sum(week.count for week in self.weeks)


def active_supporters(user, ids=None):
    # Private notes are never shown here: not read, not decrypted.
    supporters = Supporter.objects.for_owner(user).active().defer("notes").order_by("name", "id")
    if ids is not None:
        supporters = supporters.filter(pk__in=ids)
    supporters = list(supporters)
    for supporter in supporters:
        supporter.owner = user  # rhythm_in_days() reads the owner's defaults: no query per supporter.
    return supporters


def type_summaries(type_counts):
    return [
        TypeSummary(
            kind=kind,
            count=type_counts.get(kind.value, 0),
            description=SUPPORT_TYPE_DESCRIPTIONS[kind],
            suggestion=SUPPORT_TYPE_SUGGESTIONS[kind],
        )
        for kind in SupportType
    ]


def due_order(supporters, now):
    """(ids of who is due or overdue, most overdue first: by rhythms passed; ids of the overdue)."""
    states = {supporter.id: supporter_due_state(supporter, now=now) for supporter in supporters}
    due = [supporter for supporter in supporters if states[supporter.id] in (DueState.DUE, DueState.OVERDUE)]
    due.sort(key=lambda supporter: (-lateness(supporter, now), supporter.next_check_in_at, supporter.name))
    overdue = {supporter.id for supporter in due if states[supporter.id] == DueState.OVERDUE}
    return [supporter.id for supporter in due], overdue


def due_entries(supporters, overdue_ids, now):
    return [
        DueSupporter(
            supporter=supporter,
            days_since_contact=supporter_days_since_contact(supporter, now=now),
            has_checked_in=supporter.last_check_in_at is not None,
            is_overdue=supporter.id in overdue_ids,
        )
        for supporter in supporters
    ]


def next_change_at(user, supporters, now):
    """The next moment a due state can change without a write: local midnight (days since contact,
    overdue) or someone's due moment or end of a snooze, whichever comes first."""
    tomorrow = local_date(now, user.zone) + datetime.timedelta(days=1)
    moments = [local_midnight(tomorrow, user.zone)]
    for supporter in supporters:
        for moment in (supporter.next_check_in_at, supporter.snoozed_until):
            if moment and moment > now:
                moments.append(moment)
    return min(moments)


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


def person_dot(supporter, overdue_ids):
    return PersonDot(
        id=supporter.id,
        name=supporter.name,
        initials=supporter.initials,
        kinds=", ".join(kind.label.lower() for kind in supporter.support_types),
        main_type=supporter.main_support_type.value,
        url=reverse("contacts:detail", args=[supporter.id]),
        is_overdue=supporter.id in overdue_ids,
    )


def picture_of(supporters, overdue_ids):
    """The circles picture: up to PICTURE_LIMIT people a circle (those not in touch for a while, then
    by name), and within each circle people who give the same main type sit together."""
    by_circle = {circle: [] for circle in circles.CIRCLES}
    for supporter in supporters:
        by_circle.setdefault(supporter.circle, []).append(supporter)
    order = {kind: index for index, kind in enumerate(SupportType)}
    shown, hidden = {}, {}
    for circle, people in by_circle.items():
        if len(people) > PICTURE_LIMIT:
            people = sorted(people, key=lambda s: (s.id not in overdue_ids, s.name, s.id))[
                : PICTURE_LIMIT - 1
            ]
            hidden[circle] = len(by_circle[circle]) - len(people)
        people = sorted(people, key=lambda s: (order[s.main_support_type], s.name, s.id))
        shown[circle] = [person_dot(supporter, overdue_ids) for supporter in people]
    return circles.picture(shown, hidden)


def network_summary(user, supporters, now):
    due_ids, overdue_ids = due_order(supporters, now)
    return NetworkSummary(
        count=len(supporters),
        type_counts={
            kind.value: sum(1 for supporter in supporters if getattr(supporter, column))
            for kind, column in SUPPORT_TYPE_COLUMNS
        },
        due_ids=due_ids,
        overdue_ids=overdue_ids,
        crisis_ids=[supporter.id for supporter in supporters if supporter.is_crisis_contact],
        circle_counts={
            circle: sum(1 for s in supporters if s.circle == circle) for circle in circles.CIRCLES
        },
        picture=picture_of(supporters, overdue_ids),
        valid_until=next_change_at(user, supporters, now),
    )


def circle_lists(summary):
    """[CircleList, ...] from the inner circle outwards: the picture in words."""
    lists = []
    for circle in Circle:
        people = [dot.item for dot in summary.picture.dots.get(circle.value, []) if dot.item is not None]
        lists.append(
            CircleList(
                circle=circle,
                people=sorted(people, key=lambda person: (person.name, person.id)),
                count=summary.circle_counts.get(circle.value, 0),
                list_url=f"{reverse('contacts:list')}?circle={circle.value}",
            )
        )
    return lists


def overview_of(*, user, now, summary, supporters, due_limit=None):
    """The dashboard from a summary and the rows of (at least) the people it shows in full: the due
    list's first `due_limit` (all if None) and the first CRISIS_SHOWN crisis contacts."""
    by_id = {supporter.id: supporter for supporter in supporters}
    # An id missing from by_id was deleted after the summary was made; its write already moved the key on.
    shown_due = [by_id[pk] for pk in summary.due_ids[:due_limit] if pk in by_id]
    return Overview(
        user=user,
        now=now,
        summary_key=summary.key,
        count=summary.count,
        types=type_summaries(summary.type_counts),
        due=due_entries(shown_due, summary.overdue_ids, now),
        due_count=len(summary.due_ids),
        crisis_contacts=[by_id[pk] for pk in summary.crisis_ids[:CRISIS_SHOWN] if pk in by_id],
        crisis_count=len(summary.crisis_ids),
        picture=summary.picture,
        circle_lists=circle_lists(summary),
        overdue_ids=summary.overdue_ids,
    )


def shown_ids(summary, due_limit=None):
    """The people a page from `summary` shows in full (see overview_of)."""
    return set(summary.due_ids[:due_limit]) | set(summary.crisis_ids[:CRISIS_SHOWN])
