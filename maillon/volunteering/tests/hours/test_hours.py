"""Logging, changing and validating volunteer hours."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.http import Http404
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django_scopes import scope, scopes_disabled

from maillon.core.models import AuditEntry
from maillon.members.models import Role
from maillon.volunteering.hours import services as hours_services
from maillon.volunteering.models import Activity, HoursStatus, VolunteerHours
from maillon.volunteering.tests.factories import MissionFactory
from maillon.volunteering.tests.hours.helpers import (
    add_hours,
    english_messages,  # noqa: F401 (autouse fixture)
    person_of,
    user_with_roles,
    volunteer_without_account,
)

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate


@pytest.fixture
def volunteer(association):
    return user_with_roles(association, [Role.VOLUNTEER], email="benevole@amis.example")


@pytest.fixture
def manager(association):
    return user_with_roles(association, [Role.SECRETARY], email="secretaire@amis.example")


def _url(name, association, *args):
    return reverse(f"volunteering:{name}", args=[association.slug, *args])


def _hours_of(person):
    with scopes_disabled():
        return list(VolunteerHours.objects.filter(person=person).order_by("pk"))


# --- a volunteer logs their own hours -------------------------------------------------------


def test_a_volunteer_logs_hours_with_a_decimal_comma_and_they_wait_for_validation(
    client, association, volunteer
):
    mission = MissionFactory(association=association, title="Accueil du samedi")
    client.force_login(volunteer)
    response = client.post(
        _url("my_hours", association),
        {
            "date": TODAY().isoformat(),
            "hours": "1,5",
            "activity": Activity.FIELD,
            "mission": mission.pk,
            "description": "Accueil des familles",
        },
    )
    assert response.status_code == 302
    (entry,) = _hours_of(person_of(volunteer, association))
    assert entry.hours == Decimal("1.5")
    assert entry.status == HoursStatus.PENDING
    assert entry.mission == mission
    assert entry.logged_by == volunteer
    with scopes_disabled():
        assert AuditEntry.objects.filter(
            association=association, action="volunteering.hours_logged"
        ).exists()
    page = client.get(_url("my_hours", association))
    assert b"Accueil des familles" in page.content
    assert b"A manager of the association validates your hours" in page.content


def test_a_dot_works_as_well_as_a_comma(client, association, volunteer):
    client.force_login(volunteer)
    client.post(
        _url("my_hours", association),
        {"date": TODAY().isoformat(), "hours": "2.25", "activity": Activity.OTHER},
    )
    assert _hours_of(person_of(volunteer, association))[0].hours == Decimal("2.25")


@pytest.mark.parametrize(
    "hours, days_ahead, field",
    [
        ("0", 0, "hours"),
        ("0,1", 0, "hours"),
        ("25", 0, "hours"),
        ("24,5", 0, "hours"),
        ("deux", 0, "hours"),
        ("", 0, "hours"),
        ("2", 2, "date"),  # more than a day ahead
        ("2", 30, "date"),
    ],
)
def test_impossible_hours_get_a_form_error(
    client, association, volunteer, hours, days_ahead, field
):
    client.force_login(volunteer)
    day = TODAY() + datetime.timedelta(days=days_ahead)
    response = client.post(
        _url("my_hours", association),
        {"date": day.isoformat(), "hours": hours, "activity": Activity.FIELD},
    )
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert _hours_of(person_of(volunteer, association)) == []


def test_the_boundaries_are_accepted(client, association, volunteer):
    """A quarter of an hour, a full day, and tomorrow (time zones, an evening
    entered the day before) are fine."""
    client.force_login(volunteer)
    for hours, day in (("0,25", TODAY()), ("24", TODAY() + datetime.timedelta(days=1))):
        response = client.post(
            _url("my_hours", association),
            {"date": day.isoformat(), "hours": hours, "activity": Activity.FIELD},
        )
        assert response.status_code == 302
    assert len(_hours_of(person_of(volunteer, association))) == 2


def test_the_service_refuses_a_future_date_too(association, volunteer):
    with scope(association=association), pytest.raises(ValidationError):
        hours_services.hours_log(
            association=association,
            actor=volunteer,
            date=TODAY() + datetime.timedelta(days=5),
            hours=Decimal(2),
            activity=Activity.FIELD,
        )


def test_a_mission_of_another_association_cannot_be_chosen(
    client, association, other_association, volunteer
):
    foreign = MissionFactory(association=other_association)
    client.force_login(volunteer)
    response = client.post(
        _url("my_hours", association),
        {
            "date": TODAY().isoformat(),
            "hours": "2",
            "activity": Activity.FIELD,
            "mission": foreign.pk,
        },
    )
    assert "mission" in response.context["form"].errors
    with scope(association=association), pytest.raises(Http404):
        hours_services.hours_log(
            association=association,
            actor=volunteer,
            date=TODAY(),
            hours=Decimal(2),
            activity=Activity.FIELD,
            mission=foreign,
        )


# --- a volunteer changes their own pending entries, nothing else ----------------------------


def test_a_volunteer_changes_and_deletes_their_pending_entry(client, association, volunteer):
    entry = add_hours(person_of(volunteer, association), status=HoursStatus.PENDING)
    client.force_login(volunteer)
    response = client.post(
        _url("my_hours_edit", association, entry.pk),
        {"date": entry.date.isoformat(), "hours": "3,5", "activity": Activity.EVENT},
    )
    assert response.status_code == 302
    entry.refresh_from_db()
    assert (entry.hours, entry.activity) == (Decimal("3.5"), Activity.EVENT)
    client.post(_url("my_hours_delete", association, entry.pk))
    assert _hours_of(entry.person) == []
    with scopes_disabled():
        actions = set(
            AuditEntry.objects.filter(association=association).values_list("action", flat=True)
        )
    assert {"volunteering.hours_updated", "volunteering.hours_deleted"} <= actions


def test_a_volunteer_cannot_touch_someone_elses_entries(client, association, volunteer):
    other = add_hours(volunteer_without_account(association), status=HoursStatus.PENDING)
    client.force_login(volunteer)
    assert client.get(_url("my_hours_edit", association, other.pk)).status_code == 404
    assert client.post(_url("my_hours_delete", association, other.pk)).status_code == 404
    # The managers' pages are closed to them.
    assert client.get(_url("hours_edit", association, other.pk)).status_code == 403
    assert client.get(_url("hours", association)).status_code == 403
    with scope(association=association), pytest.raises(PermissionDenied):
        hours_services.hours_update(
            association=association, actor=volunteer, entry=other, hours=Decimal(9)
        )
    with scope(association=association), pytest.raises(PermissionDenied):
        hours_services.hours_log(
            association=association,
            actor=volunteer,
            person=other.person,
            date=TODAY(),
            hours=Decimal(1),
            activity=Activity.FIELD,
        )
    assert _hours_of(other.person)[0].hours == Decimal(2)


@pytest.mark.parametrize("status", [HoursStatus.VALIDATED, HoursStatus.REJECTED])
def test_decided_entries_are_final(client, association, volunteer, status):
    entry = add_hours(person_of(volunteer, association), status=status)
    client.force_login(volunteer)
    response = client.post(
        _url("my_hours_edit", association, entry.pk),
        {"date": entry.date.isoformat(), "hours": "9", "activity": Activity.FIELD},
    )
    assert response.status_code == 302
    client.post(_url("my_hours_delete", association, entry.pk))
    entry.refresh_from_db()
    assert entry.hours == Decimal(2)
    with scope(association=association), pytest.raises(ValidationError):
        hours_services.hours_delete(association=association, actor=volunteer, entry=entry)


def test_a_volunteer_cannot_validate(client, association, volunteer):
    entry = add_hours(person_of(volunteer, association), status=HoursStatus.PENDING)
    client.force_login(volunteer)
    response = client.post(
        _url("hours_decide", association), {"entries": [entry.pk], "decision": "validate"}
    )
    assert response.status_code == 403
    with scope(association=association), pytest.raises(PermissionDenied):
        hours_services.hours_decide(
            association=association, actor=volunteer, entry_ids=[entry.pk], validate=True
        )
    entry.refresh_from_db()
    assert entry.status == HoursStatus.PENDING


# --- managers -------------------------------------------------------------------------------


def test_hours_a_manager_logs_are_validated_at_once(client, association, manager):
    person = volunteer_without_account(association, first_name="Édith", last_name="Noël")
    client.force_login(manager)
    page = client.get(_url("hours_log", association))
    assert b"validated at once" in page.content
    response = client.post(
        _url("hours_log", association),
        {
            "person": person.pk,
            "date": TODAY().isoformat(),
            "hours": "4",
            "activity": Activity.ORGANISATION,
        },
    )
    assert response.status_code == 302
    (entry,) = _hours_of(person)
    assert entry.status == HoursStatus.VALIDATED
    assert entry.validated_by == manager and entry.validated_at is not None


def test_a_manager_validates_several_and_rejects_one(client, association, manager):
    person = volunteer_without_account(association)
    first, second, third = (add_hours(person, status=HoursStatus.PENDING) for _ in range(3))
    client.force_login(manager)
    response = client.post(
        _url("hours_decide", association),
        {
            "entries": [first.pk, second.pk],
            "decision": "validate",
            "return_query": "status=pending",
        },
    )
    assert response.status_code == 302
    assert response.url.endswith("?status=pending")
    client.post(_url("hours_decide", association), {"reject_one": third.pk})
    statuses = [e.status for e in _hours_of(person)]
    assert statuses == [HoursStatus.VALIDATED, HoursStatus.VALIDATED, HoursStatus.REJECTED]
    with scopes_disabled():
        actions = list(
            AuditEntry.objects.filter(action__startswith="volunteering.hours_")
            .order_by("pk")
            .values_list("action", "data")
        )
    assert actions[0] == (
        "volunteering.hours_validated",
        {"entries": [first.pk, second.pk], "hours": "4.00"},
    )
    assert actions[1][0] == "volunteering.hours_rejected"


def test_deciding_ignores_entries_of_other_associations_and_decided_ones(
    association, other_association, manager
):
    foreign = add_hours(volunteer_without_account(other_association), status=HoursStatus.PENDING)
    decided = add_hours(volunteer_without_account(association), status=HoursStatus.REJECTED)
    with scope(association=association):
        result = hours_services.hours_decide(
            association=association,
            actor=manager,
            entry_ids=[foreign.pk, decided.pk],
            validate=True,
        )
    assert result == []
    foreign.refresh_from_db()
    decided.refresh_from_db()
    assert foreign.status == HoursStatus.PENDING
    assert decided.status == HoursStatus.REJECTED


def test_deciding_nothing_says_so(client, association, manager):
    client.force_login(manager)
    response = client.post(_url("hours_decide", association), {"decision": "validate"}, follow=True)
    assert b"Tick at least one entry" in response.content


def test_a_manager_edits_a_pending_entry(client, association, manager):
    entry = add_hours(volunteer_without_account(association), status=HoursStatus.PENDING)
    client.force_login(manager)
    response = client.post(
        _url("hours_edit", association, entry.pk),
        {"date": entry.date.isoformat(), "hours": "1.75", "activity": Activity.TRAINING},
    )
    assert response.status_code == 302
    entry.refresh_from_db()
    assert entry.hours == Decimal("1.75")
    assert entry.status == HoursStatus.PENDING  # still to validate


def test_the_list_filters_by_status_person_month_and_activity(client, association, manager):
    anne = volunteer_without_account(association, first_name="Anne", last_name="Aubry")
    bruno = volunteer_without_account(association, first_name="Bruno", last_name="Barre")
    day = TODAY().replace(day=1) - datetime.timedelta(days=40)
    add_hours(anne, day=day, status=HoursStatus.PENDING, activity=Activity.EVENT, description="A1")
    add_hours(anne, day=TODAY(), description="A2")
    add_hours(bruno, day=day, activity=Activity.EVENT, description="B1")
    client.force_login(manager)

    def descriptions(**query):
        response = client.get(_url("hours", association), query)
        assert response.status_code == 200
        return sorted(e.description for e in response.context["page_obj"])

    assert descriptions() == ["A1", "A2", "B1"]
    assert descriptions(status="pending") == ["A1"]
    assert descriptions(person=anne.pk) == ["A1", "A2"]
    assert descriptions(month=day.strftime("%Y-%m")) == ["A1", "B1"]
    assert descriptions(activity="event", status="validated") == ["B1"]
    # A bad month is a form error, not a crash.
    response = client.get(_url("hours", association), {"month": "mars"})
    assert response.status_code == 200
    assert "month" in response.context["form"].errors


def _count_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def test_the_list_costs_the_same_number_of_queries_with_n_and_2n_entries(
    client, association, manager
):
    mission = MissionFactory(association=association)
    client.force_login(manager)

    def add(count):
        for _ in range(count):
            add_hours(volunteer_without_account(association), mission=mission)
            add_hours(volunteer_without_account(association), status=HoursStatus.PENDING)

    add(5)
    url = _url("hours", association)
    client.get(url)
    first = _count_queries(client, url)
    add(5)
    assert _count_queries(client, url) == first
    my_url = _url("my_hours", association)
    me = person_of(manager, association)
    for _ in range(4):
        add_hours(me, mission=mission)
    client.get(my_url)
    mine = _count_queries(client, my_url)
    for _ in range(4):
        add_hours(me, mission=mission)
    assert _count_queries(client, my_url) == mine


# --- the volunteer's own space across associations -------------------------------------------


def test_the_personal_page_lists_hours_in_each_association(
    client, association, other_association, volunteer
):
    client.force_login(volunteer)
    assert client.get(reverse("volunteer:hours")).status_code == 200
    from maillon.members.tests.factories import PersonFactory

    PersonFactory(association=other_association, user=volunteer, roles=[Role.VOLUNTEER])
    here, there = person_of(volunteer, association), person_of(volunteer, other_association)
    add_hours(here, hours="3", description="Ici")
    add_hours(here, hours="1", status=HoursStatus.PENDING)
    add_hours(there, hours="5", description="Là-bas")
    add_hours(volunteer_without_account(association), hours="8", description="Pas moi")
    response = client.get(reverse("volunteer:hours"))
    assert response.status_code == 200
    overview = {item.association.slug: item for item in response.context["overview"]}
    assert overview[association.slug].validated == Decimal(3)
    assert overview[association.slug].pending == Decimal(1)
    assert overview[other_association.slug].validated == Decimal(5)
    content = response.content.decode()
    assert "Ici" in content and "Là-bas" in content and "Pas moi" not in content
    assert reverse("volunteer:hours_certificate", args=[association.slug]) in content


def test_the_personal_page_needs_a_sign_in(client):
    response = client.get(reverse("volunteer:hours"))
    assert response.status_code == 302


# --- isolation --------------------------------------------------------------------------------


def test_another_associations_admin_gets_404_everywhere(
    client, association, other_association, other_admin
):
    person = volunteer_without_account(association)
    entry = add_hours(person, status=HoursStatus.PENDING)
    with scopes_disabled():
        from maillon.volunteering.models import YearlyHourlyRate

        rate = YearlyHourlyRate.objects.create(association=association, year=2024, hourly_rate=12)
    client.force_login(other_admin)
    gets = [
        _url("my_hours", association),
        _url("my_hours_edit", association, entry.pk),
        _url("hours", association),
        _url("hours_log", association),
        _url("hours_edit", association, entry.pk),
        _url("hours_certificate", association, person.pk),
        _url("valuation", association),
        _url("valuation_export", association, "entries", "csv"),
        _url("volunteering_settings", association),
        _url("dashboard", association),
    ]
    posts = [
        _url("my_hours_delete", association, entry.pk),
        _url("hours_decide", association),
        _url("yearly_rate_set", association),
        _url("yearly_rate_remove", association, rate.pk),
    ]
    for url in gets:
        assert client.get(url).status_code == 404, url
    for url in posts:
        assert client.post(url, {"entries": [entry.pk], "decision": "validate"}).status_code == 404
    # With their own slug and this association's ids: still not found.
    own = other_association
    assert client.get(_url("hours_edit", own, entry.pk)).status_code == 404
    assert client.get(_url("hours_certificate", own, person.pk)).status_code == 404
    assert client.post(_url("yearly_rate_remove", own, rate.pk)).status_code == 404
    entry.refresh_from_db()
    assert entry.status == HoursStatus.PENDING
