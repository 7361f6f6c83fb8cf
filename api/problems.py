"""Errors as RFC 9457 problem details (application/problem+json), for every API error response."""

import json
from http import HTTPStatus

from django.http import HttpResponse
from pydantic import BaseModel, ConfigDict

MEDIA_TYPE = "application/problem+json"


class FieldError(BaseModel):
    field: str
    message: str


class Problem(BaseModel):
    """RFC 9457 problem details. `errors` (an extension member) lists what was wrong with the input."""

    model_config = ConfigDict(title="Problem")

    type: str = "about:blank"
    title: str
    status: int
    detail: str
    errors: list[FieldError] | None = None


def problem(status: int, detail: str, *, errors=None, headers=None) -> HttpResponse:
    body = Problem(title=HTTPStatus(status).phrase, status=status, detail=detail, errors=errors)
    response = HttpResponse(
        json.dumps(body.model_dump(mode="json", exclude_none=True)), status=status, content_type=MEDIA_TYPE
    )
    for name, value in (headers or {}).items():
        response[name] = value
    return response


def form_errors(form) -> list[FieldError]:
    """A Django form's errors, one entry per message; errors of the whole form have field "" ."""
    return [
        FieldError(field="" if field == "__all__" else field, message=error["message"])
        for field, field_errors in form.errors.get_json_data().items()
        for error in field_errors
    ]


def validation_errors(errors) -> list[FieldError]:
    """Pydantic's errors, without echoing back what was sent (it may be large, or private)."""
    return [
        FieldError(
            field=".".join(str(part) for part in error.get("loc", ()) if part not in ("body", "payload")),
            message=error.get("msg", "Invalid value."),
        )
        for error in errors
    ]
