"""This app's entries in the project-wide isolation walk and permission matrix."""


def _witness_intent(association, user) -> int:
    """A checkout intent started by ``user`` in ``association`` (made on first use)."""
    from django_scopes import scopes_disabled

    from maillon.payments.models import CheckoutIntent

    with scopes_disabled():
        intent, _ = CheckoutIntent.objects.get_or_create(
            association=association,
            created_by=user,
            defaults={"purpose": "membership_fee", "target_id": 1, "amount_cents": 100},
        )
    return intent.pk


def _signed_in_user(association):
    """The matrix signs in a new account just before it builds the URL."""
    from django_scopes import scopes_disabled

    from maillon.members.models import Person

    with scopes_disabled():
        return Person.objects.filter(association=association, user__isnull=False).latest("pk").user


def isolation_probes(Probe) -> dict:
    return {
        "payments:account": Probe(
            methods=("GET", "POST"),
            data=lambda w: {"organization_slug": "pirate", "client_id": "x", "client_secret": "y"},
        ),
        "my_payments:renew": Probe(methods=("POST",), data=lambda w: {"fee_type": "1"}),
        "my_payments:return": Probe(
            ids=lambda w: {"intent_id": _witness_intent(w.association, w.admin)}
        ),
    }


def matrix_routes(Route) -> dict:
    return {
        "payments:account": Route(lambda t: t.url("payments:account")),
        "my_payments:renew": Route(lambda t: t.url("my_payments:renew"), "POST"),
        "my_payments:return": Route(
            lambda t: t.url(
                "my_payments:return",
                intent_id=_witness_intent(t.association, _signed_in_user(t.association)),
            )
        ),
    }
