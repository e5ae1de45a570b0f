"""Missions back-office: services and lifecycle, forms, pages, permissions, isolation,
query counts, page-view counting and the demo seed."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.db.models import QuerySet
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from django_scopes import scope, scopes_disabled

from maillon.core.models import AuditEntry
from maillon.members.models import Role
from maillon.members.tests.factories import member_with_account
from maillon.taxonomy.models import Cause, Skill
from maillon.volunteering.missions import services
from maillon.volunteering.models import Mission, MissionStatus, MissionView, Source
from maillon.volunteering.tests.factories import ApplicationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english_messages(settings):
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


def create(association, actor, **fields) -> Mission:
    data = {
        "title": "Accueil du public",
        "description": "Accueillir les habitants le samedi.",
        "postal_code": "69003",
        "city": "Lyon",
    }
    data.update(fields)
    with scope(association=association):
        return services.mission_create(association=association, actor=actor, **data)


def url(name, association, **kwargs):
    return reverse(f"volunteering:{name}", kwargs={"association_slug": association.slug, **kwargs})


def audit_actions(association):
    with scopes_disabled():
        return list(
            AuditEntry.objects.filter(association=association)
            .order_by("id")
            .values_list("action", flat=True)
        )


# --- services ---------------------------------------------------------------------------------


def test_create_derives_the_department_and_keeps_search_text_with_skills(association, admin_user):
    skills = list(Skill.objects.filter(code__in=["tutoring", "web"]))
    cause = Cause.objects.get(code="education")

    mission = create(
        association,
        admin_user,
        title="Soutien scolaire",
        postal_code=" 69 003 ",
        skills=skills,
        cause=cause,
    )

    assert mission.status == MissionStatus.DRAFT
    assert mission.published_at is None
    assert mission.postal_code == "69003"
    assert mission.department.code == "69"
    assert mission.created_by == admin_user
    # Accents folded; skill and cause labels (both languages) searchable.
    assert "soutien scolaire" in mission.search_text
    assert "site web" in mission.search_text and "website" in mission.search_text
    assert "education et formation" in mission.search_text
    assert audit_actions(association) == ["volunteering.mission_created"]


def test_a_remote_mission_needs_no_place(association, admin_user):
    mission = create(association, admin_user, postal_code="", city="", is_remote=True)
    assert mission.department is None and mission.is_remote


@pytest.mark.parametrize(
    "fields, field",
    [
        ({"postal_code": "", "is_remote": False}, "postal_code"),
        ({"postal_code": "99999"}, "postal_code"),
        ({"postal_code": "abcde"}, "postal_code"),
        ({"schedule_kind": "one_off", "start_date": None}, "start_date"),
        (
            {"start_date": datetime.date(2030, 5, 2), "end_date": datetime.date(2030, 5, 1)},
            "end_date",
        ),
        ({"time_slots": ["midnight"]}, "time_slots"),
        ({"volunteers_wanted": 0}, "volunteers_wanted"),
        ({"title": ""}, "title"),
    ],
)
def test_create_refuses_bad_input_with_a_field_error(association, admin_user, fields, field):
    with pytest.raises(ValidationError) as error:
        create(association, admin_user, **fields)
    assert field in error.value.message_dict
    with scopes_disabled():
        assert not Mission.objects.exists()


def test_services_check_the_permission(association):
    volunteer = member_with_account(association, [Role.VOLUNTEER])
    with pytest.raises(PermissionDenied):
        create(association, volunteer)
    board = member_with_account(association, [Role.BOARD])
    with pytest.raises(PermissionDenied):
        create(association, board)


def test_services_never_act_on_another_associations_mission(
    association, admin_user, other_association, other_admin
):
    foreign = create(other_association, other_admin)
    with scope(association=association), pytest.raises(Exception) as error:
        services.mission_publish(association=association, actor=admin_user, mission=foreign)
    assert error.value.__class__.__name__ == "ObjectOutsideAssociation"
    with scopes_disabled():
        foreign.refresh_from_db()
    assert foreign.status == MissionStatus.DRAFT


def test_lifecycle_with_an_audit_entry_for_each_step(association, admin_user):
    mission = create(association, admin_user)
    kw = {"association": association, "actor": admin_user}
    with scope(association=association):
        mission = services.mission_publish(mission=mission, **kw)
        first_published = mission.published_at
        assert mission.status == MissionStatus.PUBLISHED and first_published
        mission = services.mission_mark_full(mission=mission, **kw)
        assert mission.status == MissionStatus.FULL
        mission = services.mission_reopen(mission=mission, **kw)
        assert mission.status == MissionStatus.PUBLISHED
        assert mission.published_at == first_published  # keeps its first publication
        mission = services.mission_close(mission=mission, **kw)
        assert mission.status == MissionStatus.CLOSED
        # Steps that make no sense are refused, nothing changes.
        for step in (services.mission_publish, services.mission_mark_full, services.mission_close):
            with pytest.raises(ValidationError):
                step(mission=mission, **kw)
        assert services.mission_reopen(mission=mission, **kw).status == MissionStatus.PUBLISHED
    assert audit_actions(association) == [
        "volunteering.mission_created",
        "volunteering.mission_publish",
        "volunteering.mission_mark_full",
        "volunteering.mission_reopen",
        "volunteering.mission_close",
        "volunteering.mission_reopen",
    ]


def test_a_draft_can_be_closed_but_not_marked_full(association, admin_user):
    mission = create(association, admin_user)
    with scope(association=association):
        with pytest.raises(ValidationError):
            services.mission_mark_full(association=association, actor=admin_user, mission=mission)
        mission = services.mission_close(association=association, actor=admin_user, mission=mission)
    assert mission.status == MissionStatus.CLOSED


def test_update_records_the_changes_and_refreshes_the_search_text(association, admin_user):
    mission = create(association, admin_user, skills=list(Skill.objects.filter(code="web")))
    with scope(association=association):
        mission = services.mission_update(
            association=association,
            actor=admin_user,
            mission=mission,
            title="Jardinage partagé",
            postal_code="13001",
            skills=list(Skill.objects.filter(code="gardening")),
        )
    assert mission.department.code == "13"
    assert "jardinage partage" in mission.search_text
    assert "site web" not in mission.search_text
    with scopes_disabled():
        entry = AuditEntry.objects.filter(action="volunteering.mission_updated").get()
    assert set(entry.data["changes"]) == {"title", "postal_code", "skills"}
    assert entry.data["changes"]["skills"] == ["web", "gardening"]


def test_an_update_without_change_writes_no_audit_entry(association, admin_user):
    mission = create(association, admin_user)
    with scope(association=association):
        services.mission_update(
            association=association, actor=admin_user, mission=mission, title=mission.title
        )
    assert audit_actions(association) == ["volunteering.mission_created"]


# --- page views -------------------------------------------------------------------------------


def test_views_are_counted_per_day_and_source(association, admin_user):
    mission = create(association, admin_user, status="published")
    today = timezone.localdate()
    for source in ("search", "search", "website", "nonsense", None):
        services.mission_view_record(mission=mission, source=source)
    services.mission_view_record(
        mission=mission, source="search", day=today - datetime.timedelta(days=1)
    )
    with scopes_disabled():
        rows = {(v.day, v.source): v.count for v in MissionView.objects.filter(mission=mission)}
        assert MissionView.objects.get(mission=mission, source="search", day=today).association == (
            association
        )
    assert rows == {
        (today, Source.SEARCH): 2,
        (today, Source.WEBSITE): 1,
        (today, Source.OTHER): 2,
        (today - datetime.timedelta(days=1), Source.SEARCH): 1,
    }


def test_a_view_racing_the_first_insert_is_not_lost(association, admin_user, monkeypatch):
    """Two first views at once: the second INSERT hits the unique constraint and is
    retried as an UPDATE."""
    mission = create(association, admin_user, status="published")
    real_update = QuerySet.update
    calls = []

    def update_before_the_other_request_inserted(self, **kwargs):
        calls.append(kwargs)
        if len(calls) == 1:
            # The other request inserts its row right after our UPDATE found nothing.
            with scopes_disabled():
                MissionView.objects.create(
                    association=association,
                    mission=mission,
                    day=timezone.localdate(),
                    source="search",
                    count=1,
                )
            return 0
        return real_update(self, **kwargs)

    monkeypatch.setattr(QuerySet, "update", update_before_the_other_request_inserted)
    services.mission_view_record(mission=mission, source="search")
    with scopes_disabled():
        assert MissionView.objects.get(mission=mission).count == 2


# --- pages -----------------------------------------------------------------------------------


def form_data(**overrides):
    data = {
        "title": "Distribution alimentaire",
        "description": "Préparer et distribuer les colis.",
        "skills": [Skill.objects.get(code="logistics").pk],
        "cause": Cause.objects.get(code="food-aid").pk,
        "postal_code": "69007",
        "city": "Lyon",
        "schedule_kind": "recurring",
        "start_date": "2030-01-06",
        "end_date": "",
        "schedule_note": "Le mercredi après-midi",
        "time_slots": ["weekday_daytime"],
        "time_commitment": "3 h par semaine",
        "hours_per_week": "3",
        "volunteers_wanted": "4",
        "minimum_age": "16",
        "audience": "public",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def test_create_and_publish_through_the_form(admin_client, association):
    response = admin_client.post(url("mission_create", association), form_data(publish="1"))
    with scopes_disabled():
        mission = Mission.objects.get()
    assert response.status_code == 302
    assert response.url == url("mission_detail", association, mission_id=mission.pk)
    assert mission.status == MissionStatus.PUBLISHED
    assert mission.department.code == "69"
    assert list(mission.skills.values_list("code", flat=True)) == ["logistics"]
    assert mission.time_slots == ["weekday_daytime"]
    page = admin_client.get(response.url)
    assert b"Distribution alimentaire" in page.content
    assert b"Weekdays, daytime" in page.content


def test_save_as_draft_through_the_form(admin_client, association):
    admin_client.post(url("mission_create", association), form_data())
    with scopes_disabled():
        assert Mission.objects.get().status == MissionStatus.DRAFT


@pytest.mark.parametrize(
    "overrides, message",
    [
        ({"postal_code": ""}, b"tick"),
        ({"postal_code": "1234"}, b"valid French postal code"),
        ({"schedule_kind": "one_off", "start_date": ""}, b"needs its date"),
        ({"start_date": "2030-02-01", "end_date": "2030-01-01"}, b"cannot be before"),
        ({"volunteers_wanted": "0"}, b"volunteers wanted"),
        ({"hours_per_week": "500"}, b"hours per week"),
        ({"start_date": "not a date"}, b"valid date"),
        ({"skills": ["999999"]}, b"Skills wanted"),
        ({"title": ""}, b"Title"),
    ],
)
def test_the_form_shows_clear_errors(admin_client, association, overrides, message):
    response = admin_client.post(url("mission_create", association), form_data(**overrides))
    assert response.status_code == 200
    assert b"There is a problem" in response.content
    assert message.lower() in response.content.lower()
    with scopes_disabled():
        assert not Mission.objects.exists()


def test_edit_through_the_form(admin_client, association, admin_user):
    mission = create(association, admin_user)
    page = admin_client.get(url("mission_edit", association, mission_id=mission.pk))
    assert page.status_code == 200 and b"Accueil du public" in page.content
    response = admin_client.post(
        url("mission_edit", association, mission_id=mission.pk),
        form_data(title="Nouveau titre", postal_code="", is_remote="on"),
    )
    assert response.status_code == 302
    with scopes_disabled():
        mission.refresh_from_db()
    assert mission.title == "Nouveau titre" and mission.is_remote and mission.department is None


def test_a_refused_edit_keeps_the_stored_title(admin_client, association, admin_user):
    mission = create(association, admin_user)
    response = admin_client.post(
        url("mission_edit", association, mission_id=mission.pk),
        form_data(title="Titre refusé", postal_code="00000"),
    )
    assert response.status_code == 200
    assert b"Edit Accueil du public" in response.content


def test_lifecycle_buttons(admin_client, association, admin_user):
    mission = create(association, admin_user)
    detail = url("mission_detail", association, mission_id=mission.pk)
    for name, status in [
        ("mission_publish", MissionStatus.PUBLISHED),
        ("mission_mark_full", MissionStatus.FULL),
        ("mission_reopen", MissionStatus.PUBLISHED),
        ("mission_close", MissionStatus.CLOSED),
    ]:
        response = admin_client.post(url(name, association, mission_id=mission.pk))
        assert response.status_code == 302 and response.url == detail
        with scopes_disabled():
            mission.refresh_from_db()
        assert mission.status == status
    # A step that is not possible is a message, not an error page.
    response = admin_client.post(url("mission_mark_full", association, mission_id=mission.pk))
    assert response.status_code == 302
    assert b"not possible" in admin_client.get(detail).content
    # GET does not change anything.
    assert (
        admin_client.get(url("mission_reopen", association, mission_id=mission.pk)).status_code
        == 405
    )


def test_list_filters_by_status_and_counts_applications(admin_client, association, admin_user):
    draft = create(association, admin_user, title="Brouillon de mission")
    published = create(association, admin_user, title="Mission publiée", status="published")
    ApplicationFactory(mission=published)
    ApplicationFactory(mission=published, status="accepted")
    ApplicationFactory(mission=published, submitted_at=None)  # not submitted yet

    response = admin_client.get(url("missions", association))
    assert response.status_code == 200
    rows = {m.title: m for m in response.context["page_obj"]}
    assert rows["Mission publiée"].applications_count == 2
    assert rows["Mission publiée"].applications_waiting == 1
    assert rows["Brouillon de mission"].applications_count == 0
    assert ("draft", "Draft", 1) in response.context["status_tabs"]

    response = admin_client.get(url("missions", association) + "?status=draft")
    assert [m.pk for m in response.context["page_obj"]] == [draft.pk]
    # An unknown status is ignored, not an error.
    assert admin_client.get(url("missions", association) + "?status=zzz").status_code == 200


def test_list_offers_the_embed_snippet(admin_client, association):
    response = admin_client.get(url("missions", association))
    embed = reverse("missions:embed", kwargs={"slug": association.slug})
    assert b"Put this list on your website" in response.content
    assert f"&lt;iframe src=&quot;http://testserver{embed}&quot;".encode() in response.content or (
        f'&lt;iframe src="http://testserver{embed}"'.encode() in response.content
    )


def _list_queries(client, association) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url("missions", association)).status_code == 200
    return len(queries)


def test_the_list_runs_the_same_queries_for_n_and_2n_missions(
    admin_client, association, admin_user
):
    skills = list(Skill.objects.all()[:3])
    for n in range(4):
        mission = create(association, admin_user, title=f"Mission {n}", skills=skills)
        ApplicationFactory(mission=mission)
    first = _list_queries(admin_client, association)
    for n in range(4, 8):
        mission = create(association, admin_user, title=f"Mission {n}", skills=skills)
        ApplicationFactory(mission=mission)
    assert _list_queries(admin_client, association) == first


# --- permissions and isolation ---------------------------------------------------------------


def all_urls(association, mission):
    ids = {"mission_id": mission.pk}
    return [
        ("GET", url("missions", association)),
        ("GET", url("mission_create", association)),
        ("POST", url("mission_create", association)),
        ("GET", url("mission_detail", association, **ids)),
        ("GET", url("mission_edit", association, **ids)),
        ("POST", url("mission_edit", association, **ids)),
        ("POST", url("mission_publish", association, **ids)),
        ("POST", url("mission_mark_full", association, **ids)),
        ("POST", url("mission_close", association, **ids)),
        ("POST", url("mission_reopen", association, **ids)),
    ]


def test_another_associations_admin_gets_404_everywhere(
    client, association, admin_user, other_association, other_admin
):
    mission = create(association, admin_user, title="Mission secrète")
    client.force_login(other_admin)
    for method, path in all_urls(association, mission):
        response = getattr(client, method.lower())(path, form_data())
        assert response.status_code == 404, (method, path)
    # Their own slug with the victim's mission id: 404 as well.
    for method, path in all_urls(other_association, mission)[3:]:
        response = getattr(client, method.lower())(path, form_data())
        assert response.status_code == 404, (method, path)
        assert b"Mission secr" not in response.content
    with scopes_disabled():
        mission.refresh_from_db()
        assert Mission.objects.filter(association=other_association).count() == 0
    assert mission.status == MissionStatus.DRAFT and mission.title == "Mission secrète"


def test_the_board_reads_but_does_not_change(client, association, admin_user):
    mission = create(association, admin_user)
    client.force_login(member_with_account(association, [Role.BOARD]))
    assert client.get(url("missions", association)).status_code == 200
    assert client.get(url("mission_detail", association, mission_id=mission.pk)).status_code == 200
    assert client.get(url("mission_create", association)).status_code == 403
    assert (
        client.post(url("mission_publish", association, mission_id=mission.pk)).status_code == 403
    )


def test_a_volunteer_does_not_see_the_missions_back_office(client, association):
    client.force_login(member_with_account(association, [Role.VOLUNTEER]))
    assert client.get(url("missions", association)).status_code == 403


def test_module_switched_off(client, association, admin_user):
    association.enabled_modules = ["members"]
    association.save()
    client.force_login(member_with_account(association, [Role.SECRETARY]))
    assert client.get(url("missions", association)).status_code == 404
