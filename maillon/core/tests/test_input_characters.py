"""What the pages refuse before any view runs, walked over EVERY page of the project
(the isolation walk's back-office probes, and every public page found in the URL
tree): a control character in a query string or a form field answers 400 with a page
naming the field, in a path 404, never a 500 (PostgreSQL refuses NUL: this suite's
PostgreSQL run is the one that matters). And a page number of any size or shape
gives a page or 404, never a 500."""

from __future__ import annotations

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from maillon.associations.tests.factories import AssociationFactory

from .test_isolation_walk import PROBES, TENANT_URLS, build_world, tenant_snapshot

pytestmark = pytest.mark.django_db

BACKOFFICE = [u for u in TENANT_URLS if not u.is_api]
HUGE = "9223372036854775807"
PAGES = (HUGE, "-1", "0", "abc", "1e9", "99999999999999999999999")


def _public_routes(patterns=None, prefix=""):
    """Routes outside the back-office and the API: public pages, personal space,
    account pages, email links (a ``<str:token>``)."""
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        route = prefix + str(pattern.pattern)
        if route.startswith(("a/", "api/", "admin/", "static/", "media/")) or route.startswith("^"):
            continue
        if isinstance(pattern, URLResolver):
            yield from _public_routes(pattern.url_patterns, route)
        elif isinstance(pattern, URLPattern):
            yield route


PUBLIC_ROUTES = sorted(set(_public_routes()))
PUBLIC_PAGES = ["/" + r for r in PUBLIC_ROUTES if "<" not in r and "(?" not in r]
TOKEN_PAGES = ["/" + r for r in PUBLIC_ROUTES if "<str:" in r]


@pytest.fixture
def world(db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return build_world(AssociationFactory(slug="pages", name="Pages"), "admin@pages.example")


@pytest.fixture
def admin(client, world):
    client.force_login(world.admin)
    return client


def _refused(response, field: str) -> bool:
    return response.status_code == 400 and f"<code>{field}</code>" in response.content.decode()


def test_the_walk_finds_public_pages_and_email_links():
    assert {"/", "/missions/", "/me/"} <= set(PUBLIC_PAGES)
    assert any("token" in page for page in TOKEN_PAGES)


def test_a_control_character_in_any_back_office_page_is_refused_naming_the_field(world, admin):
    # Probes make their objects on first use: every path first, then the snapshot.
    paths = {
        url.key: url.fill(PROBES[url.key], world, PROBES[url.key].ids(world)) for url in BACKOFFICE
    }
    for url in BACKOFFICE:
        PROBES[url.key].data(world)
    before = tenant_snapshot(world.association)
    wrong = []
    for url in BACKOFFICE:
        probe = PROBES[url.key]
        path = paths[url.key]
        attempts = []
        if "GET" in probe.methods:
            attempts += [("q", admin.get(path + "?q=a%00b&page=1"))]
            attempts += [("status", admin.get(path + "?status=%0B"))]
        if "POST" in probe.methods:
            for name, value in probe.data(world).items():
                if isinstance(value, SimpleUploadedFile):
                    continue
                bad = ["a\x00b"] if isinstance(value, list) else "a\x00b"
                # A fresh copy of the data each time: an upload is read once.
                attempts += [(name, admin.post(path, {**probe.data(world), name: bad}))]
            extra = {**probe.data(world), "extra\x01": "x"}
            attempts += [("extra\x01", admin.post(path, extra))]
        wrong += [(url.key, name, r.status_code) for name, r in attempts if not _refused(r, name)]
    assert not wrong, wrong
    assert tenant_snapshot(world.association) == before


def test_any_page_number_gives_a_page_or_404(world, admin):
    wrong = []
    for url in BACKOFFICE:
        probe = PROBES[url.key]
        if "GET" in probe.methods:
            path = url.fill(probe, world, probe.ids(world))
            for page in PAGES:
                status = admin.get(path, {"page": page}).status_code
                if status not in (200, 302, 404):
                    wrong.append((url.key, page, status))
    assert not wrong, wrong


def test_public_pages_refuse_control_characters_and_take_any_page_number(world):
    wrong = []
    for signed_in in (False, True):
        client = Client()
        if signed_in:
            client.force_login(world.admin)
        for page in PUBLIC_PAGES:
            if not _refused(client.get(page + "?q=a%00b"), "q"):
                wrong.append((page, "GET q"))
            if not _refused(client.post(page, {"email": "a\x00@example.org"}), "email"):
                wrong.append((page, "POST email"))
            if not _refused(client.get(page + "?search=%1F"), "search"):
                wrong.append((page, "GET search"))
            for number in PAGES:
                status = client.get(page, {"page": number}).status_code
                if status >= 500:
                    wrong.append((page, number, status))
    assert not wrong, wrong


def test_a_control_character_in_an_email_link_is_no_such_page():
    wrong = []
    for route in TOKEN_PAGES:
        path = re.sub(r"<\w+:\w+>", "1", re.sub(r"<str:\w+>", "abc%00def", route))
        assert "<" not in path, path
        status = Client().get(path).status_code
        if status != 404:
            wrong.append((path, status))
    assert not wrong, wrong
