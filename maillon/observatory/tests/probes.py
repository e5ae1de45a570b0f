"""This module's entries in the project-wide isolation walk
(core/tests/test_isolation_walk.py) and permission matrix
(core/tests/test_permission_matrix.py)."""


def isolation_probes(Probe) -> dict:
    return {
        "observatory_backoffice:consent": Probe(
            methods=("POST",), data=lambda w: {"consented": "on"}
        ),
        # Public and published only: no association's data behind it.
        "observatory/waves/{year}": Probe(
            fixed={"year": "2026"}, control_ok=frozenset({200, 404}), public=True
        ),
    }


def matrix_routes(Route) -> dict:
    return {
        "observatory_backoffice:consent": Route(
            lambda t: t.url("observatory_backoffice:consent"), "POST", lambda t: {"consented": "on"}
        ),
    }
