"""Mobilisation in a demo association: missions with applications (one accepted, one
waiting for an answer), a year of volunteer hours, events with check-ins, news and a
newsletter, done by its president. Each part is skipped where the association already
has some (the parts' own builders say so)."""

from __future__ import annotations

import random

from django.db import transaction
from django_scopes import scope

from maillon.associations.models import Association, Module
from maillon.associations.services import modules_update
from maillon.demo.builders.common import DemoRun
from maillon.demo.builders.communication import seed_news
from maillon.demo.builders.events import seed_events
from maillon.demo.builders.volunteering import seed_applications, seed_hours, seed_missions
from maillon.members.models import Person

# Associations that get missions, applications, volunteer hours, events and news.
# The demo missions (builders/volunteering.py) that suit each one, by title start.
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
MOBILISATION_MODULES = (Module.VOLUNTEERING, Module.EVENTS, Module.COMMUNICATION)


def seed_mobilisation(run: DemoRun, slug: str, mission_titles: tuple[str, ...]) -> None:
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
        missing = [m for m in MOBILISATION_MODULES if not association.has_module(m)]
        if missing:
            modules_update(
                association=association,
                actor=actor,
                modules=[*association.enabled_modules, *missing],
            )
        with transaction.atomic():
            missions = seed_missions(association, actor, rng, titles=mission_titles)
        with transaction.atomic():
            seed_applications(association, actor)
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
    run.added(
        f"+ {slug}: mobilisation ({missions} missions, {hours} hour entries, "
        f"{events} events, {news} news items added)"
    )
