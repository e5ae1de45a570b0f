"""A realistic French demo: five associations of different sectors, sizes and regions.

Everything goes through the real services (association_create, person_create,
membership_period_add, invitation_send/accept, join_request_submit...), so the audit
log, the statutes and the roles look exactly like those of a real association.

Idempotent: associations are recognised by their fixed slug and accounts by their
fixed email. An association that already exists is left untouched; each association
is created in one transaction, so an interrupted run leaves nothing half-made.

The digital strategy part (a completed diagnostic, two adopted recommendations measured
by indicators) is added to the associations of ``STRATEGY_DEMOS`` that have no diagnostic
yet, also when they were seeded before it existed; one with any diagnostic is left alone.

The governance part (a past general assembly with its published votes and approved minutes, an
upcoming convened one with proxies, an open member proposal) is added to the associations of
``GOVERNANCE_DEMOS``; each assembly and the proposal are recognised by their title.

The mobilisation part (missions, three applications — one accepted —, a year of volunteer
hours, events with check-ins, news and a newsletter) is added to the associations of
``MOBILISATION_DEMOS``; each part is skipped where the association already has some.
"""

from __future__ import annotations

import datetime
import random
import unicodedata
import zoneinfo
from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.test.utils import override_settings
from django.utils import timezone, translation
from django_scopes import scope, scopes_disabled

from maillon.accounts.models import User
from maillon.associations.models import Association, MajorityRule, Module, VotingEligibility
from maillon.associations.services import association_create, modules_update, statutes_update
from maillon.governance.assemblies import services as assembly_services
from maillon.governance.consultations import services as consultation_services
from maillon.governance.minutes import services as minutes_services
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
from maillon.governance.polls import ballots as ballot_services
from maillon.governance.polls import services as poll_services
from maillon.members.fees.services import membership_period_add
from maillon.members.invitations.services import invitation_accept, invitation_send
from maillon.members.join_requests.services import join_request_decide, join_request_submit
from maillon.members.models import PaymentMethod, Person, Role
from maillon.members.register.services import person_create, person_leave
from maillon.members.roles.selectors import my_associations
from maillon.members.roles.services import person_set_roles
from maillon.metrics import registry
from maillon.strategy.diagnostic import services as strategy_services
from maillon.strategy.engine import questionnaire as qn
from maillon.strategy.engine import rules as strategy_rules
from maillon.strategy.engine import scoring
from maillon.strategy.models import (
    Action,
    ActionStatus,
    Diagnostic,
    DiagnosticAnswer,
    Indicator,
    IndicatorSource,
    Measurement,
)
from maillon.strategy.plan import services as plan_services
from maillon.taxonomy.models import Sector

DEMO_PASSWORD = "maillon-demo"  # noqa: S105 - published demo password, never a real one
SUPERUSER_EMAIL = "admin@demo.maillon.test"
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
                 Module.COMMUNICATION, Module.STRATEGY),
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


@dataclass(frozen=True)
class DemoIndicator:
    """How an adopted action is measured: by hand (``values``, oldest first, one per
    quarter end from a month after the adoption to today; those beyond are left out) or
    computed by Maillon (``metric_code``; the target is the baseline plus ``target_gain``)."""

    target: Decimal = Decimal("0")
    name: str = ""
    unit: str = ""
    baseline: Decimal | None = None
    values: tuple[Decimal, ...] = ()
    metric_code: str = ""
    target_gain: Decimal = Decimal("0")


@dataclass(frozen=True)
class DemoAction:
    recommendation: str  # code of a recommendation of the diagnostic
    owner: tuple[str, str]  # (first name, last name) of a person of the association
    status: str
    due_after_days: int  # after the adoption
    notes: str
    indicator: DemoIndicator


@dataclass(frozen=True)
class DemoStrategy:
    slug: str
    contributors: tuple[str, str]  # emails: the first starts, completes and adopts
    second_sections: tuple[str, ...]  # sections the second contributor answers
    answers: dict
    actions: tuple[DemoAction, ...]
    days_ago: int  # when the diagnostic was started


# fmt: off
# The demo answers are written for this version of the questionnaire.
STRATEGY_QUESTIONNAIRE_VERSION = 1

STRATEGY_DEMOS: tuple[DemoStrategy, ...] = (
    DemoStrategy(
        slug="amis-croix-rousse",
        contributors=("presidente@amis-croix-rousse.test", "secretaire@amis-croix-rousse.test"),
        second_sections=("volunteering", "management", "fundraising", "inclusion",
                         "data_protection", "sobriety", "evaluation"),
        days_ago=300,
        answers={
            "profile.size_band": "none", "profile.sector": "leisure",
            "profile.budget_band": "under_10k", "profile.members_count": "50_200",
            "profile.digital_carriers": "few_volunteers", "profile.resource_time": "low",
            "profile.resource_budget": "small", "profile.resource_skills": "some",
            "profile.difficulties": ["human", "technical"],
            "profile.non_connected_members": "many",
            "objectives.ranking": ["involve_members", "animate_network", "make_known",
                                   "mobilise_volunteers", "serve_members"],
            "self_rating.level": "en_progres",
            "communication.tools_used": ["social_networks", "newsletter", "local_listings"],
            "communication.tools_planned": ["website"],
            "communication.update_frequency": "rarely", "communication.plan": "informal",
            "communication.who_publishes": "single_person",
            "communication.internal_channels": "four_plus",
            "communication.messages_answered": "sometimes",
            "volunteering.recruitment_channels": ["word_of_mouth", "local_events"],
            "volunteering.missions_described": "none",
            "volunteering.response_time": "over_two_weeks", "volunteering.follow_up": "informal",
            "governance.tools_used": ["shared_minutes"],
            "governance.tools_planned": ["online_votes"],
            "governance.ag_participation": "10_25", "governance.consultation": "never",
            "governance.meeting_format": "mostly_in_person",
            "management.tools_used": ["shared_documents", "team_chat"],
            "management.tools_planned": ["membership"], "management.tool_choice": "ad_hoc",
            "management.data_location": "mixed", "management.accounts_owner": "personal",
            "management.bureau_change": "some_lost",
            "fundraising.tools_used": ["none"], "fundraising.tools_planned": ["online_fees"],
            "fundraising.reconciliation": "not_applicable",
            "fundraising.donor_relation": "thanks",
            "digital_culture.key_person": "hard", "digital_culture.documentation": "nothing",
            "digital_culture.learning": ["peer_help"], "digital_culture.comfort": "2",
            "digital_culture.shared_vision": "when_problem",
            "digital_culture.tech_decides": "yes",
            "inclusion.alternatives": ["paper_mail", "phone"], "inclusion.support": "on_request",
            "inclusion.know_who": "roughly", "inclusion.accessibility": "not_considered",
            "data_protection.register": "dont_know", "data_protection.practices": ["consent"],
            "data_protection.passwords": "shared_plain", "data_protection.backups": "no",
            "data_protection.member_file_access": "several",
            "sobriety.equipment": "personal_only", "sobriety.responsible_tools": "some",
            "sobriety.practices": ["fewer_tools"],
            "evaluation.indicators": "none", "evaluation.tool_review": "when_problem",
            "evaluation.feedback": "informally",
            "evaluation.effects": ["information_sharing", "cohesion"],
        },
        actions=(
            DemoAction(
                recommendation="consult_between_assemblies",
                owner=("Nadia", "Benali"),
                status=ActionStatus.IN_PROGRESS,
                due_after_days=365,
                notes=("Sondage en ligne avant chaque conseil, et la même question sur papier "
                       "aux permanences du samedi pour les adhérents sans internet."),
                indicator=DemoIndicator(
                    name="Part des adhérents répondant aux consultations", unit="%",
                    baseline=Decimal("8"), target=Decimal("35"),
                    values=(Decimal("12"), Decimal("21"), Decimal("27")),
                ),
            ),
            DemoAction(
                recommendation="paper_phone_channel",
                owner=("Paulette", "Chambon"),
                status=ActionStatus.IN_PROGRESS,
                due_after_days=180,
                notes=("Convocations et lettre trimestrielle envoyées aussi par courrier ; "
                       "Paulette appelle les adhérents qui n'ont pas de courriel."),
                indicator=DemoIndicator(metric_code="members.active", target_gain=Decimal("12")),
            ),
        ),
    ),
    DemoStrategy(
        slug="epicerie-belle-de-mai",
        contributors=("directrice@epicerie-belle-de-mai.test",
                      "presidente@epicerie-belle-de-mai.test"),
        second_sections=("profile", "objectives", "self_rating", "governance", "inclusion"),
        days_ago=200,
        answers={
            "profile.size_band": "3-9", "profile.sector": "social-action",
            "profile.budget_band": "50k_200k", "profile.members_count": "50_200",
            "profile.digital_carriers": "staff", "profile.resource_time": "medium",
            "profile.resource_budget": "small", "profile.resource_skills": "some",
            "profile.difficulties": ["financial", "human"],
            "profile.non_connected_members": "many",
            "objectives.ranking": ["mobilise_volunteers", "serve_members", "manage_efficiently",
                                   "raise_funds", "work_together", "make_known"],
            "self_rating.level": "en_progres",
            "communication.tools_used": ["website", "social_networks", "local_listings"],
            "communication.tools_planned": ["newsletter"],
            "communication.update_frequency": "monthly", "communication.plan": "informal",
            "communication.who_publishes": "two_three",
            "communication.internal_channels": "two_three",
            "communication.messages_answered": "sometimes",
            "volunteering.recruitment_channels": ["word_of_mouth", "volunteer_platforms",
                                                  "partners"],
            "volunteering.missions_described": "some",
            "volunteering.response_time": "within_week", "volunteering.follow_up": "spreadsheet",
            "governance.tools_used": ["online_meetings", "shared_minutes"],
            "governance.tools_planned": ["remote_ag"],
            "governance.ag_participation": "10_25", "governance.consultation": "sometimes",
            "governance.meeting_format": "mixed",
            "management.tools_used": ["accounting", "shared_documents", "shared_calendar",
                                      "videoconference"],
            "management.tools_planned": ["membership"], "management.tool_choice": "compare",
            "management.data_location": "shared_space", "management.accounts_owner": "mixed",
            "management.bureau_change": "no_change_yet",
            "fundraising.tools_used": ["online_donations", "tax_receipts"],
            "fundraising.tools_planned": ["online_fees"],
            "fundraising.reconciliation": "retyped", "fundraising.donor_relation": "news",
            "digital_culture.key_person": "hard", "digital_culture.documentation": "partly",
            "digital_culture.learning": ["peer_help", "external_training"],
            "digital_culture.comfort": "3", "digital_culture.shared_vision": "yearly",
            "digital_culture.tech_decides": "no",
            "inclusion.alternatives": ["paper_mail", "phone", "secretary_records",
                                       "offline_payment"],
            "inclusion.support": "organised", "inclusion.know_who": "roughly",
            "inclusion.accessibility": "partly",
            "data_protection.register": "in_progress",
            "data_protection.practices": ["minimisation", "information_notice", "consent"],
            "data_protection.passwords": "one_person", "data_protection.backups": "sometimes",
            "data_protection.member_file_access": "need_to_know",
            "sobriety.equipment": "reuse", "sobriety.responsible_tools": "some",
            "sobriety.practices": ["fewer_tools", "cleanup"],
            "evaluation.indicators": "occasional", "evaluation.tool_review": "when_problem",
            "evaluation.feedback": "informally",
            "evaluation.effects": ["volunteer_involvement", "efficiency", "follow_up"],
        },
        actions=(
            DemoAction(
                recommendation="publish_missions",
                owner=("Sophie", "Marchetti"),
                status=ActionStatus.IN_PROGRESS,
                due_after_days=270,
                notes=("Missions publiées : accueil, tri des denrées, ateliers cuisine. "
                       "Reste à décrire les maraudes avec les partenaires."),
                indicator=DemoIndicator(
                    name="Nouveaux bénévoles par trimestre", unit="bénévoles",
                    baseline=Decimal("3"), target=Decimal("10"),
                    values=(Decimal("5"), Decimal("8"), Decimal("9")),
                ),
            ),
            DemoAction(
                recommendation="member_register",
                owner=("Jean-Pierre", "Santoni"),
                status=ActionStatus.DONE,
                due_after_days=90,
                notes="Le tableur des adhérents est importé ; les cotisations sont saisies ici.",
                indicator=DemoIndicator(metric_code="members.active", target_gain=Decimal("20")),
            ),
        ),
    ),
)
# fmt: on

PAYMENT_METHODS = (
    PaymentMethod.CHEQUE,
    PaymentMethod.CHEQUE,
    PaymentMethod.CASH,
    PaymentMethod.TRANSFER,
    PaymentMethod.ONLINE,
    PaymentMethod.CARD,
)


IMMEDIATE_TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


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


# Associations that get missions, applications, volunteer hours, events and news.
# The demo missions (volunteering/demo_missions.py) that suit each one, by title start.
MOBILISATION_DEMOS: dict[str, tuple[str, ...]] = {
    "amis-croix-rousse": (
        "Ramassage",
        "Animation d'un atelier numérique",
        "Refonte",
        "Relecture",
        "Tenue du stand",
    ),
    "epicerie-belle-de-mai": ("Accueil des familles", "Soutien scolaire", "Relecture"),
    "us-prairies-rennes": ("Encadrement", "Buvette", "Tenue du stand"),
}


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


def ascii_slug(text: str) -> str:
    """ "Hélène Le Goff" -> "helene-le-goff"-like local part for a demo email."""
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return "".join(c if c.isalnum() else "-" for c in plain.lower()).strip("-").replace("--", "-")


def period_bounds(today: datetime.date, start_month: int, years_back: int):
    """(start, end) of the yearly membership period that contained ``today``,
    ``years_back`` periods ago. Periods start on the 1st of ``start_month``."""
    year = today.year if today.month >= start_month else today.year - 1
    start = datetime.date(year - years_back, start_month, 1)
    return start, datetime.date(start.year + 1, start_month, 1) - datetime.timedelta(days=1)


class Command(BaseCommand):
    help = "Create a realistic French demo (idempotent: safe to run again)."

    def handle(self, *args, **options):
        if not Sector.objects.exists():
            raise CommandError("Reference data is missing: run `manage.py migrate` first.")
        self.password_hash = make_password(DEMO_PASSWORD)
        self.today = timezone.localdate()
        # Demo addresses are not real mailboxes: whatever EMAIL_URL says, never send.
        with override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend"):
            self.ensure_superuser()
            for spec in ASSOCIATIONS:
                if Association.objects.filter(slug=spec.slug).exists():
                    self.stdout.write(f"= {spec.slug}: already there, left unchanged")
                    continue
                with transaction.atomic():
                    count = self.create_association(spec)
                self.stdout.write(self.style.SUCCESS(f"+ {spec.slug}: {count} people"))
            for strategy in STRATEGY_DEMOS:
                self.seed_strategy(strategy)
            # Convocation emails are a task: run it here, into the dummy backend above,
            # rather than leave it queued for a worker with the real one.
            with override_settings(TASKS=IMMEDIATE_TASKS):
                for governance in GOVERNANCE_DEMOS:
                    self.seed_governance(governance)
                for slug, mission_titles in MOBILISATION_DEMOS.items():
                    self.seed_mobilisation(slug, mission_titles)
        self.print_logins()

    # --- accounts -----------------------------------------------------------------------

    def ensure_user(self, email: str, full_name: str, **extra) -> User:
        from allauth.account.models import EmailAddress

        user = User.objects.filter(email__iexact=email).first()
        if user is None:
            user = User.objects.create(
                email=email,
                full_name=full_name,
                language="fr",
                password=self.password_hash,
                **extra,
            )
            EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
        return user

    def ensure_superuser(self) -> None:
        if not User.objects.filter(email__iexact=SUPERUSER_EMAIL).exists():
            self.ensure_user(
                SUPERUSER_EMAIL, "Équipe Maillon (démo)", is_staff=True, is_superuser=True
            )
            self.stdout.write(self.style.SUCCESS(f"+ instance superuser {SUPERUSER_EMAIL}"))

    # --- one association -------------------------------------------------------------------

    def create_association(self, spec: DemoAssociation) -> int:
        rng = random.Random(spec.slug)  # noqa: S311 - reproducible demo data
        founder = spec.founder
        president = self.ensure_user(founder.email, f"{founder.first_name} {founder.last_name}")
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
                people.append(self.add_named_person(association, president, spec, demo))
            treasurer = next(
                (p.user for p in people if p.user_id and "treasurer" in self._roles(p)),
                president,
            )
            people += self.add_generated_members(association, president, spec, rng)
            self.record_fees(association, treasurer, spec, rng, people)
            self.record_departures(association, president, rng, people)
            self.add_join_requests(association, president, spec, rng)
        return len(people)

    @staticmethod
    def _roles(person: Person) -> set[str]:
        return {ra.role for ra in person.role_assignments.all()}

    def add_named_person(self, association, actor, spec, demo: DemoPerson) -> Person:
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
            user = self.ensure_user(demo.email, f"{demo.first_name} {demo.last_name}")
            invitation = invitation_send(
                association=association, actor=actor, person=person, email=demo.email
            )
            person = invitation_accept(invitation=invitation, user=user)
        return person

    def add_generated_members(self, association, actor, spec, rng) -> list[Person]:
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
            joined_span = (self.today - spec.founded).days
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
                    joined_on=self.today
                    - datetime.timedelta(
                        days=int(joined_span * rng.random() ** 2)  # most joined recently
                    ),
                    notes=rng.choice(MEMBER_NOTES) if offline else "",
                    consent_newsletter=not offline and rng.random() < 0.6,
                    consent_directory=rng.random() < 0.3,
                )
            )
        return people

    def record_fees(self, association, actor, spec, rng, people: list[Person]) -> None:
        """Last period and the current one: most paid last year, fewer so far this one."""
        current = period_bounds(self.today, spec.season_start_month, 0)
        previous = period_bounds(self.today, spec.season_start_month, 1)
        for person in people:
            if Role.MEMBER not in self._roles(person):
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
                    paid_on=min(self.today, start + datetime.timedelta(days=rng.randint(0, 60)))
                    if paid
                    else None,
                    note="" if paid else "Relance envoyée, règlement promis à la prochaine AG",
                )

    def record_departures(self, association, actor, rng, people: list[Person]) -> None:
        candidates = [p for p in people if p.user_id is None and len(self._roles(p)) == 1]
        for person in rng.sample(candidates, k=min(2, len(candidates))):
            days_ago = datetime.timedelta(days=rng.randint(10, 200))
            left_on = max(person.joined_on, self.today - days_ago)
            person_leave(association=association, actor=actor, person=person, left_on=left_on)

    def add_join_requests(self, association, actor, spec, rng) -> None:
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

    # --- digital strategy --------------------------------------------------------------------

    def seed_strategy(self, spec: DemoStrategy) -> None:
        association = Association.objects.filter(slug=spec.slug).first()
        if association is None:
            return
        with scope(association=association):
            if Diagnostic.objects.filter(association=association).exists():
                self.stdout.write(f"= {spec.slug}: digital strategy already there, left unchanged")
                return
            with transaction.atomic():
                indicators = self.create_strategy(association, spec)
        self.stdout.write(
            self.style.SUCCESS(
                f"+ {spec.slug}: diagnostic completed, {len(spec.actions)} actions adopted, "
                f"{indicators} indicators"
            )
        )

    def create_strategy(self, association, spec: DemoStrategy) -> int:
        """A diagnostic started ``spec.days_ago`` days ago by two contributors, completed a
        week later, two recommendations adopted that evening and measured since. The
        services write everything; the dates of the strategy's own rows are moved back
        afterwards (the audit log keeps the moment the seed ran, as for the rest of the demo)."""
        lead, second = (User.objects.get(email__iexact=email) for email in spec.contributors)
        tz = zoneinfo.ZoneInfo(association.time_zone)
        first_day = self.today - datetime.timedelta(days=spec.days_ago)

        def moment(days_after: int, hour: int, minute: int = 0) -> datetime.datetime:
            day = first_day + datetime.timedelta(days=days_after)
            return datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=tz)

        if not association.has_module(Module.STRATEGY):
            modules_update(
                association=association,
                actor=lead,
                modules=[*association.enabled_modules, Module.STRATEGY],
            )

        diagnostic = strategy_services.diagnostic_start(
            association=association,
            actor=lead,
            questionnaire_version=STRATEGY_QUESTIONNAIRE_VERSION,
        )
        questionnaire = qn.load_questionnaire(diagnostic.questionnaire_version)
        second_questions = {
            question.id
            for section in questionnaire.sections
            if section.code in spec.second_sections
            for question in section.questions
        }
        for actor, theirs in ((lead, False), (second, True)):
            strategy_services.diagnostic_save_answers(
                association=association,
                actor=actor,
                diagnostic=diagnostic,
                answers={
                    qid: value
                    for qid, value in spec.answers.items()
                    if (qid in second_questions) == theirs
                },
            )
        diagnostic = strategy_services.diagnostic_complete(
            association=association, actor=lead, diagnostic=diagnostic
        )
        completed_at = moment(7, 20, 15)
        Diagnostic.objects.filter(pk=diagnostic.pk).update(
            created_at=moment(0, 18, 30), updated_at=completed_at, completed_at=completed_at
        )
        answers = DiagnosticAnswer.objects.filter(diagnostic=diagnostic)
        answers.filter(answered_by=lead).update(updated_at=moment(0, 19, 10))
        answers.filter(answered_by=second).update(updated_at=moment(3, 21, 5))
        diagnostic.refresh_from_db()

        recommended = {
            recommendation.code
            for recommendation in strategy_rules.recommend(
                questionnaire,
                strategy_rules.rules_for_questionnaire(questionnaire.version),
                spec.answers,
                scoring.score(questionnaire, spec.answers),
            )
        }
        adopted_at = moment(7, 20, 40)
        for demo in spec.actions:
            if demo.recommendation not in recommended:
                raise CommandError(
                    f"{spec.slug}: the demo answers no longer lead to the recommendation "
                    f"{demo.recommendation!r}; update STRATEGY_DEMOS."
                )
            action = plan_services.action_adopt(
                association=association,
                actor=lead,
                diagnostic=diagnostic,
                recommendation_code=demo.recommendation,
                language="fr",
            )
            owner = (
                Person.objects.filter(
                    association=association, first_name=demo.owner[0], last_name=demo.owner[1]
                )
                .order_by("id")
                .first()
            )
            action = plan_services.action_update(
                association=association,
                actor=lead,
                action=action,
                owner=owner,
                due_date=adopted_at.date() + datetime.timedelta(days=demo.due_after_days),
                notes=demo.notes,
            )
            action = plan_services.action_set_status(
                association=association, actor=lead, action=action, status=demo.status
            )
            Action.objects.filter(pk=action.pk).update(
                created_at=adopted_at, updated_at=moment(21, 19)
            )
            self.measure_action(association, lead, action, demo.indicator, adopted_at)
        return Indicator.objects.filter(association=association).count()

    def measure_action(
        self, association, actor, action, demo: DemoIndicator, adopted_at: datetime.datetime
    ) -> None:
        """One indicator for ``action``, created when it was adopted; its values since."""
        adopted_on = adopted_at.date()
        if demo.metric_code:
            # The baseline is the value at the end of the quarter before the adoption.
            quarter_start, _end = registry.quarter_bounds(adopted_on)
            before = quarter_start - datetime.timedelta(days=1)
            baseline = registry.measure(
                demo.metric_code,
                association=association,
                start=registry.quarter_bounds(before)[0],
                end=before,
            )
            indicator = plan_services.indicator_create(
                association=association,
                actor=actor,
                action=action,
                source=IndicatorSource.METRIC,
                metric_code=demo.metric_code,
                baseline=baseline,
                target=(baseline or 0) + demo.target_gain,
                target_date=action.due_date,
            )
            Indicator.objects.filter(pk=indicator.pk).update(
                created_at=adopted_at, updated_at=adopted_at
            )
            indicator.refresh_from_db()
            # As the quarterly task does: one value per quarter since the adoption.
            plan_services.indicator_refresh_automatic(
                association=association, indicator=indicator, full=True, today=self.today
            )
            return
        indicator = plan_services.indicator_create(
            association=association,
            actor=actor,
            action=action,
            name=demo.name,
            unit=demo.unit,
            baseline=demo.baseline,
            target=demo.target,
            target_date=action.due_date,
        )
        Indicator.objects.filter(pk=indicator.pk).update(
            created_at=adopted_at, updated_at=adopted_at
        )
        # A first value at least a month after the adoption, then one per quarter.
        first_value_on = adopted_on + datetime.timedelta(days=30)
        quarter_ends = [
            end
            for _start, end in plan_services.quarters_between(adopted_on, self.today)
            if first_value_on <= end <= self.today
        ]
        for day, value in zip(quarter_ends, demo.values, strict=False):
            measurement = plan_services.measurement_add(
                association=association, actor=actor, indicator=indicator, date=day, value=value
            )
            recorded_at = datetime.datetime.combine(
                day, datetime.time(18), tzinfo=adopted_at.tzinfo
            )
            Measurement.objects.filter(pk=measurement.pk).update(created_at=recorded_at)

    # --- governance ----------------------------------------------------------------------------

    def seed_governance(self, spec: DemoGovernance) -> None:
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
                    self.stdout.write(f"= {spec.slug}: “{demo.title}” already there")
                    continue
                with transaction.atomic():
                    summary = self.create_assembly(association, spec, demo)
                self.stdout.write(self.style.SUCCESS(f"+ {spec.slug}: “{demo.title}”, {summary}"))
            if Proposal.objects.filter(association=association, title=spec.proposal_title).exists():
                self.stdout.write(f"= {spec.slug}: proposal already there")
                return
            with transaction.atomic():
                author = User.objects.get(email__iexact=spec.proposal_author)
                proposal = consultation_services.proposal_create(
                    association=association,
                    actor=author,
                    title=spec.proposal_title,
                    body=spec.proposal_body,
                )
                for email in spec.proposal_supporters:
                    consultation_services.proposal_support(
                        association=association,
                        actor=User.objects.get(email__iexact=email),
                        proposal=proposal,
                    )
            self.stdout.write(
                self.style.SUCCESS(
                    f"+ {spec.slug}: a proposal with {len(spec.proposal_supporters)} supports"
                )
            )

    def create_assembly(self, association, spec: DemoGovernance, demo: DemoAssembly) -> str:
        """Prepared, convened, with paper proxies. A past assembly is then held: members
        checked in, paper ballots entered by the secretary, votes closed and published,
        session closed, minutes written and approved; its dates are moved back afterwards
        (the services refuse to convene an assembly in the past; the audit log keeps the
        moment the seed ran, as for the rest of the demo)."""
        rng = random.Random(f"{spec.slug}:{demo.title}")  # noqa: S311 - reproducible demo
        president = User.objects.get(email__iexact=spec.president)
        secretary = User.objects.get(email__iexact=spec.secretary)
        tz = zoneinfo.ZoneInfo(association.time_zone)
        held = demo.days_from_today < 0
        day = self.today + datetime.timedelta(days=demo.days_from_today)
        # A past assembly is first convened a month ahead, with the statutes' notice.
        convene_for = self.today + datetime.timedelta(days=30) if held else day

        def at(date: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
            return datetime.datetime.combine(date, datetime.time(hour, minute), tzinfo=tz)

        assembly = assembly_services.assembly_create(
            association=association,
            actor=president,
            kind=demo.kind,
            mode=demo.mode,
            title=demo.title,
            description=demo.description,
            place=demo.place,
            online_link=demo.online_link,
            starts_at=at(convene_for, 18, 30),
            ends_at=at(convene_for, 21),
        )
        polls: list[tuple[Poll, DemoPoll]] = []
        for item_demo in demo.agenda:
            item = assembly_services.agenda_item_create(
                association=association,
                actor=president,
                assembly=assembly,
                title=item_demo.title,
                description=item_demo.description,
            )
            for poll_demo in item_demo.polls:
                poll = poll_services.poll_create(
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
        assembly = assembly_services.assembly_convene(
            association=association, actor=president, assembly=assembly
        )
        voters = list(
            RollEntry.objects.filter(assembly=assembly, may_vote=True)
            .select_related("person")
            .order_by("id")
        )
        rng.shuffle(voters)
        givers = voters[: demo.paper_proxies]
        holders = voters[demo.paper_proxies : demo.paper_proxies * 2]
        for n, giver in enumerate(givers):
            assembly_services.proxy_record_paper(
                association=association,
                actor=secretary,
                assembly=assembly,
                giver_entry=giver,
                holder_entry=holders[n % max(1, len(holders) // 2)],
            )
        if not held:
            return f"convened, {len(demo.agenda)} agenda items, {len(givers)} proxies"

        assembly = assembly_services.assembly_open(
            association=association, actor=president, assembly=assembly
        )
        others = voters[demo.paper_proxies :]
        present = others[: max(len(holders), round(len(voters) * demo.present_share))]
        for entry in present:
            assembly_services.attendance_record(
                association=association, actor=secretary, assembly=assembly, entry=entry
            )
        for poll, poll_demo in polls:
            poll_services.poll_open(association=association, actor=president, poll=poll)
            option_ids = {o.label: o.pk for o in poll.options.all()}
            # The weights as a shuffled urn: each ballot takes the next ``seats`` marks
            # (an election keeps the different names; "" alone is a blank ballot).
            urn = [c for c, weight in poll_demo.weights for _n in range(weight)]
            rng.shuffle(urn)
            for n, entry in enumerate([*present, *givers]):
                marks = {urn[(n * poll.seats + k) % len(urn)] for k in range(poll.seats)}
                if poll.kind == PollKind.ELECTION:
                    choice = sorted(option_ids[c] for c in marks if c)
                else:
                    choice = marks.pop() or []
                ballot_services.ballot_cast(
                    association=association,
                    actor=secretary,
                    poll=poll,
                    entry=entry,
                    choice=choice,
                    channel=VoteChannel.PAPER,
                )
            poll_services.poll_close(association=association, actor=president, poll=poll)
            poll_services.poll_publish(association=association, actor=president, poll=poll)
        assembly_services.assembly_close(
            association=association, actor=president, assembly=assembly
        )

        convened = at(day - datetime.timedelta(days=21), 10)
        Assembly.objects.filter(pk=assembly.pk).update(
            created_at=convened - datetime.timedelta(days=7),
            starts_at=at(day, 18, 30),
            ends_at=at(day, 21),
            convened_at=convened,
            roll_reference_date=convened.date(),
            opened_at=at(day, 18, 40),
            closed_at=at(day, 20, 50),
        )
        Convocation.objects.filter(assembly=assembly).update(sent_at=convened)
        Proxy.objects.filter(assembly=assembly).update(created_at=at(day, 10))
        Attendance.objects.filter(assembly=assembly).update(checked_in_at=at(day, 18, 25))
        for n, (poll, _demo) in enumerate(polls):
            Poll.objects.filter(pk=poll.pk).update(
                created_at=convened - datetime.timedelta(days=1),
                opened_at=at(day, 19, 10 + 30 * n),
                closed_at=at(day, 19, 25 + 30 * n),
                published_at=at(day, 19, 28 + 30 * n),
            )
            Participation.objects.filter(poll=poll).update(created_at=at(day, 19, 15 + 30 * n))

        assembly = Assembly.objects.select_related("association").get(pk=assembly.pk)
        with translation.override("fr"):  # the text is written in the active language
            minutes = minutes_services.minutes_generate(
                association=association, actor=secretary, assembly=assembly
            )
        assembly_services.assembly_approve_minutes(
            association=association, actor=president, assembly=assembly
        )
        # Approved at the next board meeting. The approval service only moves the assembly's
        # status, so the minutes' own approval date is written here.
        approved = at(day + datetime.timedelta(days=20), 20)
        Minutes.objects.filter(pk=minutes.pk).update(
            created_at=at(day + datetime.timedelta(days=3), 21),
            updated_at=approved,
            approved_at=approved,
        )
        Assembly.objects.filter(pk=assembly.pk).update(minutes_approved_at=approved)
        return (
            f"held {-demo.days_from_today} days ago: {len(present)} present, "
            f"{len(givers)} represented, {len(polls)} published votes, minutes approved"
        )

    # --- summary ---------------------------------------------------------------------------------

    # --- mobilisation -------------------------------------------------------------------

    def seed_mobilisation(self, slug: str, mission_titles: tuple[str, ...]) -> None:
        """Missions with applications (one accepted, one waiting for an answer), a year
        of volunteer hours, events and news. Each part is skipped when the association
        already has some (the parts' own seed functions say so)."""
        from maillon.communication.demo import seed_news
        from maillon.events.demo import seed_events
        from maillon.volunteering.demo_hours import seed_hours
        from maillon.volunteering.demo_missions import seed_missions
        from maillon.volunteering.models import Application

        association = Association.objects.filter(slug=slug).first()
        if association is None:
            return
        rng = random.Random(f"mobilisation-{slug}")  # noqa: S311 - reproducible demo data
        with scope(association=association):
            president = (
                Person.objects.filter(
                    association=association, role_assignments__role="president", user__isnull=False
                )
                .select_related("user")
                .first()
            )
            if president is None:
                return
            actor = president.user
            wanted = [Module.VOLUNTEERING, Module.EVENTS, Module.COMMUNICATION]
            missing = [m for m in wanted if not association.has_module(m)]
            if missing:
                modules_update(
                    association=association,
                    actor=actor,
                    modules=[*association.enabled_modules, *missing],
                )
            with transaction.atomic():
                missions = seed_missions(association, actor, rng, titles=mission_titles)
            if not Application.objects.filter(association=association).exists():
                with transaction.atomic():
                    self.add_applications(association, actor, rng)
            volunteers = list(
                Person.objects.filter(
                    association=association, role_assignments__role="volunteer", left_on=None
                ).order_by("pk")[:6]
            )
            with transaction.atomic():
                hours = seed_hours(association, actor, volunteers, rng)
            people = list(Person.objects.filter(association=association, left_on=None)[:40])
            with transaction.atomic():
                events = seed_events(association, actor, people, rng)
            with transaction.atomic():
                news = seed_news(association, actor, rng)
        self.stdout.write(
            self.style.SUCCESS(
                f"+ {slug}: mobilisation ({missions} missions, {hours} hour entries, "
                f"{events} events, {news} news items added)"
            )
        )

    def add_applications(self, association, actor, rng) -> None:
        from maillon.volunteering.applications import services as application_services
        from maillon.volunteering.models import Audience, Mission, MissionStatus, Source

        missions = list(
            Mission.objects.filter(
                association=association, status=MissionStatus.PUBLISHED, audience=Audience.PUBLIC
            ).order_by("pk")
        )
        candidates = [
            ("Inès", "Benali", Source.SEARCH, "accept"),
            ("Théo", "Marchand", Source.WEBSITE, "reply"),
            ("Chloé", "Petitjean", Source.ASSOCIATION_PAGE, None),
        ]
        for index, (first, last, source, decision) in enumerate(candidates):
            if not missions:
                return
            mission = missions[index % len(missions)]
            email = f"{ascii_slug(first)}.{ascii_slug(last)}@candidats.test"
            application = application_services.application_submit(
                mission=mission,
                first_name=first,
                last_name=last,
                email=email,
                message="Bonjour, je serais ravie d’aider quelques heures par semaine.",
                source=source,
                is_old_enough=True,
            )
            application = application_services.application_confirm_email(application=application)
            if decision == "accept":
                application_services.application_reply(
                    association=association,
                    actor=actor,
                    application=application,
                    body="Merci ! Passez nous voir mardi à 18 h pour faire connaissance.",
                )
                application_services.application_accept(
                    association=association,
                    actor=actor,
                    application=application,
                    mark_full_when_complete=False,
                )
            elif decision == "reply":
                application_services.application_reply(
                    association=association,
                    actor=actor,
                    application=application,
                    body="Bonjour Théo, quelles sont vos disponibilités en soirée ?",
                )

    def print_logins(self) -> None:
        emails = [SUPERUSER_EMAIL]
        for spec in ASSOCIATIONS:
            for demo in (spec.founder, *spec.people):
                if demo.account and demo.email not in emails:
                    emails.append(demo.email)
        rows = [("email", "password", "where: roles")]
        for email in emails:
            user = User.objects.filter(email__iexact=email).first()
            if user is None:
                continue
            places = [
                f"{association.slug}: {', '.join(roles)}"
                for association, roles in my_associations(user=user)
            ]
            if user.is_superuser:
                places.insert(0, "instance superuser (staff)")
            rows.append((email, DEMO_PASSWORD, " | ".join(places) or "-"))
        width = [max(len(row[i]) for row in rows) for i in range(2)]
        self.stdout.write("")
        self.stdout.write(self.style.MIGRATE_HEADING("Demo logins"))
        for n, (email, password, places) in enumerate(rows):
            line = f"  {email.ljust(width[0])}  {password.ljust(width[1])}  {places}"
            self.stdout.write(self.style.MIGRATE_LABEL(line) if n == 0 else line)
