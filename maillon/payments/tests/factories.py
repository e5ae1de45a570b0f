"""Objects of the payments tests: a connected HelloAsso account."""

from django_scopes import scopes_disabled

from maillon.payments import crypto
from maillon.payments.models import ProviderAccount


def connected_account(association, *, client_id="maillon-client", secret="s3cret"):  # noqa: S107
    with scopes_disabled():
        account, _ = ProviderAccount.objects.get_or_create(
            association=association,
            defaults={
                "organization_slug": association.slug,
                "client_id": client_id,
                "client_secret_encrypted": crypto.encrypt(secret),
            },
        )
    return account
