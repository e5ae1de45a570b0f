"""Both sides of the audit: a change between a network and an association is written
in the association's audit log and in the network's log, in the same transaction."""

from __future__ import annotations

from typing import Any

from maillon.core.audit import audit_log

from .models import Network, NetworkLogEntry


def network_log(
    *,
    network: Network,
    actor: Any,
    action: str,
    association: Any = None,
    data: dict | None = None,
) -> NetworkLogEntry:
    return NetworkLogEntry.objects.create(
        network=network,
        about_association=association,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        action=action,
        data=data or {},
    )


def log_both_sides(
    *, network: Network, association: Any, actor: Any, action: str, obj: Any, data: dict
) -> None:
    audit_log(
        association=association,
        actor=actor,
        action=action,
        obj=obj,
        data={"network": network.slug, **data},
    )
    network_log(
        network=network,
        actor=actor,
        action=action,
        association=association,
        data={"association": association.slug, **data},
    )
