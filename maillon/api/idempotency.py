"""The ``Idempotency-Key`` header of the API's writes, on top of the one idempotency
store (``maillon.core.idempotency``): a retry with the same key answers with what the
first request made and makes nothing more (a lost answer, a killed worker, two copies
racing: the unique key decides). The same key with another body answers 422 (the key
is bound to the body's fingerprint), as the IETF Idempotency-Key draft says."""

from __future__ import annotations

import json
from collections.abc import Callable

from django.http import HttpRequest
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from ninja import Header
from ninja.errors import HttpError

from maillon.core.idempotency import (
    API_RETRY_SCOPE_PREFIX,
    MAX_KEY_LENGTH,
    payload_fingerprint,
    run_once,
)
from maillon.core.text import LINE_TEXT_PATTERN, forbidden_character

from .errors import REQUIRED_IN_SCHEMA


def idempotency_key_header(*, required: bool = False, what: str = "object to create"):
    """The header parameter, documented (``required`` ones answer 400 without it)."""
    need = "Required" if required else "Optional"
    header = Header(
        None,
        alias="Idempotency-Key",
        description=f"{need}: a unique string per {what}, the same for each retry (at most "
        f"{MAX_KEY_LENGTH} characters), e.g. a UUID. A retry with the same key answers "
        "with what the first request made; the same key with another body answers 422.",
    )
    # Validated by ``checked_key`` (400 when missing or too long), documented here.
    header.json_schema_extra.update({"maxLength": MAX_KEY_LENGTH, "pattern": LINE_TEXT_PATTERN})
    if required:
        header.json_schema_extra.update({REQUIRED_IN_SCHEMA: True, "minLength": 1})
    return header


def checked_key(raw: str | None, *, required: bool = False) -> str:
    """The stripped key; 400 when it is too long, holds a control character, or is
    missing where it is required."""
    key = (raw or "").strip()
    if required and not key:
        raise HttpError(400, _("The Idempotency-Key header is required."))
    character = forbidden_character(key, multiline=False)
    if character is not None:
        raise HttpError(
            400,
            _("The Idempotency-Key header contains a control character (%(code)s).")
            % {"code": f"U+{ord(character):04X}"},
        )
    if len(key) > MAX_KEY_LENGTH:
        raise HttpError(
            400,
            ngettext(
                "The Idempotency-Key header is at most %(max)s character long.",
                "The Idempotency-Key header is at most %(max)s characters long.",
                MAX_KEY_LENGTH,
            )
            % {"max": MAX_KEY_LENGTH},
        )
    return key


def request_fingerprint(request: HttpRequest) -> str:
    """The fingerprint of the request's JSON body, whatever its spacing or the order
    of its keys (the raw bytes' when it is not JSON)."""
    try:
        payload = json.loads(request.body) if request.body else None
    except ValueError:
        payload = request.body.hex()
    return payload_fingerprint(payload)


def create_once(request: HttpRequest, *, scope: str, key: str, create: Callable[[], int]) -> int:
    """Run ``create`` (it returns the id of what it made) at most once per key. The
    same key with another body raises ``KeyReused`` (422)."""
    response = run_once(
        association=request.association,
        user=request.user,
        scope=f"{API_RETRY_SCOPE_PREFIX}{request.association.pk}:{scope}",
        key=key,
        write=lambda: {"id": create()},
        fingerprint=request_fingerprint(request),
    )
    return response["id"]
