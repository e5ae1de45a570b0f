"""This module's entries in the project-wide isolation walk
(core/tests/test_isolation_walk.py) and permission matrix
(core/tests/test_permission_matrix.py): the association's side of networks
(``/a/<slug>/networks/``). The network back-office (``/n/<slug>/``) has its own walk
with its three kinds of attackers: ``test_network_isolation.py``."""


def _witness_membership(association) -> int:
    """An invitation of a witness network to ``association`` (made on first use)."""
    from django_scopes import scopes_disabled

    from maillon.network.models import MembershipStatus, Network, NetworkMembership

    network, _ = Network.objects.get_or_create(
        slug="reseau-temoin",
        defaults={"name": "Réseau témoin", "kind": "federation", "status": "active"},
    )
    with scopes_disabled():
        membership, _ = NetworkMembership.objects.get_or_create(
            association=association,
            network=network,
            defaults={"status": MembershipStatus.INVITED},
        )
    return membership.pk


def _open_network() -> int:
    from maillon.network.models import Network

    network, _ = Network.objects.get_or_create(
        slug="reseau-ouvert",
        defaults={"name": "Réseau ouvert", "kind": "collective", "status": "active"},
    )
    return network.pk


def _witness_sheet(association) -> int:
    """A draft practice sheet of ``association`` (made on first use)."""
    from django_scopes import scopes_disabled

    from maillon.network.models import PracticeSheet

    with scopes_disabled():
        sheet, _ = PracticeSheet.objects.get_or_create(
            association=association,
            title="Fiche témoin",
            defaults={"problem": "…", "what_was_done": "…"},
        )
    return sheet.pk


def _witness_question(association) -> dict:
    """A question waiting for moderation on the witness sheet of ``association``."""
    from django_scopes import scopes_disabled

    from maillon.network.models import PracticeQuestion

    sheet_id = _witness_sheet(association)
    with scopes_disabled():
        question, _ = PracticeQuestion.objects.get_or_create(
            association=association, sheet_id=sheet_id, defaults={"body": "Question témoin"}
        )
    return {"sheet_id": sheet_id, "question_id": question.pk}


def _public_sheet_elsewhere() -> int:
    """A public sheet of a third association, that anyone may endorse or ask about."""
    from maillon.associations.models import Association
    from maillon.network.models import Visibility

    author, _ = Association.objects.get_or_create(
        slug="auteur-temoin", defaults={"name": "Auteur témoin"}
    )
    sheet_id = _witness_sheet(author)
    from django.utils import timezone
    from django_scopes import scopes_disabled

    from maillon.network.models import PracticeSheet

    with scopes_disabled():
        PracticeSheet.objects.filter(pk=sheet_id).update(
            visibility=Visibility.PUBLIC, published_at=timezone.now()
        )
    return sheet_id


SHEET_DATA = {
    "title": "Pirate",
    "problem": "Pirate",
    "what_was_done": "Pirate",
    "licence": "CC-BY-SA-4.0",
}


def _practice_probes(Probe) -> dict:
    sheet = lambda w: {"sheet_id": _witness_sheet(w.association)}  # noqa: E731
    return {
        "practices_backoffice:list": Probe(),
        "practices_backoffice:create": Probe(methods=("GET", "POST"), data=lambda w: SHEET_DATA),
        "practices_backoffice:detail": Probe(ids=sheet),
        "practices_backoffice:edit": Probe(
            ids=sheet, methods=("GET", "POST"), data=lambda w: SHEET_DATA
        ),
        "practices_backoffice:publish": Probe(
            ids=sheet, methods=("GET", "POST"), data=lambda w: {"visibility": "public"}
        ),
        "practices_backoffice:questions": Probe(ids=sheet),
        "practices_backoffice:question_moderate": Probe(
            ids=lambda w: _witness_question(w.association),
            methods=("POST",),
            data=lambda w: {"decision": "publish", "answer": "Pirate"},
        ),
        # A draft of the victim: unreadable, so not found (own draft: refused, 302).
        "practices_backoffice:endorse": Probe(ids=sheet, methods=("POST",)),
        "practices_backoffice:adopt": Probe(ids=sheet, methods=("POST",)),
        "practices_backoffice:ask": Probe(
            ids=sheet, methods=("POST",), data=lambda w: {"body": "Pirate"}
        ),
    }


def _practice_routes(Route) -> dict:
    def sheet(t) -> dict:
        return {"sheet_id": _witness_sheet(t.association)}

    def shared(t) -> dict:
        return {"sheet_id": _public_sheet_elsewhere()}

    return {
        "practices_backoffice:list": Route(lambda t: t.url("practices_backoffice:list")),
        "practices_backoffice:create": Route(lambda t: t.url("practices_backoffice:create")),
        "practices_backoffice:detail": Route(
            lambda t: t.url("practices_backoffice:detail", **sheet(t))
        ),
        "practices_backoffice:edit": Route(
            lambda t: t.url("practices_backoffice:edit", **sheet(t))
        ),
        "practices_backoffice:publish": Route(
            lambda t: t.url("practices_backoffice:publish", **sheet(t))
        ),
        "practices_backoffice:questions": Route(
            lambda t: t.url("practices_backoffice:questions", **sheet(t))
        ),
        "practices_backoffice:question_moderate": Route(
            lambda t: t.url(
                "practices_backoffice:question_moderate", **_witness_question(t.association)
            ),
            "POST",
            lambda t: {"decision": "reject"},
        ),
        "practices_backoffice:endorse": Route(
            lambda t: t.url("practices_backoffice:endorse", **shared(t)), "POST"
        ),
        "practices_backoffice:adopt": Route(
            lambda t: t.url("practices_backoffice:adopt", **shared(t)), "POST"
        ),
        "practices_backoffice:ask": Route(
            lambda t: t.url("practices_backoffice:ask", **shared(t)),
            "POST",
            lambda t: {"body": "Bonjour"},
        ),
    }


def _witness_network_of(w) -> str:
    """A network whose head is the world's administrator (made on first use)."""
    from maillon.network.models import Network, NetworkRole

    network, created = Network.objects.get_or_create(
        slug=f"reseau-{w.association.slug}",
        defaults={"name": f"Réseau {w.association.name}", "kind": "federation", "status": "active"},
    )
    if created:
        NetworkRole.objects.create(network=network, user=w.admin, role="head")
    return network.slug


def _api_probes(Probe) -> dict:
    network = lambda w: {"network_slug": _witness_network_of(w)}  # noqa: E731
    return {
        "networks/{network_slug}/members": Probe(ids=network),
        "networks/{network_slug}/campaigns": Probe(ids=network),
        # A draft: no one reads it through the public path, its authors included.
        "practices/{sheet_id}": Probe(
            ids=lambda w: {"sheet_id": _witness_sheet(w.association)},
            control_ok=frozenset({404}),
            public=True,
        ),
        "associations/{slug}/practices": Probe(
            methods=("GET", "POST"),
            data=lambda w: {"title": "Pirate", "problem": "Pirate", "what_was_done": "Pirate"},
        ),
    }


def isolation_probes(Probe) -> dict:
    membership = lambda w: {"membership_id": _witness_membership(w.association)}  # noqa: E731
    return {
        **_api_probes(Probe),
        **_practice_probes(Probe),
        "association_networks:list": Probe(),
        "association_networks:request": Probe(
            methods=("POST",), data=lambda w: {"network": _open_network()}
        ),
        "association_networks:answer": Probe(
            ids=membership, methods=("POST",), data=lambda w: {"decision": "accept"}
        ),
        "association_networks:consent": Probe(
            ids=membership,
            methods=("GET", "POST"),
            data=lambda w: {"families": ["members", "diagnostic"]},
        ),
        "association_networks:leave": Probe(ids=membership, methods=("POST",)),
    }


def matrix_routes(Route) -> dict:
    def membership(t) -> dict:
        return {"membership_id": _witness_membership(t.association)}

    return {
        **_practice_routes(Route),
        "association_networks:list": Route(lambda t: t.url("association_networks:list")),
        "association_networks:request": Route(
            lambda t: t.url("association_networks:request"),
            "POST",
            lambda t: {"network": _open_network()},
        ),
        "association_networks:answer": Route(
            lambda t: t.url("association_networks:answer", **membership(t)),
            "POST",
            lambda t: {"decision": "decline"},
        ),
        "association_networks:consent": Route(
            lambda t: t.url("association_networks:consent", **membership(t))
        ),
        "association_networks:leave": Route(
            lambda t: t.url("association_networks:leave", **membership(t)), "POST"
        ),
    }


# --- pooled resources and help requests (tests/pooling/probes.py, tests/help/probes.py) ---
from .help import probes as _help_probes  # noqa: E402
from .help.sponsorship import probes as _sponsorship_probes  # noqa: E402
from .pooling import probes as _pooling_probes  # noqa: E402

_network_isolation_probes, _network_matrix_routes = isolation_probes, matrix_routes


def isolation_probes(Probe) -> dict:  # noqa: F811
    return {
        **_network_isolation_probes(Probe),
        **_pooling_probes.isolation_probes(Probe),
        **_help_probes.isolation_probes(Probe),
        **_sponsorship_probes.isolation_probes(Probe),
    }


def matrix_routes(Route) -> dict:  # noqa: F811
    return {
        **_network_matrix_routes(Route),
        **_pooling_probes.matrix_routes(Route),
        **_help_probes.matrix_routes(Route),
        **_sponsorship_probes.matrix_routes(Route),
    }
