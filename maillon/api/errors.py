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


#: Marks a parameter the operation needs though the input layer lets it through, to
#: answer it with a message of its own (a missing ``Idempotency-Key`` is a 400, as the
#: IETF draft says, not a 422): ``document_input_errors`` publishes it as required.
REQUIRED_IN_SCHEMA = "x-maillon-required"


def document_input_errors(schema: dict) -> dict:
    """Complete the OpenAPI ``schema`` with what the input layer answers before any
    operation runs, so that each operation documents it:

    - 422 (``ValidationErrorOut``) for every operation with a parameter the input layer
      validates (an id, a query parameter, a header) or a body;
    - 400 for every operation with a body (not JSON) or a header (refused key);
    - ``required`` for the parameters marked ``REQUIRED_IN_SCHEMA``; a header is a
      string (ninja documents an optional one as ``string`` or ``null``)."""
    error_ref = {"$ref": "#/components/schemas/ErrorOut"}
    validation_ref = {"$ref": "#/components/schemas/ValidationErrorOut"}
    for methods in schema["paths"].values():
        for operation in methods.values():
            responses = operation["responses"]
            parameters = operation.get("parameters", [])
            for parameter in parameters:
                if parameter["in"] == "header":
                    _a_string(parameter["schema"])
                if parameter["schema"].pop(REQUIRED_IN_SCHEMA, False):
                    parameter["required"] = True
            validated = [p for p in parameters if p["schema"].get("type") != "string"]
            validated += [p for p in parameters if p["in"] in ("query", "header")]
            has_body = "requestBody" in operation
            if validated or has_body:
                responses.setdefault(422, _described("Invalid data.", validation_ref))
            if has_body or any(p["in"] == "header" for p in parameters):
                responses.setdefault(400, _described("Bad request.", error_ref))
    return schema


def _a_string(schema: dict) -> None:
    """A header is absent or a string, never null: ``str | None`` becomes ``string``."""
    variants = schema.pop("anyOf", None)
    if variants:
        schema.update(next(v for v in variants if v.get("type") == "string"))


def _described(description: str, ref: dict) -> dict:
    return {"description": description, "content": {"application/json": {"schema": ref}}}


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
