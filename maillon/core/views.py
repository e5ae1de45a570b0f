"""Views of the bottom layer, and the one way a view turns a service's refusal into a
message for the person who clicked."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.shortcuts import render
from django.views.decorators.http import require_safe


def refusal_text(error: ValidationError) -> str:
    """A service's refusal as one sentence per message, for a flash or a form."""
    return " ".join(str(message) for message in error.messages)


def flash_refusal(request: HttpRequest, error: ValidationError) -> None:
    messages.error(request, refusal_text(error))


@dataclass(frozen=True)
class Outcome:
    """What ``run_service`` did: ``ok`` is false when the service refused (its
    message is already flashed); ``value`` is what the service returned."""

    ok: bool
    value: Any = None


def run_service(
    request: HttpRequest, service: Callable[..., Any], /, *, success: str = "", **kwargs: Any
) -> Outcome:
    """Call ``service(association=request.association, actor=request.user, **kwargs)``
    for a button of the back-office: flash ``success`` when it ran, its refusal
    (``ValidationError``) when it did not. Permission and not-found errors go up."""
    try:
        value = service(association=request.association, actor=request.user, **kwargs)
    except ValidationError as error:
        flash_refusal(request, error)
        return Outcome(ok=False)
    if success:
        messages.success(request, success)
    return Outcome(ok=True, value=value)


@require_safe
def privacy_register(request):
    return render(request, "core/privacy.html")
