"""The matching engine: properties (hypothesis) and cases checked by hand. Pure: no
database."""

from __future__ import annotations

import dataclasses
import datetime

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from maillon.volunteering.matching import engine as matching
from maillon.volunteering.matching.engine import MissionFacts, Reason, VolunteerFacts, score

TODAY = datetime.date(2026, 6, 15)
SKILLS = ["welcome", "tutoring", "activities", "driving", "accounting", "website", "cooking"]
CAUSES = ["solidarity", "food-aid", "education", "environment"]
SLOTS = ["weekday_daytime", "weekday_evening", "weekend"]
# No deadline: the machine is shared, and a slow first example is not a failure.
PROPERTY = settings(max_examples=200, deadline=None)
DEPARTMENTS = {"69": "84", "42": "84", "01": "84", "75": "11", "92": "11", "13": "93"}


def _place():
    return st.one_of(
        st.just((None, None)),
        st.sampled_from(sorted(DEPARTMENTS.items())),
    )


@st.composite
def volunteers(draw):
    department, region = draw(_place())
    return VolunteerFacts(
        skills=frozenset(draw(st.sets(st.sampled_from(SKILLS)))),
        causes=frozenset(draw(st.sets(st.sampled_from(CAUSES)))),
        availability=frozenset(draw(st.sets(st.sampled_from(SLOTS)))),
        department=department,
        region=region,
        remote_ok=draw(st.booleans()),
        age=draw(st.one_of(st.none(), st.integers(min_value=10, max_value=90))),
    )


@st.composite
def missions(draw):
    department, region = draw(_place())
    start = draw(st.one_of(st.none(), st.dates(TODAY - datetime.timedelta(days=60))))
    end = None
    if start is not None and draw(st.booleans()):
        end = start + datetime.timedelta(days=draw(st.integers(0, 200)))
    return MissionFacts(
        skills=frozenset(draw(st.sets(st.sampled_from(SKILLS), max_size=5))),
        cause=draw(st.one_of(st.none(), st.sampled_from(CAUSES))),
        time_slots=frozenset(draw(st.sets(st.sampled_from(SLOTS)))),
        department=department,
        region=region,
        is_remote=draw(st.booleans()),
        minimum_age=draw(st.one_of(st.none(), st.integers(min_value=0, max_value=25))),
        start_date=start,
        end_date=end,
    )


# --- properties -----------------------------------------------------------------------------


@PROPERTY
@given(volunteers(), missions())
def test_the_score_is_between_0_and_100(volunteer, mission):
    match = score(volunteer, mission, today=TODAY)
    assert 0 <= match.score <= 100
    assert isinstance(match.score, int)


@PROPERTY
@given(volunteers(), missions(), st.data())
def test_adding_a_wanted_skill_never_lowers_the_score(volunteer, mission, data):
    missing = sorted(mission.skills - volunteer.skills)
    assume(missing)
    skill = data.draw(st.sampled_from(missing))
    better = dataclasses.replace(volunteer, skills=volunteer.skills | {skill})
    before = score(volunteer, mission, today=TODAY)
    after = score(better, mission, today=TODAY)
    assert after.score >= before.score
    if not before.blocked:
        assert after.parts["skills"] > before.parts["skills"]


@PROPERTY
@given(volunteers(), missions(), st.sampled_from(SKILLS))
def test_any_extra_skill_of_the_volunteer_never_lowers_the_score(volunteer, mission, skill):
    better = dataclasses.replace(volunteer, skills=volunteer.skills | {skill})
    assert score(better, mission, today=TODAY).score >= score(volunteer, mission, today=TODAY).score


@PROPERTY
@given(volunteers(), missions(), st.sampled_from(SLOTS))
def test_more_common_time_slots_never_lower_the_score(volunteer, mission, slot):
    better = dataclasses.replace(volunteer, availability=volunteer.availability | {slot})
    before = score(volunteer, mission, today=TODAY)
    after = score(better, mission, today=TODAY)
    assert after.score >= before.score
    assert after.parts["time"] >= before.parts["time"]


@PROPERTY
@given(volunteers(), missions(), st.sampled_from(CAUSES))
def test_one_more_cause_never_lowers_the_score(volunteer, mission, cause):
    better = dataclasses.replace(volunteer, causes=volunteer.causes | {cause})
    assert score(better, mission, today=TODAY).score >= score(volunteer, mission, today=TODAY).score


@PROPERTY
@given(volunteers(), missions())
def test_helping_remotely_never_lowers_the_score(volunteer, mission):
    better = dataclasses.replace(volunteer, remote_ok=True)
    assert score(better, mission, today=TODAY).score >= score(volunteer, mission, today=TODAY).score


@PROPERTY
@given(volunteers(), missions(), st.integers(min_value=1, max_value=99))
def test_an_under_age_volunteer_is_never_suggested(volunteer, mission, minimum_age):
    assume(volunteer.age is not None)
    mission = dataclasses.replace(mission, minimum_age=minimum_age)
    match = score(volunteer, mission, today=TODAY)
    if volunteer.age < minimum_age:
        assert not match.suggested
        assert match.score == 0
        assert Reason(matching.UNDER_MINIMUM_AGE, (("age", minimum_age),)) in match.reasons
    else:
        assert matching.UNDER_MINIMUM_AGE not in {r.code for r in match.reasons}


@PROPERTY
@given(volunteers(), missions())
def test_a_mission_that_is_over_is_never_suggested(volunteer, mission):
    match = score(volunteer, mission, today=TODAY)
    if matching.is_over(mission, TODAY):
        assert not match.suggested
        assert match.score == 0


def _renamed(codes, mapping):
    return frozenset(mapping.get(c, c) for c in codes)


@PROPERTY
@given(volunteers(), missions(), st.permutations(SKILLS), st.permutations(SLOTS))
def test_the_same_facts_under_other_names_give_the_same_score(volunteer, mission, skills, slots):
    """Symmetry: the score depends on what is shared, not on which codes are shared."""
    skill_map = dict(zip(SKILLS, skills, strict=True))
    slot_map = dict(zip(SLOTS, slots, strict=True))
    v2 = dataclasses.replace(
        volunteer,
        skills=_renamed(volunteer.skills, skill_map),
        availability=_renamed(volunteer.availability, slot_map),
    )
    m2 = dataclasses.replace(
        mission,
        skills=_renamed(mission.skills, skill_map),
        time_slots=_renamed(mission.time_slots, slot_map),
    )
    assert score(v2, m2, today=TODAY).score == score(volunteer, mission, today=TODAY).score
    # The same facts give the same answer, every time.
    assert score(volunteer, mission, today=TODAY) == score(volunteer, mission, today=TODAY)


@PROPERTY
@given(volunteers(), missions())
def test_the_reasons_agree_with_the_parts_of_the_score(volunteer, mission):
    match = score(volunteer, mission, today=TODAY)
    codes = {r.code for r in match.reasons}
    parts = match.parts
    assert set(parts) == {"skills", "place", "time", "cause"}
    if match.blocked:
        assert match.score == 0
        assert codes & matching.BLOCKING
        return
    assert match.score == round(sum(parts.values()))
    # Skills: "n of m" exactly when a wanted skill matches.
    skill_reasons = [r for r in match.reasons if r.code == matching.SKILLS]
    if mission.skills:
        matched = len(mission.skills & volunteer.skills)
        assert bool(skill_reasons) == (matched > 0)
        if skill_reasons:
            assert skill_reasons[0].kwargs == {"matched": matched, "wanted": len(mission.skills)}
        assert parts["skills"] == pytest.approx(40 * matched / len(mission.skills))
    else:
        assert matching.NO_SKILL_NEEDED in codes
        assert parts["skills"] == 20
    # Place: one reason, and points exactly when it is not "too far".
    place_codes = codes & {
        matching.SAME_DEPARTMENT,
        matching.SAME_REGION,
        matching.REMOTE,
        matching.REMOTE_POSSIBLE,
        matching.TOO_FAR,
    }
    assert len(place_codes) == 1
    expected = {
        matching.SAME_DEPARTMENT: 30,
        matching.REMOTE: 30,
        matching.SAME_REGION: 20,
        matching.REMOTE_POSSIBLE: 10,
        matching.TOO_FAR: 0,
    }[place_codes.pop()]
    assert parts["place"] == pytest.approx(expected)
    # Time and cause.
    assert (parts["time"] > 0) == bool(codes & {matching.AVAILABLE, matching.FLEXIBLE_SCHEDULE})
    assert (parts["cause"] > 0) == (matching.CAUSE in codes)
    # The positive reasons come best first.
    assert not codes & matching.BLOCKING


@PROPERTY
@given(volunteers(), missions(), st.sampled_from(sorted(DEPARTMENTS.items())))
def test_another_region_without_remote_earns_no_place_points(volunteer, mission, place):
    department, region = place
    # Built rather than filtered (assume() would reject most examples).
    assume(region != volunteer.region)
    mission = dataclasses.replace(mission, is_remote=False, department=department, region=region)
    match = score(volunteer, mission, today=TODAY)
    assert match.parts["place"] == 0
    assert matching.TOO_FAR in {r.code for r in match.reasons}


# --- cases checked by hand ------------------------------------------------------------------


LYON = {"department": "69", "region": "84"}


def test_a_perfect_match_scores_100():
    volunteer = VolunteerFacts(
        skills=frozenset({"welcome", "tutoring"}),
        causes=frozenset({"education"}),
        availability=frozenset({"weekend"}),
        age=30,
        **LYON,
    )
    mission = MissionFacts(
        skills=frozenset({"welcome", "tutoring"}),
        cause="education",
        time_slots=frozenset({"weekend"}),
        minimum_age=18,
        **LYON,
    )
    match = score(volunteer, mission, today=TODAY)
    assert match.score == 100
    assert match.suggested
    assert [r.code for r in match.reasons] == [
        matching.SKILLS,
        matching.SAME_DEPARTMENT,
        matching.AVAILABLE,
        matching.CAUSE,
    ]


def test_three_of_four_skills_in_the_same_region_on_weekends():
    volunteer = VolunteerFacts(
        skills=frozenset({"welcome", "tutoring", "activities"}),
        availability=frozenset({"weekend", "weekday_evening"}),
        department="42",
        region="84",
    )
    mission = MissionFacts(
        skills=frozenset({"welcome", "tutoring", "activities", "driving"}),
        time_slots=frozenset({"weekend"}),
        cause="food-aid",
        **LYON,
    )
    match = score(volunteer, mission, today=TODAY)
    # skills 40 × 3/4 = 30, place (same region) 20, time 15, cause 0.
    assert match.score == 65
    assert match.reasons[0] == Reason(matching.SKILLS, (("matched", 3), ("wanted", 4)))
    assert Reason(matching.SAME_REGION) in match.reasons
    assert Reason(matching.AVAILABLE, (("slots", ("weekend",)),)) in match.reasons


def test_a_remote_mission_for_a_volunteer_far_away():
    volunteer = VolunteerFacts(remote_ok=True, department="13", region="93")
    mission = MissionFacts(is_remote=True, **LYON)
    match = score(volunteer, mission, today=TODAY)
    # No skill needed 20, remote 30, flexible 15.
    assert match.score == 65
    assert Reason(matching.REMOTE) in match.reasons

    not_remote = score(dataclasses.replace(volunteer, remote_ok=False), mission, today=TODAY)
    assert not_remote.score == 45  # 20 + 10 + 15
    assert Reason(matching.REMOTE_POSSIBLE) in not_remote.reasons


def test_another_region_and_not_remote():
    volunteer = VolunteerFacts(skills=frozenset({"welcome"}), department="75", region="11")
    mission = MissionFacts(skills=frozenset({"welcome"}), **LYON)
    match = score(volunteer, mission, today=TODAY)
    assert match.parts["place"] == 0
    assert match.score == 55  # 40 + 0 + 15
    assert Reason(matching.TOO_FAR) in match.reasons


def test_minimum_age():
    mission = MissionFacts(minimum_age=18, **LYON)
    young = VolunteerFacts(age=16, **LYON)
    match = score(young, mission, today=TODAY)
    assert match.score == 0 and not match.suggested
    assert match.reasons[0] == Reason(matching.UNDER_MINIMUM_AGE, (("age", 18),))

    unknown = score(VolunteerFacts(**LYON), mission, today=TODAY)
    assert unknown.suggested
    assert Reason(matching.MINIMUM_AGE, (("age", 18),)) in unknown.reasons

    assert score(VolunteerFacts(age=18, **LYON), mission, today=TODAY).suggested


def test_a_past_mission_is_blocked():
    mission = MissionFacts(start_date=TODAY - datetime.timedelta(days=1), **LYON)
    assert not score(VolunteerFacts(**LYON), mission, today=TODAY).suggested
    today = MissionFacts(start_date=TODAY, **LYON)
    assert score(VolunteerFacts(**LYON), today, today=TODAY).suggested
    running = MissionFacts(start_date=TODAY - datetime.timedelta(days=10), end_date=TODAY, **LYON)
    assert score(VolunteerFacts(**LYON), running, today=TODAY).suggested


def test_age_on():
    born = datetime.date(2008, 6, 16)
    assert matching.age_on(born, TODAY) == 17
    assert matching.age_on(born, datetime.date(2026, 6, 16)) == 18
    assert matching.age_on(None, TODAY) is None


def test_the_engine_imports_no_django_model():
    import ast
    import inspect

    tree = ast.parse(inspect.getsource(matching))
    imports = [node for node in ast.walk(tree) if isinstance(node, ast.Import | ast.ImportFrom)]
    modules = {
        (node.module or "") if isinstance(node, ast.ImportFrom) else node.names[0].name
        for node in imports
    }
    assert not any(m.startswith("django") or m.startswith("maillon") for m in modules)
    assert not any(isinstance(node, ast.ImportFrom) and node.level for node in imports)
