"""The engine's deadline (work to deliver by a day, e.g. a help request of the network
module): the time part follows the helper's availability instead of time slots, and
missions without a deadline score as before."""

from __future__ import annotations

import dataclasses
import datetime

from hypothesis import given, settings
from hypothesis import strategies as st

from maillon.volunteering.matching import engine
from maillon.volunteering.matching.engine import MissionFacts, Reason, VolunteerFacts, score

from .test_engine import PROPERTY, TODAY, missions, volunteers

DEADLINE = TODAY + datetime.timedelta(days=29)  # 30 days left, today included


def _help(**fields) -> MissionFacts:
    return MissionFacts(skills=frozenset({"website"}), is_remote=True, deadline=DEADLINE, **fields)


def _helper(**fields) -> VolunteerFacts:
    return VolunteerFacts(skills=frozenset({"website"}), remote_ok=True, **fields)


def test_available_until_the_deadline_or_without_end_earns_the_time_points():
    for until in (None, DEADLINE, DEADLINE + datetime.timedelta(days=10)):
        match = score(_helper(available_until=until), _help(), today=TODAY)
        assert match.parts["time"] == engine.TIME_WEIGHT
        assert match.score == 40 + 30 + 15
        assert Reason(engine.AVAILABLE_BEFORE_DEADLINE) in match.reasons


def test_availability_ending_before_the_deadline_earns_its_share():
    until = TODAY + datetime.timedelta(days=14)  # 15 days of 30
    match = score(_helper(available_until=until), _help(), today=TODAY)
    assert match.parts["time"] == engine.TIME_WEIGHT / 2
    assert Reason(engine.AVAILABLE_UNTIL, (("until", until),)) in match.reasons
    assert match.suggested


def test_a_helper_no_longer_available_or_a_deadline_passed_is_blocked():
    gone = score(_helper(available_until=TODAY - datetime.timedelta(days=1)), _help(), today=TODAY)
    assert gone.blocked and gone.score == 0
    assert Reason(engine.NO_LONGER_AVAILABLE) in gone.reasons
    late = score(_helper(), _help(), today=DEADLINE + datetime.timedelta(days=1))
    assert late.blocked and Reason(engine.MISSION_OVER) in late.reasons


@settings(PROPERTY)
@given(volunteers(), missions())
def test_without_a_deadline_nothing_changes(volunteer, mission):
    """A helper's end of availability in the future changes nothing for a mission
    without a deadline (the engine is backward compatible)."""
    later = dataclasses.replace(volunteer, available_until=TODAY + datetime.timedelta(days=400))
    assert score(later, mission, today=TODAY) == score(volunteer, mission, today=TODAY)


@settings(PROPERTY)
@given(st.integers(0, 60), st.integers(0, 60))
def test_a_longer_availability_never_lowers_the_score(shorter, extra):
    first = _helper(available_until=TODAY + datetime.timedelta(days=shorter))
    longer = _helper(available_until=TODAY + datetime.timedelta(days=shorter + extra))
    assert score(longer, _help(), today=TODAY).score >= score(first, _help(), today=TODAY).score
