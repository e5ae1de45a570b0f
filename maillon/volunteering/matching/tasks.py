"""Background tasks of matching (django-tasks)."""

from __future__ import annotations

from django_tasks import task


@task()
def send_mission_alerts() -> dict[str, int]:
    """Email their digest to every volunteer whose alert is due (run daily)."""
    from .services import mission_alerts_send_due

    result = mission_alerts_send_due()
    return {"checked": result.checked, "sent": result.sent}
