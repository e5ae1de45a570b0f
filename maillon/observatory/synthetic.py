"""Synthetic diagnostic answers (questionnaire v1) for the demo wave, the benchmark
and the tests. Pure Python, seeded: the same seed gives the same answers.

Larger associations answer "more digital" (more tools, more experienced), so that a
sample over-representing them moves visibly when it is weighted."""

from __future__ import annotations

import random
from typing import Any

SIZE_BANDS = ("none", "1-2", "3-9", "10-49", "50+")
SECTORS = (
    "sport",
    "culture",
    "leisure",
    "youth-popular-education",
    "education-training",
    "employment-integration",
    "social-action",
    "health",
    "humanitarian",
    "environment",
    "rights-advocacy",
    "local-development",
    "mutual-aid",
    "other",
)
REGIONS = ("11", "24", "27", "28", "32", "44", "52", "53", "75", "76", "84", "93", "94")
BUDGETS = ("under_10k", "10k_50k", "50k_200k", "200k_1m", "over_1m")
OBJECTIVES = (
    "make_known",
    "animate_network",
    "manage_efficiently",
    "work_together",
    "mobilise_volunteers",
    "involve_members",
    "raise_funds",
    "serve_members",
)


def _some(rnd: random.Random, choices: dict[str, float], lift: float) -> list[str]:
    picked = [c for c, p in choices.items() if rnd.random() < min(0.97, p + lift)]
    return picked or ["none"]


def synthetic_answers(rnd: random.Random, size_band: str, sector: str) -> dict[str, Any]:
    """One plausible set of answers for an association of ``size_band``."""
    level = SIZE_BANDS.index(size_band)
    lift = 0.12 * level
    budget = BUDGETS[min(4, max(0, level + rnd.choice((-1, 0, 0, 1))))]
    rating_weights = (max(0.05, 0.3 - 0.06 * level), 0.5, 0.15 + 0.08 * level)
    ranking = list(OBJECTIVES)
    rnd.shuffle(ranking)
    difficulties = _some(
        rnd, {"human": 0.5, "technical": 0.3, "financial": 0.35, "strategic": 0.2}, -0.04 * level
    )
    if rnd.random() < 0.2:
        difficulties = ["none"]
    return {
        "profile.size_band": size_band,
        "profile.sector": sector,
        "profile.budget_band": budget,
        "profile.digital_carriers": rnd.choices(
            ("single_person", "board", "few_volunteers", "staff", "few_initiated"),
            weights=(max(0.05, 0.35 - 0.07 * level), 0.25, 0.2, 0.05 + 0.1 * level, 0.15),
        )[0],
        "profile.difficulties": difficulties,
        "objectives.ranking": ranking[:4],
        "self_rating.level": rnd.choices(
            ("peu_initiee", "en_progres", "experimentee"), weights=rating_weights
        )[0],
        "communication.tools_used": _some(
            rnd, {"website": 0.55, "social_networks": 0.6, "newsletter": 0.2, "blog": 0.1}, lift
        ),
        "management.tools_used": _some(
            rnd,
            {
                "accounting": 0.35,
                "shared_documents": 0.35,
                "videoconference": 0.4,
                "team_chat": 0.15,
            },
            lift,
        ),
        "fundraising.tools_used": _some(
            rnd, {"online_fees": 0.12, "online_donations": 0.1, "crowdfunding": 0.04}, lift / 2
        ),
        "volunteering.recruitment_channels": _some(
            rnd,
            {"word_of_mouth": 0.8, "volunteer_platforms": 0.04, "own_channels": 0.3},
            lift / 3,
        ),
        "governance.tools_used": _some(rnd, {"online_meetings": 0.3, "online_votes": 0.1}, lift),
    }


def skewed_profile(rnd: random.Random) -> tuple[str, str, str]:
    """(size band, sector, region) drawn with large associations over-represented:
    half of the sample employs staff, against about one association in eight."""
    size = rnd.choices(SIZE_BANDS, weights=(0.5, 0.15, 0.15, 0.12, 0.08))[0]
    sector = rnd.choices(SECTORS, weights=[3 if s == "social-action" else 1 for s in SECTORS])[0]
    return size, sector, rnd.choice(REGIONS)
