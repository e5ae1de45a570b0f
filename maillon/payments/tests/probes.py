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


def _witness_order(association) -> int:
    """An order of the association's HelloAsso form waiting to be reconciled."""
    from django_scopes import scopes_disabled

    from maillon.payments.models import ImportedOrder

    with scopes_disabled():
        order, _ = ImportedOrder.objects.get_or_create(
            association=association,
            provider_order_id="witness",
            defaults={"form_kind": "membership", "status": "unmatched", "payer_last_name": "T"},
        )
    return order.pk


def isolation_probes(Probe) -> dict:
    return {
        "payments:reconcile": Probe(),
        "payments:reconcile_pull": Probe(methods=("POST",)),
        "payments:reconcile_import": Probe(methods=("POST",)),
        "payments:reconcile_match": Probe(
            ids=lambda w: {"order_id": _witness_order(w.association)},
            methods=("POST",),
            data=lambda w: {"person": w.person.pk},
        ),
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
        "payments:reconcile": Route(lambda t: t.url("payments:reconcile")),
        "payments:reconcile_pull": Route(lambda t: t.url("payments:reconcile_pull"), "POST"),
        "payments:reconcile_import": Route(lambda t: t.url("payments:reconcile_import"), "POST"),
        "payments:reconcile_match": Route(
            lambda t: t.url("payments:reconcile_match", order_id=_witness_order(t.association)),
            "POST",
            lambda t: {"person": t.person.pk},
        ),
        "payments:account": Route(lambda t: t.url("payments:account")),
        "my_payments:renew": Route(lambda t: t.url("my_payments:renew"), "POST"),
        "my_payments:return": Route(
            lambda t: t.url(
                "my_payments:return",
                intent_id=_witness_intent(t.association, _signed_in_user(t.association)),
            )
        ),
    }
