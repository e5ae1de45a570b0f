"""The one permission of the funding module: who keeps the association's donations
(the treasurer, the president, an administrator)."""

from __future__ import annotations

from typing import Any

from maillon.associations.models import Association
from maillon.members.permissions import Perm, check_permission


def check_funding(association: Association, actor: Any) -> None:
    check_permission(association=association, actor=actor, permission=Perm.MANAGE_FUNDING)
