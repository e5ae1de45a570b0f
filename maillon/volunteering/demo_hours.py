"""Demo data: a realistic year of volunteer hours for a few volunteers, logged and
validated through the services (so the audit log tells the same story)."""

from __future__ import annotations

import datetime
import random
from decimal import Decimal

from django.utils import timezone
from django_scopes import scope

from .hours import services as hours_services
from .models import Activity, Mission, VolunteerHours

# (activity, weight, typical hours, what was done)
_PATTERNS = [
    (Activity.FIELD, 5, ("2", "3", "3.5", "4"), "Permanence d'accueil"),
    (Activity.ORGANISATION, 3, ("1.5", "2", "3"), "Préparation et logistique"),
    (Activity.EVENT, 2, ("4", "5", "6"), "Fête de quartier"),
    (Activity.ADMINISTRATION, 2, ("1", "1.5", "2"), "Adhésions et comptabilité"),
    (Activity.COMMUNICATION, 1, ("1", "1.5"), "Lettre d'information"),
    (Activity.GOVERNANCE, 1, ("2", "2.5"), "Réunion du bureau"),
    (Activity.TRAINING, 1, ("3",), "Formation premiers secours"),
]


def seed_hours(association, actor, people, rng: random.Random) -> int:
    """Log and validate about a year of hours for ``people`` (Person objects of
    ``association``), as ``actor`` (who must be allowed to manage hours). Does
    nothing when the association already has hours. Returns the entries created."""
    with scope(association=association):
        if VolunteerHours.objects.filter(association=association).exists() or not people:
            return 0
        missions = list(Mission.objects.filter(association=association).order_by("pk")[:5])
        today = timezone.localdate()
        weights = [p[1] for p in _PATTERNS]
        created = 0
        for index, person in enumerate(people):
            # Some give time every week, others now and then.
            sessions = rng.choice((10, 18, 30, 45)) if index % 3 else rng.choice((40, 48))
            for _ in range(sessions):
                activity, _w, durations, description = rng.choices(_PATTERNS, weights)[0]
                day = today - datetime.timedelta(days=rng.randint(1, 360))
                hours_services.hours_log(
                    association=association,
                    actor=actor,
                    person=person,
                    date=day,
                    hours=Decimal(rng.choice(durations)),
                    activity=activity,
                    mission=rng.choice(missions) if missions and rng.random() < 0.6 else None,
                    description=description,
                )
                created += 1
    return created
