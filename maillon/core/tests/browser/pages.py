"""The main pages of every role, in one place: the accessibility and phone checks of
``test_pages.py`` (axe-core, WCAG 2.1 AA and 2.2 AA, at desktop width and at 375 px;
no sideways scrolling at 320 and 375 px; title and main action on the first screen)
visit each of them. **A page added later is covered by adding one line to PAGES.**

Paths are formatted with the ids of the small world that ``build_world`` makes: one
association with every module switched on, a person of each role with an account, an
assembly in session with an open poll, a quick poll, a mission with applications, an
event today, a news item, volunteer hours."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.utils import timezone
from django_scopes import scope, scopes_disabled

from maillon.accounts.tests.factories import UserFactory
from maillon.associations.tests.factories import AssociationFactory
from maillon.members.models import Role
from maillon.members.tests.factories import (
    MembershipPeriodFactory,
    PersonFactory,
    member_with_account,
)

PASSWORD = "Traboule-Gros-Caillou-1998!"
SLUG = "amis-croix-rousse"
A = f"/a/{SLUG}"

#: The account each role signs in with (public: nobody signed in).
ROLE_EMAILS = {
    "public": None,
    "member": "bruno.vial@example.org",
    "secretary": "camille.perret@example.org",
    "treasurer": "denis.roux@example.org",
    "volunteer": "emma.faure@example.org",
    "admin": "helene.garnier@example.org",
}


#: A form's first field: on a long form page, filling it in is the main action.
FIRST_FIELD = "main form:not([role=search]) :is(input:not([type=hidden]), select, textarea)"


@dataclass(frozen=True)
class MainPage:
    """``path`` (formatted with the world's ids) seen by ``role``; ``action``: a CSS
    selector of the page's main action, which must be on the first screen at 375 px
    (None: the page is read, its links are the action)."""

    role: str
    path: str
    action: str | None = None


PAGES: list[MainPage] = [
    # Public: searching, reading, signing in.
    MainPage("public", "/", "main form[role=search] [type=submit], main .button"),
    MainPage("public", "/missions/", "main form [type=submit]"),
    MainPage("public", "/missions/{mission}/", "main .main-action a"),
    MainPage("public", "/events/", "main form [type=submit]"),
    MainPage("public", "/events/{event}/", "main .jump-to-action a"),
    MainPage("public", "/associations/", "main form [type=submit]"),
    MainPage("public", f"/associations/{SLUG}/", "main .main-action a"),
    MainPage("public", "/accounts/login/", "main form [type=submit]"),
    MainPage("public", "/accounts/signup/"),
    MainPage("public", "/privacy/"),
    MainPage("public", "/observatory/"),
    MainPage("public", "/observatory/{wave_year}/methodology/"),
    MainPage("public", "/observatory/trends/"),
    # Member: their space, the overview, the assembly and its vote, events, news.
    MainPage("member", "/me/", ".your-turn a"),
    MainPage("member", f"{A}/", ".your-turn a"),
    MainPage("member", f"{A}/governance/"),
    MainPage("member", f"{A}/governance/assemblies/{{assembly}}/", "main .page-header .button"),
    MainPage("member", f"{A}/governance/polls/{{poll}}/#ballot", "main form [type=submit]"),
    MainPage("member", f"{A}/governance/consultations/"),
    MainPage("member", f"{A}/governance/consultations/polls/{{quick_poll}}/"),
    MainPage("member", f"{A}/events/"),
    MainPage("member", f"{A}/news/"),
    MainPage("member", f"{A}/volunteering/my-hours/"),
    MainPage("member", "/events/mine/"),
    MainPage("member", f"/me/a/{SLUG}/"),
    MainPage("member", f"/me/a/{SLUG}/details/", FIRST_FIELD),
    # Secretary: the register, join requests, the roll, attendance, proxies, recording.
    MainPage("secretary", f"{A}/members/", "main .page-header .button"),
    MainPage("secretary", f"{A}/members/{{person}}/"),
    MainPage("secretary", f"{A}/members/new/"),
    MainPage("secretary", f"{A}/members/join-requests/"),
    MainPage("secretary", f"{A}/governance/assemblies/{{assembly}}/roll/"),
    MainPage("secretary", f"{A}/governance/assemblies/{{assembly}}/attendance/"),
    MainPage("secretary", f"{A}/governance/assemblies/{{assembly}}/proxies/"),
    MainPage("secretary", f"{A}/governance/polls/{{poll}}/record/"),
    # Treasurer: fees in the register, the valuation of volunteering.
    MainPage("treasurer", "/me/"),
    MainPage("treasurer", f"{A}/members/"),
    MainPage("treasurer", f"{A}/volunteering/valuation/"),
    MainPage("treasurer", f"{A}/members/fees/"),
    MainPage("treasurer", f"{A}/members/fees/letters/"),
    MainPage("treasurer", f"{A}/payments/", FIRST_FIELD),
    MainPage("treasurer", f"{A}/payments/reconcile/"),
    MainPage("treasurer", f"{A}/funding/", "main .page-header .button"),
    MainPage("treasurer", f"{A}/funding/receipts/"),
    # Volunteer: missions for them, applications, hours.
    MainPage("volunteer", "/me/", ".your-turn a"),
    MainPage("volunteer", f"{A}/"),
    MainPage("volunteer", f"{A}/volunteering/my-hours/", FIRST_FIELD),
    MainPage("volunteer", "/me/volunteering/applications/"),
    MainPage("volunteer", "/me/volunteering/hours/"),
    MainPage("volunteer", "/me/volunteering/suggestions/"),
    # Association admin: settings, audit, strategy, volunteering, events back-office.
    MainPage("admin", f"{A}/", ".your-turn a"),
    MainPage("admin", f"{A}/settings/", FIRST_FIELD),
    MainPage("admin", f"{A}/settings/modules/"),
    MainPage("admin", f"{A}/settings/statutes/"),
    MainPage("admin", f"{A}/audit/"),
    MainPage("admin", f"{A}/strategy/"),
    MainPage("admin", f"{A}/strategy/plan/"),
    MainPage("admin", f"{A}/volunteering/missions/", "main .button"),
    MainPage("admin", f"{A}/volunteering/applications/"),
    MainPage("admin", f"{A}/volunteering/hours/"),
    MainPage("admin", f"{A}/volunteering/dashboard/"),
    MainPage("admin", f"{A}/events/", "main .button"),
    MainPage("admin", f"{A}/events/{{event}}/registrations/"),
    MainPage("admin", f"{A}/news/"),
]


def pages_of(role: str) -> list[MainPage]:
    return [p for p in PAGES if p.role == role]


def _person(association, roles, email, first_name, last_name):
    user = UserFactory(email=email, password=PASSWORD, full_name=f"{first_name} {last_name}")
    person = PersonFactory(
        association=association,
        user=user,
        email=email,
        first_name=first_name,
        last_name=last_name,
        roles=roles,
    )
    return user, person


def _published_wave() -> int:
    """A small published observatory wave (twelve consenting associations with a
    completed diagnostic each, published by an instance administrator); its year."""
    from maillon.observatory.tests.factories import (
        answers_for,
        completed_diagnostic,
        national_margins,
    )
    from maillon.observatory.waves.services import wave_consent_set, wave_open, wave_publish

    staff = UserFactory(is_staff=True)
    national_margins()
    wave = wave_open(actor=staff, year=timezone.localdate().year)
    for i in range(12):
        association = AssociationFactory()
        head = member_with_account(association, [Role.ADMIN])
        completed_diagnostic(association, answers_for(i, ("none", "3-9", "50+")[i % 3]))
        with scope(association=association):
            wave_consent_set(association=association, actor=head, wave=wave, consented=True)
    return wave_publish(actor=staff, wave=wave).year


def build_world() -> dict[str, int]:
    """The association and its records; returns the ids the paths need."""
    from maillon.communication.tests.factories import PostFactory
    from maillon.events.tests.factories import make_event, make_registration
    from maillon.governance.models import AssemblyMode, AssemblyStatus, Poll, PollStatus
    from maillon.governance.tests.factories import AgendaItemFactory, convened_assembly
    from maillon.volunteering.models import HoursStatus, VolunteerHours
    from maillon.volunteering.tests.factories import (
        ApplicationFactory,
        ApplicationMessageFactory,
        MissionFactory,
    )

    association = AssociationFactory(name="Les Amis de la Croix-Rousse", slug=SLUG)
    _, admin = _person(
        association,
        [Role.ADMIN, Role.PRESIDENT, Role.MEMBER],
        ROLE_EMAILS["admin"],
        "Hélène",
        "Garnier",
    )
    member_user, member = _person(
        association, [Role.MEMBER], ROLE_EMAILS["member"], "Bruno", "Vial"
    )
    _person(
        association, [Role.SECRETARY, Role.MEMBER], ROLE_EMAILS["secretary"], "Camille", "Perret"
    )
    _person(association, [Role.TREASURER, Role.MEMBER], ROLE_EMAILS["treasurer"], "Denis", "Roux")
    volunteer_user, volunteer = _person(
        association, [Role.VOLUNTEER], ROLE_EMAILS["volunteer"], "Emma", "Faure"
    )
    others = [
        PersonFactory(association=association, first_name=first, last_name=last, city="Lyon")
        for first, last in [
            ("Jeanne", "Bégoc-Bréhault"),
            ("Marc-Antoine", "Caën"),
            ("Louise", "Évrard"),
            ("Sébastien", "Du Pont de la Croix-Rousse"),
            ("Inès", "Martin"),
        ]
    ]
    for person in [member, *others[:3]]:
        MembershipPeriodFactory(person=person)
    assembly = convened_assembly(
        association,
        title="Assemblée générale ordinaire 2025",
        mode=AssemblyMode.HYBRID,
        starts_at=timezone.now() - datetime.timedelta(minutes=30),
    )
    AgendaItemFactory(assembly=assembly, position=1, title="Rapport moral")
    with scopes_disabled():
        assembly.status = AssemblyStatus.OPEN
        assembly.opened_at = timezone.now()
        assembly.save(update_fields=["status", "opened_at"])
        poll = Poll.objects.create(
            association=association,
            assembly=assembly,
            title="Approbation du rapport moral",
            resolution="L’assemblée approuve le rapport moral de la présidente.",
            kind="yes_no",
            status=PollStatus.OPEN,
            opened_at=timezone.now(),
        )
        quick_poll = Poll.objects.create(
            association=association,
            title="Quel soir pour la réunion de rentrée ?",
            kind="multiple",
            status=PollStatus.OPEN,
            opened_at=timezone.now(),
        )
        for position, label in enumerate(["Mardi", "Jeudi"]):
            quick_poll.options.create(association=association, label=label, position=position)
    mission = MissionFactory(association=association, title="Accueil des habitants au jardin")
    application = ApplicationFactory(
        mission=mission, user=volunteer_user, email=volunteer_user.email
    )
    ApplicationMessageFactory(application=application, body="Pouvez-vous venir samedi ?")
    ApplicationFactory(mission=mission)
    event = make_event(
        association,
        days=0,
        hours=3,
        starts_at=timezone.now() + datetime.timedelta(minutes=10),
        ends_at=timezone.now() + datetime.timedelta(hours=3),
        title="Apéro des bénévoles",
    )
    make_registration(event, user=member_user, first_name="Bruno", last_name="Vial")
    PostFactory(association=association, title="La fête du jardin approche")
    with scopes_disabled():
        for person, hours in ((volunteer, "3.5"), (member, "2")):
            VolunteerHours.objects.create(
                association=association,
                person=person,
                mission=mission,
                date=timezone.localdate() - datetime.timedelta(days=3),
                hours=hours,
                activity="field",
                description="Accueil au jardin partagé",
                status=HoursStatus.VALIDATED,
            )
    return {
        "assembly": assembly.pk,
        "poll": poll.pk,
        "quick_poll": quick_poll.pk,
        "mission": mission.pk,
        "event": event.pk,
        "person": others[3].pk,
        "admin": admin.pk,
        "wave_year": _published_wave(),
    }
