"""The action plan: adopting recommendations, writing and following actions,
indicators and their measurements, the values Maillon computes every quarter."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from django_scopes import scope, scopes_disabled

from maillon.core.models import AuditEntry
from maillon.core.tenancy import ObjectOutsideAssociation
from maillon.members.models import Role
from maillon.members.tests.factories import PersonFactory, member_with_account
from maillon.metrics import registry as metrics
from maillon.metrics.registry import quarter_bounds
from maillon.strategy.models import Action, ActionStatus, Indicator, IndicatorSource, Measurement
from maillon.strategy.plan import services
from maillon.strategy.plan.selectors import suggested_indicators
from maillon.strategy.tests.factories import (
    ActionFactory,
    CompletedDiagnosticFactory,
    IndicatorFactory,
    MeasurementFactory,
)

pytestmark = pytest.mark.django_db


def audit_actions(association) -> list[str]:
    with scopes_disabled():
        return list(
            AuditEntry.objects.filter(association=association)
            .order_by("id")
            .values_list("action", flat=True)
        )


def url(association, name, **kwargs):
    return reverse(f"strategy:{name}", kwargs={"association_slug": association.slug, **kwargs})


@pytest.fixture
def diagnostic(association):
    return CompletedDiagnosticFactory(association=association)


@pytest.fixture
def board_user(association):
    return member_with_account(association, [Role.BOARD], email="board@amis.example")


# --- adopting a recommendation ------------------------------------------------------------


def test_adopting_a_recommendation_puts_it_in_the_plan_in_my_language(
    in_scope, association, admin_user, diagnostic
):
    action = services.action_adopt(
        association=association,
        actor=admin_user,
        diagnostic=diagnostic,
        recommendation_code="publish_missions",
        language="en",
    )
    assert action.recommendation_code == "publish_missions"
    assert action.diagnostic == diagnostic
    assert action.status == ActionStatus.PLANNED
    assert action.objective == "mobilise_volunteers"
    assert action.title == "Publish your volunteer missions on Maillon"
    assert action.description  # the rule's "why", in English too
    french = services.action_adopt(
        association=association,
        actor=admin_user,
        diagnostic=diagnostic,
        recommendation_code="paper_phone_channel",
        language="fr",
    )
    assert french.title.startswith("Prévoir une voie papier")
    assert french.objective == "serve_members"
    assert audit_actions(association).count("strategy.action_adopted") == 2


def test_the_same_recommendation_cannot_be_adopted_twice(
    in_scope, association, admin_user, diagnostic
):
    services.action_adopt(
        association=association,
        actor=admin_user,
        diagnostic=diagnostic,
        recommendation_code="publish_missions",
    )
    with pytest.raises(ValidationError) as refused, translation.override("en"):
        services.action_adopt(
            association=association,
            actor=admin_user,
            diagnostic=diagnostic,
            recommendation_code="publish_missions",
        )
    assert refused.value.code == "recommendation_adopted_once"
    assert "already in your action plan" in " ".join(refused.value.messages)
    assert Action.objects.filter(recommendation_code="publish_missions").count() == 1


def test_the_database_refuses_a_second_adoption_too(in_scope, association, diagnostic):
    from django.db import IntegrityError, transaction

    ActionFactory(association=association, recommendation_code="publish_missions")
    with pytest.raises(IntegrityError), transaction.atomic():
        ActionFactory(association=association, recommendation_code="publish_missions")


def test_a_dropped_recommendation_can_be_adopted_again(
    in_scope, association, admin_user, diagnostic
):
    first = services.action_adopt(
        association=association,
        actor=admin_user,
        diagnostic=diagnostic,
        recommendation_code="publish_missions",
    )
    services.action_set_status(
        association=association, actor=admin_user, action=first, status=ActionStatus.DROPPED
    )
    again = services.action_adopt(
        association=association,
        actor=admin_user,
        diagnostic=diagnostic,
        recommendation_code="publish_missions",
    )
    assert again.pk != first.pk
    # Taking the dropped one up again would make two: refused.
    with pytest.raises(ValidationError):
        services.action_set_status(
            association=association, actor=admin_user, action=first, status=ActionStatus.PLANNED
        )


def test_an_unknown_recommendation_or_an_unfinished_diagnostic_is_refused(
    in_scope, association, admin_user, diagnostic
):
    with pytest.raises(ValidationError):
        services.action_adopt(
            association=association,
            actor=admin_user,
            diagnostic=diagnostic,
            recommendation_code="does_not_exist",
        )
    with scopes_disabled():
        diagnostic.status = "in_progress"
        diagnostic.save()
    with pytest.raises(ValidationError):
        services.action_adopt(
            association=association,
            actor=admin_user,
            diagnostic=diagnostic,
            recommendation_code="publish_missions",
        )


def test_adopting_anothers_diagnostic_is_not_found(
    in_scope, association, admin_user, other_association
):
    foreign = CompletedDiagnosticFactory(association=other_association)
    with pytest.raises(ObjectOutsideAssociation):
        services.action_adopt(
            association=association,
            actor=admin_user,
            diagnostic=foreign,
            recommendation_code="publish_missions",
        )


def test_suggested_indicators_use_registered_metrics_or_fall_back_to_manual():
    with translation.override("en"):
        volunteers = suggested_indicators(objective="mobilise_volunteers")
        # The volunteering module publishes it: measured automatically, under its name.
        assert volunteers[0].metric_code == "volunteering.new_volunteers"
        assert volunteers[0].source == IndicatorSource.METRIC
        assert volunteers[0].name == str(metrics.get("volunteering.new_volunteers").label)
        # Nothing publishes it (no tracking of visits): measured by hand.
        known = suggested_indicators(objective="make_known")
        assert known[0].name == "Visits of the public page per quarter"
        assert known[0].source == IndicatorSource.MANUAL
        efficiency = suggested_indicators(objective="manage_efficiently")
        assert efficiency[0].metric_code == "members.up_to_date_share"
        assert efficiency[0].source == IndicatorSource.METRIC
        quick = suggested_indicators(
            objective="mobilise_volunteers", recommendation_code="answer_volunteers_quickly"
        )
        assert quick[0].lower_is_better
        assert suggested_indicators(objective="") == []


# --- writing and following actions ------------------------------------------------------------


def test_create_edit_and_change_the_status_of_an_action_with_audit(
    in_scope, association, admin_user
):
    owner = PersonFactory(association=association)
    action = services.action_create(
        association=association,
        actor=admin_user,
        title="Ouvrir une page « Bénévoles » sur le site",
        objective="mobilise_volunteers",
        owner=owner,
        due_date=datetime.date(2030, 6, 30),
    )
    assert action.owner == owner and action.created_by == admin_user
    services.action_update(
        association=association,
        actor=admin_user,
        action=action,
        title=action.title,
        notes="Maquette prête",
        owner=None,
    )
    action.refresh_from_db()
    assert action.notes == "Maquette prête" and action.owner is None
    services.action_set_status(
        association=association, actor=admin_user, action=action, status=ActionStatus.DONE
    )
    action.refresh_from_db()
    assert action.status == ActionStatus.DONE
    assert audit_actions(association) == [
        "strategy.action_created",
        "strategy.action_updated",
        "strategy.action_status_changed",
    ]
    with scopes_disabled():
        entry = AuditEntry.objects.filter(action="strategy.action_updated").get()
    assert entry.data["changes"]["notes"] == ["", "Maquette prête"]


def test_an_action_is_validated(in_scope, association, admin_user, other_association):
    with pytest.raises(ValidationError):
        services.action_create(association=association, actor=admin_user, title="")
    with pytest.raises(ValidationError):
        services.action_create(
            association=association, actor=admin_user, title="A", objective="world_peace"
        )
    left = PersonFactory(association=association, left_on=timezone.localdate())
    with pytest.raises(ValidationError):
        services.action_create(association=association, actor=admin_user, title="A", owner=left)
    stranger = PersonFactory(association=other_association)
    with pytest.raises(ObjectOutsideAssociation):
        services.action_create(association=association, actor=admin_user, title="A", owner=stranger)
    assert not Action.objects.exists()


def test_a_board_member_cannot_change_the_plan(in_scope, association, board_user):
    with pytest.raises(PermissionDenied):
        services.action_create(association=association, actor=board_user, title="A")
    action = ActionFactory(association=association)
    with pytest.raises(PermissionDenied):
        services.action_set_status(
            association=association, actor=board_user, action=action, status="done"
        )


# --- indicators and measurements ------------------------------------------------------------------


def test_manual_indicator_and_its_measurements(in_scope, association, admin_user):
    action = ActionFactory(association=association)
    indicator = services.indicator_create(
        association=association,
        actor=admin_user,
        action=action,
        name="Visites de la page publique",
        unit="visites",
        baseline=Decimal("120"),
        target=Decimal("300"),
    )
    assert indicator.source == IndicatorSource.MANUAL and indicator.metric_code == ""
    measurement = services.measurement_add(
        association=association,
        actor=admin_user,
        indicator=indicator,
        date=datetime.date(2025, 3, 31),
        value=Decimal("180"),
        note="Après la campagne",
    )
    assert measurement.recorded_by == admin_user and not measurement.is_automatic
    services.measurement_delete(association=association, actor=admin_user, measurement=measurement)
    assert not Measurement.objects.exists()
    services.indicator_update(
        association=association, actor=admin_user, indicator=indicator, target=Decimal("250")
    )
    services.indicator_delete(association=association, actor=admin_user, indicator=indicator)
    assert not Indicator.objects.exists()
    assert audit_actions(association) == [
        "strategy.indicator_created",
        "strategy.measurement_added",
        "strategy.measurement_deleted",
        "strategy.indicator_updated",
        "strategy.indicator_deleted",
    ]


def test_an_indicator_needs_a_known_metric_and_takes_its_name(in_scope, association, admin_user):
    action = ActionFactory(association=association)
    with pytest.raises(ValidationError):
        services.indicator_create(
            association=association,
            actor=admin_user,
            action=action,
            source=IndicatorSource.METRIC,
            metric_code="volunteering.not_there",
            target=Decimal("10"),
        )
    with translation.override("en"):
        indicator = services.indicator_create(
            association=association,
            actor=admin_user,
            action=action,
            source=IndicatorSource.METRIC,
            metric_code="members.active",
            target=Decimal("10"),
        )
    assert indicator.name == "Active members"
    assert indicator.unit == "people"
    # Its values are computed: none can be typed in.
    with pytest.raises(ValidationError):
        services.measurement_add(
            association=association,
            actor=admin_user,
            indicator=indicator,
            date=timezone.localdate(),
            value=Decimal("3"),
        )


def _set_created(indicator, day: datetime.date) -> None:
    moment = timezone.make_aware(datetime.datetime.combine(day, datetime.time(12)))
    with scopes_disabled():
        Indicator.objects.filter(pk=indicator.pk).update(created_at=moment)
    indicator.refresh_from_db()


def test_automatic_refresh_stores_the_active_members_of_every_quarter(
    in_scope, association, admin_user
):
    # admin_user joined 400 days ago (factory default): one active member before.
    today = datetime.date(2025, 8, 15)
    PersonFactory(association=association, joined_on=datetime.date(2024, 11, 2))
    PersonFactory(association=association, joined_on=datetime.date(2025, 2, 10))
    PersonFactory(association=association, joined_on=datetime.date(2025, 2, 20))
    PersonFactory(
        association=association,
        joined_on=datetime.date(2025, 5, 5),
        left_on=datetime.date(2025, 7, 1),
    )
    PersonFactory(association=association, joined_on=datetime.date(2025, 8, 1))
    with scopes_disabled():
        from maillon.members.models import Person

        Person.objects.filter(association=association, user=admin_user).update(
            joined_on=datetime.date(2020, 1, 1)
        )
    action = ActionFactory(association=association)
    indicator = IndicatorFactory(
        action=action,
        source=IndicatorSource.METRIC,
        metric_code="members.active",
        baseline=None,
        target=Decimal("10"),
    )
    _set_created(indicator, datetime.date(2025, 2, 1))  # created in the first quarter

    result = services.indicator_refresh_automatic(association=association, today=today)

    values = dict(
        Measurement.objects.filter(indicator=indicator, is_automatic=True).values_list(
            "date", "value"
        )
    )
    assert values == {
        datetime.date(2024, 12, 31): Decimal("2"),  # the baseline quarter
        datetime.date(2025, 3, 31): Decimal("4"),
        datetime.date(2025, 6, 30): Decimal("5"),
        # The current quarter, so far: one left, one joined.
        datetime.date(2025, 9, 30): Decimal("5"),
    }
    assert result.created == 4
    assert "strategy.indicators_refreshed" in audit_actions(association)

    # Idempotent: nothing new, nothing changed.
    again = services.indicator_refresh_automatic(association=association, today=today)
    assert (again.created, again.updated) == (0, 0)
    assert Measurement.objects.filter(indicator=indicator).count() == 4

    # A late entry changes the current quarter: updated in place.
    PersonFactory(association=association, joined_on=datetime.date(2025, 8, 10))
    later = services.indicator_refresh_automatic(association=association, today=today, full=False)
    assert (later.created, later.updated) == (0, 1)
    assert Measurement.objects.get(indicator=indicator, date=datetime.date(2025, 9, 30)).value == 6


def test_a_new_metric_indicator_takes_the_previous_quarter_as_baseline(
    in_scope, association, admin_user
):
    today = timezone.localdate()
    start, _end = quarter_bounds(today)
    previous_end = start - datetime.timedelta(days=1)
    PersonFactory(association=association, joined_on=previous_end - datetime.timedelta(days=5))
    PersonFactory(association=association, joined_on=start)
    with scopes_disabled():
        from maillon.members.models import Person

        active_before = (
            Person.objects.filter(association=association, joined_on__lte=previous_end)
            .filter(left_on__isnull=True)
            .count()
        )
    indicator = services.indicator_create(
        association=association,
        actor=admin_user,
        action=ActionFactory(association=association),
        source=IndicatorSource.METRIC,
        metric_code="members.active",
        target=Decimal("50"),
    )
    assert indicator.baseline == active_before
    assert set(indicator.measurements.values_list("date", flat=True)) == {
        previous_end,
        quarter_bounds(today)[1],
    }


def test_refresh_from_the_task_covers_every_association(association, other_association):
    from maillon.strategy.plan.tasks import refresh_indicators_across_associations

    for assoc in (association, other_association):
        IndicatorFactory(
            action=ActionFactory(association=assoc),
            source=IndicatorSource.METRIC,
            metric_code="members.new",
            baseline=None,
        )
    assert refresh_indicators_across_associations.call() == 2
    with scopes_disabled():
        assert set(
            Measurement.objects.filter(is_automatic=True).values_list("association_id", flat=True)
        ) == {association.pk, other_association.pk}


def test_the_refresh_command_runs_the_task(association):
    from django.core.management import call_command

    IndicatorFactory(
        action=ActionFactory(association=association),
        source=IndicatorSource.METRIC,
        metric_code="members.active",
    )
    call_command("refresh_indicators", verbosity=0)
    with scope(association=association):
        assert Measurement.objects.filter(is_automatic=True).count() == 2


# --- pages ---------------------------------------------------------------------------------------


def english(user) -> None:
    user.language = "en"
    user.save(update_fields=["language"])


def test_the_plan_groups_actions_and_flags_overdue_ones_in_words(
    admin_client, admin_user, association
):
    english(admin_user)
    owner = PersonFactory(association=association, first_name="Léa", last_name="Martin")
    ActionFactory(
        association=association,
        title="Relancer la lettre d'information",
        owner=owner,
        due_date=timezone.localdate() - datetime.timedelta(days=3),
        status=ActionStatus.IN_PROGRESS,
    )
    ActionFactory(association=association, title="Archiver le vieux site", status="done")
    response = admin_client.get(url(association, "plan"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Relancer la lettre d&#x27;information" in html
    assert "Léa Martin" in html
    assert html.count("Overdue") == 1  # in words, not only in colour
    in_progress = html.index('id="group-in_progress"')
    done = html.index('id="group-done"')
    assert in_progress < html.index("Relancer") < done < html.index("Archiver")


def test_the_owner_select_lists_only_active_people(admin_client, association, other_association):
    PersonFactory(association=association, first_name="Active", last_name="Person")
    PersonFactory(
        association=association,
        first_name="Gone",
        last_name="Person",
        left_on=timezone.localdate(),
    )
    PersonFactory(association=other_association, first_name="Foreign", last_name="Person")
    html = admin_client.get(url(association, "action_create")).content.decode()
    assert "Active Person" in html
    assert "Gone Person" not in html and "Foreign Person" not in html


def test_create_an_action_through_the_form(admin_client, association):
    with scopes_disabled():
        owner = PersonFactory(association=association)
    response = admin_client.post(
        url(association, "action_create"),
        {
            "title": "Former deux bénévoles à l'outil",
            "objective": "work_together",
            "owner": owner.pk,
            "due_date": "2030-01-31",
            "description": "",
            "notes": "",
        },
    )
    assert response.status_code == 302
    with scopes_disabled():
        action = Action.objects.get()
    assert action.owner == owner and action.objective == "work_together"


def test_an_empty_title_shows_the_error_summary(admin_client, association):
    response = admin_client.post(url(association, "action_create"), {"title": ""})
    assert response.status_code == 200
    assert "error-summary" in response.content.decode()


def test_adopt_through_the_page_then_refuse_the_duplicate(admin_client, admin_user, association):
    english(admin_user)
    diagnostic = CompletedDiagnosticFactory(association=association)
    data = {"diagnostic_id": diagnostic.pk, "recommendation_code": "publish_missions"}
    response = admin_client.post(url(association, "action_adopt"), data)
    with scopes_disabled():
        action = Action.objects.get()
    assert response.status_code == 302
    assert response["Location"] == url(association, "indicator_create", action_id=action.pk)
    page = admin_client.get(response["Location"]).content.decode()
    assert "?suggestion=0" in page

    response = admin_client.post(url(association, "action_adopt"), data, follow=True)
    assert "already in your action plan" in response.content.decode()
    with scopes_disabled():
        assert Action.objects.count() == 1


def test_a_suggestion_prefills_the_indicator_form(admin_client, association):
    action = ActionFactory(association=association, objective="manage_efficiently")
    page = admin_client.get(
        url(association, "indicator_create", action_id=action.pk) + "?suggestion=0"
    ).content.decode()
    assert 'value="members.up_to_date_share" selected' in page


def test_create_a_metric_indicator_through_the_form(admin_client, association):
    action = ActionFactory(association=association)
    response = admin_client.post(
        url(association, "indicator_create", action_id=action.pk),
        {
            "name": "",
            "unit": "",
            "source": "metric",
            "metric_code": "members.active",
            "baseline": "",
            "target": "40",
            "target_date": "",
        },
    )
    assert response.status_code == 302
    with scopes_disabled():
        indicator = Indicator.objects.get()
        assert indicator.measurements.filter(is_automatic=True).count() == 2
    assert indicator.baseline is not None


def test_status_change_and_measurement_pages(admin_client, association):
    action = ActionFactory(association=association)
    indicator = IndicatorFactory(action=action)
    response = admin_client.post(
        url(association, "action_status", action_id=action.pk), {"status": "in_progress"}
    )
    assert response.status_code == 302
    response = admin_client.post(
        url(association, "measurement_add", indicator_id=indicator.pk),
        {"date": "2025-06-30", "value": "14.5", "note": ""},
    )
    assert response.status_code == 302
    with scopes_disabled():
        action.refresh_from_db()
        assert action.status == ActionStatus.IN_PROGRESS
        measurement = Measurement.objects.get()
    assert measurement.value == Decimal("14.5")
    page = admin_client.get(url(association, "indicator_detail", indicator_id=indicator.pk))
    assert page.status_code == 200
    response = admin_client.post(
        url(
            association,
            "measurement_delete",
            indicator_id=indicator.pk,
            measurement_id=measurement.pk,
        )
    )
    assert response.status_code == 302
    with scopes_disabled():
        assert not Measurement.objects.exists()


def test_the_refresh_button(admin_client, association):
    IndicatorFactory(
        action=ActionFactory(association=association),
        source=IndicatorSource.METRIC,
        metric_code="members.active",
    )
    response = admin_client.post(url(association, "indicators_refresh"))
    assert response.status_code == 302
    with scopes_disabled():
        assert Measurement.objects.filter(is_automatic=True).count() == 2


# --- permissions --------------------------------------------------------------------------------


def test_a_member_gets_403_and_a_board_member_reads_but_cannot_write(
    client, association, board_user
):
    member = member_with_account(association, [Role.MEMBER])
    action = ActionFactory(association=association)
    client.force_login(member)
    assert client.get(url(association, "plan")).status_code == 403
    client.force_login(board_user)
    assert client.get(url(association, "plan")).status_code == 200
    assert client.get(url(association, "evaluation")).status_code == 200
    assert client.get(url(association, "action_create")).status_code == 403
    assert client.post(url(association, "action_create"), {"title": "A"}).status_code == 403
    assert (
        client.post(
            url(association, "action_status", action_id=action.pk), {"status": "done"}
        ).status_code
        == 403
    )
    with scopes_disabled():
        assert Action.objects.count() == 1


# --- isolation ---------------------------------------------------------------------------------


def _targets(association):
    action = ActionFactory(association=association)
    indicator = IndicatorFactory(action=action)
    measurement = MeasurementFactory(indicator=indicator)
    return action, indicator, measurement


PAGES = [
    ("plan", "GET", lambda a, i, m: {}),
    ("action_create", "GET", lambda a, i, m: {}),
    ("action_adopt", "POST", lambda a, i, m: {}),
    ("indicators_refresh", "POST", lambda a, i, m: {}),
    ("evaluation", "GET", lambda a, i, m: {}),
    ("document", "GET", lambda a, i, m: {}),
    ("action_edit", "GET", lambda a, i, m: {"action_id": a.pk}),
    ("action_status", "POST", lambda a, i, m: {"action_id": a.pk}),
    ("indicator_create", "GET", lambda a, i, m: {"action_id": a.pk}),
    ("indicator_detail", "GET", lambda a, i, m: {"indicator_id": i.pk}),
    ("indicator_edit", "GET", lambda a, i, m: {"indicator_id": i.pk}),
    ("indicator_delete", "POST", lambda a, i, m: {"indicator_id": i.pk}),
    ("measurement_add", "GET", lambda a, i, m: {"indicator_id": i.pk}),
    (
        "measurement_delete",
        "POST",
        lambda a, i, m: {"indicator_id": i.pk, "measurement_id": m.pk},
    ),
]


@pytest.mark.parametrize(("name", "method", "ids"), PAGES, ids=[p[0] for p in PAGES])
def test_another_associations_admin_gets_404(
    name, method, ids, client, association, other_association, other_admin
):
    victim_ids = ids(*_targets(association))
    own_ids = ids(*_targets(other_association))
    client.force_login(other_admin)
    send = client.post if method == "POST" else client.get
    data = {"status": "done", "diagnostic_id": 1, "recommendation_code": "publish_missions"}
    # The victim's slug.
    response = send(url(association, name, **victim_ids), data)
    assert response.status_code == 404, name
    if victim_ids:
        # Their own slug, the victim's ids.
        response = send(url(other_association, name, **victim_ids), data)
        assert response.status_code == 404, name
    if len(victim_ids) > 1:
        mixed = {**own_ids, "measurement_id": victim_ids["measurement_id"]}
        assert send(url(other_association, name, **mixed), data).status_code == 404
    with scopes_disabled():
        assert Action.objects.filter(association=association).count() == 1
        assert Measurement.objects.filter(association=association).count() == 1


def test_adopting_with_anothers_diagnostic_id_is_not_found(
    client, association, other_association, other_admin
):
    victim = CompletedDiagnosticFactory(association=association)
    client.force_login(other_admin)
    response = client.post(
        url(other_association, "action_adopt"),
        {"diagnostic_id": victim.pk, "recommendation_code": "publish_missions"},
    )
    assert response.status_code == 404


# --- query counts ---------------------------------------------------------------------------------


def _add_actions(association, count: int) -> None:
    for n in range(count):
        action = ActionFactory(
            association=association,
            owner=PersonFactory(association=association),
            status=ActionStatus.values[n % 4],
            objective="make_known",
        )
        IndicatorFactory(action=action)


def _count(client, path) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    assert response.status_code == 200
    return len(queries)


def test_plan_page_query_count_does_not_grow_with_the_actions(admin_client, association):
    _add_actions(association, 5)
    first = _count(admin_client, url(association, "plan"))
    _add_actions(association, 5)
    assert _count(admin_client, url(association, "plan")) == first
