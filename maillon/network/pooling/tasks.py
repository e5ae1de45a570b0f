"""Background tasks of pooled resources: the daily round of return reminders and
overdue alerts (``manage.py send_loan_reminders``)."""

from __future__ import annotations

from django_tasks import task


@task()
def send_loan_reminders() -> list[int]:
    from .reminders import loan_reminders_send_across_associations

    return list(loan_reminders_send_across_associations())
