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


def isolation_probes(Probe) -> dict:
    membership = lambda w: {"membership_id": _witness_membership(w.association)}  # noqa: E731
    return {
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
from .pooling import probes as _pooling_probes  # noqa: E402

_network_isolation_probes, _network_matrix_routes = isolation_probes, matrix_routes


def isolation_probes(Probe) -> dict:  # noqa: F811
    return {
        **_network_isolation_probes(Probe),
        **_pooling_probes.isolation_probes(Probe),
        **_help_probes.isolation_probes(Probe),
    }


def matrix_routes(Route) -> dict:  # noqa: F811
    return {
        **_network_matrix_routes(Route),
        **_pooling_probes.matrix_routes(Route),
        **_help_probes.matrix_routes(Route),
    }
