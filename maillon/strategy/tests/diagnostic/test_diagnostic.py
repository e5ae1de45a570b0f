"""The self-diagnostic: taken by an association section by section (several people
contributing), completed with frozen scores, read as results with recommendations,
compared over time, and taken without an account then attached to an association."""

from __future__ import annotations

import datetime
import re
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from django_scopes import scope, scopes_disabled

from maillon.core.models import AuditEntry
from maillon.core.tenancy import ObjectOutsideAssociation
from maillon.members.models import Role
from maillon.members.tests.factories import member_with_account
from maillon.strategy.diagnostic import services
from maillon.strategy.diagnostic.forms import field_name, rank_field_name
from maillon.strategy.engine import questionnaire as qn
from maillon.strategy.engine import scoring
from maillon.strategy.models import (
    Action,
    AnonymousDiagnostic,
    Diagnostic,
    DiagnosticAnswer,
    DiagnosticStatus,
)

pytestmark = pytest.mark.django_db

Q = qn.load_questionnaire(1)


# --- helpers ------------------------------------------------------------------------------------


def answers_for(section_codes=None, pick: str = "low") -> dict:
    """Answers to every question of the given sections: "low" takes the choice with
    the fewest points, "high" the one with the most (several for a multiple)."""
    answers = {}
    for section in Q.sections:
        if section_codes is not None and section.code not in section_codes:
            continue
        for question in section.questions:
            answers[question.id] = _answer(question, pick)
    return answers


def _answer(question, pick):
    choices = [c for c in question.choices if not c.exclusive]
    by_points = sorted(choices, key=lambda c: c.points or 0)
    if question.type == "ranking":
        return [c.value for c in question.choices]
    if question.type == "text":
        return "Une réponse libre."
    if question.type == "multiple":
        return (
            [by_points[-1].value, by_points[-2].value] if pick == "high" else [by_points[0].value]
        )
    return (by_points[-1] if pick == "high" else by_points[0]).value


ALL_LOW = answers_for(pick="low")
ALL_HIGH = answers_for(pick="high")


def post_data(section, answers: dict, action: str = "next") -> dict:
    """What a browser sends for ``section`` with these answers."""
    data = {"action": action}
    for question in section.questions:
        value = answers.get(question.id)
        if value is None:
            continue
        if question.type == "ranking":
            for rank, choice in enumerate(value, start=1):
                data[rank_field_name(question.id, choice)] = str(rank)
        else:
            data[field_name(question.id)] = value
    return data


def strategy_url(association, name, **kwargs):
    return reverse(f"strategy:{name}", kwargs={"association_slug": association.slug, **kwargs})


def make_diagnostic(association, answers=None, *, completed=True, user=None, when=None):
    """A diagnostic with ``answers`` (completed: scores frozen like the service does)."""
    answers = ALL_LOW if answers is None else answers
    with scopes_disabled():
        diagnostic = Diagnostic.objects.create(
            association=association,
            questionnaire_version=1,
            started_by=user,
            status=DiagnosticStatus.COMPLETED if completed else DiagnosticStatus.IN_PROGRESS,
            completed_at=(when or timezone.now()) if completed else None,
            scores=services.scores_to_json(scoring.score(Q, answers)) if completed else {},
        )
        DiagnosticAnswer.objects.bulk_create(
            [
                DiagnosticAnswer(
                    association=association,
                    diagnostic=diagnostic,
                    question_id=qid,
                    value=value,
                    answered_by=user,
                )
                for qid, value in answers.items()
            ]
        )
    return diagnostic


def stored_answers(diagnostic) -> dict:
    with scopes_disabled():
        return dict(
            DiagnosticAnswer.objects.filter(diagnostic=diagnostic).values_list(
                "question_id", "value"
            )
        )


def audit_actions(association) -> list[str]:
    with scopes_disabled():
        return list(
            AuditEntry.objects.filter(association=association)
            .order_by("id")
            .values_list("action", flat=True)
        )


@pytest.fixture
def board_user(association):
    return member_with_account(association, [Role.BOARD], email="board@amis.example")


@pytest.fixture
def english(admin_user):
    admin_user.language = "en"
    admin_user.save(update_fields=["language"])
    return admin_user


# --- services -----------------------------------------------------------------------------------


def test_saving_answers_is_an_upsert_that_remembers_who_answered_last(
    in_scope, association, admin_user, board_user
):
    diagnostic = services.diagnostic_start(association=association, actor=admin_user)
    services.diagnostic_save_answers(
        association=association,
        actor=admin_user,
        diagnostic=diagnostic,
        answers={"profile.size_band": "none", "profile.budget_band": "under_10k"},
    )
    changed = services.diagnostic_save_answers(
        association=association,
        actor=board_user,
        diagnostic=diagnostic,
        answers={"profile.size_band": "1-2", "profile.budget_band": "under_10k"},
    )

    assert changed == ["profile.size_band"]
    rows = {a.question_id: a for a in DiagnosticAnswer.objects.filter(diagnostic=diagnostic)}
    assert len(rows) == 2
    assert rows["profile.size_band"].value == "1-2"
    assert rows["profile.size_band"].answered_by == board_user
    # An answer given again unchanged keeps its author.
    assert rows["profile.budget_band"].answered_by == admin_user
    # One audit entry per save, not per answer.
    assert audit_actions(association).count("strategy.diagnostic_answers_saved") == 2


def test_several_contributors_complete_each_others_sections(
    in_scope, association, admin_user, board_user
):
    diagnostic = services.diagnostic_start(association=association, actor=board_user)
    services.diagnostic_save_answers(
        association=association,
        actor=board_user,
        diagnostic=diagnostic,
        answers=answers_for({"profile", "objectives"}),
    )
    services.diagnostic_save_answers(
        association=association,
        actor=admin_user,
        diagnostic=diagnostic,
        answers=answers_for({"communication"}),
    )
    authors = dict(
        DiagnosticAnswer.objects.filter(diagnostic=diagnostic).values_list(
            "question_id", "answered_by"
        )
    )
    assert authors["objectives.ranking"] == board_user.pk
    assert authors["communication.plan"] == admin_user.pk


def test_an_emptied_answer_is_removed_and_a_malformed_one_refused(
    in_scope, association, admin_user
):
    diagnostic = services.diagnostic_start(association=association, actor=admin_user)
    services.diagnostic_save_answers(
        association=association,
        actor=admin_user,
        diagnostic=diagnostic,
        answers={"communication.tools_used": ["website"], "profile.size_band": "none"},
    )
    services.diagnostic_save_answers(
        association=association,
        actor=admin_user,
        diagnostic=diagnostic,
        answers={"communication.tools_used": []},
    )
    assert stored_answers(diagnostic) == {"profile.size_band": "none"}

    with pytest.raises(ValidationError) as error:
        services.diagnostic_save_answers(
            association=association,
            actor=admin_user,
            diagnostic=diagnostic,
            answers={"profile.size_band": "a thousand"},
        )
    assert "profile.size_band" in error.value.message_dict
    with pytest.raises(ValidationError):
        services.diagnostic_save_answers(
            association=association,
            actor=admin_user,
            diagnostic=diagnostic,
            answers={"profile.shoe_size": "42"},
        )
    assert stored_answers(diagnostic) == {"profile.size_band": "none"}


def test_completing_freezes_the_scores_and_the_answers(in_scope, association, admin_user):
    diagnostic = services.diagnostic_start(association=association, actor=admin_user)
    services.diagnostic_save_answers(
        association=association, actor=admin_user, diagnostic=diagnostic, answers=ALL_HIGH
    )
    services.diagnostic_complete(association=association, actor=admin_user, diagnostic=diagnostic)

    diagnostic.refresh_from_db()
    expected = scoring.score(Q, ALL_HIGH)
    assert diagnostic.status == DiagnosticStatus.COMPLETED
    assert diagnostic.completed_at is not None
    assert diagnostic.scores["overall"] == expected.overall
    assert diagnostic.scores["level"] == expected.level
    assert {code: d["score"] for code, d in diagnostic.scores["domains"].items()} == {
        code: d.score for code, d in expected.domains.items()
    }
    assert "strategy.diagnostic_completed" in audit_actions(association)
    with pytest.raises(ValidationError):
        services.diagnostic_save_answers(
            association=association,
            actor=admin_user,
            diagnostic=diagnostic,
            answers={"profile.size_band": "50+"},
        )
    assert stored_answers(diagnostic)["profile.size_band"] == ALL_HIGH["profile.size_band"]


def test_completing_needs_every_required_answer(in_scope, association, admin_user):
    diagnostic = services.diagnostic_start(association=association, actor=admin_user)
    services.diagnostic_save_answers(
        association=association,
        actor=admin_user,
        diagnostic=diagnostic,
        answers=answers_for({"profile", "objectives"}),
    )
    with pytest.raises(ValidationError):
        services.diagnostic_complete(
            association=association, actor=admin_user, diagnostic=diagnostic
        )
    diagnostic.refresh_from_db()
    assert diagnostic.status == DiagnosticStatus.IN_PROGRESS
    assert diagnostic.scores == {}


def test_only_one_diagnostic_is_in_progress(in_scope, association, admin_user, board_user):
    first = services.diagnostic_start(association=association, actor=admin_user)
    with pytest.raises(ValidationError):
        services.diagnostic_start(association=association, actor=board_user)
    # The database holds the line too, whatever the code does.
    with pytest.raises(IntegrityError), transaction.atomic():
        Diagnostic.objects.create(association=association, questionnaire_version=1)

    services.diagnostic_save_answers(
        association=association, actor=admin_user, diagnostic=first, answers=ALL_LOW
    )
    services.diagnostic_complete(association=association, actor=admin_user, diagnostic=first)
    second = services.diagnostic_start(association=association, actor=board_user)
    assert second.status == DiagnosticStatus.IN_PROGRESS


def test_the_services_check_permission_and_association(
    association, other_association, admin_user, other_admin
):
    plain = member_with_account(association, [Role.MEMBER])
    with scope(association=association):
        with pytest.raises(PermissionDenied):
            services.diagnostic_start(association=association, actor=plain)
        diagnostic = services.diagnostic_start(association=association, actor=admin_user)
        with pytest.raises(PermissionDenied):
            services.diagnostic_save_answers(
                association=association,
                actor=plain,
                diagnostic=diagnostic,
                answers={"profile.size_band": "50+"},
            )
    with scope(association=other_association), pytest.raises(ObjectOutsideAssociation):
        services.diagnostic_save_answers(
            association=other_association,
            actor=other_admin,
            diagnostic=diagnostic,
            answers={"profile.size_band": "50+"},
        )
    # Only what the association's profile already said (issue 10 item 12): the refused
    # saves wrote nothing.
    assert stored_answers(diagnostic) == {"profile.size_band": "none"}


def test_an_anonymous_diagnostic_attaches_with_the_same_answers_and_scores(association, admin_user):
    anonymous = services.anonymous_diagnostic_start()
    services.anonymous_diagnostic_save_answers(anonymous=anonymous, answers=ALL_HIGH)
    services.anonymous_diagnostic_complete(anonymous=anonymous)
    with scope(association=association):
        in_progress = services.diagnostic_start(association=association, actor=admin_user)
        attached = services.anonymous_diagnostic_attach(
            association=association, actor=admin_user, anonymous=anonymous
        )

    assert attached.status == DiagnosticStatus.COMPLETED
    assert attached.attached_from_anonymous_at is not None
    assert stored_answers(attached) == qn.normalise_answers(Q, ALL_HIGH)
    assert attached.scores["overall"] == scoring.score(Q, ALL_HIGH).overall
    assert not AnonymousDiagnostic.objects.filter(pk=anonymous.pk).exists()
    assert "strategy.diagnostic_attached" in audit_actions(association)
    # The diagnostic in progress is left alone.
    with scopes_disabled():
        in_progress.refresh_from_db()
    assert in_progress.status == DiagnosticStatus.IN_PROGRESS


def test_an_unfinished_anonymous_diagnostic_cannot_be_attached(association, admin_user):
    anonymous = services.anonymous_diagnostic_start()
    services.anonymous_diagnostic_save_answers(
        anonymous=anonymous, answers=answers_for({"profile"})
    )
    with scope(association=association), pytest.raises(ValidationError):
        services.anonymous_diagnostic_attach(
            association=association, actor=admin_user, anonymous=anonymous
        )
    assert AnonymousDiagnostic.objects.filter(pk=anonymous.pk).exists()


def test_an_anonymous_diagnostic_stores_no_identity(client, admin_user):
    # Neither the model nor a request made by a signed-in person keeps who answered.
    fields = {f.name for f in AnonymousDiagnostic._meta.get_fields()}
    assert fields == {
        "id",
        "token",
        "questionnaire_version",
        "answers",
        "created_at",
        "updated_at",
        "completed_at",
    }
    client.force_login(admin_user)
    response = client.post(reverse("diagnostic:start"), REMOTE_ADDR="203.0.113.7")
    token = response["Location"].split("/")[2]
    section = Q.sections[0]
    client.post(
        reverse("diagnostic:section", kwargs={"token": token, "section": section.code}),
        post_data(section, ALL_LOW),
        REMOTE_ADDR="203.0.113.7",
    )
    row = AnonymousDiagnostic.objects.values().get(token=token)
    dumped = repr(row)
    assert "203.0.113.7" not in dumped
    assert admin_user.email not in dumped
    assert "_auth_user_id" not in dumped
    assert row["answers"]["profile.size_band"] == ALL_LOW["profile.size_band"]


# --- taking the diagnostic through HTTP ---------------------------------------------------------


def test_a_french_association_takes_the_diagnostic_section_by_section(
    admin_client, association, admin_user
):
    assert admin_user.language == "fr"
    home = admin_client.get(strategy_url(association, "home"))
    assert home.status_code == 200
    assert home["Content-Language"] == "fr"

    response = admin_client.post(strategy_url(association, "diagnostic_start"))
    with scopes_disabled():
        diagnostic = Diagnostic.objects.get(association=association)
    sections = [s.code for s in Q.sections]
    assert response["Location"] == strategy_url(
        association, "diagnostic_section", diagnostic_id=diagnostic.pk, section=sections[0]
    )

    for index, section in enumerate(Q.sections):
        url = strategy_url(
            association, "diagnostic_section", diagnostic_id=diagnostic.pk, section=section.code
        )
        page = admin_client.get(url)
        assert page.status_code == 200
        html = page.content.decode()
        assert escape(qn.text(section.title, "fr")) in html  # the questionnaire speaks French
        assert escape(qn.text(section.questions[0].label, "fr")) in html
        response = admin_client.post(url, post_data(section, ALL_HIGH))
        assert response.status_code == 302
        if index + 1 < len(sections):
            assert response["Location"].endswith(f"/{sections[index + 1]}/")
        else:
            assert response["Location"] == strategy_url(
                association, "diagnostic", diagnostic_id=diagnostic.pk
            )

    assert stored_answers(diagnostic) == qn.normalise_answers(Q, ALL_HIGH)
    summary = admin_client.get(strategy_url(association, "diagnostic", diagnostic_id=diagnostic.pk))
    assert summary.status_code == 200
    assert strategy_url(association, "diagnostic_complete", diagnostic_id=diagnostic.pk) in (
        summary.content.decode()
    )

    response = admin_client.post(
        strategy_url(association, "diagnostic_complete", diagnostic_id=diagnostic.pk)
    )
    results_url = strategy_url(association, "results", diagnostic_id=diagnostic.pk)
    assert response["Location"] == results_url
    diagnostic.refresh_from_db()
    assert diagnostic.status == DiagnosticStatus.COMPLETED
    results = admin_client.get(results_url)
    assert results.status_code == 200
    assert escape(qn.text(Q.section("communication").title, "fr")) in results.content.decode()
    # Going back to a section of a completed diagnostic leads to its results.
    again = admin_client.get(
        strategy_url(
            association, "diagnostic_section", diagnostic_id=diagnostic.pk, section="profile"
        )
    )
    assert again["Location"] == results_url


def test_a_missing_required_answer_shows_an_error_summary_and_keeps_the_others(
    admin_client, association, english
):
    diagnostic = make_diagnostic(association, {}, completed=False)
    section = Q.section("profile")
    answers = answers_for({"profile"})
    del answers["profile.size_band"]
    url = strategy_url(
        association, "diagnostic_section", diagnostic_id=diagnostic.pk, section="profile"
    )

    response = admin_client.post(url, post_data(section, answers))

    assert response.status_code == 200
    html = response.content.decode()
    assert 'class="error-summary"' in html
    anchor = field_name("profile.size_band")
    assert f'href="#{anchor}"' in html
    assert f'id="{anchor}"' in html
    assert "Choose an answer." in html
    # The other answers are saved, and still shown as given.
    saved = stored_answers(diagnostic)
    assert "profile.size_band" not in saved
    assert saved["profile.budget_band"] == answers["profile.budget_band"]
    assert re.search(rf'value="{answers["profile.budget_band"]}"[^>]*checked', html), (
        "the posted answer is lost"
    )


def test_save_and_finish_later_accepts_a_partial_section(admin_client, association, english):
    diagnostic = make_diagnostic(association, {}, completed=False)
    url = strategy_url(
        association, "diagnostic_section", diagnostic_id=diagnostic.pk, section="profile"
    )
    response = admin_client.post(
        url, post_data(Q.section("profile"), {"profile.size_band": "3-9"}, action="save")
    )
    assert response["Location"] == strategy_url(
        association, "diagnostic", diagnostic_id=diagnostic.pk
    )
    assert stored_answers(diagnostic) == {"profile.size_band": "3-9"}


def test_the_objectives_are_ranked_with_plain_selects(admin_client, association, english):
    diagnostic = make_diagnostic(association, {}, completed=False)
    url = strategy_url(
        association, "diagnostic_section", diagnostic_id=diagnostic.pk, section="objectives"
    )
    page = admin_client.get(url).content.decode()
    first = rank_field_name("objectives.ranking", "raise_funds")
    assert f'<label for="id_{first}">' in page
    assert f'<select name="{first}" id="id_{first}">' in page

    data = {
        "action": "next",
        first: "1",
        rank_field_name("objectives.ranking", "make_known"): "2",
    }
    admin_client.post(url, data)
    assert stored_answers(diagnostic)["objectives.ranking"] == ["raise_funds", "make_known"]

    data[rank_field_name("objectives.ranking", "make_known")] = "1"
    response = admin_client.post(url, data)
    assert "Give each rank to one objective only." in response.content.decode()
    assert stored_answers(diagnostic)["objectives.ranking"] == ["raise_funds", "make_known"]


def test_each_answer_shows_who_gave_it_last(admin_client, association, board_user, english):
    board_user.full_name = "Bernadette Board"
    board_user.save(update_fields=["full_name"])
    diagnostic = make_diagnostic(
        association, {"profile.size_band": "none"}, completed=False, user=board_user
    )
    page = admin_client.get(
        strategy_url(
            association, "diagnostic_section", diagnostic_id=diagnostic.pk, section="profile"
        )
    )
    assert "Last answered by Bernadette Board" in page.content.decode()
    summary = admin_client.get(strategy_url(association, "diagnostic", diagnostic_id=diagnostic.pk))
    assert "Bernadette Board" in summary.content.decode()


def test_the_home_page_shows_the_latest_results_the_one_in_progress_and_the_past(
    admin_client, association, english
):
    make_diagnostic(association, ALL_LOW, when=timezone.now() - datetime.timedelta(days=400))
    latest = make_diagnostic(association, ALL_HIGH)
    in_progress = make_diagnostic(association, answers_for({"profile"}), completed=False)

    html = admin_client.get(strategy_url(association, "home")).content.decode()

    assert "Latest diagnostic" in html
    assert scoring.level_label(latest.scores["level"], "en") in html
    assert "<progress" in html
    assert f"{len(answers_for({'profile'}))} of {len(Q.questions)} questions answered" in html
    assert (
        strategy_url(
            association, "diagnostic_section", diagnostic_id=in_progress.pk, section="objectives"
        )
        in html
    )
    assert html.count(f"/a/{association.slug}/strategy/") > 3
    assert f"/a/{association.slug}/strategy/plan/" in html
    assert f"/a/{association.slug}/strategy/evaluation/" in html
    assert strategy_url(association, "compare") in html
    assert "Start a new diagnostic" not in html  # one is in progress


def test_the_estimated_time_is_shown_before_starting(admin_client, association, english):
    html = admin_client.get(strategy_url(association, "home")).content.decode()
    assert f"about {qn.estimated_minutes(Q)} minutes" in html
    assert "Start the diagnostic" in html


# --- results and comparison ---------------------------------------------------------------------


def test_the_results_show_a_radar_chart_and_the_same_numbers_in_a_table(
    admin_client, association, english
):
    diagnostic = make_diagnostic(association, ALL_LOW)
    html = admin_client.get(
        strategy_url(association, "results", diagnostic_id=diagnostic.pk)
    ).content.decode()

    svg = re.search(r"<svg[^>]*>.*?</svg>", html, re.S).group(0)
    assert 'role="img"' in svg
    assert re.search(r'aria-labelledby="radar-\d+-title radar-\d+-desc"', svg)
    assert "<title id=" in svg
    assert "<caption>Scores per domain, out of 100</caption>" in html
    for code, domain in diagnostic.scores["domains"].items():
        title = re.escape(Q.domain_title(code, "en"))
        assert re.search(rf'<th scope="row">{title}</th>\s*<td>{domain["score"]}</td>', html)
    # The association's own view is shown beside the computed level.
    assert "Your own view" in html
    assert scoring.level_label(ALL_LOW["self_rating.level"], "en") in html


def test_the_recommendations_say_why_and_what_triggered_them(admin_client, association, english):
    diagnostic = make_diagnostic(association, ALL_LOW)
    html = admin_client.get(
        strategy_url(association, "results", diagnostic_id=diagnostic.pk)
    ).content.decode()
    from maillon.strategy.engine import rules

    recommendations = rules.recommend(Q, rules.rules_for_questionnaire(1), ALL_LOW, language="en")
    assert recommendations, "the low answers trigger recommendations"
    first = recommendations[0]
    assert f"1. {first.title}" in html
    assert "Which answers triggered it" in html
    for trigger in first.triggered_by:
        assert escape(trigger.text) in html
    for label in ("Why", "Expected effect", "Effort", "Cost", "Pitfalls to avoid"):
        assert f"<dt>{label}</dt>" in html
    # An administrator may adopt: the form posts to the action plan.
    adopt = f'action="/a/{association.slug}/strategy/plan/adopt/"'
    assert html.count(adopt) == len(recommendations)
    assert f'name="recommendation_code" value="{first.code}"' in html
    assert f'name="diagnostic_id" value="{diagnostic.pk}"' in html


def test_only_a_strategy_manager_sees_the_adopt_buttons(client, association, board_user):
    diagnostic = make_diagnostic(association, ALL_LOW)
    client.force_login(board_user)
    html = client.get(
        strategy_url(association, "results", diagnostic_id=diagnostic.pk)
    ).content.decode()
    assert "/strategy/plan/adopt/" not in html
    assert "<details>" in html  # the recommendations, with what triggered them


def test_an_adopted_recommendation_is_marked_in_the_plan(admin_client, association, english):
    diagnostic = make_diagnostic(association, ALL_LOW)
    from maillon.strategy.engine import rules

    first = rules.recommend(Q, rules.rules_for_questionnaire(1), ALL_LOW, language="en")[0]
    with scopes_disabled():
        Action.objects.create(
            association=association,
            diagnostic=diagnostic,
            recommendation_code=first.code,
            title=first.title,
        )
    html = admin_client.get(
        strategy_url(association, "results", diagnostic_id=diagnostic.pk)
    ).content.decode()
    assert f'name="recommendation_code" value="{first.code}"' not in html
    assert "in your action plan" in html


def test_the_comparison_shows_progress_per_domain(admin_client, association, english):
    before = make_diagnostic(
        association, ALL_LOW, when=timezone.now() - datetime.timedelta(days=365)
    )
    after = make_diagnostic(association, ALL_HIGH)

    response = admin_client.get(strategy_url(association, "compare"))  # the two latest

    html = response.content.decode()
    assert response.status_code == 200
    assert "<caption>Scores per domain, out of 100, and their change</caption>" in html
    assert 'role="img"' in html
    code = "communication"
    low, high = before.scores["domains"][code]["score"], after.scores["domains"][code]["score"]
    assert high > low
    assert f"▲ +{high - low}" in html

    # Explicit choice, in any order: the earlier one is "before".
    swapped = admin_client.get(
        strategy_url(association, "compare") + f"?a={after.pk}&b={before.pk}"
    ).content.decode()
    assert f"▲ +{high - low}" in swapped


def test_the_comparison_keeps_the_domains_present_in_both(admin_client, association, english):
    before = make_diagnostic(
        association, ALL_LOW, when=timezone.now() - datetime.timedelta(days=365)
    )
    after = make_diagnostic(association, ALL_HIGH)
    # A diagnostic taken with a questionnaire that had no "sobriety" domain yet.
    with scopes_disabled():
        scores = dict(before.scores)
        scores["domains"] = {k: v for k, v in scores["domains"].items() if k != "sobriety"}
        Diagnostic.objects.filter(pk=before.pk).update(scores=scores)

    html = admin_client.get(
        strategy_url(association, "compare") + f"?a={before.pk}&b={after.pk}"
    ).content.decode()

    sobriety = Q.domain_title("sobriety", "en")
    assert f'<th scope="row">{sobriety}</th>' not in html
    assert "Only in the later diagnostic:" in html
    assert f'<th scope="row">{Q.domain_title("inclusion", "en")}</th>' in html


def test_the_comparison_needs_two_completed_diagnostics(admin_client, association, english):
    make_diagnostic(association, ALL_LOW)
    html = admin_client.get(strategy_url(association, "compare")).content.decode()
    assert "Two completed diagnostics are needed" in html


@pytest.fixture
def second_version(tmp_path, monkeypatch):
    """A questionnaire version 2 beside version 1: a new wording of a domain."""
    source = Path(qn.CONTENT_DIR) / "questionnaire-v1.yaml"
    (tmp_path / "questionnaire-v1.yaml").write_text(source.read_text(encoding="utf-8"))
    v2 = (
        source.read_text(encoding="utf-8")
        .replace("version: 1\n", "version: 2\n", 1)
        .replace('en: "Communication and visibility"', 'en: "Communication and outreach"')
    )
    (tmp_path / "questionnaire-v2.yaml").write_text(v2, encoding="utf-8")
    monkeypatch.setattr(qn, "CONTENT_DIR", tmp_path)
    qn._load.cache_clear()
    yield
    qn._load.cache_clear()


def test_a_new_questionnaire_version_never_changes_a_past_diagnostic(
    second_version, admin_client, association, english
):
    past = make_diagnostic(association, ALL_LOW, when=timezone.now() - datetime.timedelta(days=365))
    admin_client.post(strategy_url(association, "diagnostic_start"))
    with scopes_disabled():
        new = Diagnostic.objects.get(association=association, status="in_progress")
    assert new.questionnaire_version == 2

    past_results = admin_client.get(strategy_url(association, "results", diagnostic_id=past.pk))
    assert "Communication and visibility" in past_results.content.decode()
    new_page = admin_client.get(
        strategy_url(
            association, "diagnostic_section", diagnostic_id=new.pk, section="communication"
        )
    )
    assert "Communication and outreach" in new_page.content.decode()

    with scopes_disabled():
        Diagnostic.objects.filter(pk=new.pk).update(
            status="completed",
            completed_at=timezone.now(),
            scores=services.scores_to_json(scoring.score(qn.load_questionnaire(2), ALL_HIGH)),
        )
    html = admin_client.get(strategy_url(association, "compare")).content.decode()
    assert "different versions of the questionnaire" in html
    assert '<th scope="row">Communication and outreach</th>' in html


# --- the anonymous diagnostic -------------------------------------------------------------------


def test_an_anonymous_visitor_takes_the_diagnostic_and_attaches_it(client, association, admin_user):
    landing = client.get(reverse("diagnostic:start"))
    assert landing.status_code == 200
    assert "the only key" in landing.content.decode() or "seule clé" in landing.content.decode()

    response = client.post(reverse("diagnostic:start"))
    anonymous = AnonymousDiagnostic.objects.get()
    assert response["Location"] == reverse(
        "diagnostic:section", kwargs={"token": anonymous.token, "section": Q.sections[0].code}
    )
    for section in Q.sections:
        url = reverse(
            "diagnostic:section", kwargs={"token": anonymous.token, "section": section.code}
        )
        assert client.get(url).status_code == 200
        assert client.post(url, post_data(section, ALL_LOW)).status_code == 302
    complete = client.post(reverse("diagnostic:complete", kwargs={"token": anonymous.token}))
    results_url = reverse("diagnostic:results", kwargs={"token": anonymous.token})
    assert complete["Location"] == results_url
    results = client.get(results_url)
    html = results.content.decode()
    assert 'role="img"' in html
    assert "/plan/adopt/" not in html
    assert 'name="robots" content="noindex' in html

    attach_url = reverse("diagnostic:attach", kwargs={"token": anonymous.token})
    assert client.get(attach_url).status_code == 302  # sign in first
    client.force_login(admin_user)
    page = client.get(attach_url)
    assert association.name in page.content.decode()
    response = client.post(attach_url, {"association": association.pk})

    with scopes_disabled():
        diagnostic = Diagnostic.objects.get(association=association)
    assert response["Location"] == strategy_url(association, "results", diagnostic_id=diagnostic.pk)
    assert stored_answers(diagnostic) == qn.normalise_answers(Q, ALL_LOW)
    assert diagnostic.scores == services.scores_to_json(scoring.score(Q, ALL_LOW))
    assert not AnonymousDiagnostic.objects.exists()
    assert client.get(results_url).status_code == 404


def test_attaching_is_offered_only_where_the_user_contributes(
    client, association, other_association
):
    user = member_with_account(association, [Role.MEMBER], email="plain@amis.example")
    from maillon.members.tests.factories import PersonFactory

    PersonFactory(association=other_association, user=user, roles=[Role.BOARD])
    anonymous = services.anonymous_diagnostic_start()
    services.anonymous_diagnostic_save_answers(anonymous=anonymous, answers=ALL_LOW)
    services.anonymous_diagnostic_complete(anonymous=anonymous)
    client.force_login(user)
    url = reverse("diagnostic:attach", kwargs={"token": anonymous.token})

    html = client.get(url).content.decode()
    assert other_association.name in html
    assert association.name not in html
    response = client.post(url, {"association": association.pk})
    assert response.status_code == 200
    assert AnonymousDiagnostic.objects.filter(pk=anonymous.pk).exists()
    with scopes_disabled():
        assert not Diagnostic.objects.filter(association=association).exists()


def test_an_unknown_token_is_not_found(client):
    assert client.get(reverse("diagnostic:summary", kwargs={"token": "nope"})).status_code == 404
    url = reverse("diagnostic:section", kwargs={"token": "nope", "section": "profile"})
    assert client.get(url).status_code == 404


# --- permissions and modules --------------------------------------------------------------------


def test_a_plain_member_is_refused(client, association):
    diagnostic = make_diagnostic(association, ALL_LOW)
    client.force_login(member_with_account(association, [Role.MEMBER]))
    assert client.get(strategy_url(association, "home")).status_code == 403
    assert (
        client.get(strategy_url(association, "results", diagnostic_id=diagnostic.pk)).status_code
        == 403
    )
    assert client.post(strategy_url(association, "diagnostic_start")).status_code == 403


def test_a_board_member_can_contribute(client, association, board_user):
    client.force_login(board_user)
    response = client.post(strategy_url(association, "diagnostic_start"))
    assert response.status_code == 302
    with scopes_disabled():
        diagnostic = Diagnostic.objects.get(association=association)
    url = strategy_url(
        association, "diagnostic_section", diagnostic_id=diagnostic.pk, section="profile"
    )
    client.post(url, post_data(Q.section("profile"), answers_for({"profile"})))
    assert stored_answers(diagnostic) == answers_for({"profile"})


def test_with_the_module_switched_off(client, association, admin_user):
    diagnostic = make_diagnostic(association, ALL_LOW)
    association.enabled_modules = ["members"]
    association.save(update_fields=["enabled_modules"])
    urls = [
        strategy_url(association, "home"),
        strategy_url(association, "results", diagnostic_id=diagnostic.pk),
        strategy_url(association, "compare"),
    ]
    client.force_login(admin_user)
    modules = reverse("backoffice:modules", kwargs={"association_slug": association.slug})
    for url in urls:
        assert client.get(url)["Location"] == modules
    client.force_login(member_with_account(association, [Role.MEMBER]))
    for url in urls:
        assert client.get(url).status_code == 404


# --- isolation ----------------------------------------------------------------------------------


def test_another_associations_admin_never_reaches_a_diagnostic(
    client, association, other_association, other_admin
):
    done = make_diagnostic(association, ALL_LOW)
    other_done = make_diagnostic(other_association, ALL_LOW)
    open_one = make_diagnostic(association, {}, completed=False)
    before = stored_answers(open_one)
    client.force_login(other_admin)

    def urls(slug_of):
        yield "GET", strategy_url(slug_of, "home")
        yield "GET", strategy_url(slug_of, "compare") + f"?a={done.pk}&b={other_done.pk}"
        yield "GET", strategy_url(slug_of, "compare") + f"?a={other_done.pk}&b={done.pk}"
        for diagnostic in (done, open_one):
            yield "GET", strategy_url(slug_of, "diagnostic", diagnostic_id=diagnostic.pk)
            yield "GET", strategy_url(slug_of, "results", diagnostic_id=diagnostic.pk)
            yield (
                "GET",
                strategy_url(
                    slug_of, "diagnostic_section", diagnostic_id=diagnostic.pk, section="profile"
                ),
            )
            yield (
                "POST",
                strategy_url(
                    slug_of, "diagnostic_section", diagnostic_id=diagnostic.pk, section="profile"
                ),
            )
            yield "POST", strategy_url(slug_of, "diagnostic_complete", diagnostic_id=diagnostic.pk)

    data = post_data(Q.section("profile"), answers_for({"profile"}))
    # With the victim's slug, then with the attacker's own slug and the victim's ids.
    for slug_of in (association, other_association):
        for method, url in urls(slug_of):
            if slug_of is other_association and url == strategy_url(other_association, "home"):
                continue
            response = client.get(url) if method == "GET" else client.post(url, data)
            assert response.status_code == 404, (method, url, response.status_code)
    assert client.post(strategy_url(association, "diagnostic_start")).status_code == 404
    assert stored_answers(open_one) == before
    with scopes_disabled():
        assert Diagnostic.objects.filter(association=association).count() == 2


# --- query counts -------------------------------------------------------------------------------


def _count(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def _add_past(association, count: int, user) -> None:
    for n in range(count):
        make_diagnostic(
            association,
            ALL_LOW if n % 2 else ALL_HIGH,
            user=user,
            when=timezone.now() - datetime.timedelta(days=30 * (n + 1)),
        )


def test_the_home_page_query_count_does_not_grow(admin_client, association, admin_user):
    n = 3
    keys = list(ALL_LOW)
    in_progress = make_diagnostic(
        association, {k: ALL_LOW[k] for k in keys[:n]}, completed=False, user=admin_user
    )
    _add_past(association, n, admin_user)
    url = strategy_url(association, "home")
    first = _count(admin_client, url)

    with scopes_disabled():
        DiagnosticAnswer.objects.bulk_create(
            DiagnosticAnswer(
                association=association,
                diagnostic=in_progress,
                question_id=k,
                value=ALL_LOW[k],
                answered_by=admin_user,
            )
            for k in keys[n : 2 * n]
        )
    _add_past(association, n, admin_user)
    assert _count(admin_client, url) == first


def test_the_results_page_query_count_does_not_grow(admin_client, association, admin_user):
    n = 10
    keys = list(ALL_LOW)
    diagnostic = make_diagnostic(association, {k: ALL_LOW[k] for k in keys[:n]}, user=admin_user)
    _add_past(association, 2, admin_user)
    url = strategy_url(association, "results", diagnostic_id=diagnostic.pk)
    first = _count(admin_client, url)

    with scopes_disabled():
        DiagnosticAnswer.objects.bulk_create(
            DiagnosticAnswer(
                association=association,
                diagnostic=diagnostic,
                question_id=k,
                value=ALL_LOW[k],
                answered_by=member_with_account(association, [Role.BOARD]),
            )
            for k in keys[n : 2 * n]
        )
    _add_past(association, 2, admin_user)
    assert _count(admin_client, url) == first
