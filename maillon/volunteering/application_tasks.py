"""Periodic work on applications, run daily by ``manage.py remind_applications``
(cron, systemd timer) or enqueued."""

from __future__ import annotations

from django_tasks import task


@task()
def remind_unanswered_applications() -> int:
    """Remind associations of applications left unanswered longer than their
    ``remind_after_days`` (at most once every that many days per application).
    Returns the number of applications reminded of."""
    from .application_services import application_reminders_send

    return application_reminders_send()
