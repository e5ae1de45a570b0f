from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django_scopes import scopes_disabled

from maillon.core.models import AuditEntry

from .models import ApiToken, User
from .personal_data import registered_sections


@transaction.atomic
def user_set_language(*, user, language: str) -> None:
    user.language = language
    user.save(update_fields=["language"])


@transaction.atomic
def api_token_create(*, user, name: str) -> tuple[ApiToken, str]:
    raw, digest = ApiToken.generate()
    token = ApiToken.objects.create(user=user, name=name, key_hash=digest, key_hint=raw[:8])
    return token, raw


@transaction.atomic
def api_token_revoke(*, user, token: ApiToken) -> None:
    if token.user_id != user.pk:
        raise PermissionError
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])


ANONYMISED = "—"


@transaction.atomic
def my_account_erase(*, user: User) -> None:
    """RGPD erasure, asked by the person themself: the account goes; each module
    deletes or anonymises what names the person (``accounts.personal_data``), and the
    person's name disappears from audit entries."""
    sections = registered_sections()
    with scopes_disabled():
        for section in sections:
            reason = section.refuse_erasure(user) if section.refuse_erasure else None
            if reason:
                raise ValidationError(reason)
        for section in sections:
            if section.erase is not None:
                section.erase(user, forget=_forget_in_audit_log)
        AuditEntry.objects.filter(actor=user).update(actor_label=ANONYMISED, actor=None)
    user.delete()


def _forget_in_audit_log(model, ids) -> None:
    # The entries stay (what was done, when, by whom), but not who it was about: their
    # label and details (old names, email addresses) go.
    AuditEntry.objects.filter(
        object_type=model._meta.label_lower, object_id__in=[str(pk) for pk in ids]
    ).update(object_repr=ANONYMISED, data={})
