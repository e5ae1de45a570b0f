"""Volunteering in a demo association, through the volunteering services: missions
that suit it, three applications (one accepted, one answered, one waiting) and about a
year of validated volunteer hours. Each part is idempotent: missions are recognised by
their title; applications and hours are only added where the association has none."""

from __future__ import annotations

import copy
import datetime
import random
from decimal import Decimal

from django.utils import timezone
from django_scopes import scope

from maillon.demo.builders.common import ascii_slug
from maillon.taxonomy.geo import department_code_for_postal_code
from maillon.taxonomy.models import Cause, Skill
from maillon.volunteering.applications.services import (
    application_accept,
    application_confirm_email,
    application_reply,
    application_submit,
)
from maillon.volunteering.hours.services import hours_log
from maillon.volunteering.missions.services import mission_create, mission_mark_full
from maillon.volunteering.models import (
    Activity,
    Application,
    Audience,
    Mission,
    MissionStatus,
    ScheduleKind,
    Source,
    TimeSlot,
    VolunteerHours,
)

# --- missions ---------------------------------------------------------------------------

# A one-off mission starts some days after the next Saturday (``days_after_next_saturday``).
DEMO_MISSIONS: tuple[dict, ...] = (
    {
        "title": "Accueil des familles à l'épicerie solidaire",
        "description": (
            "Vous accueillez les familles le samedi matin, les aidez à faire leurs "
            "courses et tenez la caisse avec un ou une bénévole expérimenté·e. "
            "Écoute et bonne humeur indispensables, aucune expérience demandée."
        ),
        "skills": ["welcome", "support-people"],
        "cause": "food-aid",
        "schedule_kind": ScheduleKind.RECURRING,
        "schedule_note": "Chaque samedi, de 9 h à 12 h",
        "time_slots": [TimeSlot.WEEKEND],
        "time_commitment": "3 heures par semaine, 6 mois si possible",
        "hours_per_week": Decimal("3"),
        "volunteers_wanted": 4,
        "minimum_age": 16,
        "publish": True,
    },
    {
        "title": "Soutien scolaire en mathématiques (collège)",
        "description": (
            "Deux soirs par semaine, aidez des collégiens du quartier à faire leurs "
            "devoirs de mathématiques et à reprendre confiance. Petits groupes de "
            "trois élèves, supports fournis par l'association."
        ),
        "skills": ["tutoring"],
        "cause": "education",
        "schedule_kind": ScheduleKind.RECURRING,
        "schedule_note": "Mardi et jeudi, de 17 h à 18 h 30",
        "time_slots": [TimeSlot.WEEKDAY_EVENING],
        "time_commitment": "3 heures par semaine pendant l'année scolaire",
        "hours_per_week": Decimal("3"),
        "volunteers_wanted": 3,
        "minimum_age": 18,
        "publish": True,
    },
    {
        "title": "Encadrement des entraînements des moins de 11 ans",
        "description": (
            "Le mercredi après-midi, épaulez l'éducateur diplômé du club pendant les "
            "entraînements des 8-10 ans : mise en place du matériel, ateliers, "
            "goûter. Une formation fédérale est proposée aux bénévoles réguliers."
        ),
        "skills": ["sport-coaching", "activities"],
        "cause": "sport",
        "schedule_kind": ScheduleKind.RECURRING,
        "schedule_note": "Chaque mercredi, de 14 h à 16 h 30",
        "time_slots": [TimeSlot.WEEKDAY_DAYTIME],
        "time_commitment": "2 h 30 par semaine, hors vacances scolaires",
        "hours_per_week": Decimal("2.5"),
        "volunteers_wanted": 2,
        "minimum_age": 16,
        "publish": True,
    },
    {
        "title": "Buvette et accueil des matchs à domicile",
        "description": (
            "Un dimanche par mois, tenez la buvette et accueillez les équipes "
            "visiteuses. Les recettes financent les déplacements des jeunes."
        ),
        "skills": ["welcome", "cooking"],
        "cause": "sport",
        "schedule_kind": ScheduleKind.RECURRING,
        "schedule_note": "Un dimanche par mois, de 13 h à 18 h",
        "time_slots": [TimeSlot.WEEKEND],
        "time_commitment": "5 heures par mois",
        "volunteers_wanted": 6,
        "publish": True,
    },
    {
        "title": "Refonte de notre site web (à distance)",
        "description": (
            "Notre site a dix ans : nous cherchons une personne pour le moderniser "
            "(WordPress), le rendre accessible et former deux salariées à sa mise à "
            "jour. Mission de bénévolat de compétences, entièrement à distance."
        ),
        "skills": ["web", "project-management"],
        "cause": "digital-inclusion",
        "is_remote": True,
        "schedule_kind": ScheduleKind.FLEXIBLE,
        "time_commitment": "Environ 20 heures sur deux mois",
        "hours_per_week": Decimal("2.5"),
        "volunteers_wanted": 1,
        "publish": True,
    },
    {
        "title": "Animation d'un atelier numérique pour les seniors",
        "description": (
            "Apprenez à des personnes âgées à utiliser leur smartphone : appels vidéo "
            "avec leurs petits-enfants, démarches en ligne, sécurité. Un jeudi "
            "après-midi sur deux à la maison de quartier."
        ),
        "skills": ["it-support", "activities"],
        "cause": "elderly",
        "schedule_kind": ScheduleKind.RECURRING,
        "schedule_note": "Un jeudi sur deux, de 14 h à 16 h",
        "time_slots": [TimeSlot.WEEKDAY_DAYTIME],
        "volunteers_wanted": 2,
        "publish": True,
    },
    {
        "title": "Ramassage des déchets au bord de la rivière",
        "description": (
            "Une matinée conviviale pour nettoyer les berges avec les habitants. "
            "Gants et sacs fournis, café offert. Venez en famille : les enfants sont "
            "bienvenus accompagnés."
        ),
        "skills": ["gardening", "logistics"],
        "cause": "environment",
        "schedule_kind": ScheduleKind.ONE_OFF,
        "days_after_next_saturday": 14,
        "schedule_note": "De 9 h à 12 h, rendez-vous au pont",
        "time_slots": [TimeSlot.WEEKEND],
        "volunteers_wanted": 20,
        "publish": True,
    },
    {
        "title": "Relecture et rédaction de notre lettre d'information",
        "description": (
            "Chaque mois, relisez et mettez en forme notre lettre d'information "
            "(actualités, portraits de bénévoles). À distance, à votre rythme."
        ),
        "skills": ["writing", "communication"],
        "cause": "solidarity",
        "is_remote": True,
        "schedule_kind": ScheduleKind.FLEXIBLE,
        "time_commitment": "2 heures par mois",
        "volunteers_wanted": 1,
        "audience": Audience.MEMBERS,
        "publish": True,
    },
    {
        "title": "Tenue du stand à la fête de quartier",
        "description": (
            "Aidez-nous à tenir le stand de l'association : accueil du public, "
            "présentation de nos activités, inscriptions. Montage la veille au soir."
        ),
        "skills": ["event-organisation", "welcome"],
        "cause": "solidarity",
        "schedule_kind": ScheduleKind.ONE_OFF,
        "days_after_next_saturday": 35,
        "time_slots": [TimeSlot.WEEKEND],
        "volunteers_wanted": 6,
        "publish": False,
    },
)


def next_saturday(today: datetime.date) -> datetime.date:
    """The Saturday after ``today`` (a week later when ``today`` is a Saturday)."""
    return today + datetime.timedelta(days=(5 - today.weekday()) % 7 or 7)


def seed_missions(association, actor, rng: random.Random, *, titles=None) -> int:
    """Create the demo missions ``association`` does not have yet, through the
    services (``actor`` must be allowed to manage missions). Returns how many were
    created. Missions with a place get the association's postal code and city (Lyon
    when it has none); one published mission is marked full. ``titles`` keeps only
    the demo missions whose title starts with one of them (the ones that suit the
    association)."""
    today = timezone.localdate()
    has_place = department_code_for_postal_code(association.postal_code) is not None
    postal_code = association.postal_code if has_place else "69001"
    city = (association.city if has_place else "") or "Lyon"
    skills = {s.code: s for s in Skill.objects.all()}
    causes = {c.code: c for c in Cause.objects.all()}
    created = 0
    with scope(association=association):
        existing = set(
            Mission.objects.filter(association=association).values_list("title", flat=True)
        )
        for spec in DEMO_MISSIONS:
            if titles is not None and not spec["title"].startswith(tuple(titles)):
                continue
            if spec["title"] in existing:
                continue
            spec = copy.deepcopy(spec)  # the mission's lists are its own
            publish = spec.pop("publish")
            skill_objects = [skills[c] for c in spec.pop("skills") if c in skills]
            spec["cause"] = causes.get(spec.pop("cause"))
            if "days_after_next_saturday" in spec:
                days = spec.pop("days_after_next_saturday")
                spec["start_date"] = next_saturday(today) + datetime.timedelta(days=days)
            if not spec.get("is_remote"):
                spec.update(postal_code=postal_code, city=city)
            mission = mission_create(
                association=association,
                actor=actor,
                skills=skill_objects,
                status=MissionStatus.PUBLISHED if publish else MissionStatus.DRAFT,
                **spec,
            )
            created += 1
            # One popular mission already has its volunteers (varied statuses).
            if publish and spec["volunteers_wanted"] == 2 and rng.random() < 0.5:
                mission_mark_full(association=association, actor=actor, mission=mission)
    return created


# --- applications -----------------------------------------------------------------------

# (first name, last name, where they found the mission, what the association did)
CANDIDATES = (
    ("Inès", "Benali", Source.SEARCH, "accept"),
    ("Théo", "Marchand", Source.WEBSITE, "reply"),
    ("Chloé", "Petitjean", Source.ASSOCIATION_PAGE, None),
)


def seed_applications(association, actor) -> int:
    """Three candidates apply to the published public missions and confirm their email:
    one is accepted after a reply, one has a question waiting, one no answer yet.
    Nothing when the association already has applications. Returns how many were made."""
    if Application.objects.filter(association=association).exists():
        return 0
    missions = list(
        Mission.objects.filter(
            association=association, status=MissionStatus.PUBLISHED, audience=Audience.PUBLIC
        ).order_by("pk")
    )
    if not missions:
        return 0
    for index, (first, last, source, decision) in enumerate(CANDIDATES):
        application = application_submit(
            mission=missions[index % len(missions)],
            first_name=first,
            last_name=last,
            email=f"{ascii_slug(first)}.{ascii_slug(last)}@candidats.test",
            message="Bonjour, je serais ravie d’aider quelques heures par semaine.",
            source=source,
            is_old_enough=True,
        )
        application = application_confirm_email(application=application)
        if decision == "accept":
            application_reply(
                association=association,
                actor=actor,
                application=application,
                body="Merci ! Passez nous voir mardi à 18 h pour faire connaissance.",
            )
            application_accept(
                association=association,
                actor=actor,
                application=application,
                mark_full_when_complete=False,
            )
        elif decision == "reply":
            application_reply(
                association=association,
                actor=actor,
                application=application,
                body="Bonjour Théo, quelles sont vos disponibilités en soirée ?",
            )
    return len(CANDIDATES)


# --- volunteer hours --------------------------------------------------------------------

# (activity, weight, typical hours, what was done)
HOURS_PATTERNS = [
    (Activity.FIELD, 5, ("2", "3", "3.5", "4"), "Permanence d'accueil"),
    (Activity.ORGANISATION, 3, ("1.5", "2", "3"), "Préparation et logistique"),
    (Activity.EVENT, 2, ("4", "5", "6"), "Fête de quartier"),
    (Activity.ADMINISTRATION, 2, ("1", "1.5", "2"), "Adhésions et comptabilité"),
    (Activity.COMMUNICATION, 1, ("1", "1.5"), "Lettre d'information"),
    (Activity.GOVERNANCE, 1, ("2", "2.5"), "Réunion du bureau"),
    (Activity.TRAINING, 1, ("3",), "Formation premiers secours"),
]


def seed_hours(association, actor, people, rng: random.Random) -> int:
    """Log and validate about a year of hours for ``people`` (Person objects of
    ``association``), as ``actor`` (who must be allowed to manage hours). Does
    nothing when the association already has hours. Returns the entries created."""
    with scope(association=association):
        if VolunteerHours.objects.filter(association=association).exists() or not people:
            return 0
        missions = list(Mission.objects.filter(association=association).order_by("pk")[:5])
        today = timezone.localdate()
        weights = [p[1] for p in HOURS_PATTERNS]
        created = 0
        for index, person in enumerate(people):
            # Some give time every week, others now and then.
            sessions = rng.choice((10, 18, 30, 45)) if index % 3 else rng.choice((40, 48))
            for _ in range(sessions):
                activity, _w, durations, description = rng.choices(HOURS_PATTERNS, weights)[0]
                day = today - datetime.timedelta(days=rng.randint(1, 360))
                hours_log(
                    association=association,
                    actor=actor,
                    person=person,
                    date=day,
                    hours=Decimal(rng.choice(durations)),
                    activity=activity,
                    mission=rng.choice(missions) if missions and rng.random() < 0.6 else None,
                    description=description,
                )
                created += 1
    return created
