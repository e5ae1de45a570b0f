"""The CNIL risk grid (délibération 2019-053) and its wizard page."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse
from django_scopes import scopes_disabled
from hypothesis import given
from hypothesis import strategies as st

from maillon.core.models import AuditEntry
from maillon.governance.assemblies import cnil
from maillon.governance.tests.factories import AssemblyFactory
from maillon.members.models import Role
from maillon.members.tests.factories import member_with_account


def answers_with(points: int) -> dict[str, str]:
    """Answers scoring exactly ``points``: the first ``points`` questions unfavourable."""
    favourable = {cnil.YES: cnil.NO, cnil.NO: cnil.YES}
    return {
        q.code: q.unfavourable if i < points else favourable[q.unfavourable]
        for i, q in enumerate(cnil.QUESTIONS)
    }


def test_there_are_ten_questions_with_their_unfavourable_answer():
    assert len(cnil.QUESTIONS) == 10
    assert len(set(cnil.QUESTION_CODES)) == 10
    unfavourable = {q.code: q.unfavourable for q in cnil.QUESTIONS}
    # "Fewer than 50 voters?" — no is the risky answer; "legal obligation?" — yes is.
    assert unfavourable["under_50_voters"] == cnil.NO
    assert unfavourable["legal_obligation"] == cnil.YES


@pytest.mark.parametrize(
    ("points", "level"),
    [(0, 1), (1, 1), (2, 1), (3, 2), (4, 2), (6, 2), (7, 3), (9, 3), (10, 3)],
)
def test_boundaries_of_the_levels(points, level):
    assert cnil.risk_score(answers_with(points)) == (points, level)


def test_a_small_association_assembly_is_level_1():
    answers = {
        "can_postpone": "yes",
        "under_50_voters": "yes",
        "under_1000_voters": "yes",
        "other_channels": "yes",
        "decision_power": "yes",  # one point: the board decides
        "all_in_france": "yes",
        "all_in_eu": "yes",
        "known_threats": "no",
        "proof_required": "no",
        "legal_obligation": "no",
    }
    assert cnil.risk_score(answers) == (1, 1)
    assert cnil.risk_score({k: v == "yes" for k, v in answers.items()}) == (1, 1)


def test_every_question_must_be_answered_yes_or_no():
    answers = answers_with(0)
    del answers["all_in_eu"]
    with pytest.raises(ValueError):
        cnil.risk_score(answers)
    with pytest.raises(ValueError):
        cnil.risk_score({**answers_with(0), "all_in_eu": "maybe"})


@given(st.lists(st.sampled_from([cnil.YES, cnil.NO]), min_size=10, max_size=10))
def test_the_score_counts_unfavourable_answers_and_the_level_grows_with_it(values):
    answers = dict(zip(cnil.QUESTION_CODES, values, strict=True))
    points, level = cnil.risk_score(answers)
    expected = sum(v == q.unfavourable for v, q in zip(values, cnil.QUESTIONS, strict=True))
    assert points == expected
    assert level == (1 if points <= 2 else 2 if points <= 6 else 3)


def test_objectives_accumulate_with_the_level():
    one, two, three = (cnil.objectives_for_level(n) for n in (1, 2, 3))
    assert set(one) < set(two) < set(three)
    codes = {o.code for o in one}
    assert {"secrecy", "separation", "authentication", "no_partial_count"} <= codes
    assert "two_channels" in {o.code for o in two} and "two_channels" not in codes
    assert {o.code for o in three} - {o.code for o in two} == {"third_party_verifiability"}
    assert cnil.assess(answers_with(3)).needs_more_than_maillon
    assert not cnil.assess(answers_with(0)).needs_more_than_maillon


# --- the wizard page -------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_wizard_shows_the_questions_and_the_level_with_a_warning(admin_client, association):
    assembly = AssemblyFactory(association=association)
    url = reverse("governance:cnil_wizard", args=[association.slug, assembly.pk])
    page = admin_client.get(url).content.decode()
    assert page.count('type="radio"') == 20
    assert "Are there fewer than 50 voters?" in page

    response = admin_client.post(url, answers_with(4))
    page = response.content.decode()
    assert response.status_code == 200
    assert "Level 2 (4 points out of 10)" in page
    assert "two-factor authentication" in page and "external certified" in page
    with scopes_disabled():
        entry = AuditEntry.objects.get(action="governance.cnil_assessment")
    assert entry.data["points"] == 4 and entry.data["level"] == 2
    assert entry.data["answers"] == answers_with(4)

    page = admin_client.post(url, answers_with(8)).content.decode()
    assert "Level 3 (8 points out of 10)" in page and "third-party tools" in page
    page = admin_client.post(url, answers_with(1)).content.decode()
    assert "Level 1 (1 point out of 10)" in page and "Warning:" not in page


@pytest.mark.django_db
def test_an_incomplete_grid_is_refused_and_members_cannot_use_the_wizard(
    client, admin_client, association
):
    assembly = AssemblyFactory(association=association)
    url = reverse("governance:cnil_wizard", args=[association.slug, assembly.pk])
    partial = answers_with(2)
    del partial["known_threats"]
    page = admin_client.post(url, partial).content.decode()
    assert "error-summary" in page
    with scopes_disabled():
        assert not AuditEntry.objects.filter(action="governance.cnil_assessment").exists()

    member = Client()
    member.force_login(member_with_account(association, [Role.MEMBER]))
    assert member.get(url).status_code == 403
