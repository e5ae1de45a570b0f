"""The mobilisation API through the real URLconf: the public mission search, the
association's missions, applications, volunteer hours and valuation, events and
check-in; permissions like the pages, modules switched off, validation errors,
idempotent creation, isolation between associations and constant query counts."""

import datetime
import json
from decimal import Decimal

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django_scopes import scopes_disabled

from maillon.accounts.services import api_token_create
from maillon.associations.models import Module
from maillon.core.models import AuditEntry
from maillon.events.models import Event, EventStatus, RegistrationStatus
from maillon.events.tests.factories import make_event, make_registration
from maillon.members.models import Person, Role
from maillon.members.tests.factories import PersonFactory, member_with_account
from maillon.taxonomy.models import Department, Skill
from maillon.volunteering.missions.search import update_search_vectors
from maillon.volunteering.models import (
    Application,
    ApplicationStatus,
    Audience,
    HoursStatus,
    Mission,
    MissionStatus,
    VolunteerHours,
)
from maillon.volunteering.tests.factories import (
    ApplicationFactory,
    ApplicationMessageFactory,
    MissionFactory,
)

pytestmark = pytest.mark.django_db

API = "/api/v1"
SLUG = "amis-du-quartier"
OTHER_SLUG = "club-voisin"


@pytest.fixture(autouse=True)
def _english_messages(settings):
    """Messages are read in the source language (English) here."""
    from django.utils import translation

    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


def bearer(user) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {api_token_create(user=user, name='tests')[1]}"}


def get(client, path, auth=None, **params):
    return client.get(f"{API}{path}", params, **(auth or {}))


def send(client, method, path, auth=None, body=None, **headers):
    return getattr(client, method)(
        f"{API}{path}",
        data=json.dumps(body if body is not None else {}),
        content_type="application/json",
        **(auth or {}),
        **headers,
    )


def post(client, path, auth=None, body=None, **headers):
    return send(client, "post", path, auth, body, **headers)


def field_errors(response) -> dict:
    return {tuple(e["loc"])[-1]: e["msg"] for e in response.json()["detail"]}


def queries(client, path, auth=None) -> int:
    if auth:
        client.get(path, **auth)  # the token's last use is written once a minute
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(path, **(auth or {})).status_code == 200
    return len(ctx.captured_queries)


def user_with(association, roles):
    return member_with_account(association, roles, language="en")


def own_person(user, association) -> Person:
    with scopes_disabled():
        return Person.objects.get(user=user, association=association)


def switch_off(association, module):
    association.enabled_modules = [m for m in association.enabled_modules if m != module]
    association.save(update_fields=["enabled_modules"])


@pytest.fixture
def admin(admin_user):
    return bearer(admin_user)


@pytest.fixture
def foreign(other_admin):
    return bearer(other_admin)


def mission_body(**overrides) -> dict:
    body = {
        "title": "Accueil des familles",
        "description": "Accueillir les familles le samedi matin.",
        "postal_code": "69003",
        "city": "Lyon",
        "skills": ["web"],
        "cause": "education",
    }
    body.update(overrides)
    return body


# --- Public search ------------------------------------------------------------------------


def test_the_public_search_needs_no_token_and_shows_only_public_missions(
    client, association, other_association
):
    shown = MissionFactory(association=association, title="Jardin solidaire")
    MissionFactory(association=association, title="Brouillon", status=MissionStatus.DRAFT)
    MissionFactory(association=association, title="Adhérents", audience=Audience.MEMBERS)
    elsewhere = MissionFactory(association=other_association, title="Jardin partagé")
    switched_off = MissionFactory(title="Module éteint")
    switch_off(switched_off.association, Module.VOLUNTEERING)
    update_search_vectors()  # PostgreSQL's full text (nothing to do on SQLite)

    response = get(client, "/missions")
    assert response.status_code == 200
    body = response.json()
    assert {m["id"] for m in body["items"]} == {shown.pk, elsewhere.pk}
    assert body["page"] == 1 and body["next"] is None and body["previous"] is None
    item = next(m for m in body["items"] if m["id"] == shown.pk)
    assert item["association"] == {"slug": SLUG, "name": association.name}
    assert item["takes_applications"] is True

    only_ours = get(client, "/missions", association=SLUG).json()["items"]
    assert [m["id"] for m in only_ours] == [shown.pk]
    by_word = get(client, "/missions", q="jardin").json()["items"]
    assert {m["id"] for m in by_word} == {shown.pk, elsewhere.pk}


def test_the_public_search_filters_like_the_page(client, association):
    web = Skill.objects.get(code="web")
    with_skill = MissionFactory(association=association, postal_code="13001", city="Marseille")
    with scopes_disabled():
        with_skill.skills.add(web)
        Mission.objects.filter(pk=with_skill.pk).update(
            department=Department.objects.get(code="13")
        )
    remote = MissionFactory(association=association, is_remote=True, postal_code="", city="")
    MissionFactory(association=association)

    assert [m["id"] for m in get(client, "/missions", skill=["web"]).json()["items"]] == [
        with_skill.pk
    ]
    both = get(client, "/missions", department="13", remote="true").json()["items"]
    assert {m["id"] for m in both} == {with_skill.pk, remote.pk}


def test_an_unknown_code_in_the_public_search_is_422_not_500(client):
    response = get(client, "/missions", skill=["pas-une-competence"], department="999")
    assert response.status_code == 422
    locs = {tuple(e["loc"]) for e in response.json()["detail"]}
    assert {("query", "skill"), ("query", "department")} <= locs
    assert get(client, "/missions", page="zero").status_code == 422
    assert get(client, "/missions", date="2026-13-45").status_code == 422


def test_the_public_search_takes_the_same_number_of_queries_at_n_and_2n(client, association):
    web = Skill.objects.get(code="web")

    def add(n):
        for _ in range(n):
            mission = MissionFactory(association=association)
            with scopes_disabled():
                mission.skills.add(web)

    add(4)
    update_search_vectors()
    queries(client, f"{API}/missions?q=mission")  # the reference lists are read once
    at_n = queries(client, f"{API}/missions?q=mission")
    add(4)
    update_search_vectors()
    assert queries(client, f"{API}/missions?q=mission") == at_n


def test_a_public_mission_without_token(client, association):
    mission = MissionFactory(association=association)
    draft = MissionFactory(association=association, status=MissionStatus.DRAFT)
    members = MissionFactory(association=association, audience=Audience.MEMBERS)

    response = get(client, f"/missions/{mission.pk}")
    assert response.status_code == 200 and response.json()["title"] == mission.title
    assert get(client, f"/missions/{draft.pk}").status_code == 404
    assert get(client, f"/missions/{members.pk}").status_code == 404
    with scopes_disabled():
        Mission.objects.filter(pk=mission.pk).update(status=MissionStatus.CLOSED)
    closed = get(client, f"/missions/{mission.pk}").json()
    assert closed["takes_applications"] is False


# --- Missions of the association ----------------------------------------------------------


def test_a_manager_lists_the_missions_drafts_included_with_their_applications(
    client, association, admin
):
    published = MissionFactory(association=association)
    draft = MissionFactory(association=association, status=MissionStatus.DRAFT)
    ApplicationFactory(mission=published)
    ApplicationFactory(mission=published, status=ApplicationStatus.DECLINED)
    ApplicationFactory(mission=published, submitted_at=None)  # guest not confirmed

    body = get(client, f"/associations/{SLUG}/missions", admin).json()
    assert body["count"] == 2
    by_id = {m["id"]: m for m in body["items"]}
    assert set(by_id) == {published.pk, draft.pk}
    assert (by_id[published.pk]["applications"], by_id[published.pk]["applications_waiting"]) == (
        2,
        1,
    )
    drafts = get(client, f"/associations/{SLUG}/missions", admin, status="draft").json()
    assert [m["id"] for m in drafts["items"]] == [draft.pk]


def test_the_mission_list_takes_the_same_number_of_queries_at_n_and_2n(client, association, admin):
    web = Skill.objects.get(code="web")

    def add(n):
        for _ in range(n):
            mission = MissionFactory(association=association)
            ApplicationFactory(mission=mission)
            with scopes_disabled():
                mission.skills.add(web)

    add(3)
    path = f"{API}/associations/{SLUG}/missions"
    at_n = queries(client, path, admin)
    add(3)
    assert queries(client, path, admin) == at_n


def test_a_manager_creates_a_draft_with_skills_and_cause(client, association, admin):
    response = post(client, f"/associations/{SLUG}/missions", admin, mission_body())
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["status"] == "draft" and body["published_at"] is None
    assert [s["code"] for s in body["skills"]] == ["web"]
    assert body["cause"]["code"] == "education"
    assert body["department"]["code"] == "69" and body["postal_code"] == "69003"
    with scopes_disabled():
        assert AuditEntry.objects.filter(action="volunteering.mission_created").count() == 1

    published = post(
        client, f"/associations/{SLUG}/missions", admin, mission_body(title="B", publish=True)
    )
    assert published.json()["status"] == "published"


def test_creating_a_mission_refuses_bad_data_with_field_messages(client, association, admin):
    path = f"/associations/{SLUG}/missions"
    no_place = post(client, path, admin, mission_body(postal_code=""))
    assert no_place.status_code == 422
    assert "remotely" in field_errors(no_place)["postal_code"]

    unknown = post(client, path, admin, mission_body(skills=["web", "nope"], cause="nope"))
    assert unknown.status_code == 422
    errors = field_errors(unknown)
    assert "nope" in errors["skills"] and "nope" in errors["cause"]

    one_off = post(client, path, admin, mission_body(schedule_kind="one_off"))
    assert "start_date" in field_errors(one_off)
    too_long = post(client, path, admin, mission_body(title="x" * 201))
    assert "title" in field_errors(too_long)
    assert post(client, path, admin, {"title": "Sans description"}).status_code == 422
    assert post(client, path, admin, mission_body(volunteers_wanted=0)).status_code == 422
    with scopes_disabled():
        assert not Mission.objects.exists()


def test_a_retried_creation_with_the_same_key_makes_one_mission(client, association, admin):
    path = f"/associations/{SLUG}/missions"
    first = post(client, path, admin, mission_body(), HTTP_IDEMPOTENCY_KEY="mission-1")
    again = post(client, path, admin, mission_body(), HTTP_IDEMPOTENCY_KEY="mission-1")
    assert first.status_code == again.status_code == 201
    assert first.json()["id"] == again.json()["id"]
    other = post(client, path, admin, mission_body(), HTTP_IDEMPOTENCY_KEY="mission-2")
    assert other.json()["id"] != first.json()["id"]
    too_long = post(client, path, admin, mission_body(), HTTP_IDEMPOTENCY_KEY="k" * 101)
    assert too_long.status_code == 400 and "Idempotency-Key" in too_long.json()["detail"]
    with scopes_disabled():
        assert Mission.objects.count() == 2


def test_a_manager_changes_only_the_given_fields(client, association, admin):
    mission = MissionFactory(association=association, title="Avant", city="Lyon")
    path = f"/associations/{SLUG}/missions/{mission.pk}"
    response = send(client, "patch", path, admin, {"title": "Après", "skills": ["web"]})
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["title"] == "Après" and body["city"] == "Lyon"
    assert [s["code"] for s in body["skills"]] == ["web"]

    refused = send(client, "patch", path, admin, {"postal_code": "00000"})
    assert refused.status_code == 422 and "postal_code" in field_errors(refused)
    assert get(client, path, admin).json()["postal_code"] == "69001"


def test_publish_and_close_follow_the_lifecycle(client, association, admin):
    mission = MissionFactory(association=association, status=MissionStatus.DRAFT, published_at=None)
    base = f"/associations/{SLUG}/missions/{mission.pk}"
    published = post(client, f"{base}/publish", admin)
    assert published.status_code == 200 and published.json()["status"] == "published"
    again = post(client, f"{base}/publish", admin)
    assert again.status_code == 409
    assert "not possible" in again.json()["detail"]
    closed = post(client, f"{base}/close", admin)
    assert closed.status_code == 200 and closed.json()["status"] == "closed"
    assert post(client, f"{base}/close", admin).status_code == 409


def test_the_board_reads_missions_but_does_not_manage_them(client, association):
    mission = MissionFactory(association=association)
    board = bearer(user_with(association, [Role.BOARD]))
    volunteer = bearer(user_with(association, [Role.VOLUNTEER]))
    base = f"/associations/{SLUG}/missions"
    assert get(client, base, board).status_code == 200
    assert get(client, f"{base}/{mission.pk}", board).status_code == 200
    assert post(client, base, board, mission_body()).status_code == 403
    assert send(client, "patch", f"{base}/{mission.pk}", board, {"title": "X"}).status_code == 403
    assert post(client, f"{base}/{mission.pk}/close", board).status_code == 403
    assert get(client, base, volunteer).status_code == 403


def test_a_module_switched_off_answers_404_like_the_pages(client, association, admin):
    mission = MissionFactory(association=association)
    event = make_event(association)
    switch_off(association, Module.VOLUNTEERING)
    for path in (
        f"/associations/{SLUG}/missions",
        f"/associations/{SLUG}/missions/{mission.pk}",
        f"/associations/{SLUG}/hours",
        f"/associations/{SLUG}/applications",
    ):
        response = get(client, path, admin)
        assert response.status_code == 404, path
        assert "switched off" in response.json()["detail"]
    # Even for a role without the permission: the module comes first, like the pages.
    volunteer = bearer(user_with(association, [Role.VOLUNTEER]))
    assert get(client, f"/associations/{SLUG}/missions", volunteer).status_code == 404
    assert get(client, f"/missions/{mission.pk}").status_code == 404

    assert get(client, f"/associations/{SLUG}/events", admin).status_code == 200
    switch_off(association, "events")
    response = get(client, f"/associations/{SLUG}/events/{event.pk}/registrations", admin)
    assert response.status_code == 404 and "“Events” is switched off" in response.json()["detail"]


# --- Applications -------------------------------------------------------------------------


def test_applications_are_listed_with_filters(client, association, admin):
    mission = MissionFactory(association=association)
    other_mission = MissionFactory(association=association)
    new = ApplicationFactory(mission=mission)
    declined = ApplicationFactory(mission=mission, status=ApplicationStatus.DECLINED)
    elsewhere = ApplicationFactory(mission=other_mission)
    ApplicationFactory(mission=mission, submitted_at=None, email_verified_at=None)

    path = f"/associations/{SLUG}/applications"
    body = get(client, path, admin).json()
    assert body["count"] == 3
    assert {a["id"] for a in body["items"]} == {new.pk, declined.pk, elsewhere.pk}
    only_new = get(client, path, admin, status="new", mission=mission.pk).json()
    assert [a["id"] for a in only_new["items"]] == [new.pk]
    assert only_new["items"][0]["unanswered"] is True
    assert get(client, path, admin, status="peut-être").status_code == 422


def test_the_application_list_takes_the_same_number_of_queries_at_n_and_2n(
    client, association, admin
):
    def add(n):
        for _ in range(n):
            ApplicationFactory(mission=MissionFactory(association=association))

    add(3)
    path = f"{API}/associations/{SLUG}/applications"
    at_n = queries(client, path, admin)
    add(3)
    assert queries(client, path, admin) == at_n


def test_an_application_comes_with_its_thread(client, association, admin):
    application = ApplicationFactory(mission=MissionFactory(association=association))
    ApplicationMessageFactory(application=application, body="Bonjour")
    ApplicationMessageFactory(application=application, from_association=False, body="Merci")
    response = get(client, f"/associations/{SLUG}/applications/{application.pk}", admin)
    assert response.status_code == 200
    body = response.json()
    assert body["email"] == application.email
    assert [(m["from_association"], m["body"]) for m in body["thread"]] == [
        (True, "Bonjour"),
        (False, "Merci"),
    ]


def test_a_manager_replies_to_the_candidate(
    client, association, admin, django_capture_on_commit_callbacks
):
    application = ApplicationFactory(mission=MissionFactory(association=association))
    path = f"/associations/{SLUG}/applications/{application.pk}/reply"
    with django_capture_on_commit_callbacks(execute=True):
        response = post(client, path, admin, {"body": "Pouvez-vous venir samedi ?"})
    assert response.status_code == 201, response.content
    assert response.json()["body"] == "Pouvez-vous venir samedi ?"
    assert response.json()["from_association"] is True
    detail = get(client, f"/associations/{SLUG}/applications/{application.pk}", admin).json()
    assert detail["status"] == "discussion" and len(detail["thread"]) == 1
    assert any(application.email in m.to for m in mail.outbox)

    assert post(client, path, admin, {"body": ""}).status_code == 422
    retry = {"HTTP_IDEMPOTENCY_KEY": "reply-1"}
    first = post(client, path, admin, {"body": "Une fois"}, **retry)
    second = post(client, path, admin, {"body": "Une fois"}, **retry)
    assert first.json()["id"] == second.json()["id"]
    with scopes_disabled():
        assert application.messages.count() == 2


def test_a_closed_application_refuses_messages_with_409(client, association, admin):
    application = ApplicationFactory(
        mission=MissionFactory(association=association), status=ApplicationStatus.DECLINED
    )
    response = post(
        client, f"/associations/{SLUG}/applications/{application.pk}/reply", admin, {"body": "?"}
    )
    assert response.status_code == 409
    assert "closed" in response.json()["detail"]


def test_accepting_makes_a_volunteer_and_deciding_twice_is_409(client, association, admin):
    mission = MissionFactory(association=association, volunteers_wanted=3)
    application = ApplicationFactory(mission=mission, first_name="Lina", last_name="Roux")
    base = f"/associations/{SLUG}/applications/{application.pk}"
    response = post(client, f"{base}/accept", admin)
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "accepted" and response.json()["person_id"]
    with scopes_disabled():
        person = Person.objects.get(pk=response.json()["person_id"])
        assert person.last_name == "Roux"
        assert Role.VOLUNTEER in {ra.role for ra in person.role_assignments.all()}
    again = post(client, f"{base}/decline", admin)
    assert again.status_code == 409 and "accepted" in again.json()["detail"]

    other = ApplicationFactory(mission=mission)
    declined = post(client, f"/associations/{SLUG}/applications/{other.pk}/decline", admin)
    assert declined.status_code == 200 and declined.json()["status"] == "declined"


def test_accepting_the_last_volunteer_marks_the_mission_full_unless_told_not_to(
    client, association, admin
):
    mission = MissionFactory(association=association, volunteers_wanted=1)
    first, second = ApplicationFactory(mission=mission), ApplicationFactory(mission=mission)
    body = {"mark_full_when_complete": False}
    post(client, f"/associations/{SLUG}/applications/{first.pk}/accept", admin, body)
    with scopes_disabled():
        mission.refresh_from_db()
    assert mission.status == MissionStatus.PUBLISHED
    post(client, f"/associations/{SLUG}/applications/{second.pk}/accept", admin)
    with scopes_disabled():
        mission.refresh_from_db()
    assert mission.status == MissionStatus.FULL


def test_the_board_reads_applications_but_does_not_answer(client, association):
    application = ApplicationFactory(mission=MissionFactory(association=association))
    board = bearer(user_with(association, [Role.BOARD]))
    base = f"/associations/{SLUG}/applications/{application.pk}"
    assert get(client, base, board).status_code == 200
    assert post(client, f"{base}/reply", board, {"body": "Bonjour"}).status_code == 403
    assert post(client, f"{base}/accept", board).status_code == 403
    assert post(client, f"{base}/decline", board).status_code == 403
    with scopes_disabled():
        assert Application.objects.get(pk=application.pk).status == ApplicationStatus.NEW


# --- Hours --------------------------------------------------------------------------------


def hours_body(**overrides) -> dict:
    body = {"date": timezone.localdate().isoformat(), "hours": "2.5", "activity": "field"}
    body.update(overrides)
    return body


def test_a_volunteer_logs_their_own_hours_which_wait_for_validation(client, association):
    user = user_with(association, [Role.VOLUNTEER])
    auth = bearer(user)
    mission = MissionFactory(association=association)
    response = post(client, f"/associations/{SLUG}/hours", auth, hours_body(mission=mission.pk))
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["status"] == "pending" and Decimal(body["hours"]) == Decimal("2.5")
    assert body["person"]["id"] == own_person(user, association).pk
    assert body["mission"]["id"] == mission.pk

    someone = PersonFactory(association=association)
    _pending(association, person=someone)
    listed = get(client, f"/associations/{SLUG}/hours", auth).json()
    assert [e["id"] for e in listed["items"]] == [body["id"]]
    assert Decimal(listed["totals"]["pending"]) == Decimal("2.5")
    assert get(client, f"/associations/{SLUG}/hours", auth, person=someone.pk).status_code == 403
    refused = post(client, f"/associations/{SLUG}/hours", auth, hours_body(person=someone.pk))
    assert refused.status_code == 403


def test_a_manager_logs_hours_for_someone_validated_at_once(client, association, admin):
    volunteer = PersonFactory(association=association, roles=[Role.VOLUNTEER])
    response = post(client, f"/associations/{SLUG}/hours", admin, hours_body(person=volunteer.pk))
    assert response.status_code == 201
    assert response.json()["status"] == "validated"
    assert response.json()["person"]["id"] == volunteer.pk
    listed = get(client, f"/associations/{SLUG}/hours", admin, person=volunteer.pk).json()
    assert listed["count"] == 1


def test_bad_hours_are_refused_with_field_messages(client, association, admin):
    path = f"/associations/{SLUG}/hours"
    future = (timezone.localdate() + datetime.timedelta(days=5)).isoformat()
    response = post(client, path, admin, hours_body(date=future))
    assert response.status_code == 422
    assert "future" in field_errors(response)["date"]
    for bad in ({"hours": "0"}, {"hours": "25"}, {"hours": "beaucoup"}, {"activity": "sieste"}):
        assert post(client, path, admin, hours_body(**bad)).status_code == 422, bad
    with scopes_disabled():
        assert not VolunteerHours.objects.exists()


def test_a_retried_hours_entry_is_logged_once(client, association, admin):
    path = f"/associations/{SLUG}/hours"
    first = post(client, path, admin, hours_body(), HTTP_IDEMPOTENCY_KEY="samedi")
    again = post(client, path, admin, hours_body(), HTTP_IDEMPOTENCY_KEY="samedi")
    assert first.json()["id"] == again.json()["id"]
    with scopes_disabled():
        assert VolunteerHours.objects.count() == 1


def _pending(association, person=None, hours=2):
    with scopes_disabled():
        return VolunteerHours.objects.create(
            association=association,
            person=person or PersonFactory(association=association),
            date=timezone.localdate(),
            hours=hours,
            activity="field",
        )


def test_a_manager_validates_or_rejects_pending_hours(client, association):
    treasurer = bearer(user_with(association, [Role.TREASURER]))
    entry, other = _pending(association), _pending(association)
    base = f"/associations/{SLUG}/hours"
    validated = post(client, f"{base}/{entry.pk}/validate", treasurer)
    assert validated.status_code == 200 and validated.json()["status"] == "validated"
    again = post(client, f"{base}/{entry.pk}/reject", treasurer)
    assert again.status_code == 409 and "not waiting" in again.json()["detail"]
    rejected = post(client, f"{base}/{other.pk}/reject", treasurer)
    assert rejected.json()["status"] == "rejected"

    volunteer = bearer(user_with(association, [Role.VOLUNTEER]))
    third = _pending(association)
    assert post(client, f"{base}/{third.pk}/validate", volunteer).status_code == 403
    with scopes_disabled():
        assert VolunteerHours.objects.get(pk=third.pk).status == HoursStatus.PENDING


def test_the_hours_list_takes_the_same_number_of_queries_at_n_and_2n(client, association, admin):
    mission = MissionFactory(association=association)

    def add(n):
        for _ in range(n):
            entry = _pending(association)
            with scopes_disabled():
                VolunteerHours.objects.filter(pk=entry.pk).update(mission=mission)

    add(3)
    path = f"{API}/associations/{SLUG}/hours"
    at_n = queries(client, path, admin)
    add(3)
    assert queries(client, path, admin) == at_n


def test_the_valuation_values_the_validated_hours_of_the_year(client, association, admin):
    year = timezone.localdate().year
    post(client, f"/associations/{SLUG}/hours", admin, hours_body(hours="3"))
    _pending(association, hours=5)  # not validated: not valued
    response = get(client, f"/associations/{SLUG}/valuation", admin, year=year)
    assert response.status_code == 200
    body = response.json()
    assert Decimal(body["hours"]) == Decimal("3")
    assert Decimal(body["amount"]) == Decimal("3") * Decimal(body["hourly_rate"])
    assert body["by_activity"][0]["activity"] == "field" and len(body["by_month"]) == 12
    assert get(client, f"/associations/{SLUG}/valuation", admin, year=1800).status_code == 422
    board = bearer(user_with(association, [Role.BOARD]))
    assert get(client, f"/associations/{SLUG}/valuation", board).status_code == 403


# --- Events -------------------------------------------------------------------------------


def event_body(**overrides) -> dict:
    starts = timezone.now() + datetime.timedelta(days=10)
    body = {
        "title": "Assemblée de quartier",
        "address": "2 rue de la Paix",
        "postal_code": "69002",
        "city": "Lyon",
        "starts_at": starts.isoformat(),
        "ends_at": (starts + datetime.timedelta(hours=2)).isoformat(),
        "capacity": 30,
    }
    body.update(overrides)
    return body


def test_events_are_listed_drafts_only_for_who_manages_them(client, association, admin):
    published = make_event(association, title="Publié")
    draft = make_event(association, title="Brouillon", status=EventStatus.DRAFT)
    make_registration(published)
    make_registration(published, status=RegistrationStatus.WAITING, holds_seat=False)

    body = get(client, f"/associations/{SLUG}/events", admin).json()
    assert {e["id"] for e in body["items"]} == {published.pk, draft.pk}
    item = next(e for e in body["items"] if e["id"] == published.pk)
    assert (item["seats_taken"], item["waiting"], item["department"]) == (1, 1, "69")
    volunteer = bearer(user_with(association, [Role.VOLUNTEER]))
    seen = get(client, f"/associations/{SLUG}/events", volunteer).json()
    assert [e["id"] for e in seen["items"]] == [published.pk]


def test_the_event_list_takes_the_same_number_of_queries_at_n_and_2n(client, association, admin):
    def add(n):
        for _ in range(n):
            make_registration(make_event(association))

    add(3)
    path = f"{API}/associations/{SLUG}/events"
    at_n = queries(client, path, admin)
    add(3)
    assert queries(client, path, admin) == at_n


def test_a_manager_creates_an_event_draft_or_published(client, association, admin):
    response = post(client, f"/associations/{SLUG}/events", admin, event_body())
    assert response.status_code == 201, response.content
    assert response.json()["status"] == "draft" and response.json()["department"] == "69"
    published = post(
        client, f"/associations/{SLUG}/events", admin, event_body(title="B", publish=True)
    )
    assert published.json()["status"] == "published"
    local = post(
        client,
        f"/associations/{SLUG}/events",
        admin,
        event_body(starts_at="2099-06-01T18:00", ends_at="2099-06-01T20:00"),
    )
    # Without a time zone: the association's local time (Paris, summer: UTC+2).
    assert local.json()["starts_at"].startswith("2099-06-01T16:00")


def test_creating_an_event_refuses_bad_data_with_field_messages(client, association, admin):
    path = f"/associations/{SLUG}/events"
    nowhere = post(client, path, admin, event_body(address="", postal_code="", city=""))
    assert nowhere.status_code == 422 and "postal_code" in field_errors(nowhere)
    backwards = event_body()
    backwards["ends_at"], backwards["starts_at"] = backwards["starts_at"], backwards["ends_at"]
    assert "ends_at" in field_errors(post(client, path, admin, backwards))
    assert "campaign" in field_errors(post(client, path, admin, event_body(campaign="nope")))
    assert post(client, path, admin, event_body(capacity=0)).status_code == 422
    assert post(client, path, admin, event_body(starts_at="demain")).status_code == 422
    with scopes_disabled():
        assert not Event.objects.exists()


def test_registrations_and_check_in_at_the_door(client, association, admin):
    event = make_event(association)
    lea = make_registration(event, first_name="Léa", last_name="Martin")
    waiting = make_registration(
        event,
        first_name="Paul",
        last_name="Durand",
        status=RegistrationStatus.WAITING,
        holds_seat=False,
    )
    make_registration(event, status=RegistrationStatus.CANCELLED, holds_seat=False)
    base = f"/associations/{SLUG}/events/{event.pk}/registrations"
    body = get(client, base, admin).json()
    assert [r["id"] for r in body["items"]] == [waiting.pk, lea.pk]
    assert [r["id"] for r in get(client, base, admin, q="léa").json()["items"]] == [lea.pk]

    checked = post(client, f"{base}/{lea.pk}/check-in", admin)
    assert checked.status_code == 200 and checked.json()["checked_in_at"]
    walk_in = post(client, f"{base}/{waiting.pk}/check-in", admin, {"present": True})
    assert walk_in.json()["is_walk_in"] is True and walk_in.json()["status"] == "confirmed"
    undone = post(client, f"{base}/{lea.pk}/check-in", admin, {"present": False})
    assert undone.json()["checked_in_at"] is None


def test_check_in_of_a_draft_event_is_409_and_needs_the_permission(client, association, admin):
    draft = make_event(association, status=EventStatus.DRAFT)
    registration = make_registration(draft)
    path = f"/associations/{SLUG}/events/{draft.pk}/registrations/{registration.pk}/check-in"
    response = post(client, path, admin)
    assert response.status_code == 409 and "published" in response.json()["detail"]

    event = make_event(association)
    other = make_registration(event)
    board = bearer(user_with(association, [Role.BOARD]))
    base = f"/associations/{SLUG}/events/{event.pk}/registrations"
    assert get(client, base, board).status_code == 403
    assert post(client, f"{base}/{other.pk}/check-in", board).status_code == 403
    assert post(client, f"/associations/{SLUG}/events", board, event_body()).status_code == 403


# --- Tokens and isolation -----------------------------------------------------------------


@pytest.fixture
def objects(association):
    """One object of each kind in ``association`` (the victim)."""
    mission = MissionFactory(association=association, audience=Audience.MEMBERS)
    application = ApplicationFactory(mission=mission)
    entry = _pending(association)
    event = make_event(association)
    registration = make_registration(event)
    return {
        "mission": mission.pk,
        "application": application.pk,
        "hours": entry.pk,
        "event": event.pk,
        "registration": registration.pk,
    }


def _paths(slug, o):
    return [
        ("get", f"/associations/{slug}/missions", None),
        ("post", f"/associations/{slug}/missions", mission_body()),
        ("get", f"/associations/{slug}/missions/{o['mission']}", None),
        ("patch", f"/associations/{slug}/missions/{o['mission']}", {"title": "Pirate"}),
        ("post", f"/associations/{slug}/missions/{o['mission']}/publish", None),
        ("post", f"/associations/{slug}/missions/{o['mission']}/close", None),
        ("get", f"/associations/{slug}/applications", None),
        ("get", f"/associations/{slug}/applications/{o['application']}", None),
        ("post", f"/associations/{slug}/applications/{o['application']}/reply", {"body": "x"}),
        ("post", f"/associations/{slug}/applications/{o['application']}/accept", None),
        ("post", f"/associations/{slug}/applications/{o['application']}/decline", None),
        ("get", f"/associations/{slug}/hours", None),
        ("post", f"/associations/{slug}/hours", hours_body()),
        ("post", f"/associations/{slug}/hours/{o['hours']}/validate", None),
        ("post", f"/associations/{slug}/hours/{o['hours']}/reject", None),
        ("get", f"/associations/{slug}/valuation", None),
        ("get", f"/associations/{slug}/events", None),
        ("post", f"/associations/{slug}/events", event_body()),
        ("get", f"/associations/{slug}/events/{o['event']}/registrations", None),
        (
            "post",
            f"/associations/{slug}/events/{o['event']}/registrations/{o['registration']}/check-in",
            None,
        ),
    ]


def _call(client, method, path, auth, body):
    if method == "get":
        return get(client, path, auth)
    return send(client, method, path, auth, body)


def test_every_association_path_needs_a_token(client, objects):
    for method, path, body in _paths(SLUG, objects):
        assert _call(client, method, path, None, body).status_code == 401, path


def test_another_associations_admin_gets_404_everywhere_and_changes_nothing(
    client, association, objects, foreign
):
    with scopes_disabled():
        before = (
            list(Mission.objects.values()),
            list(Application.objects.values()),
            list(VolunteerHours.objects.values()),
            list(Event.objects.values()),
        )
    # The victim's slug, then the attacker's own slug with the victim's ids.
    attempts = _paths(SLUG, objects) + [
        (m, p, b) for m, p, b in _paths(OTHER_SLUG, objects) if p.count("/") > 3
    ]
    for method, path, body in attempts:
        response = _call(client, method, path, foreign, body)
        assert response.status_code == 404, f"{method} {path}: {response.status_code}"
        assert association.name.encode() not in response.content
    with scopes_disabled():
        after = (
            list(Mission.objects.values()),
            list(Application.objects.values()),
            list(VolunteerHours.objects.values()),
            list(Event.objects.values()),
        )
    assert after == before


def test_objects_of_another_association_in_the_body_are_404(
    client, association, other_association, other_admin, objects
):
    """Own slug, but the victim's person or mission named in the body."""
    auth = bearer(other_admin)
    victim_person = PersonFactory(association=association)
    path = f"/associations/{OTHER_SLUG}/hours"
    assert post(client, path, auth, hours_body(person=victim_person.pk)).status_code == 404
    assert post(client, path, auth, hours_body(mission=objects["mission"])).status_code == 404
    with scopes_disabled():
        assert not VolunteerHours.objects.filter(association=other_association).exists()


def test_the_same_key_in_two_associations_makes_one_object_in_each(
    client, association, other_association, admin_user
):
    PersonFactory(association=other_association, user=admin_user, roles=[Role.ADMIN])
    auth = bearer(admin_user)
    for slug in (SLUG, OTHER_SLUG):
        response = post(
            client, f"/associations/{slug}/hours", auth, hours_body(), HTTP_IDEMPOTENCY_KEY="k"
        )
        assert response.status_code == 201
    with scopes_disabled():
        assert VolunteerHours.objects.count() == 2


def test_the_schema_documents_the_mobilisation_paths(client):
    schema = client.get(f"{API}/openapi.json").json()
    paths = schema["paths"]
    assert {
        f"{API}/missions",
        f"{API}/missions/{{mission_id}}",
        f"{API}/associations/{{slug}}/missions",
        f"{API}/associations/{{slug}}/applications/{{application_id}}/reply",
        f"{API}/associations/{{slug}}/hours/{{hours_id}}/validate",
        f"{API}/associations/{{slug}}/valuation",
        f"{API}/associations/{{slug}}/events/{{event_id}}/registrations/{{registration_id}}"
        "/check-in",
    } <= set(paths)
    assert "security" not in paths[f"{API}/missions"]["get"]
    assert paths[f"{API}/associations/{{slug}}/hours"]["post"]["security"] == [{"TokenAuth": []}]


def test_malformed_requests_never_answer_500(client, association, admin, objects):
    huge = 10**20
    for path in (
        f"/missions/{huge}",
        f"/associations/{SLUG}/missions/{huge}",
        f"/associations/{SLUG}/applications/{huge}",
        f"/associations/{SLUG}/events/{huge}/registrations",
    ):
        assert get(client, path, admin).status_code == 404, path
    broken = client.post(
        f"{API}/associations/{SLUG}/hours",
        data="{pas du json",
        content_type="application/json",
        **admin,
    )
    assert broken.status_code in (400, 422)
    accept = f"/associations/{SLUG}/applications/{objects['application']}/accept"
    assert post(client, accept, admin, {"mark_full_when_complete": "peut-être"}).status_code == 422
    assert post(client, f"/associations/{SLUG}/hours/{huge}/validate", admin).status_code == 404
    assert get(client, f"/associations/{SLUG}/hours", admin, month="mars").status_code == 422
