"""The governance of a demo association: a past general assembly (held, its paper
votes published and its minutes approved), an upcoming convened one with paper
proxies, and an open member proposal, all through the governance services.

Added to the associations of ``GOVERNANCE_DEMOS``; each assembly and the proposal are
recognised by their title. The services refuse to convene an assembly in the past, so
a past assembly is convened a month ahead, held, and its dates are moved back
afterwards (the audit log keeps the moment the seed ran, as for the rest of the demo).
Convocations are sent by a task: the caller runs tasks immediately, into a dummy email
backend."""

from __future__ import annotations

import datetime
import random
import zoneinfo
from dataclasses import dataclass
from typing import NamedTuple

from django.db import transaction
from django.utils import translation
from django_scopes import scope

from maillon.accounts.models import User
from maillon.associations.models import Association, Module
from maillon.associations.services import modules_update
from maillon.demo.builders.common import DemoRun, at
from maillon.governance.assemblies.services import (
    agenda_item_create,
    assembly_approve_minutes,
    assembly_close,
    assembly_convene,
    assembly_create,
    assembly_open,
    attendance_record,
    proxy_record_paper,
)
from maillon.governance.consultations.services import proposal_create, proposal_support
from maillon.governance.minutes.services import minutes_generate
from maillon.governance.models import (
    Assembly,
    AssemblyKind,
    AssemblyMode,
    Attendance,
    Convocation,
    Minutes,
    Participation,
    Poll,
    PollKind,
    Proposal,
    Proxy,
    RollEntry,
    VoteChannel,
)
from maillon.governance.polls.ballots import ballot_cast
from maillon.governance.polls.services import poll_close, poll_create, poll_open, poll_publish


@dataclass(frozen=True)
class DemoPoll:
    title: str
    kind: str
    resolution: str = ""
    options: tuple[str, ...] = ()
    seats: int = 1
    # Paper ballots of the past assembly, drawn by weight: "yes"/"no"/"abstain"/"" (blank)
    # for a yes/no poll, option labels for an election ("" is a blank ballot).
    weights: tuple[tuple[str, int], ...] = ()


@dataclass(frozen=True)
class DemoAgendaItem:
    title: str
    description: str = ""
    polls: tuple[DemoPoll, ...] = ()


@dataclass(frozen=True)
class DemoAssembly:
    title: str
    kind: str
    mode: str
    days_from_today: int  # negative: held that many days ago
    place: str
    agenda: tuple[DemoAgendaItem, ...]
    description: str = ""
    online_link: str = ""
    paper_proxies: int = 0  # recorded by the secretary
    present_share: float = 0.0  # of the voters, checked in (past assemblies only)


@dataclass(frozen=True)
class DemoGovernance:
    slug: str
    president: str  # emails of accounts of the association
    secretary: str
    assemblies: tuple[DemoAssembly, ...]
    proposal_author: str
    proposal_title: str
    proposal_body: str
    proposal_supporters: tuple[str, ...]


# fmt: off
GOVERNANCE_DEMOS: tuple[DemoGovernance, ...] = (
    DemoGovernance(
        slug="amis-croix-rousse",
        president="presidente@amis-croix-rousse.test",
        secretary="secretaire@amis-croix-rousse.test",
        assemblies=(
            DemoAssembly(
                title="Assemblée générale ordinaire annuelle",
                kind=AssemblyKind.ORDINARY, mode=AssemblyMode.IN_PERSON, days_from_today=-120,
                place="Salle des fêtes de la Croix-Rousse, place Joannès-Ambre, Lyon 4e",
                description="Bilan de l'année, comptes de l'exercice et renouvellement du conseil.",
                paper_proxies=4, present_share=0.4,
                agenda=(
                    DemoAgendaItem(
                        "Rapport moral et d'activité",
                        "Présenté par la présidente : fête des voisins, jardin partagé, "
                        "repair café.",
                        polls=(DemoPoll(
                            "Approbation du rapport moral", PollKind.YES_NO,
                            resolution="L'assemblée générale approuve le rapport moral "
                                       "présenté par la présidente.",
                            weights=(("yes", 16), ("no", 2), ("abstain", 2), ("", 1)),
                        ),),
                    ),
                    DemoAgendaItem(
                        "Élection au conseil d'administration",
                        "Deux sièges à pourvoir ; trois candidatures reçues.",
                        polls=(DemoPoll(
                            "Élection de deux administrateurs", PollKind.ELECTION,
                            options=("Paulette Chambon", "Roger Vial", "Simone Perret"),
                            seats=2,
                            weights=(("Paulette Chambon", 9), ("Roger Vial", 5),
                                     ("Simone Perret", 7), ("", 1)),
                        ),),
                    ),
                    DemoAgendaItem("Questions diverses"),
                ),
            ),
            DemoAssembly(
                title="Assemblée générale extraordinaire : révision des statuts",
                kind=AssemblyKind.EXTRAORDINARY, mode=AssemblyMode.HYBRID, days_from_today=24,
                place="Maison des associations, 28 rue Denfert-Rochereau, Lyon 4e",
                online_link="https://visio.amis-croix-rousse.test/age",
                description="Mise à jour des statuts : vote électronique et cotisation solidaire.",
                paper_proxies=3,
                agenda=(
                    DemoAgendaItem(
                        "Autoriser le vote en ligne aux assemblées générales",
                        "Nouvel article 12 : participation et vote à distance.",
                        polls=(DemoPoll(
                            "Modification de l'article 12 des statuts", PollKind.YES_NO,
                            resolution="L'assemblée générale extraordinaire adopte la nouvelle "
                                       "rédaction de l'article 12 des statuts.",
                        ),),
                    ),
                    DemoAgendaItem(
                        "Créer une cotisation solidaire",
                        "Cotisation à 2 € pour les bénéficiaires de minima sociaux.",
                    ),
                    DemoAgendaItem("Questions diverses"),
                ),
            ),
        ),
        proposal_author="membre@amis-croix-rousse.test",
        proposal_title="Installer une boîte à livres devant le jardin partagé",
        proposal_body=(
            "Une boîte à livres en bois de récupération, fabriquée au repair café, devant "
            "l'entrée du jardin partagé rue Dumenge. Coût estimé : 150 € de quincaillerie."
        ),
        proposal_supporters=("presidente@amis-croix-rousse.test",
                             "secretaire@amis-croix-rousse.test",
                             "tresorier@amis-croix-rousse.test"),
    ),
)
# fmt: on


class Voters(NamedTuple):
    """The roll's voters in a shuffled order: the first give a paper proxy to the next."""

    all: list[RollEntry]
    givers: list[RollEntry]
    holders: list[RollEntry]


def seed_governance(run: DemoRun, spec: DemoGovernance) -> None:
    association = Association.objects.filter(slug=spec.slug).first()
    if association is None:
        return
    with scope(association=association):
        president = User.objects.get(email__iexact=spec.president)
        if not association.has_module(Module.GOVERNANCE):
            modules_update(
                association=association,
                actor=president,
                modules=[*association.enabled_modules, Module.GOVERNANCE],
            )
        for demo in spec.assemblies:
            if Assembly.objects.filter(association=association, title=demo.title).exists():
                run.kept(f"= {spec.slug}: “{demo.title}” already there")
                continue
            with transaction.atomic():
                summary = create_assembly(run, association, spec, demo)
            run.added(f"+ {spec.slug}: “{demo.title}”, {summary}")
        seed_proposal(run, association, spec)


def seed_proposal(run: DemoRun, association, spec: DemoGovernance) -> None:
    """A member's proposal with the support of the bureau."""
    if Proposal.objects.filter(association=association, title=spec.proposal_title).exists():
        run.kept(f"= {spec.slug}: proposal already there")
        return
    with transaction.atomic():
        author = User.objects.get(email__iexact=spec.proposal_author)
        proposal = proposal_create(
            association=association,
            actor=author,
            title=spec.proposal_title,
            body=spec.proposal_body,
        )
        for email in spec.proposal_supporters:
            proposal_support(
                association=association,
                actor=User.objects.get(email__iexact=email),
                proposal=proposal,
            )
    run.added(f"+ {spec.slug}: a proposal with {len(spec.proposal_supporters)} supports")


def create_assembly(run: DemoRun, association, spec: DemoGovernance, demo: DemoAssembly) -> str:
    """Prepared, convened, with paper proxies. A past assembly is then held: members
    checked in, paper ballots entered by the secretary, votes closed and published,
    session closed, minutes written and approved; its dates are moved back afterwards.
    Returns a summary for the command's output."""
    rng = random.Random(f"{spec.slug}:{demo.title}")  # noqa: S311 - reproducible demo
    president = User.objects.get(email__iexact=spec.president)
    secretary = User.objects.get(email__iexact=spec.secretary)
    tz = zoneinfo.ZoneInfo(association.time_zone)
    held = demo.days_from_today < 0
    day = run.today + datetime.timedelta(days=demo.days_from_today)
    # A past assembly is first convened a month ahead, with the statutes' notice.
    convene_for = run.today + datetime.timedelta(days=30) if held else day

    assembly, polls = prepare_assembly(
        association, president, demo, at(tz, convene_for, 18, 30), at(tz, convene_for, 21)
    )
    assembly = assembly_convene(association=association, actor=president, assembly=assembly)
    voters = record_paper_proxies(association, secretary, assembly, demo, rng)
    if not held:
        return f"convened, {len(demo.agenda)} agenda items, {len(voters.givers)} proxies"

    present = hold_assembly(association, president, secretary, assembly, demo, voters)
    for poll, poll_demo in polls:
        vote_on_paper(
            association, president, secretary, poll, poll_demo, [*present, *voters.givers], rng
        )
    assembly_close(association=association, actor=president, assembly=assembly)
    move_dates_back(assembly, [poll for poll, _demo in polls], tz, day)
    approve_minutes(association, president, secretary, assembly, tz, day)
    return (
        f"held {-demo.days_from_today} days ago: {len(present)} present, "
        f"{len(voters.givers)} represented, {len(polls)} published votes, minutes approved"
    )


def prepare_assembly(
    association,
    president: User,
    demo: DemoAssembly,
    starts_at: datetime.datetime,
    ends_at: datetime.datetime,
) -> tuple[Assembly, list[tuple[Poll, DemoPoll]]]:
    """The assembly, its agenda and its polls, before the convocation."""
    assembly = assembly_create(
        association=association,
        actor=president,
        kind=demo.kind,
        mode=demo.mode,
        title=demo.title,
        description=demo.description,
        place=demo.place,
        online_link=demo.online_link,
        starts_at=starts_at,
        ends_at=ends_at,
    )
    polls: list[tuple[Poll, DemoPoll]] = []
    for item_demo in demo.agenda:
        item = agenda_item_create(
            association=association,
            actor=president,
            assembly=assembly,
            title=item_demo.title,
            description=item_demo.description,
        )
        for poll_demo in item_demo.polls:
            poll = poll_create(
                association=association,
                actor=president,
                assembly=assembly,
                agenda_item=item,
                title=poll_demo.title,
                kind=poll_demo.kind,
                resolution=poll_demo.resolution,
                options=poll_demo.options,
                seats=poll_demo.seats,
            )
            polls.append((poll, poll_demo))
    return assembly, polls


def record_paper_proxies(
    association, secretary: User, assembly: Assembly, demo: DemoAssembly, rng: random.Random
) -> Voters:
    """``demo.paper_proxies`` voters give a proxy on paper, entered by the secretary."""
    voters = list(
        RollEntry.objects.filter(assembly=assembly, may_vote=True)
        .select_related("person")
        .order_by("id")
    )
    rng.shuffle(voters)
    givers = voters[: demo.paper_proxies]
    holders = voters[demo.paper_proxies : demo.paper_proxies * 2]
    for n, giver in enumerate(givers):
        proxy_record_paper(
            association=association,
            actor=secretary,
            assembly=assembly,
            giver_entry=giver,
            holder_entry=holders[n % max(1, len(holders) // 2)],
        )
    return Voters(voters, givers, holders)


def hold_assembly(
    association,
    president: User,
    secretary: User,
    assembly: Assembly,
    demo: DemoAssembly,
    voters: Voters,
) -> list[RollEntry]:
    """The session opened and the members present checked in; returns them."""
    assembly_open(association=association, actor=president, assembly=assembly)
    others = voters.all[demo.paper_proxies :]
    present = others[: max(len(voters.holders), round(len(voters.all) * demo.present_share))]
    for entry in present:
        attendance_record(association=association, actor=secretary, assembly=assembly, entry=entry)
    return present


def vote_on_paper(
    association,
    president: User,
    secretary: User,
    poll: Poll,
    poll_demo: DemoPoll,
    entries: list[RollEntry],
    rng: random.Random,
) -> None:
    """The poll opened, a paper ballot per entry entered by the secretary, the poll
    closed and its results published."""
    poll_open(association=association, actor=president, poll=poll)
    option_ids = {o.label: o.pk for o in poll.options.all()}
    # The weights as a shuffled urn: each ballot takes the next ``seats`` marks
    # (an election keeps the different names; "" alone is a blank ballot).
    urn = [c for c, weight in poll_demo.weights for _n in range(weight)]
    rng.shuffle(urn)
    for n, entry in enumerate(entries):
        marks = {urn[(n * poll.seats + k) % len(urn)] for k in range(poll.seats)}
        choice: list[int] | str
        if poll.kind == PollKind.ELECTION:
            choice = sorted(option_ids[c] for c in marks if c) or "blank"
        else:
            choice = marks.pop() or "blank"
        ballot_cast(
            association=association,
            actor=secretary,
            poll=poll,
            entry=entry,
            choice=choice,
            channel=VoteChannel.PAPER,
        )
    poll_close(association=association, actor=president, poll=poll)
    poll_publish(association=association, actor=president, poll=poll)


def move_dates_back(
    assembly: Assembly, polls: list[Poll], tz: datetime.tzinfo, day: datetime.date
) -> None:
    """Convened three weeks before ``day``, held that evening, each vote half an hour."""
    convened = at(tz, day - datetime.timedelta(days=21), 10)
    Assembly.objects.filter(pk=assembly.pk).update(
        created_at=convened - datetime.timedelta(days=7),
        starts_at=at(tz, day, 18, 30),
        ends_at=at(tz, day, 21),
        convened_at=convened,
        roll_reference_date=convened.date(),
        opened_at=at(tz, day, 18, 40),
        closed_at=at(tz, day, 20, 50),
    )
    Convocation.objects.filter(assembly=assembly).update(sent_at=convened)
    Proxy.objects.filter(assembly=assembly).update(created_at=at(tz, day, 10))
    Attendance.objects.filter(assembly=assembly).update(checked_in_at=at(tz, day, 18, 25))
    for n, poll in enumerate(polls):
        Poll.objects.filter(pk=poll.pk).update(
            created_at=convened - datetime.timedelta(days=1),
            opened_at=at(tz, day, 19, 10 + 30 * n),
            closed_at=at(tz, day, 19, 25 + 30 * n),
            published_at=at(tz, day, 19, 28 + 30 * n),
        )
        Participation.objects.filter(poll=poll).update(created_at=at(tz, day, 19, 15 + 30 * n))


def approve_minutes(
    association,
    president: User,
    secretary: User,
    assembly: Assembly,
    tz: datetime.tzinfo,
    day: datetime.date,
) -> None:
    """Minutes written by the secretary three days after, approved at the next board
    meeting."""
    assembly = Assembly.objects.select_related("association").get(pk=assembly.pk)
    with translation.override("fr"):  # the text is written in the active language
        minutes = minutes_generate(association=association, actor=secretary, assembly=assembly)
    assembly_approve_minutes(association=association, actor=president, assembly=assembly)
    # The approval service only moves the assembly's status, so the minutes' own
    # approval date is written here.
    approved = at(tz, day + datetime.timedelta(days=20), 20)
    Minutes.objects.filter(pk=minutes.pk).update(
        created_at=at(tz, day + datetime.timedelta(days=3), 21),
        updated_at=approved,
        approved_at=approved,
    )
    Assembly.objects.filter(pk=assembly.pk).update(minutes_approved_at=approved)
