"""The ``Idempotency-Key`` header of the API's writes, on top of the one idempotency
store (``maillon.core.idempotency``): a retry with the same key answers with what the
first request made and makes nothing more (a lost answer, a killed worker, two copies
racing: the unique key decides)."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Header
from ninja.errors import HttpError

from maillon.core.idempotency import API_RETRY_SCOPE_PREFIX, MAX_KEY_LENGTH, run_once


def idempotency_key_header(*, required: bool = False, what: str = "object to create"):
    """The header parameter, documented (``required`` ones answer 400 without it)."""
    need = "Required" if required else "Optional"
    return Header(
        None,
        alias="Idempotency-Key",
        description=f"{need}: a unique string per {what}, the same for each retry (at most "
        f"{MAX_KEY_LENGTH} characters), e.g. a UUID. A retry with the same key answers "
        "with what the first request made.",
    )


def checked_key(raw: str | None, *, required: bool = False) -> str:
    """The stripped key; 400 when it is too long, or missing where it is required."""
    key = (raw or "").strip()
    if required and not key:
        raise HttpError(400, _("The Idempotency-Key header is required."))
    if len(key) > MAX_KEY_LENGTH:
        raise HttpError(
            400,
            _("The Idempotency-Key header is at most %(max)s characters long.")
            % {"max": MAX_KEY_LENGTH},
        )
    return key


def create_once(request: HttpRequest, *, scope: str, key: str, create: Callable[[], int]) -> int:
    """Run ``create`` (it returns the id of what it made) at most once per key."""
    response = run_once(
        association=request.association,
        user=request.user,
        scope=f"{API_RETRY_SCOPE_PREFIX}{request.association.pk}:{scope}",
        key=key,
        write=lambda: {"id": create()},
    )
    return response["id"]
