"""Views of the bottom layer, and the one way a view turns a service's refusal into a
message for the person who clicked."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import DatabaseError, connection
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from .forms import add_validation_error


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


def submit_form(
    request: HttpRequest, form: Any, service: Callable[..., Any], /, *, success: str, **kwargs: Any
) -> Outcome:
    """For a posted form whose data a service writes: when the form is valid, call
    ``service(**kwargs, **form.cleaned_data)``; flash ``success`` when it ran, put its
    refusal (``ValidationError``) on the form when it did not."""
    if request.method != "POST" or not form.is_valid():
        return Outcome(ok=False)
    try:
        value = service(**kwargs, **form.cleaned_data)
    except ValidationError as error:
        add_validation_error(form, error)
        return Outcome(ok=False)
    messages.success(request, success)
    return Outcome(ok=True, value=value)


@require_safe
def privacy_register(request):
    return render(request, "core/privacy.html")


HEALTH_CACHE_KEY = "health:probe"


@never_cache
@require_safe
def health(request):
    """``/healthz``, for the reverse proxy's health checks and for monitoring: 200 when
    this server reaches its database and its cache (with Redis: the sessions, the
    login limits and the task queue), 503 otherwise. Plain text, nothing else."""
    failing = []
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError:
        failing.append("database")
    try:
        cache.set(HEALTH_CACHE_KEY, "ok", timeout=30)
        if cache.get(HEALTH_CACHE_KEY) != "ok":
            failing.append("cache")
    except Exception:  # each cache backend raises its own (redis.ConnectionError...)
        failing.append("cache")
    if failing:
        response = HttpResponse(
            f"unavailable: {', '.join(failing)}\n", content_type="text/plain", status=503
        )
        response["Retry-After"] = "5"
        return response
    return HttpResponse("ok\n", content_type="text/plain")
