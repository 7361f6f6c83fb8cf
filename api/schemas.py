"""What the API accepts and returns. A supporter's representation is shared with the JSON export
(contacts.schemas.SupporterOut). Input is then checked by the same forms as the pages, so the rules
(and their kind messages) live in one place."""

import datetime
from typing import Annotated, Literal

from pydantic import AfterValidator, AwareDatetime, BaseModel, BeforeValidator, ConfigDict, Field, Strict

from checkins.models import InitiatedBy
from contacts.models import Channel, Circle, Feeling, Rhythm
from contacts.schemas import SupporterOut
from core.support_types import SupportType
from resources.models import Kind

# Ids are PostgreSQL bigints: anything larger is refused as input, never sent to the database.
Id = Annotated[int, Field(ge=1, le=2**63 - 1)]

# In request bodies, a value must have the JSON type the schema gives: no "5" for 5, no 1 for true,
# no number of seconds for a date (pydantic's lax mode would take them).
BodyId = Annotated[int, Strict(), Field(ge=1, le=2**63 - 1)]
StrictBool = Annotated[bool, Strict()]


def _json_string(value):
    if not isinstance(value, str):
        raise ValueError("Give this as a string in ISO 8601 form.")
    return value


def _not_ancient(moment: datetime.datetime) -> datetime.datetime:
    if moment.year < 1900:
        raise ValueError("Choose a time after the year 1900.")
    return moment


def _not_far_future(day: datetime.date) -> datetime.date:
    if day.year > 2999:
        raise ValueError("Choose a date before the year 3000.")
    return day


Moment = Annotated[AwareDatetime, BeforeValidator(_json_string), AfterValidator(_not_ancient)]


def text(limit: int):
    return Annotated[str, Field(max_length=limit)]


class Page(BaseModel):
    next_cursor: str | None = Field(
        description="Pass as `cursor` to get the next page; null on the last page."
    )


class SupporterPage(Page):
    items: list[SupporterOut]


class SupporterIn(BaseModel):
    model_config = ConfigDict(title="SupporterInput", extra="forbid")

    name: text(100)
    relationship: text(100) = ""
    support_types: Annotated[list[SupportType], Field(min_length=1, max_length=5)]
    circle: Circle = Circle.MIDDLE
    feeling: Feeling | Literal[""] = ""
    email: text(254) = ""
    phone: text(30) = ""
    preferred_channel: Channel | Literal[""] = ""
    best_times: text(500) = ""
    rhythm: Rhythm = Rhythm.CIRCLE
    rhythm_days: Annotated[int, Strict(), Field(ge=1, le=365)] | None = Field(
        default=None, description="Days between check-ins; needed when `rhythm` is custom."
    )
    is_crisis_contact: StrictBool = False
    notes: text(5000) = ""


class CheckInOut(BaseModel):
    model_config = ConfigDict(title="CheckIn")

    id: int
    supporter_id: int
    happened_at: datetime.datetime
    channel: Channel
    initiated_by: InitiatedBy
    mood: Annotated[int, Field(ge=1, le=5)] | None
    note: str
    created_at: datetime.datetime

    @classmethod
    def of(cls, check_in):
        return cls(
            id=check_in.pk,
            supporter_id=check_in.supporter_id,
            happened_at=check_in.happened_at,
            channel=check_in.channel,
            initiated_by=check_in.initiated_by,
            mood=check_in.mood,
            note=check_in.note,
            created_at=check_in.created_at,
        )


class CheckInPage(Page):
    items: list[CheckInOut]


class CheckInIn(BaseModel):
    model_config = ConfigDict(title="CheckInInput", extra="forbid")

    supporter_id: BodyId
    happened_at: Moment = Field(description="With its UTC offset; not in the future.")
    channel: Channel
    initiated_by: InitiatedBy = InitiatedBy.ME
    mood: Annotated[int, Field(ge=1, le=5)] | None = Field(
        default=None, description="1 (hard) to 5 (really good)."
    )
    note: text(5000) = ""


class DueOut(BaseModel):
    model_config = ConfigDict(title="DueSupporter")

    supporter: SupporterOut
    state: Literal["due", "overdue"]
    days_since_contact: int
    has_checked_in: bool


class DueList(BaseModel):
    items: list[DueOut]


Weekday = Annotated[int, Strict(), Field(ge=0, le=6, description="Monday is 0.")]


class ReminderPreferencesOut(BaseModel):
    model_config = ConfigDict(title="ReminderPreferences")

    reminders_enabled: bool
    reminder_hour: Annotated[int, Field(ge=0, le=23)]
    reminder_weekdays: list[Weekday]
    reminders_paused_until: datetime.date | None
    next_digest_at: datetime.datetime | None = Field(description="When the next reminder email may go out.")

    @classmethod
    def of(cls, user):
        return cls(
            reminders_enabled=user.reminders_enabled,
            reminder_hour=user.reminder_hour,
            reminder_weekdays=[int(day) for day in user.reminder_weekdays],
            reminders_paused_until=user.reminders_paused_until,
            next_digest_at=user.next_digest_at,
        )


class ReminderPreferencesIn(BaseModel):
    model_config = ConfigDict(title="ReminderPreferencesInput", extra="forbid")

    reminders_enabled: StrictBool
    reminder_hour: Annotated[int, Strict(), Field(ge=0, le=23)]
    reminder_weekdays: Annotated[list[Weekday], Field(max_length=7)]
    reminders_paused_until: (
        Annotated[datetime.date, BeforeValidator(_json_string), AfterValidator(_not_far_future)] | None
    )


class PlanPersonOut(BaseModel):
    step: Literal[3, 4, 5]
    step_title: str
    supporter_id: int
    supporter_name: str
    told_at: datetime.datetime | None


class CrisisPlanOut(BaseModel):
    model_config = ConfigDict(title="CrisisPlan")

    warning_signs: str
    coping_strategies: str
    distraction_places: str
    other_services: str
    safer_surroundings: str
    what_matters_most: str
    people: list[PlanPersonOut]
    created_at: datetime.datetime | None = Field(description="Null until the plan is first saved.")
    updated_at: datetime.datetime | None


class ResourceOut(BaseModel):
    model_config = ConfigDict(title="Resource")

    id: int
    name: str
    kind: Kind
    support_types: list[SupportType]
    country: str = Field(description="ISO 3166 code; empty for a service anyone can use.")
    region: str
    phone: str
    website: str
    opening_hours: str
    description: str
    last_verified_on: datetime.date | None

    @classmethod
    def of(cls, resource):
        return cls(
            id=resource.pk,
            name=resource.name,
            kind=resource.kind,
            support_types=resource.support_types,
            country=str(resource.country or ""),
            region=resource.region,
            phone=resource.phone,
            website=resource.website,
            opening_hours=resource.opening_hours,
            description=resource.description,
            last_verified_on=resource.last_verified_on,
        )


class ResourcePage(Page):
    items: list[ResourceOut]
