"""What every demo builder shares: the run (today's date, the demo password's hash, where
to report) and small helpers."""

from __future__ import annotations

import datetime
import unicodedata
from dataclasses import dataclass

from django.core.management.base import OutputWrapper
from django.core.management.color import Style

DEMO_PASSWORD = "maillon-demo"  # noqa: S105 - published demo password, never a real one


@dataclass(frozen=True)
class DemoRun:
    """One run of ``seed_demo``: the day it runs for, the demo password hashed once, and
    the command's output, where each builder says what it added or left alone."""

    today: datetime.date
    password_hash: str
    stdout: OutputWrapper
    style: Style

    def added(self, text: str) -> None:
        self.stdout.write(self.style.SUCCESS(text))

    def kept(self, text: str) -> None:
        self.stdout.write(text)


def ascii_slug(text: str) -> str:
    """ "Hélène Le Goff" -> "helene-le-goff"-like local part for a demo email."""
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return "".join(c if c.isalnum() else "-" for c in plain.lower()).strip("-").replace("--", "-")


def at(time_zone: datetime.tzinfo, day: datetime.date, hour: int, minute: int = 0):
    """``day`` at ``hour``:``minute`` in ``time_zone``."""
    return datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=time_zone)
