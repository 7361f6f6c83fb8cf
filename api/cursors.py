"""Stable cursor pagination: a cursor names the last row seen by its sort key, so rows added or
removed meanwhile never shift a page (unlike page numbers or offsets)."""

import base64
import binascii
import datetime
import json

from django.db.models import Q


class BadCursor(ValueError):
    pass


def encode(*values) -> str:
    return base64.urlsafe_b64encode(json.dumps(values, separators=(",", ":")).encode()).decode().rstrip("=")


def decode(cursor: str, types: tuple) -> list:
    """The cursor's values, checked against `types` (str, int or datetime); BadCursor otherwise."""
    try:
        values = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
        if not isinstance(values, list) or len(values) != len(types):
            raise BadCursor
        decoded = []
        for value, kind in zip(values, types, strict=True):
            if kind is datetime.datetime:
                value = datetime.datetime.fromisoformat(value)
                if value.tzinfo is None:
                    raise BadCursor
            elif (
                type(value) is not kind
                or (kind is int and not 0 < value < 2**63)
                or (kind is str and "\x00" in value)
            ):
                raise BadCursor
            decoded.append(value)
        return decoded
    except (ValueError, TypeError, binascii.Error, UnicodeDecodeError) as error:
        raise BadCursor("This cursor is not one we gave out. Start again without it.") from error


def page(queryset, *, cursor: str | None, limit: int, field: str, types: tuple, descending=False):
    """One page of `queryset` (ordered by `field`, then id) after `cursor`, and the next page's cursor."""
    if cursor:
        value, pk = decode(cursor, types)
        after = "lt" if descending else "gt"
        queryset = queryset.filter(
            Q(**{f"{field}__{after}": value}) | Q(**{field: value, f"pk__{after}": pk})
        )
    order = [f"-{field}", "-pk"] if descending else [field, "pk"]
    rows = list(queryset.order_by(*order)[: limit + 1])
    next_cursor = None
    if len(rows) > limit:
        rows = rows[:limit]
        last = getattr(rows[-1], field)
        next_cursor = encode(last.isoformat() if isinstance(last, datetime.datetime) else last, rows[-1].pk)
    return rows, next_cursor
