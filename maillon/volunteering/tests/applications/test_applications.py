"""Applications to missions: applying (guest and account), the thread on both sides,
decisions, acceptance into the register, reminders, response statistics, isolation
and query counts."""

import datetime
import re

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from django_scopes import scope, scopes_disabled

from maillon.accounts.tests.factories import UserFactory
from maillon.core.models import AuditEntry
from maillon.members.models import Person, Role
from maillon.members.tests.factories import PersonFactory, member_with_account
from maillon.volunteering.applications import services
from maillon.volunteering.applications.selectors import (
    applications_due_for_reminder_across_associations,
    response_stats,
)
from maillon.volunteering.models import (
    Application,
    ApplicationMessage,
    ApplicationStatus,
    Audience,
    MissionStatus,
    Source,
    VolunteeringSettings,
)
from maillon.volunteering.templatetags.volunteering_stats import response_stats_text

from ..factories import ApplicationFactory, ApplicationMessageFactory, MissionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english(settings):
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


@pytest.fixture
def mission(association):
    return MissionFactory(association=association, title="Soutien scolaire", volunteers_wanted=2)


def apply_url(mission, source=""):
    url = reverse("missions:apply", kwargs={"mission_id": mission.pk})
    return f"{url}?from={source}" if source else url


def guest_data(**overrides):
    return {
        "first_name": "Léa",
        "last_name": "Martin",
        "email": "lea@example.org",
        "phone": "0600000000",
        "message": "Disponible le mercredi.",
        "source": "search",
        **overrides,
    }


def link_in(email_message) -> str:
    return re.search(r"https?://\S+", email_message.body).group(0)


def path_of(url: str) -> str:
    return re.sub(r"^https?://[^/]+", "", url)


def backoffice(name, association, **kwargs):
    return reverse(name, kwargs={"association_slug": association.slug, **kwargs})


def unscoped(qs):
    with scopes_disabled():
        return list(qs)


# --- Applying -----------------------------------------------------------------------------


def test_a_guest_applies_confirms_by_email_and_only_then_the_association_sees_it(
    client, association, admin_user, mission, django_capture_on_commit_callbacks
):
    page = client.get(apply_url(mission, "association_page"))
    assert page.status_code == 200
    assert b'value="association_page"' in page.content

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(apply_url(mission), guest_data(source="association_page"))
    assert response.status_code == 302
    assert response.url == reverse("missions:application_check_email")
    with scopes_disabled():
        application = Application.objects.get()
    assert application.submitted_at is None
    assert application.source == Source.ASSOCIATION_PAGE
    # Only the guest got an email: the link to confirm.
    assert [m.to for m in mail.outbox] == [["lea@example.org"]]
    thread_path = path_of(link_in(mail.outbox[0]))
    assert thread_path == reverse(
        "missions:application_thread", kwargs={"token": application.access_token}
    )

    # Invisible to the association before confirmation.
    staff = client_for(admin_user)
    listing = staff.get(backoffice("volunteering:applications", association))
    assert b"Martin" not in listing.content
    detail = backoffice(
        "volunteering:application_detail", association, application_id=application.pk
    )
    assert staff.get(detail).status_code == 404

    # The guest follows the link and confirms.
    assert b"Confirm my application" in client.get(thread_path).content
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("missions:application_confirm", kwargs={"token": application.access_token})
        )
    application.refresh_from_db()
    assert application.submitted_at is not None and application.email_verified_at is not None
    assert [m.to for m in mail.outbox] == [[admin_user.email]]
    assert "New application" in mail.outbox[0].subject
    assert b"Martin" in staff.get(listing.request["PATH_INFO"]).content
    assert staff.get(detail).status_code == 200


def client_for(user):
    from django.test import Client

    c = Client()
    c.force_login(user)
    return c


def test_a_signed_in_candidate_applies_at_once_with_their_account(
    client, association, admin_user, mission, django_capture_on_commit_callbacks
):
    user = UserFactory(email="sam@example.org", full_name="Sam Durand")
    client.force_login(user)
    page = client.get(apply_url(mission))
    assert b'value="Sam"' in page.content and b'value="Durand"' in page.content
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            apply_url(mission),
            {"first_name": "Sam", "last_name": "Durand", "message": "Partant !", "source": "alert"},
        )
    with scopes_disabled():
        application = Application.objects.get()
    assert response.url == reverse(
        "volunteer:application_detail", kwargs={"application_id": application.pk}
    )
    assert application.user == user
    assert application.email == "sam@example.org"
    assert application.submitted_at is not None
    assert application.source == Source.ALERT
    assert [m.to for m in mail.outbox] == [[admin_user.email]]
    with scopes_disabled():
        assert AuditEntry.objects.filter(action="volunteering.application_submitted").exists()


def test_a_second_open_application_to_the_same_mission_is_refused_clearly(
    client, association, mission
):
    ApplicationFactory(mission=mission, email="Lea@Example.org")
    response = client.post(apply_url(mission), guest_data())
    assert response.status_code == 200
    assert b"You already have an application in progress for this mission." in response.content
    with scopes_disabled():
        assert Application.objects.count() == 1


def test_the_database_constraint_is_a_clear_error_too(association, mission, monkeypatch):
    """Two submissions at the same moment: the other one is saved between our check and
    our insert; the unique constraint refuses ours with the same clear message."""
    original = Application.full_clean

    def concurrent_insert(self, *args, **kwargs):
        if self.pk is None:
            ApplicationFactory(mission=mission, email="LEA@example.org")
        return original(self, *args, **kwargs)

    monkeypatch.setattr(Application, "full_clean", concurrent_insert)
    with pytest.raises(services.ValidationError) as error:
        services.application_submit(
            mission=mission,
            user=UserFactory(email="lea@example.org"),
            first_name="Léa",
            last_name="Martin",
        )
    assert "already have an application" in str(error.value)


def test_a_guest_filling_the_form_twice_before_confirming_updates_their_application(
    client, mission, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(apply_url(mission), guest_data(message="Premier essai"))
        client.post(apply_url(mission), guest_data(message="Second essai"))
    with scopes_disabled():
        application = Application.objects.get()
    assert application.message == "Second essai"
    assert len(mail.outbox) == 2  # a new confirmation link each time


def test_a_candidate_may_apply_again_after_withdrawing(client, mission):
    ApplicationFactory(mission=mission, email="lea@example.org", status="withdrawn")
    response = client.post(apply_url(mission), guest_data())
    assert response.status_code == 302


@pytest.mark.parametrize("status", [MissionStatus.FULL, MissionStatus.CLOSED])
def test_a_mission_no_longer_open_says_so(client, association, status):
    mission = MissionFactory(association=association, status=status)
    page = client.get(apply_url(mission))
    assert page.status_code == 200
    assert b"not taking applications any more" in page.content
    assert b"Send my application" not in page.content
    client.post(apply_url(mission), guest_data())
    with scopes_disabled():
        assert not Application.objects.exists()
    with pytest.raises(services.ValidationError):
        services.application_submit(
            mission=mission, first_name="A", last_name="B", email="a@example.org"
        )


def test_drafts_and_unknown_missions_are_not_found(client, association):
    draft = MissionFactory(association=association, status=MissionStatus.DRAFT)
    assert client.get(apply_url(draft)).status_code == 404
    assert client.get(reverse("missions:apply", kwargs={"mission_id": 999999})).status_code == 404


def test_a_members_only_mission_is_for_signed_in_members_only(client, association):
    mission = MissionFactory(association=association, audience=Audience.MEMBERS)
    assert client.get(apply_url(mission)).status_code == 404
    client.force_login(UserFactory())
    assert client.get(apply_url(mission)).status_code == 404
    client.force_login(member_with_account(association, [Role.MEMBER]))
    assert client.get(apply_url(mission)).status_code == 200
    response = client.post(apply_url(mission), {"first_name": "A", "last_name": "B"})
    assert response.status_code == 302


def test_minimum_age_asks_for_a_declaration_and_refuses_without_it(client, association):
    mission = MissionFactory(association=association, minimum_age=18)
    page = client.get(apply_url(mission))
    assert b"I am at least 18 years old" in page.content
    response = client.post(apply_url(mission), guest_data())
    assert b"This mission is for people aged 18 or over." in response.content
    with scopes_disabled():
        assert not Application.objects.exists()
    client.post(apply_url(mission), guest_data(is_old_enough="on"))
    with scopes_disabled():
        assert Application.objects.count() == 1


def test_an_account_whose_profile_says_younger_is_refused(association):
    from maillon.volunteering.models import VolunteerProfile

    mission = MissionFactory(association=association, minimum_age=18)
    user = UserFactory()
    VolunteerProfile.objects.create(
        user=user, birth_date=timezone.localdate() - datetime.timedelta(days=365 * 15)
    )
    with pytest.raises(services.ValidationError) as error:
        services.application_submit(
            mission=mission, user=user, first_name="A", last_name="B", is_old_enough=True
        )
    assert "aged 18 or over" in str(error.value)


def test_an_unknown_source_is_recorded_as_other(client, mission):
    client.post(apply_url(mission), guest_data(source="evil"))
    with scopes_disabled():
        assert Application.objects.get().source == Source.OTHER


# --- The thread and the decisions -----------------------------------------------------------


def test_the_association_replies_and_the_guest_reads_and_answers_through_their_link(
    client, association, admin_user, mission, django_capture_on_commit_callbacks
):
    application = ApplicationFactory(mission=mission, email="lea@example.org")
    staff = client_for(admin_user)
    reply_url = backoffice(
        "volunteering:application_reply", association, application_id=application.pk
    )
    with django_capture_on_commit_callbacks(execute=True):
        staff.post(reply_url, {"body": "Pouvez-vous venir mercredi ?"})
    application.refresh_from_db()
    assert application.status == ApplicationStatus.DISCUSSION
    assert application.first_response_at is not None
    assert [m.to for m in mail.outbox] == [["lea@example.org"]]
    assert "Pouvez-vous venir mercredi ?" in mail.outbox[0].body

    thread = path_of(link_in_last_line(mail.outbox[0]))
    page = client.get(thread)
    assert b"Pouvez-vous venir mercredi ?" in page.content
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("missions:application_guest_reply", kwargs={"token": application.access_token}),
            {"body": "Oui, avec plaisir."},
        )
    assert [m.to for m in mail.outbox] == [[admin_user.email]]
    detail = staff.get(
        backoffice("volunteering:application_detail", association, application_id=application.pk)
    )
    assert b"Oui, avec plaisir." in detail.content
    with scopes_disabled():
        assert [m.from_association for m in ApplicationMessage.objects.order_by("id")] == [
            True,
            False,
        ]


def link_in_last_line(email_message) -> str:
    return re.findall(r"https?://\S+", email_message.body)[-1]


def test_the_mission_contact_gets_the_emails_rather_than_the_managers(
    association, admin_user, django_capture_on_commit_callbacks
):
    contact = PersonFactory(association=association, email="contact@amis.example", roles=[])
    mission = MissionFactory(association=association, contact=contact)
    with django_capture_on_commit_callbacks(execute=True):
        services.application_submit(
            mission=mission,
            user=UserFactory(),
            first_name="A",
            last_name="B",
        )
    assert [m.to for m in mail.outbox] == [["contact@amis.example"]]


def test_an_account_holder_follows_the_thread_in_their_space(
    client, association, admin_user, mission, django_capture_on_commit_callbacks
):
    user = UserFactory(email="sam@example.org")
    application = ApplicationFactory(mission=mission, user=user, email=user.email)
    ApplicationMessageFactory(application=application, body="Bienvenue !")
    client.force_login(user)
    listing = client.get(reverse("volunteer:applications"))
    assert mission.title.encode() in listing.content
    detail_url = reverse("volunteer:application_detail", kwargs={"application_id": application.pk})
    assert b"Bienvenue !" in client.get(detail_url).content
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("volunteer:application_reply", kwargs={"application_id": application.pk}),
            {"body": "Merci !"},
        )
    assert [m.to for m in mail.outbox] == [[admin_user.email]]
    # The association's email to an account holder links to their space.
    mail.outbox.clear()
    with scope(association=association), django_capture_on_commit_callbacks(execute=True):
        services.application_reply(
            association=association, actor=admin_user, application=application, body="Parfait"
        )
    assert path_of(link_in_last_line(mail.outbox[0])) == detail_url


def test_a_candidate_cannot_read_anothers_application(client, mission):
    other = ApplicationFactory(mission=mission, user=UserFactory())
    client.force_login(UserFactory())
    for name in ("application_detail",):
        url = reverse(f"volunteer:{name}", kwargs={"application_id": other.pk})
        assert client.get(url).status_code == 404
    for name in ("application_reply", "application_withdraw"):
        url = reverse(f"volunteer:{name}", kwargs={"application_id": other.pk})
        assert client.post(url, {"body": "x"}).status_code == 404
    other.refresh_from_db()
    assert other.status == ApplicationStatus.NEW
    assert (
        client.get(reverse("missions:application_thread", kwargs={"token": "nope"})).status_code
        == 404
    )


def test_my_space_requires_signing_in(client, mission):
    assert client.get(reverse("volunteer:applications")).status_code == 302


def test_a_guest_withdraws_and_the_association_is_told(
    client, association, admin_user, mission, django_capture_on_commit_callbacks
):
    application = ApplicationFactory(mission=mission)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse(
                "missions:application_guest_withdraw", kwargs={"token": application.access_token}
            )
        )
    application.refresh_from_db()
    assert application.status == ApplicationStatus.WITHDRAWN
    assert [m.to for m in mail.outbox] == [[admin_user.email]]
    assert "withdrawn" in mail.outbox[0].subject
    # Withdrawing again is refused clearly, and a closed thread takes no message.
    page = client.post(
        reverse("missions:application_guest_withdraw", kwargs={"token": application.access_token}),
        follow=True,
    )
    assert b"cannot be withdrawn" in page.content
    with pytest.raises(services.ValidationError):
        services.application_candidate_message(application=application, body="Coucou")


def test_declining_tells_the_candidate_and_counts_as_an_answer(
    association, admin_user, mission, django_capture_on_commit_callbacks, monkeypatch
):
    from maillon.volunteering.applications import tasks as application_notifications

    languages = []
    real_render = application_notifications.render_to_string

    def render(*args, **kwargs):
        languages.append(translation.get_language())
        return real_render(*args, **kwargs)

    monkeypatch.setattr(application_notifications, "render_to_string", render)
    user = UserFactory(language="fr")
    application = ApplicationFactory(mission=mission, user=user, email=user.email)
    with scope(association=association), django_capture_on_commit_callbacks(execute=True):
        services.application_decline(
            association=association, actor=admin_user, application=application
        )
    application.refresh_from_db()
    assert application.status == ApplicationStatus.DECLINED
    assert application.first_response_at == application.decided_at
    assert [m.to for m in mail.outbox] == [[user.email]]
    assert languages == ["fr"]  # the candidate's language
    with scope(association=association), pytest.raises(services.ValidationError):
        services.application_accept(
            association=association, actor=admin_user, application=application
        )


def test_a_member_without_the_permission_cannot_decide(association, mission):
    board = member_with_account(association, [Role.BOARD])
    application = ApplicationFactory(mission=mission)
    with scope(association=association), pytest.raises(PermissionDenied):
        services.application_discuss(association=association, actor=board, application=application)


# --- Acceptance --------------------------------------------------------------------------------


def accept(association, actor, application, **kwargs):
    with scope(association=association):
        return services.application_accept(
            association=association, actor=actor, application=application, **kwargs
        )


def roles_of(person):
    with scopes_disabled():
        return set(person.role_assignments.values_list("role", flat=True))


def test_accepting_a_newcomer_creates_their_record_as_a_volunteer(
    association, admin_user, mission, django_capture_on_commit_callbacks
):
    application = ApplicationFactory(mission=mission, email="new@example.org", phone="0601")
    with django_capture_on_commit_callbacks(execute=True):
        application = accept(association, admin_user, application)
    person = application.person
    assert (person.first_name, person.email, person.phone) == (
        application.first_name,
        "new@example.org",
        "0601",
    )
    assert roles_of(person) == {Role.VOLUNTEER}
    assert application.status == ApplicationStatus.ACCEPTED
    assert [m.to for m in mail.outbox] == [["new@example.org"]]
    assert "accepted" in mail.outbox[0].body
    with scopes_disabled():
        actions = set(AuditEntry.objects.values_list("action", flat=True))
    assert {"members.person_created", "volunteering.application_accepted"} <= actions


def test_accepting_an_account_holder_links_the_new_record_to_their_account(
    association, admin_user, mission
):
    user = UserFactory()
    application = ApplicationFactory(mission=mission, user=user, email=user.email)
    application = accept(association, admin_user, application)
    assert application.person.user == user


def test_accepting_someone_already_in_the_register_reuses_their_record(
    association, admin_user, mission
):
    member = PersonFactory(association=association, email="Lea@Example.org", user=None)
    application = ApplicationFactory(mission=mission, email="lea@example.org")
    application = accept(association, admin_user, application)
    assert application.person == member
    assert roles_of(member) == {Role.MEMBER, Role.VOLUNTEER}
    with scopes_disabled():
        assert Person.objects.filter(association=association).count() == 2  # + the admin
        assert AuditEntry.objects.filter(action="members.roles_changed").exists()


def test_accepting_an_account_holder_reuses_the_record_linked_to_their_account(
    association, admin_user, mission
):
    user = member_with_account(association, [Role.MEMBER])
    application = ApplicationFactory(mission=mission, user=user, email="other@example.org")
    application = accept(association, admin_user, application)
    with scopes_disabled():
        assert application.person == Person.objects.get(user=user)
    assert Role.VOLUNTEER in roles_of(application.person)


def test_a_former_member_of_the_other_association_is_not_reused(
    association, other_association, admin_user, mission
):
    PersonFactory(association=other_association, email="lea@example.org")
    application = accept(
        association, admin_user, ApplicationFactory(mission=mission, email="lea@example.org")
    )
    assert application.person.association_id == association.pk


def test_the_mission_is_marked_full_when_enough_volunteers_are_accepted(
    client, association, admin_user, mission
):
    first, second = ApplicationFactory.create_batch(2, mission=mission)
    accept(association, admin_user, first)
    mission.refresh_from_db()
    assert mission.status == MissionStatus.PUBLISHED
    staff = client_for(admin_user)
    detail = staff.get(
        backoffice("volunteering:application_detail", association, application_id=second.pk)
    )
    assert b"mark it full when I accept" in detail.content
    staff.post(
        backoffice("volunteering:application_status", association, application_id=second.pk),
        {"status": "accepted", "mark_full": "on"},
    )
    mission.refresh_from_db()
    assert mission.status == MissionStatus.FULL


def test_the_manager_may_keep_the_mission_open(association, admin_user):
    mission = MissionFactory(association=association, volunteers_wanted=1)
    accept(
        association,
        admin_user,
        ApplicationFactory(mission=mission),
        mark_full_when_complete=False,
    )
    mission.refresh_from_db()
    assert mission.status == MissionStatus.PUBLISHED


# --- Back-office list ----------------------------------------------------------------------------


def test_the_list_filters_counts_and_highlights_unanswered_ones(client, association, admin_user):
    soutien = MissionFactory(association=association, title="Soutien")
    jardin = MissionFactory(association=association, title="Jardin")
    ApplicationFactory(
        mission=soutien,
        last_name="Ancienne",
        submitted_at=timezone.now() - datetime.timedelta(days=3),
    )
    ApplicationFactory(mission=jardin, last_name="Acceptee", status="accepted")
    client.force_login(admin_user)
    url = backoffice("volunteering:applications", association)
    page = client.get(url)
    assert b"Unanswered for 3\xc2\xa0days" in page.content
    assert page.context["counts"][0][2] == 1  # new
    page = client.get(url, {"status": "accepted"})
    assert b"Acceptee" in page.content and b"Ancienne" not in page.content
    page = client.get(url, {"mission": soutien.pk})
    assert b"Ancienne" in page.content and b"Acceptee" not in page.content
    # A bad filter is ignored, never a 500.
    assert client.get(url, {"mission": "x", "status": "nope"}).status_code == 200


def test_the_list_costs_the_same_queries_for_n_and_2n_applications(client, association, admin_user):
    client.force_login(admin_user)
    url = backoffice("volunteering:applications", association)

    def queries(n):
        for _ in range(n):
            ApplicationFactory(mission=MissionFactory(association=association))
        client.get(url)  # warm caches (sessions, content types)
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx.captured_queries)

    assert queries(3) == queries(3)


def test_another_associations_admin_gets_404_everywhere(client, association, other_admin, mission):
    application = ApplicationFactory(mission=mission)
    client.force_login(other_admin)
    for name, method, data in [
        ("volunteering:application_detail", "get", {}),
        ("volunteering:application_reply", "post", {"body": "Pirate"}),
        ("volunteering:application_status", "post", {"status": "accepted"}),
    ]:
        for slug in (association.slug, "club-voisin"):
            url = reverse(name, kwargs={"association_slug": slug, "application_id": application.pk})
            assert getattr(client, method)(url, data).status_code == 404, (name, slug)
    assert client.get(backoffice("volunteering:applications", association)).status_code == 404
    other_list = client.get(reverse("volunteering:applications", args=["club-voisin"]))
    assert application.last_name.encode() not in other_list.content
    application.refresh_from_db()
    assert application.status == ApplicationStatus.NEW
    with scopes_disabled():
        assert not ApplicationMessage.objects.exists()


def test_a_board_member_reads_but_cannot_answer(client, association, mission):
    application = ApplicationFactory(mission=mission)
    client.force_login(member_with_account(association, [Role.BOARD]))
    detail = backoffice(
        "volunteering:application_detail", association, application_id=application.pk
    )
    page = client.get(detail)
    assert page.status_code == 200
    assert b"Answer the candidate" not in page.content
    reply = backoffice("volunteering:application_reply", association, application_id=application.pk)
    assert client.post(reply, {"body": "x"}).status_code == 403


def test_an_empty_reply_is_a_form_error(client, association, admin_user, mission):
    application = ApplicationFactory(mission=mission)
    client.force_login(admin_user)
    reply = backoffice("volunteering:application_reply", association, application_id=application.pk)
    response = client.post(reply, {"body": "  "})
    assert response.status_code == 200
    assert b"error-summary" in response.content


# --- Reminders ---------------------------------------------------------------------------------


def days_ago(days, hours=0):
    return timezone.now() - datetime.timedelta(days=days, hours=hours)


def test_reminders_go_for_unanswered_applications_past_the_delay_and_not_twice(
    association, admin_user, django_capture_on_commit_callbacks
):
    mission = MissionFactory(association=association)
    due = ApplicationFactory(mission=mission, submitted_at=days_ago(6))
    recent = ApplicationFactory(mission=mission, submitted_at=days_ago(2))  # too recent
    ApplicationFactory(mission=mission, submitted_at=days_ago(9), status="discussion")
    answered = ApplicationFactory(mission=mission, submitted_at=days_ago(9))
    with scopes_disabled():
        Application.objects.filter(pk=answered.pk).update(first_response_at=days_ago(8))
    ApplicationFactory(mission=mission, submitted_at=None, email_verified_at=None)  # unconfirmed

    with django_capture_on_commit_callbacks(execute=True):
        call_command("remind_applications", verbosity=0)
    assert [m.to for m in mail.outbox] == [[admin_user.email]]
    assert due.last_name in mail.outbox[0].body
    due.refresh_from_db()
    assert due.reminders_sent == 1 and due.last_reminder_at is not None

    # The same day again: nothing.
    with django_capture_on_commit_callbacks(execute=True):
        call_command("remind_applications", verbosity=0)
    assert len(mail.outbox) == 1
    due.refresh_from_db()
    assert due.reminders_sent == 1

    # remind_after_days later: again (and the recent one is due by then too).
    later = timezone.now() + datetime.timedelta(days=5)
    due_later = applications_due_for_reminder_across_associations(now=later)[association]
    assert [a.pk for a in due_later] == [due.pk, recent.pk]
    sooner = applications_due_for_reminder_across_associations(
        now=timezone.now() + datetime.timedelta(days=3)
    )
    assert [a.pk for a in sooner[association]] == [recent.pk]


def test_the_reminder_delay_is_the_associations_setting(association, other_association):
    with scopes_disabled():
        VolunteeringSettings.objects.create(association=association, remind_after_days=2)
    mine = ApplicationFactory(
        mission=MissionFactory(association=association), submitted_at=days_ago(3)
    )
    ApplicationFactory(
        mission=MissionFactory(association=other_association), submitted_at=days_ago(3)
    )
    due = applications_due_for_reminder_across_associations()
    assert list(due) == [association]
    assert [a.pk for a in due[association]] == [mine.pk]


# --- Response statistics ------------------------------------------------------------------------


def answered_after(association, mission, hours):
    submitted = days_ago(30)
    return ApplicationFactory(
        mission=mission,
        submitted_at=submitted,
        first_response_at=submitted + datetime.timedelta(hours=hours),
    )


def test_response_stats_median_with_an_odd_count(association):
    mission = MissionFactory(association=association)
    for hours in (1, 30, 100):
        answered_after(association, mission, hours)
    ApplicationFactory(mission=mission, submitted_at=days_ago(20))  # unanswered
    stats = response_stats(association)
    assert (stats.applications, stats.answered, stats.rate) == (4, 3, 75)
    assert stats.median == datetime.timedelta(hours=30)
    assert response_stats_text(stats) == "Answers 75% of applications, usually within 2 days"


def test_response_stats_median_with_an_even_count(association):
    mission = MissionFactory(association=association)
    for hours in (2, 4, 6, 40):
        answered_after(association, mission, hours)
    stats = response_stats(association)
    assert stats.median == datetime.timedelta(hours=5)
    assert stats.rate == 100
    assert response_stats_text(stats) == "Answers 100% of applications, usually within 5 hours"


def test_response_stats_ignore_old_and_unconfirmed_applications_and_other_associations(
    association, other_association
):
    mission = MissionFactory(association=association)
    for hours in (1, 2):
        answered_after(association, mission, hours)
    ApplicationFactory(mission=mission, submitted_at=days_ago(400))
    ApplicationFactory(mission=mission, submitted_at=None)
    answered_after(other_association, MissionFactory(association=other_association), 3)
    stats = response_stats(association)
    assert stats.applications == 2
    assert response_stats_text(stats) == ""  # fewer than 3: nothing shown


def test_the_response_stats_show_on_the_back_office_list(client, association, admin_user):
    mission = MissionFactory(association=association)
    for hours in (1, 1, 1):
        answered_after(association, mission, hours)
    client.force_login(admin_user)
    page = client.get(backoffice("volunteering:applications", association))
    assert b"Answers 100% of applications, usually within an hour" in page.content


def test_the_template_tag_renders_on_a_public_page(association):
    from django.template import Context, Template

    mission = MissionFactory(association=association)
    for hours in (1, 2, 3):
        answered_after(association, mission, hours)
    html = Template("{% load volunteering_stats %}{% response_stats association %}").render(
        Context({"association": association})
    )
    assert "usually within 2 hours" in html


def test_the_association_public_page_shows_the_response_stats(client, association):
    mission = MissionFactory(association=association)
    for hours in (24, 48, 72):
        answered_after(association, mission, hours)
    page = client.get(reverse("associations:public", kwargs={"slug": association.slug}))
    assert b"Answers 100% of applications, usually within 2 days" in page.content


def test_no_response_stats_when_the_module_is_off(association):
    from maillon.volunteering.templatetags.volunteering_stats import response_stats as tag

    mission = MissionFactory(association=association)
    for hours in (1, 2, 3):
        answered_after(association, mission, hours)
    association.enabled_modules = []
    assert tag(association)["text"] == ""


def test_a_candidate_without_a_tracked_link_is_asked_where_they_heard_of_it(
    client, association, mission
):
    direct = client.get(apply_url(mission))
    assert b'<select name="source"' in direct.content
    assert b"word_of_mouth" in direct.content
    from_search = client.get(apply_url(mission) + "?from=search")
    assert b'<select name="source"' not in from_search.content
    assert b'type="hidden" name="source" value="search"' in from_search.content

    client.post(apply_url(mission), {**guest_data(), "source": "word_of_mouth"})
    with scopes_disabled():
        assert Application.objects.get().source == Source.WORD_OF_MOUTH
