"""An association with one object of each kind for tests that walk every API
operation: the isolation walk's world (``core/tests/test_isolation_walk.py``), whose
probes make the objects each path names."""

from __future__ import annotations

from maillon.associations.tests.factories import AssociationFactory
from maillon.core.tests.test_isolation_walk import PROBES, TENANT_URLS, World, build_world

API = "/api/v1"


def api_world(slug: str = "walk") -> tuple[World, dict[str, dict]]:
    """The world and, by OpenAPI path (``/api/v1/associations/{slug}/...``), the path
    parameters that reach its own objects."""
    world = build_world(AssociationFactory(slug=slug, name=slug.title()), f"admin@{slug}.example")
    path_parameters: dict[str, dict] = {}
    for url in TENANT_URLS:
        if url.is_api:
            probe = PROBES[url.key]
            parameters = {**probe.fixed, **probe.ids(world)}
            if url.tenant_param:
                parameters[url.tenant_param] = world.association.slug
            path_parameters[f"{API}/{url.key}"] = parameters
    return world, path_parameters


def probe_body(world: World, openapi_path: str) -> dict:
    """The body the isolation walk sends to this path (a valid one), or {}."""
    probe = PROBES.get(openapi_path.removeprefix(f"{API}/"))
    return dict(probe.data(world)) if probe is not None else {}
