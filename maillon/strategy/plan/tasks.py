"""Background tasks of the action plan (django-tasks): the periodic rounds over every
association, run by a periodic job (cron, systemd timer) through their management
commands (``refresh_indicators``, ``send_diagnostic_reminders``) or enqueued.

Each round crosses associations only to find its work, then opens the scope of each
association it works for."""

from __future__ import annotations

import logging

from django_scopes import scope, scopes_disabled
from django_tasks import task

from maillon.associations.models import Association

from ..models import Indicator, IndicatorSource
from .selectors import diagnostics_due_for_reminder_across_associations

logger = logging.getLogger(__name__)


@task()
def refresh_indicators_across_associations() -> int:
    """Compute the quarterly values of every association's indicators computed by
    Maillon. Returns the number of associations refreshed."""
    from .services import indicator_refresh_automatic

    with scopes_disabled():
        ids = set(
            Indicator.objects.filter(source=IndicatorSource.METRIC).values_list(
                "association_id", flat=True
            )
        )
        associations = list(Association.objects.filter(pk__in=ids).order_by("id"))
    refreshed = 0
    for association in associations:
        try:
            with scope(association=association):
                indicator_refresh_automatic(association=association, full=True)
        except Exception:
            # One association's failing metric must not stop the others.
            logger.exception("Refreshing the indicators of association %s failed", association.pk)
        else:
            refreshed += 1
    return refreshed


@task()
def send_diagnostic_reminders_across_associations() -> int:
    """Remind the associations whose latest diagnostic is more than a year old to take
    it again, once per diagnostic. Returns the number of reminders sent."""
    from .services import diagnostic_reminder_send

    sent = 0
    for diagnostic in diagnostics_due_for_reminder_across_associations():
        association = diagnostic.association
        with scope(association=association):
            if diagnostic_reminder_send(association=association, diagnostic=diagnostic):
                sent += 1
    return sent
