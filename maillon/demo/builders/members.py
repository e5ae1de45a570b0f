"""The people of a demo association, through the members services: named people (some
with an account, invited and accepted), generated members with French names, two
years of membership fees, a few departures and join requests."""

from __future__ import annotations

import datetime
import random
from decimal import Decimal
from typing import TYPE_CHECKING

from maillon.demo.builders.accounts import ensure_user
from maillon.demo.builders.common import DemoRun, ascii_slug
from maillon.members.fees.services import (
    fee_schedule_update,
    fee_type_save,
    membership_period_add,
)
from maillon.members.invitations.services import invitation_accept, invitation_send
from maillon.members.join_requests.services import join_request_decide, join_request_submit
from maillon.members.models import PaymentMethod, Person, Role
from maillon.members.register.services import person_create, person_leave

if TYPE_CHECKING:
    from maillon.demo.builders.associations import DemoAssociation, DemoPerson

MEMBER_EMAIL_DOMAIN = "exemple.test"

# Common French first names and surnames; each association adds regional surnames.
FIRST_NAMES = (
    "Camille", "Léa", "Manon", "Chloé", "Emma", "Inès", "Sarah", "Julie", "Laura", "Marie",
    "Anne", "Isabelle", "Nathalie", "Sylvie", "Christine", "Monique", "Françoise", "Martine",
    "Jeanne", "Louise", "Zoé", "Amina", "Yasmine", "Salomé", "Océane", "Maëlys", "Josette",
    "Odile", "Lucas", "Hugo", "Louis", "Gabriel", "Arthur", "Jules", "Nathan", "Thomas",
    "Nicolas", "Julien", "Pierre", "Philippe", "Michel", "Alain", "Bernard", "Patrick", "Jean",
    "François", "Olivier", "Stéphane", "Karim", "Mehdi", "Youssef", "Mamadou", "Théo", "Enzo",
    "Mathis", "Raphaël", "Antoine", "Baptiste", "Loïc", "Gérard"
)  # fmt: skip
LAST_NAMES = (
    "Martin", "Bernard", "Dubois", "Thomas", "Robert", "Richard", "Petit", "Durand", "Leroy",
    "Moreau", "Simon", "Laurent", "Lefebvre", "Michel", "Garcia", "David", "Bertrand", "Roux",
    "Vincent", "Fournier", "Morel", "Girard", "André", "Mercier", "Dupont", "Lambert", "Bonnet",
    "François", "Martinez", "Legrand", "Garnier", "Faure", "Rousseau", "Blanc", "Guérin",
    "Muller", "Henry", "Roussel", "Perrin", "Morin", "Mathieu", "Clément", "Gauthier", "Dumont",
    "Lopez", "Fontaine", "Chevalier", "Robin", "Masson", "Nguyen", "Boyer", "Denis", "Lemaire",
    "Duval", "Joly", "Roger", "Benali", "Diallo", "Traoré", "Da Silva"
)  # fmt: skip
STREETS = (
    "rue de la République", "rue Victor-Hugo", "place de la Mairie", "rue des Écoles",
    "avenue Jean-Jaurès", "rue du Marché", "impasse des Lilas", "chemin des Vignes",
    "rue Pasteur", "allée des Tilleuls", "boulevard Gambetta", "rue de la Gare",
)  # fmt: skip
MEMBER_NOTES = (
    "Préfère être contacté·e par téléphone.",
    "Règle sa cotisation par chèque à l'assemblée générale.",
    "Vient aux permanences du samedi matin.",
    "Pas d'ordinateur : convocations envoyées par courrier.",
)
JOIN_MESSAGES = (
    "Bonjour, je viens d'emménager dans le quartier et j'aimerais participer à vos activités.",
    "J'ai vu votre stand au forum des associations, je souhaiterais adhérer.",
    "Je suis disponible le week-end pour donner un coup de main.",
    "Une amie m'a parlé de votre association, est-ce possible de vous rejoindre ?",
)
PAYMENT_METHODS = (
    PaymentMethod.CHEQUE,
    PaymentMethod.CHEQUE,
    PaymentMethod.CASH,
    PaymentMethod.TRANSFER,
    PaymentMethod.ONLINE,
    PaymentMethod.CARD,
)


def roles_of(person: Person) -> set[str]:
    return {ra.role for ra in person.role_assignments.all()}


def period_bounds(today: datetime.date, start_month: int, years_back: int):
    """(start, end) of the yearly membership period that contained ``today``,
    ``years_back`` periods ago. Periods start on the 1st of ``start_month``."""
    year = today.year if today.month >= start_month else today.year - 1
    start = datetime.date(year - years_back, start_month, 1)
    return start, datetime.date(start.year + 1, start_month, 1) - datetime.timedelta(days=1)


def add_named_person(run: DemoRun, association, actor, spec: DemoAssociation, demo: DemoPerson):
    """A person of the bureau, the staff or a member without email; with ``account``,
    invited and accepted, so that they can sign in."""
    person = person_create(
        association=association,
        actor=actor,
        roles=demo.roles,
        first_name=demo.first_name,
        last_name=demo.last_name,
        email=demo.email,
        phone=demo.phone,
        address=demo.address,
        postal_code=spec.postal_code if demo.address else "",
        city=spec.city if demo.address else "",
        joined_on=spec.founded + datetime.timedelta(days=400),
        notes="" if demo.email else MEMBER_NOTES[3],
    )
    if demo.account:
        user = ensure_user(run, demo.email, f"{demo.first_name} {demo.last_name}")
        invitation = invitation_send(
            association=association, actor=actor, person=person, email=demo.email
        )
        person = invitation_accept(invitation=invitation, user=user)
    return person


def add_generated_members(
    run: DemoRun, association, actor, spec: DemoAssociation, rng: random.Random
) -> list[Person]:
    last_names = LAST_NAMES + spec.regional_last_names * 3
    people = []
    for n in range(spec.generated_members):
        first, last = rng.choice(FIRST_NAMES), rng.choice(last_names)
        offline = rng.random() < 0.12  # members without email or computer
        if rng.random() < spec.volunteer_only_share:
            roles = [Role.VOLUNTEER]
        elif rng.random() < spec.volunteer_share:
            roles = [Role.MEMBER, Role.VOLUNTEER]
        else:
            roles = [Role.MEMBER]
        if n < 3:
            roles.append(Role.BOARD)
        joined_span = (run.today - spec.founded).days
        people.append(
            person_create(
                association=association,
                actor=actor,
                roles=roles,
                first_name=first,
                last_name=last,
                email=""
                if offline
                else (f"{ascii_slug(first)}.{ascii_slug(last)}.{n}@{MEMBER_EMAIL_DOMAIN}"),
                phone=f"{spec.phone_prefix} {rng.randint(10, 99)} {rng.randint(10, 99)}"
                if offline or rng.random() < 0.5
                else "",
                address=f"{rng.randint(1, 120)} {rng.choice(STREETS)}" if offline else "",
                postal_code=spec.postal_code,
                city=spec.city,
                birth_date=datetime.date(
                    rng.randint(1940, 2010), rng.randint(1, 12), rng.randint(1, 28)
                ),
                joined_on=run.today
                - datetime.timedelta(
                    days=int(joined_span * rng.random() ** 2)  # most joined recently
                ),
                notes=rng.choice(MEMBER_NOTES) if offline else "",
                consent_newsletter=not offline and rng.random() < 0.6,
                consent_directory=rng.random() < 0.3,
            )
        )
    return people


def set_fee_schedule(association, actor, spec: DemoAssociation) -> None:
    """The period rule (a season for a club starting in September, else the calendar
    year), reminders, and the usual fee types: full, reduced, family, honorary."""
    fee_schedule_update(
        association=association,
        actor=actor,
        period_rule="season" if spec.season_start_month != 1 else "calendar_year",
        season_start_month=spec.season_start_month,
        season_start_day=1,
        remind_days_before=30,
        remind_again_after_days=30,
    )
    half = (spec.fee / 2).quantize(Decimal("1"))
    for name, kind, pricing, amount, minimum in (
        ("Plein tarif", "full", "fixed", spec.fee, None),
        ("Tarif réduit (étudiants, demandeurs d’emploi)", "reduced", "fixed", half, None),
        ("Famille", "family", "fixed", spec.fee * 2, None),
        ("Soutien (montant libre)", "full", "free", spec.fee, spec.fee),
        ("Membre d’honneur", "honorary", "fixed", Decimal("0"), None),
    ):
        fee_type_save(
            association=association,
            actor=actor,
            name=name,
            kind=kind,
            pricing=pricing,
            amount=amount,
            minimum_amount=minimum,
            online=kind != "honorary",
        )


def record_fees(
    run: DemoRun, association, actor, spec: DemoAssociation, rng: random.Random, people
) -> None:
    """Last period and the current one: most paid last year, fewer so far this one."""
    current = period_bounds(run.today, spec.season_start_month, 0)
    previous = period_bounds(run.today, spec.season_start_month, 1)
    for person in people:
        if Role.MEMBER not in roles_of(person):
            continue
        plan = []
        if person.joined_on <= previous[1] and rng.random() < 0.9:
            plan.append((previous, True))
        draw = rng.random()
        if draw < spec.up_to_date_share:
            plan.append((current, True))
        elif draw < spec.up_to_date_share + 0.1:
            plan.append((current, False))  # promised, not paid yet
        for (start, end), paid in plan:
            exempt = paid and spec.fee < 10 and rng.random() < 0.2
            membership_period_add(
                association=association,
                actor=actor,
                person=person,
                start=start,
                end=end,
                fee_paid=paid,
                amount=Decimal("0") if exempt else spec.fee,
                method=(PaymentMethod.EXEMPT if exempt else rng.choice(PAYMENT_METHODS))
                if paid
                else "",
                paid_on=min(run.today, start + datetime.timedelta(days=rng.randint(0, 60)))
                if paid
                else None,
                note="" if paid else "Relance envoyée, règlement promis à la prochaine AG",
            )


def record_departures(run: DemoRun, association, actor, rng: random.Random, people) -> None:
    """Two people without an account and with a single role have left."""
    candidates = [p for p in people if p.user_id is None and len(roles_of(p)) == 1]
    for person in rng.sample(candidates, k=min(2, len(candidates))):
        days_ago = datetime.timedelta(days=rng.randint(10, 200))
        left_on = max(person.joined_on, run.today - days_ago)
        person_leave(association=association, actor=actor, person=person, left_on=left_on)


def add_join_requests(association, actor, spec: DemoAssociation, rng: random.Random) -> None:
    requests = []
    for n in range(spec.join_requests + 2):
        first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
        requests.append(
            join_request_submit(
                association=association,
                first_name=first,
                last_name=last,
                email=f"{ascii_slug(first)}.{ascii_slug(last)}.demande{n}@{MEMBER_EMAIL_DOMAIN}",
                message=rng.choice(JOIN_MESSAGES),
            )
        )
    # The two oldest were already answered; the others wait for the bureau.
    join_request_decide(
        association=association, actor=actor, join_request=requests[0], approve=True
    )
    join_request_decide(
        association=association, actor=actor, join_request=requests[1], approve=False
    )
