"""The demo's networks: a departmental sports federation (Ille-et-Vilaine) and a
neighbourhood collective (la Croix-Rousse, Lyon), each with member associations that
share different data families, a pending invitation or request, a campaign, and
thirty practice sheets in French. Built through the services (handshake, consents,
sheets), so both audit logs look real. Idempotent: skipped when the networks exist."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django_scopes import scope, scopes_disabled

from maillon.associations.models import Association, Module
from maillon.associations.services import association_create, modules_update
from maillon.network.campaigns.services import network_campaign_create
from maillon.network.memberships import services as memberships
from maillon.network.models import Network, NetworkKind, NetworkRole, NetworkStatus
from maillon.network.practices import services as practices
from maillon.taxonomy.models import Department, Sector

from .accounts import ensure_user
from .common import DemoRun
from .network_sheets import SHEETS


@dataclass(frozen=True)
class DemoMember:
    slug: str
    name: str = ""  # created when it does not exist
    city: str = ""
    postal_code: str = ""
    sector: str = "sport"
    size_band: str = "none"
    shares: tuple[str, ...] = ()
    status: str = "active"  # or "invited" / "requested"


@dataclass(frozen=True)
class DemoNetwork:
    slug: str
    name: str
    kind: str
    sector: str
    department: str
    description: str
    head: tuple[str, str]  # email, full name
    coordinator: tuple[str, str]
    members: tuple[DemoMember, ...]
    campaign: str


NETWORKS = (
    DemoNetwork(
        slug="federation-sportive-35",
        name="Fédération sportive d’Ille-et-Vilaine",
        kind=NetworkKind.FEDERATION,
        sector="sport",
        department="35",
        description="Union départementale des clubs sportifs associatifs : formation des "
        "bénévoles, campagnes communes, échanges de pratiques entre clubs.",
        head=("federation@maillon.test", "Yannick Le Bihan"),
        coordinator=("coordination@fs35.test", "Nolwenn Guéguen"),
        members=(
            DemoMember("us-prairies-rennes", shares=("diagnostic",)),
            DemoMember(
                "rennes-basket-citoyen",
                "Rennes Basket Citoyen",
                "Rennes",
                "35200",
                size_band="1-2",
                shares=("members", "governance", "volunteering", "diagnostic", "plan"),
            ),
            DemoMember(
                "cercle-voile-saint-malo",
                "Cercle de voile de Saint-Malo",
                "Saint-Malo",
                "35400",
                size_band="3-9",
                shares=("members", "governance"),
            ),
            DemoMember("judo-club-fougeres", "Judo club de Fougères", "Fougères", "35300"),
            DemoMember(
                "vitre-athletisme",
                "Vitré Athlétisme",
                "Vitré",
                "35500",
                shares=("diagnostic", "plan"),
            ),
            DemoMember(
                "badminton-redon", "Badminton Redon", "Redon", "35600", shares=("volunteering",)
            ),
            DemoMember(
                "tennis-de-table-dinard",
                "Tennis de table de Dinard",
                "Dinard",
                "35800",
                status="invited",
            ),
        ),
        campaign="Semaine du sport pour tous",
    ),
    DemoNetwork(
        slug="collectif-croix-rousse",
        name="Collectif des associations de la Croix-Rousse",
        kind=NetworkKind.COLLECTIVE,
        sector="leisure",
        department="69",
        description="Les associations du plateau et des pentes de la Croix-Rousse mettent "
        "en commun leurs pratiques, leur agenda et leurs coups de main.",
        head=("collectif@maillon.test", "Claire Berthier"),
        coordinator=("animation@collectif-croix-rousse.test", "Samir Haddad"),
        members=(
            DemoMember(
                "amis-croix-rousse",
                shares=("members", "governance", "volunteering", "diagnostic", "plan"),
            ),
            DemoMember(
                "jardin-partage-boucle",
                "Jardin partagé de la Boucle",
                "Lyon",
                "69004",
                sector="environment",
                shares=("diagnostic",),
            ),
            DemoMember(
                "ludotheque-des-pentes",
                "Ludothèque des Pentes",
                "Lyon",
                "69001",
                sector="leisure",
                size_band="1-2",
            ),
            DemoMember(
                "repair-cafe-croix-rousse",
                "Repair café Croix-Rousse",
                "Lyon",
                "69004",
                sector="environment",
                shares=("members", "volunteering"),
            ),
            DemoMember(
                "chorale-du-plateau",
                "Chorale du Plateau",
                "Lyon",
                "69004",
                sector="culture",
                status="requested",
            ),
        ),
        campaign="Fête des associations du plateau",
    ),
)


def _association(run: DemoRun, member: DemoMember) -> Association | None:
    association = Association.objects.filter(slug=member.slug).first()
    if association is not None or not member.name:
        return association
    admin = ensure_user(run, f"bureau@{member.slug}.test", f"Bureau {member.name}")
    with scopes_disabled():
        association = association_create(
            actor=admin,
            slug=member.slug,
            name=member.name,
            purpose="Association membre d’un réseau de démonstration.",
            sector=Sector.objects.get(code=member.sector),
            size_band=member.size_band,
            postal_code=member.postal_code,
            city=member.city,
            contact_email=f"contact@{member.slug}.test",
        )
    with scope(association=association):
        modules_update(
            association=association,
            actor=admin,
            modules=[*association.enabled_modules, Module.NETWORK, Module.STRATEGY],
        )
    return association


def _admin_of(association: Association):
    from maillon.members.models import RoleAssignment

    with scopes_disabled():
        assignment = (
            RoleAssignment.objects.filter(association=association, role="admin")
            .select_related("person__user")
            .order_by("id")
            .first()
        )
    return assignment.person.user


def _join(network: Network, head, member: DemoMember, association: Association) -> None:
    admin = _admin_of(association)
    if not association.has_module(Module.NETWORK):
        with scope(association=association):
            modules_update(
                association=association,
                actor=admin,
                modules=[*association.enabled_modules, Module.NETWORK],
            )
    if member.status == "requested":
        memberships.membership_request(association=association, actor=admin, network=network)
        return
    membership = memberships.membership_invite(network=network, actor=head, association=association)
    if member.status == "invited":
        return
    memberships.membership_answer_invitation(
        association=association, actor=admin, membership=membership, accept=True
    )
    memberships.membership_consent_set(
        association=association, actor=admin, membership=membership, families=list(member.shares)
    )


def seed_network(run: DemoRun, spec: DemoNetwork) -> None:
    if Network.objects.filter(slug=spec.slug).exists():
        run.kept(f"= {spec.slug}: network already there, left unchanged")
        return
    head = ensure_user(run, *spec.head)
    coordinator = ensure_user(run, *spec.coordinator)
    network = Network.objects.create(
        slug=spec.slug,
        name=spec.name,
        kind=spec.kind,
        sector=Sector.objects.get(code=spec.sector),
        description=spec.description,
        contact_email=spec.head[0],
        status=NetworkStatus.ACTIVE,
    )
    network.departments.set(Department.objects.filter(code=spec.department))
    NetworkRole.objects.create(network=network, user=head, role="head")
    NetworkRole.objects.create(network=network, user=coordinator, role="coordinator")
    for member in spec.members:
        association = _association(run, member)
        if association is not None:
            _join(network, head, member, association)
    network_campaign_create(
        network=network,
        actor=head,
        title=spec.campaign,
        starts_on=run.today + datetime.timedelta(days=30),
        ends_on=run.today + datetime.timedelta(days=37),
        description="Portes ouvertes, initiations et rencontres dans toutes les associations.",
    )
    run.added(f"+ {spec.slug}: network with {len(spec.members)} associations")


def seed_practice_sheets(run: DemoRun) -> None:
    """The thirty sheets, written by each association's administrator and shared."""
    from maillon.network.memberships.selectors import member_networks

    written = 0
    for (slug, visibility, title, problem, done, results, tools, kinds, pitfalls, domains,
         hours, euros) in SHEETS:  # fmt: skip
        association = Association.objects.filter(slug=slug).first()
        if association is None:
            continue
        with scope(association=association):
            from maillon.network.models import PracticeSheet

            if PracticeSheet.objects.filter(association=association, title=title).exists():
                continue
            admin = _admin_of(association)
            sheet = practices.practice_sheet_create(
                association=association,
                actor=admin,
                title=title,
                problem=problem,
                what_was_done=done,
                results=results,
                tools=tools,
                tool_kinds=kinds,
                pitfalls=pitfalls,
                domains=domains,
                time_spent_hours=hours,
                money_spent=abs(euros),
                size_band=association.size_band,
                sector=association.sector,
            )
            networks = list(member_networks(association=association))
            if visibility == "network" and not networks:
                visibility = "public"
            practices.practice_sheet_publish(
                association=association,
                actor=admin,
                sheet=sheet,
                visibility=visibility,
                networks=networks,
            )
            written += 1
    if written:
        run.added(f"+ practice sheets: {written} written and shared")
