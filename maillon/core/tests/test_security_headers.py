"""Content-Security-Policy and Permissions-Policy on EVERY route, found from the
resolver like the isolation walk does (a new URL is covered without editing this):
each answers, whatever its status, with both headers; the policy is the strict one
(no inline script, no style attribute, no eval) except where a route says why not.
Every HTML page it returns holds no inline script, no event-handler attribute and no
style attribute, which the policy would block."""

from __future__ import annotations

import re
import uuid
from html.parser import HTMLParser

import pytest
from allauth.mfa.totp.internal.auth import TOTP
from django.conf import settings
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, resolve
from django.urls.exceptions import Resolver404

from maillon.accounts.tests.factories import UserFactory
from maillon.members.models import Role
from maillon.members.tests.factories import PersonFactory

pytestmark = pytest.mark.django_db

STRICT_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; "
    "base-uri 'self'; object-src 'none'"
)
# Routes that relax the policy, and why.
RELAXED = {
    # An association shows its missions in an <iframe> on its own website.
    "missions/embed/<slug:slug>/": {"frame-ancestors": "frame-ancestors *"},
}
ROUTE_PARAM = re.compile(r"<(?:(?P<converter>\w+):)?(?P<name>\w+)>")
REGEX_PARAM = re.compile(r"\(\?P<(?P<name>\w+)>[^)]*\)")
VALUES = {"file_format": "csv", "app_label": "associations", "section": "profile"}


def _walk(patterns, prefix=""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from _walk(pattern.url_patterns, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern):
            yield prefix + str(pattern.pattern)


def every_route() -> list[str]:
    return sorted(set(_walk(get_resolver().url_patterns)))


def fill(route: str, slug: str) -> str:
    """A path of ``route`` with plausible values (the association's slug, id 1)."""

    def value(name: str, converter: str | None) -> str:
        if name in ("association_slug", "slug"):
            return slug
        if name in VALUES:
            return VALUES[name]
        if converter == "int" or name.endswith("_id") or name in ("pk", "object_id", "id"):
            return "1"
        if converter == "uuid":
            return str(uuid.uuid4())
        return "x1"

    path = REGEX_PARAM.sub(lambda m: value(m["name"], None), route)
    path = ROUTE_PARAM.sub(lambda m: value(m["name"], m["converter"]), path)
    return "/" + path.replace("^", "").replace("$", "")


class InlineCode(HTMLParser):
    """What the policy would block in a page: inline scripts, on* attributes, style
    attributes and <style> elements."""

    def __init__(self):
        super().__init__()
        self.found: list[str] = []

    def handle_starttag(self, tag, attrs):
        names = dict(attrs)
        if tag == "script" and "src" not in names and names.get("type") != "application/json":
            self.found.append("inline <script>")
        if tag == "style":
            self.found.append("<style> element")
        for name, _value in attrs:
            if name == "style" or name.startswith("on"):
                self.found.append(f"{name}= on <{tag}>")


@pytest.fixture
def people(association):
    """An anonymous visitor, and the association's administrator who is also staff
    with TOTP (so the admin's pages answer too)."""
    user = UserFactory(email="equipe@maillon.example", is_staff=True, is_superuser=True)
    TOTP.activate(user, "JBSWY3DPEHPK3PXPJBSWY3DP")
    PersonFactory(association=association, user=user, roles=[Role.ADMIN, Role.MEMBER])
    signed_in = Client(raise_request_exception=False)
    signed_in.force_login(user)
    return {"anonymous": Client(raise_request_exception=False), "admin": signed_in}


def directives(policy: str | None) -> dict[str, str]:
    """A policy as {directive: its whole text}, whatever the order of directives."""
    parts = (part.strip() for part in (policy or "").split(";"))
    return {part.split()[0]: part for part in parts if part}


def expected_policy(route: str) -> dict[str, str]:
    return {**directives(STRICT_POLICY), **RELAXED.get(route, {})}


def test_every_route_sends_both_policies_and_no_inline_code(people, association, settings):
    settings.MEDIA_ROOT = settings.VAR_DIR / "test-media"
    problems: list[str] = []
    routes = every_route()
    assert len(routes) > 300  # the walk found the project's routes
    for route in routes:
        path = fill(route, association.slug)
        try:
            resolve(path)
        except Resolver404:
            problems.append(f"{route}: the walk built {path}, which does not resolve")
            continue
        for who, client in people.items():
            response = client.get(path)
            where = f"{route} ({who}, {response.status_code})"
            policy = response.headers.get("Content-Security-Policy")
            if directives(policy) != expected_policy(route):
                problems.append(f"{where}: Content-Security-Policy {policy!r}")
            if "camera=()" not in response.headers.get("Permissions-Policy", ""):
                problems.append(f"{where}: no Permissions-Policy")
            content_type = response.headers.get("Content-Type", "")
            if content_type.startswith("text/html") and not getattr(response, "streaming", False):
                parser = InlineCode()
                parser.feed(response.content.decode())
                problems += [f"{where}: {found}" for found in sorted(set(parser.found))]
            if policy and ("unsafe-inline" in policy or "unsafe-eval" in policy):
                problems.append(f"{where}: unsafe source in {policy!r}")
    assert not problems, "\n".join(problems)


def test_the_relaxed_routes_exist():
    routes = every_route()
    assert set(RELAXED) <= set(routes)


def test_the_policy_is_the_documented_one(client):
    response = client.get("/")
    assert directives(response["Content-Security-Policy"]) == directives(STRICT_POLICY)
    assert settings.CONTENT_SECURITY_POLICY["DIRECTIVES"]["script-src"] == ["'self'"]
    permissions = response["Permissions-Policy"]
    for feature in ("camera=()", "microphone=()", "geolocation=()", "payment=()"):
        assert feature in permissions


def test_no_template_holds_inline_code():
    """Pages the walk cannot reach with made-up ids are checked at the source: no
    template (emails aside, which no browser runs under this policy) holds an inline
    script, a <style> element, a style= or on*= attribute."""
    found = []
    templates = [
        path
        for path in (settings.BASE_DIR / "maillon").rglob("templates/**/*.html")
        if "email" not in path.parts
    ]
    assert len(templates) > 100
    for path in templates:
        parser = InlineCode()
        # Template tags are not HTML: the parser reads what is around them.
        parser.feed(re.sub(r"{%.*?%}|{{.*?}}|{#.*?#}", "x", path.read_text(), flags=re.S))
        found += [f"{path.relative_to(settings.BASE_DIR)}: {item}" for item in parser.found]
    assert not found, "\n".join(found)
