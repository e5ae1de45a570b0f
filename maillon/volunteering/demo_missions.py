"""Demo missions for an association (called by the demo seed). Idempotent: a mission
whose title the association already has is left alone."""

from __future__ import annotations

import datetime
import random
from decimal import Decimal

from django.utils import timezone
from django_scopes import scope

from maillon.taxonomy import geo
from maillon.taxonomy.models import Cause, Skill

from .missions.services import mission_create, mission_mark_full
from .models import Audience, Mission, MissionStatus, ScheduleKind, TimeSlot


def _demo_missions(today: datetime.date) -> list[dict]:
    saturday = today + datetime.timedelta(days=(5 - today.weekday()) % 7 or 7)
    return [
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
            "start_date": saturday + datetime.timedelta(days=14),
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
            "start_date": saturday + datetime.timedelta(days=35),
            "time_slots": [TimeSlot.WEEKEND],
            "volunteers_wanted": 6,
            "publish": False,
        },
    ]


def seed_missions(association, actor, rng: random.Random, *, titles=None) -> int:
    """Create the demo missions ``association`` does not have yet, through the
    services (``actor`` must be allowed to manage missions). Returns how many were
    created. Missions with a place get the association's postal code and city (Lyon
    when it has none); one published mission is marked full. ``titles`` keeps only
    the demo missions whose title starts with one of them (the ones that suit the
    association)."""
    today = timezone.localdate()
    has_place = geo.department_code_for_postal_code(association.postal_code) is not None
    postal_code = association.postal_code if has_place else "69001"
    city = (association.city if has_place else "") or "Lyon"
    skills = {s.code: s for s in Skill.objects.all()}
    causes = {c.code: c for c in Cause.objects.all()}
    created = 0
    with scope(association=association):
        existing = set(
            Mission.objects.filter(association=association).values_list("title", flat=True)
        )
        for spec in _demo_missions(today):
            if titles is not None and not spec["title"].startswith(tuple(titles)):
                continue
            if spec["title"] in existing:
                continue
            spec = dict(spec)
            publish = spec.pop("publish")
            skill_objects = [skills[c] for c in spec.pop("skills") if c in skills]
            spec["cause"] = causes.get(spec.pop("cause"))
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
