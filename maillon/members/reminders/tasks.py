"""The daily round of fee reminders, as a task (the command can enqueue it)."""

from django_tasks import task

from maillon.associations.tasks import association_task


@task()
def send_fee_reminders() -> int:
    """Every association's reminders of today. Returns how many were recorded."""
    from .services import fee_reminders_send_across_associations

    return fee_reminders_send_across_associations()


@association_task()
def send_fee_reminders_of(association) -> int:
    """One association's reminders of today (the command enqueues one per association)."""
    from django.utils import timezone

    from ..fees.selectors import fee_schedule_of
    from .services import fee_reminders_send

    schedule = fee_schedule_of(association=association)
    if schedule.pk is None or not schedule.reminders_enabled:
        return 0
    return fee_reminders_send(
        association=association, schedule=schedule, today=timezone.localdate()
    )
