"""The API's error answers, declared once: which statuses an operation documents, and
how a service's refusal becomes a response."""

from __future__ import annotations

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from ninja.errors import HttpError

from .schemas.common import ErrorOut, ValidationErrorOut

#: Every operation under /associations/{slug}/: no token, a missing permission,
#: outside the caller's reach (or a module switched off).
READ_ERRORS = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut}
#: Writes: a bad header (400) or invalid data (422) as well.
WRITE_ERRORS = {**READ_ERRORS, 400: ErrorOut, 422: ValidationErrorOut}
#: A step of a lifecycle the object's state refuses (publish a closed mission).
STEP_ERRORS = {**READ_ERRORS, 409: ErrorOut}


def refusal_detail(error: ValidationError) -> str:
    return " ".join(str(message) for message in error.messages)


def conflict(error: ValidationError) -> HttpError:
    """A step refused by the object's state: 409 with the service's message."""
    return HttpError(409, refusal_detail(error))


def field_errors(error: ValidationError, *, location: str = "body") -> list[dict]:
    """A ``ValidationError`` as the entries of a 422's ``detail``, in the shape of
    ninja's own 422s (the body parameter is always called ``payload``)."""
    if hasattr(error, "error_dict"):
        pairs = [
            (field, message)
            for field, messages in error.message_dict.items()
            for message in messages
        ]
    else:
        pairs = [(NON_FIELD_ERRORS, message) for message in error.messages]
    prefix = ["body", "payload"] if location == "body" else [location]
    return [
        {"loc": [*prefix, field], "msg": str(message), "type": "validation_error"}
        for field, message in pairs
    ]
