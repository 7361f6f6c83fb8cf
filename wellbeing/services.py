"""Actions on the crisis plan and the self-check, and what other apps may call.

For the export: `export_for(user=...)` returns plain dicts and lists (JSON ready); deleting the user
cascades to everything this app stores for them. For the daily digest: `self_check_is_due(user=..., now=...)`.
"""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.db.models import Count, Prefetch
from django.db.models.functions import TruncMonth
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext

from checkins.hooks import Nudge
from checkins.models import CheckIn
from contacts.models import Supporter
from resources.directory import crisis_lines_for
from wellbeing.models import LSNS_FIELDS, UCLA_FIELDS, PlanPerson, PlanStep, SafetyPlan, SelfCheck
from wellbeing.steps import STEPS, WHAT_MATTERS_MOST

# --- Crisis plan -------------------------------------------------------------------------------


def plan_for(*, user):
    """The person's plan with its people and their supporters loaded (two queries), or None."""
    people = PlanPerson.objects.filter(supporter__is_archived=False).select_related("supporter")
    return SafetyPlan.objects.prefetch_related(Prefetch("people", queryset=people)).filter(owner=user).first()


@transaction.atomic
def plan_update(*, user, texts, people_by_step):
    """Save the person's own words and who is in steps 3 to 5, keeping when they told each person."""
    plan, _ = SafetyPlan.objects.get_or_create(owner=user)
    for name, value in texts.items():
        setattr(plan, name, value)
    plan.save()
    for step, supporters in people_by_step.items():
        if any(supporter.owner_id != user.pk for supporter in supporters):
            raise ValueError("A plan can only name the owner's own supporters.")
        wanted = {supporter.pk for supporter in supporters}
        plan.people.filter(step=step).exclude(supporter_id__in=wanted).delete()
        existing = set(plan.people.filter(step=step).values_list("supporter_id", flat=True))
        PlanPerson.objects.bulk_create(
            PlanPerson(plan=plan, supporter_id=supporter_id, step=step) for supporter_id in wanted - existing
        )
    return plan


def plan_person_for(*, user, plan_person_id):
    """One step-4 person on the user's own plan, or 404."""
    return get_object_or_404(
        PlanPerson.objects.select_related("supporter"),
        pk=plan_person_id,
        plan__owner=user,
        step=PlanStep.HELP,
    )


def plan_person_mark_told(*, plan_person, told, now):
    """Record that the person told this supporter they are on the plan (or undo it)."""
    plan_person.told_at = now if told else None
    plan_person.save(update_fields=["told_at"])
    return plan_person


@dataclass
class PlanSection:
    number: int
    title: str
    guidance: str
    own_words: str
    people: list


def plan_sections(plan):
    """The plan as six sections plus "what matters most", for the page, the text and the PDF."""
    sections = []
    for step in [*STEPS, WHAT_MATTERS_MOST]:
        own_words = getattr(plan, step.own_words_field, "") if plan and step.own_words_field else ""
        people = plan.people_in_step(step.people_step) if plan and step.people_step else []
        sections.append(PlanSection(step.number, step.title, step.guidance, own_words.strip(), people))
    return sections


def directory_crisis_lines(*, user):
    """Published crisis lines from the moderated resource directory: the person's country first,
    then those that answer everywhere."""
    return crisis_lines_for(country=user.country)


def crisis_contacts(*, user):
    """Supporters the person marked as someone they can reach in a crisis."""
    return list(Supporter.objects.for_owner(user).active().filter(is_crisis_contact=True))


# --- Self-check --------------------------------------------------------------------------------


def month_on(*, user, now):
    """The first day of the month that `now` falls in, in the person's own time zone."""
    return timezone.localtime(now, user.zone).date().replace(day=1)


def self_check_this_month(*, user, now):
    return SelfCheck.objects.filter(owner=user, month_on=month_on(user=user, now=now)).first()


def self_check_is_due(*, user, now):
    """True when the person has not taken this month's self-check (for an optional digest line)."""
    return not SelfCheck.objects.filter(owner=user, month_on=month_on(user=user, now=now)).exists()


def self_check_record(*, user, answers, now):
    """Store this month's answers. Taking it again in the same month replaces that month's answers."""
    for name in UCLA_FIELDS:
        if answers[name] not in (1, 2, 3):
            raise ValueError(f"{name} must be 1, 2 or 3.")
    for name in LSNS_FIELDS:
        if answers[name] not in range(6):
            raise ValueError(f"{name} must be between 0 and 5.")
    self_check, _ = SelfCheck.objects.update_or_create(
        owner=user,
        month_on=month_on(user=user, now=now),
        defaults={**{name: answers[name] for name in UCLA_FIELDS + LSNS_FIELDS}, "taken_at": now},
    )
    self_check.refresh_from_db(fields=["ucla_score", "lsns_score"])
    return self_check


def months_back(first_of_month, count):
    """`count` first-of-month dates ending with `first_of_month`, oldest first."""
    months = []
    year, month = first_of_month.year, first_of_month.month
    for _ in range(count):
        months.append(datetime.date(year, month, 1))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return months[::-1]


@dataclass
class MonthRow:
    month_on: datetime.date
    ucla_score: int | None
    lsns_score: int | None
    people_in_touch: int
    check_ins: int


def history_for(*, user, now, months=12):
    """One row per month for the last `months` months: self-check scores beside the network's activity.

    Two queries whatever the history's length: the self-checks, and one aggregate over check-ins.
    "People in touch" counts the distinct supporters the person checked in with that month.
    """
    month_starts = months_back(month_on(user=user, now=now), months)
    zone = user.zone
    since = datetime.datetime.combine(month_starts[0], datetime.time.min, tzinfo=zone)
    scores = {
        row["month_on"]: row
        for row in SelfCheck.objects.filter(owner=user, month_on__gte=month_starts[0]).values(
            "month_on", "ucla_score", "lsns_score"
        )
    }
    activity = {
        row["month"].date(): row
        for row in CheckIn.objects.filter(owner=user, happened_at__gte=since)
        .annotate(month=TruncMonth("happened_at", tzinfo=zone))
        .values("month")
        .annotate(check_ins=Count("id"), people=Count("supporter", distinct=True))
        .order_by()
    }
    return [
        MonthRow(
            month_on=start,
            ucla_score=scores.get(start, {}).get("ucla_score"),
            lsns_score=scores.get(start, {}).get("lsns_score"),
            people_in_touch=activity.get(start, {}).get("people", 0),
            check_ins=activity.get(start, {}).get("check_ins", 0),
        )
        for start in month_starts
    ]


# --- Export and deletion -----------------------------------------------------------------------


def export_for(*, user):
    """Everything this app stores about the person, as plain dicts and lists (JSON ready)."""
    plan = plan_for(user=user)
    plan_data = None
    if plan:
        plan_data = {
            **{name: getattr(plan, name) for name in SafetyPlan.OWN_WORDS_FIELDS},
            "created_at": plan.created_at.isoformat(),
            "updated_at": plan.updated_at.isoformat(),
            "people": [
                {
                    "step": person.step,
                    "step_title": str(PlanStep(person.step).label),
                    "supporter_id": person.supporter_id,
                    "supporter_name": person.supporter.name,
                    "told_at": person.told_at.isoformat() if person.told_at else None,
                }
                for person in PlanPerson.objects.filter(plan=plan).select_related("supporter")
            ],
        }
    self_checks = [
        {
            "month": self_check.month_on.isoformat(),
            "taken_at": self_check.taken_at.isoformat(),
            "answers": {name: getattr(self_check, name) for name in UCLA_FIELDS + LSNS_FIELDS},
            "ucla_loneliness_score": self_check.ucla_score,
            "lsns6_score": self_check.lsns_score,
        }
        for self_check in SelfCheck.objects.filter(owner=user)
    ]
    return {"crisis_plan": plan_data, "self_checks": self_checks}


def self_check_nudge(*, user, now):
    """The daily reminder's line about this month's self-check, for those who asked for it."""
    if not user.reminder_self_check or not self_check_is_due(user=user, now=now):
        return None
    return Nudge(
        text=gettext("This month's self-check is waiting, whenever you like."),
        url=f"{settings.SITE_URL}{reverse('wellbeing:self_check')}",
    )
