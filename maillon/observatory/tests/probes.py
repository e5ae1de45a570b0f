"""This module's entries in the project-wide isolation walk
(core/tests/test_isolation_walk.py) and permission matrix
(core/tests/test_permission_matrix.py)."""


def isolation_probes(Probe) -> dict:
    return {
        "observatory_backoffice:consent": Probe(
            methods=("POST",), data=lambda w: {"consented": "on"}
        ),
    }


def matrix_routes(Route) -> dict:
    return {
        "observatory_backoffice:consent": Route(
            lambda t: t.url("observatory_backoffice:consent"), "POST", lambda t: {"consented": "on"}
        ),
    }
