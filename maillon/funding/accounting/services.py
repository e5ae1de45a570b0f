"""Writes of the chart-of-accounts mapping used by the journal export."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import transaction

from maillon.associations.models import Association
from maillon.core.audit import audit_log
from maillon.core.tenancy import in_association_scope

from ..models import DEFAULT_ACCOUNTS, FundingSettings
from ..permissions import check_funding

if TYPE_CHECKING:
    from maillon.accounts.models import User


@in_association_scope
@transaction.atomic
def accounts_update(
    *, association: Association, actor: User, accounts: dict[str, str]
) -> FundingSettings:
    check_funding(association, actor)
    FundingSettings.objects.get_or_create(association=association)
    settings = FundingSettings.objects.select_for_update().get(association=association)
    new = {key: (accounts.get(key) or default).strip() for key, default in DEFAULT_ACCOUNTS.items()}
    old = {key: settings.account(key) for key in DEFAULT_ACCOUNTS}
    changes = {k: [old[k], v] for k, v in new.items() if old[k] != v}
    settings.accounts = new
    settings.save(update_fields=["accounts"])
    if changes:
        audit_log(
            association=association,
            actor=actor,
            action="funding.accounts_updated",
            obj=settings,
            data={"changes": changes},
        )
    return settings
