"""The one representation of a supporter outside the pages: the API's responses and the JSON export
both serialise a supporter through `SupporterOut`, so the two cannot drift apart."""

import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from contacts.models import Channel, Circle, Feeling, Rhythm, Supporter
from core.support_types import SupportType


class SupporterOut(BaseModel):
    """A supporter as their owner sees them, private notes and best times included (owners only)."""

    model_config = ConfigDict(title="Supporter")

    id: int
    name: str
    relationship: str
    support_types: list[SupportType] = Field(min_length=1)
    circle: Circle
    # "" when not given, as stored and as the forms and the export have always said it.
    feeling: Feeling | Literal[""]
    email: str
    phone: str
    preferred_channel: Channel | Literal[""]
    best_times: str
    rhythm: Rhythm
    rhythm_days: int | None
    is_crisis_contact: bool
    notes: str
    is_archived: bool
    last_check_in_at: datetime.datetime | None
    next_check_in_at: datetime.datetime | None
    snoozed_until: datetime.datetime | None
    created_at: datetime.datetime
    updated_at: datetime.datetime

    @classmethod
    def of(cls, supporter: Supporter) -> "SupporterOut":
        return cls(
            id=supporter.pk,
            name=supporter.name,
            relationship=supporter.relationship,
            support_types=supporter.support_types,
            circle=supporter.circle,
            feeling=supporter.feeling,
            email=supporter.email,
            phone=supporter.phone,
            preferred_channel=supporter.preferred_channel,
            best_times=supporter.best_times,
            rhythm=supporter.rhythm,
            rhythm_days=supporter.rhythm_days,
            is_crisis_contact=supporter.is_crisis_contact,
            notes=supporter.notes,
            is_archived=supporter.is_archived,
            last_check_in_at=supporter.last_check_in_at,
            next_check_in_at=supporter.next_check_in_at,
            snoozed_until=supporter.snoozed_until,
            created_at=supporter.created_at,
            updated_at=supporter.updated_at,
        )


def supporter_as_json(supporter: Supporter) -> dict:
    """A supporter as JSON-ready values (ISO 8601 times), exactly as the API returns them."""
    return SupporterOut.of(supporter).model_dump(mode="json")
