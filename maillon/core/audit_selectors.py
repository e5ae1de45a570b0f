import datetime

from django.db.models import Q, QuerySet

from .models import AuditEntry


def audit_entries(
    *,
    association,
    action: str = "",
    actor: str = "",
    date_from: datetime.date | None = None,
    date_to: datetime.date | None = None,
) -> QuerySet[AuditEntry]:
    qs = AuditEntry.objects.filter(association=association).select_related("actor")
    if action:
        qs = qs.filter(action__icontains=action)
    if actor:
        qs = qs.filter(Q(actor_label__icontains=actor) | Q(actor__full_name__icontains=actor))
    if date_from:
        qs = qs.filter(created_at__date__gte=date_from)
    if date_to:
        qs = qs.filter(created_at__date__lte=date_to)
    return qs.order_by("-created_at", "-id")
