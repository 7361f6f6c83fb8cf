"""The JSON API, version 1: the signed-in person's own data, under /api/v1/.

Every object is read through the caller's own querysets, so another person's object is a 404.
Writes go through the same forms as the pages (the rules and their messages) and then the same
services (so due moments are recomputed, archive and delete do what the pages do).
"""

import datetime
from typing import Annotated

import pydantic_core
from django.core.exceptions import RequestDataTooBig
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from ninja import NinjaAPI, PatchDict, Status
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.renderers import BaseRenderer
from pydantic import Field

from api import cursors
from api.auth import BodyTooLarge, SessionAuth, TokenAuth, TooManyRequests, caller_of
from api.problems import MEDIA_TYPE, Problem, form_errors, problem, validation_errors
from api.schemas import (
    CheckInIn,
    CheckInOut,
    CheckInPage,
    CrisisPlanOut,
    DueList,
    DueOut,
    Id,
    PlanPersonOut,
    ReminderPreferencesIn,
    ReminderPreferencesOut,
    ResourceOut,
    ResourcePage,
    SupporterIn,
    SupporterPage,
)
from checkins.due import DueState, due_supporters, supporter_days_since_contact, supporter_due_state
from checkins.forms import CheckInForm, ReminderPreferencesForm
from checkins.models import CheckIn
from checkins.services import check_ins, schedule
from contacts import services as contacts_services
from contacts.forms import SupporterFilterForm, SupporterForm
from contacts.models import Circle, Supporter
from contacts.schemas import SupporterOut
from core.support_types import SupportType
from resources.models import Kind, Resource
from wellbeing.models import PlanStep, SafetyPlan
from wellbeing.services import plan_for

DEFAULT_PAGE_SIZE = 50
MAX_PAGE_SIZE = 500
# Every error an operation can answer with, documented on each one as problem details.
PROBLEM_STATUSES = {
    400: "The request could not be read (for example, a cursor we did not give out).",
    401: "No valid token or session. Send `Authorization: Bearer <token>`.",
    403: "The token can only read, or the CSRF token is missing.",
    404: "Nothing of yours has this id.",
    413: "The request body is too large.",
    422: "Some values are not acceptable; `errors` says which and why.",
    429: "Too many requests for this token; wait `Retry-After` seconds.",
}
Limit = Annotated[int, Field(ge=1, le=MAX_PAGE_SIZE)]
Cursor = Annotated[str, Field(max_length=600)]


class JSONRenderer(BaseRenderer):
    """Serialised by pydantic, exactly as the JSON export serialises the same schemas."""

    media_type = "application/json"

    def render(self, request, data, *, response_status):
        return pydantic_core.to_json(data)


class InvalidForm(Exception):
    def __init__(self, form):
        self.form = form
        super().__init__(form.errors)


class SupportNetAPI(NinjaAPI):
    def create_response(self, request, data, *, status=None, temporal_response=None):
        response = super().create_response(request, data, status=status, temporal_response=temporal_response)
        add_never_cache_headers(response)  # Private data: never kept by a browser or a proxy.
        return response

    def get_openapi_schema(self, *, path_prefix=None, path_params=None):
        schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        problem_schema = Problem.model_json_schema(ref_template="#/components/schemas/{model}")
        schema["components"].setdefault("schemas", {})["Problem"] = problem_schema
        for defs_name, definition in problem_schema.pop("$defs", {}).items():
            schema["components"]["schemas"][defs_name] = definition
        for operations in schema["paths"].values():
            for operation in operations.values():
                for status, description in PROBLEM_STATUSES.items():
                    operation["responses"][status] = {
                        "description": description,
                        "content": {MEDIA_TYPE: {"schema": {"$ref": "#/components/schemas/Problem"}}},
                    }
        return schema


api = SupportNetAPI(
    title="SupportNet API",
    version="1",
    description=(
        "Your own SupportNet data: supporters, check-ins, who is due, reminder preferences, your "
        "crisis plan and the directory. Authenticate with a personal access token from your account "
        "page (`Authorization: Bearer <token>`), or from our own pages with your session and the "
        "CSRF token. Lists are paged with cursors; errors are RFC 9457 problem details."
    ),
    urls_namespace="api",
    docs_url=None,
    auth=[TokenAuth(), SessionAuth()],
    renderer=JSONRenderer(),
)


# --- Errors ------------------------------------------------------------------------------------


@api.exception_handler(NinjaValidationError)
def invalid_input(request, exc):
    return problem(422, "Some values are not acceptable.", errors=validation_errors(exc.errors))


@api.exception_handler(InvalidForm)
def invalid_form(request, exc):
    return problem(422, "Some values are not acceptable.", errors=form_errors(exc.form))


@api.exception_handler(DjangoValidationError)
def invalid_model(request, exc):
    return problem(422, " ".join(exc.messages))


@api.exception_handler(AuthenticationError)
def unauthenticated(request, exc):
    return problem(
        401,
        "Send a personal access token: `Authorization: Bearer <token>`. It may have expired or been revoked.",
        headers={"WWW-Authenticate": 'Bearer realm="SupportNet API"'},
    )


@api.exception_handler(HttpError)
def http_error(request, exc):
    return problem(exc.status_code, str(exc))


@api.exception_handler(Http404)
def not_found(request, exc):
    return problem(404, "Nothing of yours has this id.")


@api.exception_handler(cursors.BadCursor)
def bad_cursor(request, exc):
    return problem(400, "This cursor is not one we gave out. Start again without it.")


@api.exception_handler(TooManyRequests)
def too_many_requests(request, exc):
    return problem(
        429,
        "Too many requests for this token. Please wait a little.",
        headers={"Retry-After": str(exc.retry_after)},
    )


@api.exception_handler(BodyTooLarge)
@api.exception_handler(RequestDataTooBig)
def body_too_large(request, exc):
    return problem(413, "The request body is too large.")


# --- Supporters --------------------------------------------------------------------------------


def own_supporter(request, supporter_id):
    return get_object_or_404(Supporter.objects.for_owner(caller_of(request)), pk=supporter_id)


def supporter_response(supporter):
    """The supporter as stored now: services may have recomputed their due moments meanwhile."""
    supporter.refresh_from_db()
    return SupporterOut.of(supporter)


@api.get("/supporters", response=SupporterPage, tags=["Supporters"])
def supporter_list(
    request,
    q: Annotated[str, Field(max_length=100, description="Part of a name or relationship.")] = "",
    type: SupportType | None = None,
    circle: Circle | None = None,
    archived: Annotated[bool, Field(description="Include archived people.")] = False,
    cursor: Cursor | None = None,
    limit: Limit = DEFAULT_PAGE_SIZE,
):
    """Your supporters by name, filtered like the supporters page."""
    filters = SupporterFilterForm({"q": q, "type": type or "", "circle": circle or "", "archived": archived})
    if not filters.is_valid():
        raise InvalidForm(filters)
    supporters = filters.filter(Supporter.objects.for_owner(caller_of(request)))
    rows, next_cursor = cursors.page(supporters, cursor=cursor, limit=limit, field="name", types=(str, int))
    return {"items": [SupporterOut.of(supporter) for supporter in rows], "next_cursor": next_cursor}


@api.post("/supporters", response={201: SupporterOut}, tags=["Supporters"])
def supporter_create(request, payload: SupporterIn):
    owner = caller_of(request)
    form = SupporterForm(payload.model_dump(mode="json"), owner=owner)
    if not form.is_valid():
        raise InvalidForm(form)
    return Status(
        201, supporter_response(contacts_services.supporter_create(owner=owner, **form.cleaned_data))
    )


@api.get("/supporters/{supporter_id}", response=SupporterOut, tags=["Supporters"])
def supporter_read(request, supporter_id: Id):
    return SupporterOut.of(own_supporter(request, supporter_id))


@api.patch("/supporters/{supporter_id}", response=SupporterOut, tags=["Supporters"])
def supporter_update(request, supporter_id: Id, payload: PatchDict[SupporterIn]):
    """Change some fields; the ones you leave out keep their values."""
    supporter = own_supporter(request, supporter_id)
    form = SupporterForm({**SupporterForm.initial_for(supporter), **payload}, owner=caller_of(request))
    if not form.is_valid():
        raise InvalidForm(form)
    return supporter_response(contacts_services.supporter_update(supporter=supporter, **form.cleaned_data))


@api.post("/supporters/{supporter_id}/archive", response=SupporterOut, tags=["Supporters"])
def supporter_archive(request, supporter_id: Id):
    """Hide from the list and from reminders, keeping everything about them."""
    supporter = contacts_services.supporter_archive(supporter=own_supporter(request, supporter_id))
    return supporter_response(supporter)


@api.post("/supporters/{supporter_id}/unarchive", response=SupporterOut, tags=["Supporters"])
def supporter_unarchive(request, supporter_id: Id):
    supporter = contacts_services.supporter_unarchive(supporter=own_supporter(request, supporter_id))
    return supporter_response(supporter)


@api.delete("/supporters/{supporter_id}", response={204: None}, tags=["Supporters"])
def supporter_delete(request, supporter_id: Id):
    """Delete for good, with their check-ins."""
    contacts_services.supporter_delete(supporter=own_supporter(request, supporter_id))
    return Status(204, None)


# --- Check-ins ---------------------------------------------------------------------------------


def own_check_in(request, check_in_id):
    return get_object_or_404(
        CheckIn.objects.filter(owner=caller_of(request)).select_related("supporter__owner"), pk=check_in_id
    )


def check_in_form_data(check_in):
    return {
        "supporter": check_in.supporter_id,
        "happened_at": check_in.happened_at,
        "channel": check_in.channel,
        "initiated_by": check_in.initiated_by,
        "mood": check_in.mood,
        "note": check_in.note,
    }


def check_in_form_changes(fields: dict) -> dict:
    """The API's field names and values, as the check-in form reads them."""
    changes = dict(fields)
    if "supporter_id" in changes:
        changes["supporter"] = changes.pop("supporter_id")
    if "mood" in changes and changes["mood"] is None:
        changes["mood"] = ""
    return changes


@api.get("/check-ins", response=CheckInPage, tags=["Check-ins"])
def check_in_list(
    request, supporter_id: Id | None = None, cursor: Cursor | None = None, limit: Limit = DEFAULT_PAGE_SIZE
):
    """Your check-ins, newest first."""
    check_ins = CheckIn.objects.filter(owner=caller_of(request))
    if supporter_id is not None:
        check_ins = check_ins.filter(supporter_id=supporter_id)
    rows, next_cursor = cursors.page(
        check_ins,
        cursor=cursor,
        limit=limit,
        field="happened_at",
        types=(datetime.datetime, int),
        descending=True,
    )
    return {"items": [CheckInOut.of(check_in) for check_in in rows], "next_cursor": next_cursor}


@api.post("/check-ins", response={201: CheckInOut}, tags=["Check-ins"])
def check_in_create(request, payload: CheckInIn):
    """Log a check-in; the supporter's next due moment moves on, as on the pages."""
    owner = caller_of(request)
    form = CheckInForm(check_in_form_changes(payload.model_dump()), owner=owner)
    if not form.is_valid():
        raise InvalidForm(form)
    return Status(201, CheckInOut.of(check_ins.check_in_log(owner=owner, **form.cleaned_data)))


@api.get("/check-ins/{check_in_id}", response=CheckInOut, tags=["Check-ins"])
def check_in_read(request, check_in_id: Id):
    return CheckInOut.of(own_check_in(request, check_in_id))


@api.patch("/check-ins/{check_in_id}", response=CheckInOut, tags=["Check-ins"])
def check_in_update(request, check_in_id: Id, payload: PatchDict[CheckInIn]):
    check_in = own_check_in(request, check_in_id)
    previous_supporter = check_in.supporter
    data = {**check_in_form_data(check_in), **check_in_form_changes(payload)}
    form = CheckInForm(data, instance=check_in, owner=caller_of(request))
    if not form.is_valid():
        raise InvalidForm(form)
    check_in = check_ins.check_in_update(check_in=form.instance, previous_supporter=previous_supporter)
    return CheckInOut.of(check_in)


@api.delete("/check-ins/{check_in_id}", response={204: None}, tags=["Check-ins"])
def check_in_delete(request, check_in_id: Id):
    check_ins.check_in_delete(check_in=own_check_in(request, check_in_id))
    return Status(204, None)


# --- Due, reminders, crisis plan, directory ----------------------------------------------------


@api.get("/due", response=DueList, tags=["Due"])
def due_list(request):
    """Who is due or overdue for a check-in now, longest waiting first (the dashboard's rules)."""
    now = timezone.now()
    items = []
    for supporter in due_supporters(user=caller_of(request), now=now):
        state = supporter_due_state(supporter, now=now)
        items.append(
            DueOut(
                supporter=SupporterOut.of(supporter),
                state="overdue" if state == DueState.OVERDUE else "due",
                days_since_contact=supporter_days_since_contact(supporter, now=now),
                has_checked_in=supporter.last_check_in_at is not None,
            )
        )
    return {"items": items}


@api.get("/reminder-preferences", response=ReminderPreferencesOut, tags=["Reminders"])
def reminder_preferences_read(request):
    return ReminderPreferencesOut.of(caller_of(request))


@api.put("/reminder-preferences", response=ReminderPreferencesOut, tags=["Reminders"])
def reminder_preferences_update(request, payload: ReminderPreferencesIn):
    """Replace your reminder preferences; the next reminder email is rescheduled at once."""
    user = caller_of(request)
    data = payload.model_dump()
    data["reminder_weekdays"] = [str(day) for day in data["reminder_weekdays"]]
    form = ReminderPreferencesForm(data, instance=user)
    if not form.is_valid():
        raise InvalidForm(form)
    schedule.reminder_preferences_update(user=user, now=timezone.now(), **form.cleaned_data)
    user.refresh_from_db()
    return ReminderPreferencesOut.of(user)


@api.get("/crisis-plan", response=CrisisPlanOut, tags=["Crisis plan"])
def crisis_plan_read(request):
    """Your crisis plan, with the people named in it. Empty until you first save it."""
    plan = plan_for(user=caller_of(request))
    texts = {name: getattr(plan, name) if plan else "" for name in SafetyPlan.OWN_WORDS_FIELDS}
    people = [
        PlanPersonOut(
            step=person.step,
            step_title=str(PlanStep(person.step).label),
            supporter_id=person.supporter_id,
            supporter_name=person.supporter.name,
            told_at=person.told_at,
        )
        for person in (plan.people.all() if plan else [])
    ]
    return CrisisPlanOut(
        **texts,
        people=people,
        created_at=plan.created_at if plan else None,
        updated_at=plan.updated_at if plan else None,
    )


@api.get("/directory", response=ResourcePage, tags=["Directory"])
def directory_list(
    request,
    country: Annotated[str, Field(pattern=r"^[A-Z]{2}$", description="ISO 3166 code.")] | None = None,
    type: SupportType | None = None,
    kind: Kind | None = None,
    cursor: Cursor | None = None,
    limit: Limit = DEFAULT_PAGE_SIZE,
):
    """The published directory of help: for `country` (default: yours) and everywhere, by name."""
    resources = Resource.objects.published().for_country(country or caller_of(request).country)
    if type:
        resources = resources.offering(type)
    if kind:
        resources = resources.filter(kind=kind)
    rows, next_cursor = cursors.page(resources, cursor=cursor, limit=limit, field="name", types=(str, int))
    return {"items": [ResourceOut.of(resource) for resource in rows], "next_cursor": next_cursor}
