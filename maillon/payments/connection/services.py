"""Connecting an association's HelloAsso account (API client id and secret)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from maillon.accounts.models import User
from maillon.associations.models import Association
from maillon.core.audit import audit_log
from maillon.members.permissions import Perm, check_permission

from .. import crypto
from ..helloasso.client import HelloAssoError
from ..models import ProviderAccount
from ..selectors import client_for


@transaction.atomic
def provider_account_connect(
    *,
    association: Association,
    actor: User,
    organization_slug: str,
    client_id: str,
    client_secret: str = "",
    membership_form_slug: str = "",
    donation_form_slug: str = "",
) -> ProviderAccount:
    """Save the credentials once HelloAsso has accepted them (a token is asked now).
    An empty secret keeps the stored one."""
    check_permission(association=association, actor=actor, permission=Perm.MANAGE_FEES)
    account = ProviderAccount.objects.select_for_update().filter(association=association).first()
    account = account or ProviderAccount(association=association)
    account.organization_slug = organization_slug
    account.client_id = client_id
    account.membership_form_slug = membership_form_slug
    account.donation_form_slug = donation_form_slug
    account.connected_by = actor
    if client_secret:
        account.client_secret_encrypted = crypto.encrypt(client_secret)
    if not account.client_secret_encrypted:
        raise ValidationError({"client_secret": _("Give the client secret.")})
    account.access_token_encrypted = ""
    account.token_expires_at = None
    account.full_clean(exclude=["association", "connected_by"])
    try:
        client_for(account).check_credentials()
    except HelloAssoError:
        raise ValidationError(
            _("HelloAsso refused these credentials: check the client id and secret.")
        ) from None
    account.save()
    audit_log(
        association=association,
        actor=actor,
        action="payments.account_connected",
        obj=account,
        data={"provider": account.provider, "organization_slug": organization_slug},
    )
    return account
