"""This module's entries in the project-wide isolation walk
(core/tests/test_isolation_walk.py) and permission matrix
(core/tests/test_permission_matrix.py)."""


def isolation_probes(Probe) -> dict:
    return {}


def matrix_routes(Route) -> dict:
    return {}
