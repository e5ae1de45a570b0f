"""The reasons of a match as sentences, in English and French."""

from __future__ import annotations

from django.utils import translation

from maillon.volunteering.matching import engine as matching
from maillon.volunteering.matching import reasons
from maillon.volunteering.matching.engine import Reason


def test_reason_texts_in_english_and_french():
    skills = Reason(matching.SKILLS, (("matched", 3), ("wanted", 4)))
    cause = Reason(matching.CAUSE, (("cause", "education"),))
    available = Reason(matching.AVAILABLE, (("slots", ("weekend",)),))
    labels = {"education": "Education and training"}
    with translation.override("en"):
        assert reasons.reason_text(skills) == "3 of the 4 skills wanted"
        assert reasons.reason_text(Reason(matching.SAME_DEPARTMENT)) == "In your department"
        assert reasons.reason_text(available) == "You are available: Weekends"
        assert (
            reasons.reason_text(cause, labels=labels)
            == "A cause you care about: Education and training"
        )
        assert (
            reasons.reason_text(cause, audience=reasons.ASSOCIATION)
            == "Cares about the mission's cause"
        )
        one = Reason(matching.SKILLS, (("matched", 1), ("wanted", 1)))
        assert reasons.reason_text(one) == "1 of the 1 skill wanted"
    every_code = [
        Reason(
            code,
            (("matched", 1), ("wanted", 2), ("slots", ("weekend",)), ("cause", "x"), ("age", 18)),
        )
        for code in (
            *matching.BLOCKING,
            *matching.INFO,
            matching.SKILLS,
            matching.NO_SKILL_NEEDED,
            matching.SAME_DEPARTMENT,
            matching.SAME_REGION,
            matching.REMOTE,
            matching.REMOTE_POSSIBLE,
            matching.AVAILABLE,
            matching.FLEXIBLE_SCHEDULE,
            matching.CAUSE,
        )
    ]
    for audience in (reasons.VOLUNTEER, reasons.ASSOCIATION):
        for reason in every_code:
            text = reasons.reason_text(reason, audience=audience)
            assert text and text != reason.code
