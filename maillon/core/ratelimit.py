"""Limits on what visitors without an account may make Maillon send (applications to
a mission, event registrations): each sends an email to an address anyone can type.

One mechanism for every limit: allauth's rate limiter, the one that locks logins,
with its rates in ``ACCOUNT_RATE_LIMITS`` (``"10/h/ip,5/h/key"``: per address of the
visitor, per target email) and its counts in the cache every process shares
(core/cache.py)::

    refusal = ratelimit.consume(request, action="mission_application", key=email)
    if refusal is not None:
        ...  # show refusal.message, answer 429 with refusal.retry_after

A hit is counted when the form is accepted; ``usage.rollback()`` gives it back when
the service then refuses the submission (nothing was sent)."""

from __future__ import annotations

import math
import time
from dataclasses import dataclass

from allauth.core.internal import ratelimit as limiter
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.utils.translation import ngettext

#: allauth's namespace of rates: ``ACCOUNT_RATE_LIMITS`` holds ours beside its own.
APP = "allauth.account"


@dataclass(frozen=True)
class Refusal:
    """Too many hits: when the oldest one counted leaves the window."""

    retry_after: int  # seconds

    @property
    def minutes(self) -> int:
        return max(1, math.ceil(self.retry_after / 60))

    @property
    def message(self) -> str:
        return ngettext(
            "Too many requests were sent from your connection or to this email address "
            "in the last hour. To protect people from unwanted emails, please try again "
            "in %(minutes)s minute.",
            "Too many requests were sent from your connection or to this email address "
            "in the last hour. To protect people from unwanted emails, please try again "
            "in %(minutes)s minutes.",
            self.minutes,
        ) % {"minutes": self.minutes}

    def apply(self, response: HttpResponse) -> HttpResponse:
        """The page that explains the refusal answers 429 with ``Retry-After``."""
        response.status_code = 429
        response["Retry-After"] = str(self.retry_after)
        return response


@dataclass(frozen=True)
class Usage:
    """The hits counted for one accepted submission."""

    counted: limiter.RateLimitUsage

    def rollback(self) -> None:
        self.counted.rollback()


def consume(request: HttpRequest, *, action: str, key: str) -> Usage | Refusal:
    """Count one hit of ``action`` for the visitor's address and for ``key`` (the
    target email, compared without case); a ``Refusal`` when a limit is reached."""
    key = key.strip().lower()
    usage = limiter.consume(request, app=APP, action=action, key=key, limit_get=True)
    if usage is not None:
        return Usage(usage)
    return Refusal(retry_after=_retry_after(request, action=action, key=key))


def _retry_after(request: HttpRequest, *, action: str, key: str) -> int:
    """Seconds until every rate of ``action`` accepts one more hit."""
    now = time.time()
    wait = 1.0
    for rate in limiter.get_rates(app=APP, action=action):
        cache_key = limiter.get_cache_key(request, app=APP, action=action, rate=rate, key=key)
        history = [t for t in cache.get(cache_key, []) if t > now - rate.duration]
        if len(history) >= rate.amount:
            # Newest first: the hit that must expire is the amount-th newest.
            wait = max(wait, history[rate.amount - 1] + rate.duration - now)
    return math.ceil(wait)
