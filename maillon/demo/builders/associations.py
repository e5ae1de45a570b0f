"""The demo associations: five of different sectors, sizes and regions, each created by
its founder through ``association_create``, with its statutes, modules and people
(``builders/members.py``).

Idempotent: an association is recognised by its fixed slug; one that already exists is
left untouched. Each is created in one transaction, so an interrupted run leaves
nothing half-made."""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import transaction
from django_scopes import scope, scopes_disabled

from maillon.associations.models import Association, MajorityRule, Module, VotingEligibility
from maillon.associations.services import association_create, modules_update, statutes_update
from maillon.demo.builders.accounts import ensure_user
from maillon.demo.builders.common import DemoRun
from maillon.demo.builders.members import (
    add_generated_members,
    add_join_requests,
    add_named_person,
    record_departures,
    record_fees,
    roles_of,
    set_fee_schedule,
)
from maillon.members.models import Person, Role
from maillon.members.roles.services import person_set_roles
from maillon.taxonomy.models import Sector


@dataclass(frozen=True)
class DemoPerson:
    first_name: str
    last_name: str
    roles: tuple[str, ...] = (Role.MEMBER,)
    email: str = ""  # with an email and `account`, the person gets a user account
    account: bool = False
    phone: str = ""
    address: str = ""


@dataclass(frozen=True)
class DemoAssociation:
    slug: str
    name: str
    purpose: str
    sector: str
    size_band: str
    postal_code: str
    city: str
    phone_prefix: str  # a range reserved by ARCEP for fiction, e.g. "04 65 71"
    founder: DemoPerson  # creates the association: administrator and president
    people: tuple[DemoPerson, ...]  # named people (bureau, staff, members without email)
    generated_members: int
    statutes: dict = field(default_factory=dict)
    modules: tuple[str, ...] = (Module.MEMBERS,)
    time_zone: str = "Europe/Paris"
    fee: Decimal = Decimal("15.00")
    season_start_month: int = 1  # 9 for a sports club whose season starts in September
    volunteer_share: float = 0.1
    volunteer_only_share: float = 0.0  # volunteers who are not members (e.g. food aid)
    up_to_date_share: float = 0.7
    regional_last_names: tuple[str, ...] = ()
    founded: datetime.date = datetime.date(2010, 1, 1)
    join_requests: int = 2


# fmt: off
ASSOCIATIONS: tuple[DemoAssociation, ...] = (
    DemoAssociation(
        slug="amis-croix-rousse",
        name="Les Amis de la Croix-Rousse",
        purpose=(
            "Association de quartier du plateau de la Croix-Rousse : fête des voisins, "
            "jardin partagé, repair café mensuel et accompagnement des habitants isolés."
        ),
        sector="leisure", size_band="none", postal_code="69004", city="Lyon",
        phone_prefix="04 65 71",
        founder=DemoPerson("Hélène", "Garnier", email="presidente@amis-croix-rousse.test",
                           account=True),
        people=(
            DemoPerson("Marc", "Dubreuil", (Role.TREASURER, Role.MEMBER),
                       email="tresorier@amis-croix-rousse.test", account=True),
            DemoPerson("Nadia", "Benali", (Role.SECRETARY, Role.MEMBER),
                       email="secretaire@amis-croix-rousse.test", account=True),
            DemoPerson("Lucas", "Ferrand", (Role.MEMBER,),
                       email="membre@amis-croix-rousse.test", account=True),
            DemoPerson("Paulette", "Chambon", (Role.BOARD, Role.MEMBER),
                       phone="04 65 71 00 12", address="14 rue d'Austerlitz"),
            DemoPerson("Roger", "Vial", (Role.MEMBER,),
                       phone="04 65 71 00 27", address="3 place de la Croix-Rousse"),
            DemoPerson("Simone", "Perret", (Role.MEMBER, Role.VOLUNTEER),
                       phone="04 65 71 00 35", address="22 rue Dumenge"),
        ),
        generated_members=55,
        statutes={"quorum_fraction": Decimal("0.333"), "max_proxies_per_holder": 3},
        modules=(Module.MEMBERS, Module.GOVERNANCE, Module.EVENTS, Module.COMMUNICATION,
                 Module.STRATEGY),
        fee=Decimal("10.00"),
        up_to_date_share=0.65,
        regional_last_names=("Chambon", "Vial", "Perret", "Bonnard", "Guillot", "Chapuis"),
        founded=datetime.date(1998, 3, 14),
        join_requests=3,
    ),
    DemoAssociation(
        slug="us-prairies-rennes",
        name="Union sportive des Prairies Saint-Martin",
        purpose=(
            "Club omnisports rennais : basket, volley et course à pied pour tous les âges, "
            "école de sport le mercredi et section handisport."
        ),
        sector="sport", size_band="1-2", postal_code="35000", city="Rennes",
        phone_prefix="02 61 91",
        founder=DemoPerson("Yannick", "Le Goff", email="president@us-prairies-rennes.test",
                           account=True),
        people=(
            DemoPerson("Gwenaëlle", "Le Bihan", (Role.TREASURER, Role.MEMBER),
                       email="tresoriere@us-prairies-rennes.test", account=True),
            DemoPerson("Erwan", "Tanguy", (Role.SECRETARY, Role.MEMBER),
                       email="secretaire@us-prairies-rennes.test", account=True),
            DemoPerson("Maëlle", "Guillou", (Role.STAFF, Role.MEMBER),
                       email="entraineuse@us-prairies-rennes.test", account=True),
            DemoPerson("Kylian", "Morvan", (Role.MEMBER,),
                       email="membre@us-prairies-rennes.test", account=True),
            DemoPerson("Armelle", "Quéméner", (Role.BOARD, Role.MEMBER, Role.VOLUNTEER),
                       phone="02 61 91 00 18"),
            DemoPerson("Jean-Yves", "Riou", (Role.BOARD, Role.MEMBER),
                       phone="02 61 91 00 44", address="8 rue de Brest"),
        ),
        generated_members=110,
        statutes={"voting_eligibility": VotingEligibility.FEE_UP_TO_DATE,
                  "max_proxies_per_holder": 2},
        modules=(Module.MEMBERS, Module.GOVERNANCE, Module.VOLUNTEERING, Module.EVENTS),
        fee=Decimal("145.00"),
        season_start_month=9,  # sports season: September to August
        volunteer_share=0.15,
        up_to_date_share=0.8,
        regional_last_names=("Le Goff", "Le Gall", "Tanguy", "Guillou", "Morvan", "Le Bihan",
                             "Kerbrat", "Le Roux", "Riou", "Quéméner", "Jaouen"),
        founded=datetime.date(1972, 9, 1),
    ),
    DemoAssociation(
        slug="epicerie-belle-de-mai",
        name="Épicerie solidaire de la Belle de Mai",
        purpose=(
            "Aide alimentaire et épicerie solidaire du 3e arrondissement : distribution de "
            "colis, ateliers cuisine, accès aux droits. Partenaire de la banque alimentaire."
        ),
        sector="social-action", size_band="3-9", postal_code="13003", city="Marseille",
        phone_prefix="04 65 71",
        founder=DemoPerson("Fatima", "Haddad", email="presidente@epicerie-belle-de-mai.test",
                           account=True),
        people=(
            DemoPerson("Sophie", "Marchetti", (Role.STAFF, Role.ADMIN),
                       email="directrice@epicerie-belle-de-mai.test", account=True),
            DemoPerson("Jean-Pierre", "Santoni", (Role.TREASURER, Role.MEMBER),
                       email="tresorier@epicerie-belle-de-mai.test", account=True),
            DemoPerson("Rachid", "Amrani", (Role.VOLUNTEER,),
                       email="benevole@epicerie-belle-de-mai.test", account=True),
            DemoPerson("Aïcha", "Diallo", (Role.STAFF,), email="a.diallo@exemple.test"),
            DemoPerson("Lucien", "Giraud", (Role.SECRETARY, Role.MEMBER),
                       phone="04 65 71 01 18", address="41 rue Belle-de-Mai"),
            DemoPerson("Marcelle", "Fabre", (Role.MEMBER, Role.VOLUNTEER),
                       phone="04 65 71 01 26", address="5 boulevard National"),
        ),
        generated_members=140,
        statutes={"quorum_fraction": Decimal("0"), "ag_notice_days": 21,
                  "max_proxies_per_holder": 1, "unnamed_proxy_to_president": False,
                  "voting_eligibility": VotingEligibility.ALL_MEMBERS},
        modules=(Module.MEMBERS, Module.GOVERNANCE, Module.VOLUNTEERING, Module.EVENTS,
                 Module.COMMUNICATION, Module.STRATEGY, Module.FUNDING),
        fee=Decimal("5.00"),
        volunteer_share=0.3,
        volunteer_only_share=0.25,  # many volunteers help without being members
        up_to_date_share=0.55,
        regional_last_names=("Santoni", "Marchetti", "Haddad", "Amrani", "Rossi", "Giraud",
                             "Fabre", "Mouradian", "Ferhat", "Soilihi"),
        founded=datetime.date(2009, 11, 2),
        join_requests=3,
    ),
    DemoAssociation(
        slug="nuits-de-la-chouette",
        name="Les Nuits de la Chouette",
        purpose=(
            "Festival de musiques et d'arts de rue dans le centre historique de Dijon, "
            "chaque premier week-end de juillet, porté par deux cents bénévoles."
        ),
        sector="culture", size_band="1-2", postal_code="21000", city="Dijon",
        phone_prefix="03 53 01",
        founder=DemoPerson("Bastien", "Moreau", email="president@nuits-de-la-chouette.test",
                           account=True),
        people=(
            DemoPerson("Claire", "Jacquot", (Role.TREASURER, Role.MEMBER),
                       email="tresoriere@nuits-de-la-chouette.test", account=True),
            DemoPerson("Thomas", "Bouchard", (Role.SECRETARY, Role.BOARD, Role.MEMBER),
                       email="secretaire@nuits-de-la-chouette.test", account=True),
            # The same account as in Lyon: one person, two associations.
            DemoPerson("Lucas", "Ferrand", (Role.VOLUNTEER,),
                       email="membre@amis-croix-rousse.test", account=True),
            DemoPerson("Ginette", "Bourgeois", (Role.MEMBER,),
                       phone="03 53 01 00 61", address="9 rue des Forges"),
        ),
        generated_members=70,
        statutes={"ordinary_majority": MajorityRule.ABSOLUTE,
                  "extraordinary_majority": MajorityRule.CUSTOM,
                  "extraordinary_majority_fraction": Decimal("0.750"),
                  "blank_counts_as_cast": True},
        modules=(Module.MEMBERS, Module.GOVERNANCE, Module.VOLUNTEERING, Module.EVENTS,
                 Module.COMMUNICATION),
        fee=Decimal("15.00"),
        volunteer_share=0.5,
        up_to_date_share=0.6,
        regional_last_names=("Jacquot", "Bourgeois", "Bouchard", "Guyot", "Ravier", "Lamy"),
        founded=datetime.date(2004, 2, 20),
    ),
    DemoAssociation(
        slug="mangroves-vivantes",
        name="Mangroves vivantes Guadeloupe",
        purpose=(
            "Protection et découverte des mangroves du Grand Cul-de-Sac marin : sorties "
            "nature, ramassages de déchets, sciences participatives avec les écoles."
        ),
        sector="environment", size_band="none", postal_code="97110", city="Pointe-à-Pitre",
        phone_prefix="06 39 98",
        time_zone="America/Guadeloupe",
        founder=DemoPerson("Josiane", "Beaubrun", email="presidente@mangroves-vivantes.test",
                           account=True),
        people=(
            DemoPerson("Frantz", "Lacroix", (Role.TREASURER, Role.MEMBER),
                       email="tresorier@mangroves-vivantes.test", account=True),
            DemoPerson("Lindsay", "Célestine", (Role.MEMBER, Role.VOLUNTEER),
                       email="membre@mangroves-vivantes.test", account=True),
            DemoPerson("Edmond", "Théodore", (Role.SECRETARY, Role.MEMBER),
                       phone="06 39 98 00 71", address="Section Boisripeaux"),
        ),
        generated_members=35,
        statutes={"quorum_fraction": Decimal("0.500"), "ag_notice_days": 30,
                  "voting_eligibility": VotingEligibility.ALL_MEMBERS,
                  "max_proxies_per_holder": 1},
        modules=(Module.MEMBERS, Module.VOLUNTEERING, Module.STRATEGY, Module.NETWORK),
        fee=Decimal("20.00"),
        volunteer_share=0.4,
        up_to_date_share=0.5,
        regional_last_names=("Beaubrun", "Lacroix", "Célestine", "Théodore", "Jean-Baptiste",
                             "Bellemare", "Lubin", "Alexis", "Edouard", "Rosier"),
        founded=datetime.date(2016, 5, 22),
    ),
)
# fmt: on


def account_emails() -> list[str]:
    """The emails of the demo accounts, each once, in the order of the specs."""
    emails: list[str] = []
    for spec in ASSOCIATIONS:
        for demo in (spec.founder, *spec.people):
            if demo.account and demo.email not in emails:
                emails.append(demo.email)
    return emails


def seed_association(run: DemoRun, spec: DemoAssociation) -> None:
    if Association.objects.filter(slug=spec.slug).exists():
        run.kept(f"= {spec.slug}: already there, left unchanged")
        return
    with transaction.atomic():
        count = create_association(run, spec)
    run.added(f"+ {spec.slug}: {count} people")


def create_association(run: DemoRun, spec: DemoAssociation) -> int:
    """The association, created by its founder (administrator and president), and its
    people; returns how many."""
    rng = random.Random(spec.slug)  # noqa: S311 - reproducible demo data
    founder = spec.founder
    president = ensure_user(run, founder.email, f"{founder.first_name} {founder.last_name}")
    with scopes_disabled():
        association = association_create(
            actor=president,
            first_name=founder.first_name,
            last_name=founder.last_name,
            slug=spec.slug,
            name=spec.name,
            purpose=spec.purpose,
            sector=Sector.objects.get(code=spec.sector),
            size_band=spec.size_band,
            postal_code=spec.postal_code,
            city=spec.city,
            time_zone=spec.time_zone,
            contact_email=f"contact@{spec.slug}.test",
            phone=f"{spec.phone_prefix} 00 01",
        )
    with scope(association=association):
        founder_person = Person.objects.get(association=association, user=president)
        person_set_roles(
            association=association,
            actor=president,
            person=founder_person,
            roles=[Role.ADMIN, Role.PRESIDENT, Role.MEMBER],
        )
        if spec.statutes:
            statutes_update(association=association, actor=president, **spec.statutes)
        modules_update(association=association, actor=president, modules=list(spec.modules))

        people = [founder_person]
        for demo in spec.people:
            people.append(add_named_person(run, association, president, spec, demo))
        treasurer = next(
            (p.user for p in people if p.user_id and "treasurer" in roles_of(p)),
            president,
        )
        people += add_generated_members(run, association, president, spec, rng)
        set_fee_schedule(association, treasurer, spec)
        record_fees(run, association, treasurer, spec, rng, people)
        record_departures(run, association, president, rng, people)
        add_join_requests(association, president, spec, rng)
    return len(people)
