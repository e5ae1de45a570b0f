"""Reads of the payments app: the association's provider account and its client, a
checkout intent of the signed-in member, the account a notification is for."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import Http404
from django_scopes import scopes_disabled

from maillon.accounts.models import User
from maillon.associations.models import Association

from . import crypto
from .helloasso.client import HelloAssoClient, Token
from .models import CheckoutIntent, Payment, ProviderAccount


def provider_account_of(*, association: Association) -> ProviderAccount | None:
    return ProviderAccount.objects.filter(association=association).first()


def online_payment_ready(association: Association) -> bool:
    return ProviderAccount.objects.filter(association=association).exists()


def checkout_origins() -> list[str]:
    """Where HelloAsso's checkout pages are (the renewal form redirects there)."""
    return [settings.HELLOASSO_CHECKOUT_ORIGIN]


def account_for_token(*, token: str) -> ProviderAccount | None:
    """The account a provider's notification URL names (no association in the URL)."""
    with scopes_disabled():
        return (
            ProviderAccount.objects.select_related("association")
            .filter(webhook_token=token)
            .first()
        )


def my_checkout_intent_get(
    *, association: Association, user: User, intent_id: Any
) -> CheckoutIntent:
    intent = CheckoutIntent.objects.filter(
        association=association, created_by=user, pk=intent_id
    ).first()
    if intent is None:
        raise Http404
    return intent


def checkout_intent_get(
    *, association: Association, purpose: str, intent_id: Any
) -> CheckoutIntent | None:
    """A checkout intent of the association for ``purpose`` (the caller proved the
    right to see it, e.g. with a signed link)."""
    return CheckoutIntent.objects.filter(
        association=association, purpose=purpose, pk=intent_id
    ).first()


def payments_for(*, association: Association, purpose: str, target_id: int):
    return Payment.objects.filter(association=association, purpose=purpose, target_id=target_id)


class AccountTokenStore:
    """Keeps the access token on the account, encrypted."""

    def __init__(self, account: ProviderAccount) -> None:
        self.account = account

    def load(self) -> Token | None:
        token = crypto.decrypt(self.account.access_token_encrypted)
        if not token or self.account.token_expires_at is None:
            return None
        return Token(token, self.account.token_expires_at)

    def save(self, token: Token) -> None:
        self.account.access_token_encrypted = crypto.encrypt(token.access_token)
        self.account.token_expires_at = token.expires_at
        if self.account.pk:
            ProviderAccount.objects.filter(pk=self.account.pk).update(
                access_token_encrypted=self.account.access_token_encrypted,
                token_expires_at=token.expires_at,
            )


def client_for(account: ProviderAccount) -> HelloAssoClient:
    return HelloAssoClient(
        base_url=settings.HELLOASSO_API_URL,
        client_id=account.client_id,
        client_secret=crypto.decrypt(account.client_secret_encrypted),
        token_store=AccountTokenStore(account),
    )
