"""The member register's newer pages (fee schedule, reminder letters, a member's own
space) in the project-wide isolation walk and permission matrix."""


def _witness_fee_type(association) -> int:
    from django_scopes import scopes_disabled

    from maillon.members.models import FeeType

    with scopes_disabled():
        fee_type, _ = FeeType.objects.get_or_create(
            association=association, name="Cotisation témoin", defaults={"amount": 20}
        )
    return fee_type.pk


def isolation_probes(Probe) -> dict:
    fee_type = lambda w: {"fee_type_id": _witness_fee_type(w.association)}  # noqa: E731
    return {
        "members:fee_schedule": Probe(
            methods=("GET", "POST"),
            data=lambda w: {
                "period_rule": "rolling",
                "season_start_day": 1,
                "season_start_month": 1,
                "remind_days_before": 1,
                "remind_again_after_days": 1,
            },
        ),
        "members:fee_type_create": Probe(
            methods=("GET", "POST"),
            data=lambda w: {"name": "Pirate", "kind": "full", "pricing": "fixed", "amount": "1"},
        ),
        "members:fee_type_edit": Probe(
            ids=fee_type,
            methods=("GET", "POST"),
            data=lambda w: {"name": "Pirate", "kind": "full", "pricing": "fixed", "amount": "1"},
        ),
        "members:fee_reminder_letters": Probe(),
        "members:fee_reminder_letters_pdf": Probe(methods=("POST",)),
        "my:membership": Probe(),
        "associations/{slug}/me/membership": Probe(),
        "my:details": Probe(
            methods=("GET", "POST"), data=lambda w: {"phone": "0600000000", "city": "Pirate"}
        ),
    }


def matrix_routes(Route) -> dict:
    return {
        "members:fee_schedule": Route(lambda t: t.url("members:fee_schedule")),
        "members:fee_type_create": Route(lambda t: t.url("members:fee_type_create")),
        "members:fee_type_edit": Route(
            lambda t: t.url("members:fee_type_edit", fee_type_id=_witness_fee_type(t.association))
        ),
        "members:fee_reminder_letters": Route(lambda t: t.url("members:fee_reminder_letters")),
        "members:fee_reminder_letters_pdf": Route(
            lambda t: t.url("members:fee_reminder_letters_pdf"), "POST"
        ),
        "my:membership": Route(lambda t: t.url("my:membership")),
        "my:details": Route(
            lambda t: t.url("my:details"), "POST", lambda t: {"phone": "0600000000"}
        ),
    }
