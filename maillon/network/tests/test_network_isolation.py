"""The network back-office walked over EVERY ``/n/<network_slug>/`` URL.

The URLs are discovered from the resolver; a new one without a probe in
``NETWORK_PROBES`` fails. Three kinds of attackers:

(a) the head of another network: every URL of the victim network answers 404, and
    with their own network's slug, the victim's object ids answer 404 too;
(b) the head of the victim network, about a member association that consents to
    nothing: the table and its exports show its directory card, never its figures;
    a consent given shows them on the next request, taken back hides them again;
(c) an administrator of a member association who is not on the network's team:
    404 everywhere.
Nothing the attackers send changes the victim network's memberships or team."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, resolve
from django.utils import timezone
from django_scopes import scopes_disabled

from maillon.events.models import Campaign
from maillon.members.models import Role
from maillon.members.tests.factories import (
    MembershipPeriodFactory,
    PersonFactory,
    member_with_account,
)
from maillon.network.models import (
    Engagement,
    EngagementMessage,
    MembershipStatus,
    NetworkMembership,
    NetworkNewsletter,
    NetworkRole,
    NetworkRoleKind,
    PracticeSheetNetwork,
)
from maillon.network.tests.factories import (
    MembershipFactory,
    NetworkFactory,
    network_staff,
    practice_sheet,
)
from maillon.observatory.networks.selectors import network_waves
from maillon.strategy.models import Diagnostic, DiagnosticStatus

pytestmark = pytest.mark.django_db

PARAM_RE = re.compile(r"<(?:(?P<converter>\w+):)?(?P<name>\w+)>")
MARK = "<slug:network_slug>"


def network_routes() -> dict[str, str]:
    def walk(patterns, prefix="", namespaces=()):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                ns = namespaces + ((pattern.namespace,) if pattern.namespace else ())
                yield from walk(pattern.url_patterns, prefix + str(pattern.pattern), ns)
            elif isinstance(pattern, URLPattern) and MARK in prefix + str(pattern.pattern):
                yield ":".join((*namespaces, pattern.name or "?")), prefix + str(pattern.pattern)

    return dict(walk(get_resolver().url_patterns))


ROUTES = network_routes()


@dataclass
class NetworkWorld:
    network: object
    head: object
    member: object  # an active membership sharing nothing
    request: object  # a request waiting for the network's answer
    role: object  # a staff role of the team
    association_admin: object  # admin of the member association, not on the team
    share: object  # a practice sheet of the member shared with the network
    campaign: object  # a campaign of the network


def build(slug: str) -> NetworkWorld:
    network = NetworkFactory(slug=slug, name=slug.title())
    head = network_staff(network, NetworkRoleKind.HEAD, email=f"head@{slug}.example")
    staff = network_staff(network, NetworkRoleKind.STAFF)
    member = MembershipFactory(network=network)
    request = MembershipFactory(network=network, status=MembershipStatus.REQUESTED, joined_at=None)
    admin = member_with_account(member.association, [Role.ADMIN])
    role = NetworkRole.objects.get(network=network, user=staff)
    sheet = practice_sheet(member.association, visibility="network", networks=[network])
    with scopes_disabled():
        share = sheet.shares.get()
    campaign = Campaign.objects.create(
        network=network,
        title=f"Campagne {slug}",
        slug=f"campagne-{slug}",
        starts_on=timezone.localdate(),
        ends_on=timezone.localdate(),
    )
    NetworkNewsletter.objects.create(network=network, subject=f"Lettre {slug}", body="Bonjour")
    return NetworkWorld(network, head, member, request, role, admin, share, campaign)


@dataclass(frozen=True)
class Probe:
    ids: Callable[[NetworkWorld], dict] = lambda w: {}
    fixed: dict = field(default_factory=dict)
    methods: tuple[str, ...] = ("GET",)
    data: Callable[[NetworkWorld], dict] = lambda w: {}


NETWORK_PROBES: dict[str, Probe] = {
    "network:members": Probe(),
    "network:members_export": Probe(fixed={"file_format": "csv"}),
    "network:observatory": Probe(),
    "network:observatory_wave_open": Probe(methods=("POST",)),
    "network:observatory_wave_publish": Probe(methods=("POST",)),
    "network:invitations": Probe(),
    "network:invite": Probe(
        methods=("POST",), data=lambda w: {"association": w.member.association.slug}
    ),
    "network:answer": Probe(
        ids=lambda w: {"membership_id": w.request.pk},
        methods=("POST",),
        data=lambda w: {"decision": "accept"},
    ),
    "network:remove": Probe(ids=lambda w: {"membership_id": w.member.pk}, methods=("POST",)),
    "network:settings": Probe(
        methods=("GET", "POST"), data=lambda w: {"name": "Piraté", "kind": "collective"}
    ),
    "network:team": Probe(
        methods=("GET", "POST"), data=lambda w: {"email": "pirate@example.org", "role": "head"}
    ),
    "network:team_remove": Probe(ids=lambda w: {"role_id": w.role.pk}, methods=("POST",)),
    "network:log": Probe(),
    "network:practices": Probe(),
    "network:campaigns": Probe(
        methods=("GET", "POST"),
        data=lambda w: {"title": "Pirate", "starts_on": "2030-01-01", "ends_on": "2030-01-02"},
    ),
    "network:campaign": Probe(ids=lambda w: {"campaign_id": w.campaign.pk}),
    "network:campaign_invite": Probe(
        ids=lambda w: {"campaign_id": w.campaign.pk}, methods=("POST",)
    ),
    "network:practice_moderate": Probe(
        ids=lambda w: {"share_id": w.share.pk}, methods=("POST",), data=lambda w: {"change": "hide"}
    ),
}


def _newsletter_of(world: NetworkWorld) -> dict:
    """The draft letter of the world's network."""
    return {"newsletter_id": NetworkNewsletter.objects.get(network=world.network).pk}


NETWORK_PROBES.update(
    {
        "network:newsletters": Probe(
            methods=("GET", "POST"), data=lambda w: {"subject": "Pirate", "body": "Pirate"}
        ),
        "network:newsletter": Probe(ids=_newsletter_of),
        "network:newsletter_progress": Probe(ids=_newsletter_of),
        "network:newsletter_send": Probe(ids=_newsletter_of, methods=("POST",)),
    }
)


def _help_request_of(world: NetworkWorld) -> dict:
    """An open request the member association asked of its networks (made on first use)."""
    from maillon.network.models import HelpRequest

    with scopes_disabled():
        found, _ = HelpRequest.objects.get_or_create(
            association=world.member.association,
            title="Demande au réseau",
            defaults={"need": "…", "deliverable": "…", "audiences": ["networks"]},
        )
    return {"help_request_id": found.pk}


def _engagement_of(world: NetworkWorld, *, closed: bool = False) -> dict:
    """The network's offer on that request (closed, with a handover document, when
    ``closed``), made on first use."""
    from django.core.files.base import ContentFile

    from maillon.network.models import Engagement

    request_id = _help_request_of(world)["help_request_id"]
    status = "closed" if closed else "offered"
    with scopes_disabled():
        found = Engagement.objects.filter(help_request_id=request_id, status=status).first()
        if found is None:
            found = Engagement(
                association=world.member.association,
                help_request_id=request_id,
                kind="network",
                network=world.network,
                offered_by=world.head,
                message="…",
                offered_at=timezone.now(),
                status=status,
            )
            if closed:
                found.handover_document.save("passation.txt", ContentFile(b"..."), save=False)
            found.save()
    return {"engagement_id": found.pk}


NETWORK_PROBES.update(
    {
        "network:help": Probe(),
        "network:help_offer": Probe(
            ids=_help_request_of, methods=("GET", "POST"), data=lambda w: {"message": "Pirate"}
        ),
        "network:help_engagement": Probe(ids=_engagement_of),
        "network:help_document": Probe(ids=lambda w: _engagement_of(w, closed=True)),
        "network:help_step": Probe(
            ids=_engagement_of,
            fixed={"step": "message"},
            methods=("POST",),
            data=lambda w: {"body": "Pirate"},
        ),
    }
)


def fill(route: str, probe: Probe, slug: str, ids: dict) -> str:
    values = {"network_slug": slug, **probe.fixed, **ids}
    return "/" + PARAM_RE.sub(lambda m: str(values[m.group("name")]), route)


def snapshot(world: NetworkWorld) -> dict:
    with scopes_disabled():
        return {
            "network": list(type(world.network).objects.filter(pk=world.network.pk).values()),
            "memberships": list(
                NetworkMembership.objects.filter(network=world.network).order_by("pk").values()
            ),
            "team": list(NetworkRole.objects.filter(network=world.network).order_by("pk").values()),
            "campaigns": list(Campaign.objects.filter(network=world.network).values()),
            "newsletters": list(
                NetworkNewsletter.objects.filter(network=world.network).order_by("pk").values()
            ),
            "shares": list(
                PracticeSheetNetwork.objects.filter(network=world.network).order_by("pk").values()
            ),
            "engagements": list(
                Engagement.objects.filter(network=world.network).order_by("pk").values()
            ),
            "engagement_messages": list(
                EngagementMessage.objects.filter(engagement__network=world.network)
                .order_by("pk")
                .values()
            ),
            "observatory_waves": [
                (w.year, w.status) for w in network_waves(network_id=world.network.pk)
            ],
        }


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path  # handover documents of the engagements


@pytest.fixture
def victim():
    return build("victime")


@pytest.fixture
def attacker():
    return build("attaquant")


def test_every_network_url_has_a_probe_and_the_scope():
    assert {"network:members", "network:members_export"} <= set(ROUTES)
    missing = sorted(set(ROUTES) - set(NETWORK_PROBES))
    assert not missing, f"add a probe for {missing} in NETWORK_PROBES"
    for name, route in ROUTES.items():
        path = fill(
            route,
            NETWORK_PROBES[name],
            "x",
            dict.fromkeys(
                (
                    "membership_id",
                    "role_id",
                    "share_id",
                    "campaign_id",
                    "newsletter_id",
                    "help_request_id",
                    "engagement_id",
                ),
                1,
            ),
        )
        view = resolve(path).func
        assert getattr(view, "network_scoped", False), f"{name}: decorate it with network_required"


@pytest.mark.parametrize("name", sorted(ROUTES))
def test_another_networks_staff_and_an_association_admin_get_404(name, victim, attacker):
    probe, route = NETWORK_PROBES[name], ROUTES[name]
    client = Client()
    # Probes make their objects on first use: before the snapshot.
    victim_ids, own_ids = probe.ids(victim), probe.ids(attacker)
    before = snapshot(victim)
    attempts = [fill(route, probe, victim.network.slug, victim_ids)]
    if victim_ids:
        attempts.append(fill(route, probe, attacker.network.slug, victim_ids))
    for who in (attacker.head, victim.association_admin):  # (a) and (c)
        client.force_login(who)
        for path in attempts[:1] if who is victim.association_admin else attempts:
            for method in probe.methods:
                response = (
                    client.get(path) if method == "GET" else client.post(path, probe.data(victim))
                )
                assert response.status_code == 404, (name, who.email, method, path)
    assert snapshot(victim) == before, f"{name} changed the victim network"
    # The same probe reaches the attacker's own network: the 404s are isolation.
    client.force_login(attacker.head)
    for method in probe.methods:
        path = fill(route, probe, attacker.network.slug, own_ids)
        response = client.get(path) if method == "GET" else client.post(path, probe.data(attacker))
        assert response.status_code in (200, 302), (name, method, response.status_code)


def test_an_anonymous_visitor_is_asked_to_sign_in(victim):
    assert Client().get(f"/n/{victim.network.slug}/").status_code == 302
    assert Client().get("/n/nowhere/").status_code == 404


def _with_private_figures(association):
    """7 active members and a diagnostic scored 83: figures the network must not see
    while the association does not share them."""
    for _n in range(7):
        MembershipPeriodFactory(person=PersonFactory(association=association))
    with scopes_disabled():
        Diagnostic.objects.create(
            association=association,
            questionnaire_version=1,
            status=DiagnosticStatus.COMPLETED,
            completed_at=timezone.now(),
            scores={"overall": 83, "level": "experimentee"},
        )


def _cell(html: str, code: str) -> str:
    match = re.search(rf'data-code="{re.escape(code)}">(.*?)</td>', html, re.S)
    assert match, code
    return re.sub(r"<[^>]+>", "", match.group(1)).strip()


def test_the_network_sees_only_what_each_member_consents_to_on_the_next_request(victim):
    """(b) staff of this network, about a member that consents to nothing, then to
    its diagnostic only, then to nothing again."""
    membership = victim.member
    _with_private_figures(membership.association)
    client = Client()
    client.force_login(victim.head)
    url = f"/n/{victim.network.slug}/"

    html = client.get(url).content.decode()
    assert membership.association.name in html  # the directory card
    assert _cell(html, "members.active").startswith("—")
    assert _cell(html, "strategy.diagnostic_score").startswith("—")
    csv = _csv(client, url)
    assert "83" not in csv and ";7;" not in csv

    with scopes_disabled():
        membership.shared_families = ["diagnostic"]
        membership.save()
    html = client.get(url).content.decode()
    assert _cell(html, "strategy.diagnostic_score") == "83"
    assert _cell(html, "level") in ("Expérimentée", "Experienced")
    assert _cell(html, "members.active").startswith("—")
    assert "83" in _csv(client, url)

    with scopes_disabled():
        membership.status = MembershipStatus.LEFT
        membership.save()
    html = client.get(url).content.decode()
    assert membership.association.name not in html
    assert "83" not in _csv(client, url)


def _csv(client, url: str) -> str:
    """The streamed CSV export, read to the end."""
    return b"".join(client.get(url + "members/export.csv").streaming_content).decode()


def test_staff_role_cannot_manage_the_team_or_the_network(victim):
    client = Client()
    staff = victim.role.user
    client.force_login(staff)
    slug = victim.network.slug
    assert client.get(f"/n/{slug}/").status_code == 200
    assert client.get(f"/n/{slug}/settings/").status_code == 403
    assert client.get(f"/n/{slug}/invitations/").status_code == 403
    assert (
        client.post(f"/n/{slug}/team/", {"email": staff.email, "role": "head"}).status_code == 403
    )
