"""Who in the register a payer (of an online payment made elsewhere) is: by a
remembered payer email, then by the person's email, then by name and postal code."""

from __future__ import annotations

from maillon.associations.models import Association
from maillon.core.text import fold

from ..models import PayerAlias, Person

BY_ALIAS, BY_EMAIL, BY_NAME = "alias", "email", "name_postal_code"


def person_for_payer(
    *,
    association: Association,
    email: str,
    first_name: str,
    last_name: str,
    postal_code: str,
) -> tuple[Person | None, str]:
    """The one person the payer is, and how they were found; (None, "") when nobody or
    several people fit (a human decides then)."""
    people = Person.objects.filter(association=association, anonymised_at__isnull=True)
    email = (email or "").strip()
    if email:
        alias = (
            PayerAlias.objects.filter(association=association, email__iexact=email)
            .select_related("person")
            .first()
        )
        if alias is not None:
            return alias.person, BY_ALIAS
        found = list(people.filter(email__iexact=email)[:2])
        if len(found) == 1:
            return found[0], BY_EMAIL
    if last_name and postal_code:
        wanted = (fold(first_name), fold(last_name))
        candidates = people.filter(postal_code=postal_code.strip(), last_name__iexact=last_name)
        found = [p for p in candidates[:20] if (fold(p.first_name), fold(p.last_name)) == wanted]
        if len(found) == 1:
            return found[0], BY_NAME
    return None, ""
