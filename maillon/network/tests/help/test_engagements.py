"""Engagements: offers by the three kinds of helpers, every step and the refused
ones, the thread, the response metrics, the closing (handover, plan action,
practice sheet) and who reaches what."""

from __future__ import annotations

import datetime

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django_scopes import scopes_disabled

from maillon.accounts.tests.factories import UserFactory
from maillon.core.models import AuditEntry
from maillon.members.models import Role
from maillon.members.tests.factories import member_with_account
from maillon.metrics.registry import measure
from maillon.network.help.engagements import selectors, services
from maillon.network.models import (
    Engagement,
    EngagementMessage,
    NetworkLogEntry,
    NetworkRoleKind,
)
from maillon.network.tests.factories import MembershipFactory, NetworkFactory, network_staff
from maillon.strategy.models import Action

from .engagements import VALID_SIRENS, company, help_request, volunteer

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def request_(association):
    return help_request(association)


@pytest.fixture
def helper():
    return volunteer(email="benevole@example.org", full_name="Lou Martin")


def _offer(help_request_, actor, **kwargs):
    values = {"kind": "volunteer", "message": "Je peux refaire votre site en 20 heures."}
    return services.engagement_offer(
        actor=actor, help_request=help_request_, **{**values, **kwargs}
    )


def _reload(engagement):
    with scopes_disabled():
        return Engagement.objects.get(pk=engagement.pk)


def _actions(association):
    with scopes_disabled():
        return list(
            AuditEntry.objects.filter(association=association)
            .order_by("id")
            .values_list("action", flat=True)
        )


# --- offers -----------------------------------------------------------------------------------


def test_a_volunteer_offers_and_the_association_is_told(
    request_, helper, admin_user, association, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        engagement = _offer(request_, helper, hours_offered=20)
    assert engagement.status == "offered" and engagement.offered_at is not None
    assert engagement.association == association
    assert "network.engagement_offered" in _actions(association)
    assert [m.to for m in mail.outbox] == [[admin_user.email]]
    assert "Refaire notre site" in mail.outbox[0].subject
    assert "20 heures" in mail.outbox[0].body


def test_an_offer_needs_a_volunteer_profile_a_message_and_an_open_request(
    request_, helper, association, admin_user
):
    with pytest.raises(ValidationError, match="profil"):
        _offer(request_, UserFactory())
    with pytest.raises(ValidationError):
        _offer(request_, helper, message="  ")
    with pytest.raises(PermissionDenied):
        _offer(request_, None)
    from maillon.network.help.services import help_request_close

    help_request_close(association=association, actor=admin_user, help_request=request_)
    with pytest.raises(ValidationError, match="fermée|closed"):
        _offer(request_, helper)


def test_one_running_offer_per_helper_and_request(request_, helper):
    first = _offer(request_, helper)
    with pytest.raises(ValidationError, match="déjà|already"):
        _offer(request_, helper)
    services.engagement_withdraw(actor=helper, engagement=first)
    assert _offer(request_, helper).status == "offered"  # withdrawn: may offer again


def test_the_audience_asked_is_checked_with_a_clear_message(association, helper):
    volunteers_only = help_request(association, audiences=["volunteers"])
    firm, coordinator, employee = company()
    with pytest.raises(ValidationError) as error:
        _offer(volunteers_only, coordinator, kind="company", company=firm, employees=[employee])
    assert "entreprises" in " ".join(error.value.messages) or "companies" in str(error.value)
    companies_only = help_request(association, audiences=["companies"], title="Compta")
    with pytest.raises(ValidationError, match="bénévoles|volunteers"):
        _offer(companies_only, helper)


def test_a_company_coordinator_offers_naming_its_employees(request_, association):
    firm, coordinator, employee = company()
    engagement = _offer(request_, coordinator, kind="company", company=firm, employees=[employee])
    assert engagement.company == firm
    assert list(engagement.employees.all()) == [employee]
    with pytest.raises(ValidationError):  # the same company, again
        _offer(request_, coordinator, kind="company", company=firm, employees=[employee])
    other, _other_coordinator, other_employee = company(siren=VALID_SIRENS[1], slug="autre")
    with pytest.raises(PermissionDenied):  # not their company
        _offer(request_, coordinator, kind="company", company=other, employees=[other_employee])
    with pytest.raises(PermissionDenied):  # another company's employee
        services.engagement_offer(
            actor=coordinator,
            help_request=help_request(association, title="Autre"),
            kind="company",
            company=firm,
            employees=[other_employee],
            message="…",
        )
    with pytest.raises(ValidationError, match="salarié|employee"):
        _offer(help_request(association, title="Encore"), coordinator, kind="company", company=firm)


def test_network_staff_offer_only_for_their_member_associations(request_, association):
    network = NetworkFactory()
    staff = network_staff(network, NetworkRoleKind.STAFF)
    with pytest.raises(ValidationError, match="membre|member"):
        _offer(request_, staff, kind="network", network=network)
    MembershipFactory(network=network, association=association)
    engagement = _offer(request_, staff, kind="network", network=network)
    assert engagement.network == network
    assert NetworkLogEntry.objects.filter(
        network=network, action="network.engagement_offered"
    ).exists()
    outsider = UserFactory()
    with pytest.raises(PermissionDenied):
        _offer(help_request(association, title="Autre"), outsider, kind="network", network=network)


# --- the steps --------------------------------------------------------------------------------


def test_the_whole_lifecycle_with_emails_to_the_other_side(
    request_, helper, association, admin_user, django_capture_on_commit_callbacks
):
    engagement = _offer(request_, helper)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        engagement = services.engagement_accept(
            association=association, actor=admin_user, engagement=engagement
        )
    assert engagement.status == "accepted" and engagement.first_response_at is not None
    assert [m.to for m in mail.outbox] == [[helper.email]]
    with django_capture_on_commit_callbacks(execute=True):
        engagement = services.engagement_start(actor=helper, engagement=engagement)
    assert engagement.status == "in_progress" and engagement.started_at
    assert mail.outbox[-1].to == [admin_user.email]
    engagement = services.engagement_deliver(
        actor=helper, engagement=engagement, outcome="Le site est en ligne."
    )
    assert engagement.status == "delivered" and engagement.delivered_at
    engagement = services.engagement_close(
        association=association,
        actor=admin_user,
        engagement=engagement,
        handover_notes="Mode d’emploi dans le dossier partagé ; mots de passe au coffre.",
    )
    assert engagement.status == "closed" and engagement.closed_at
    assert _actions(association)[-4:] == [
        "network.engagement_accepted",
        "network.engagement_in_progress",
        "network.engagement_delivered",
        "network.engagement_closed",
    ]


@pytest.mark.parametrize(
    ("status", "step"),
    [
        ("offered", "start"),
        ("offered", "deliver"),
        ("offered", "close"),
        ("accepted", "accept"),
        ("accepted", "decline"),
        ("in_progress", "close"),
        ("delivered", "withdraw"),
        ("closed", "withdraw"),
        ("declined", "accept"),
        ("withdrawn", "start"),
        ("closed", "message"),
    ],
)
def test_a_step_out_of_order_is_refused_with_a_sentence(
    status, step, request_, helper, association, admin_user
):
    engagement = _offer(request_, helper)
    with scopes_disabled():
        Engagement.objects.filter(pk=engagement.pk).update(status=status)
    engagement = _reload(engagement)
    calls = {
        "accept": lambda: services.engagement_accept(
            association=association, actor=admin_user, engagement=engagement
        ),
        "decline": lambda: services.engagement_decline(
            association=association, actor=admin_user, engagement=engagement, reason="Non."
        ),
        "start": lambda: services.engagement_start(actor=helper, engagement=engagement),
        "deliver": lambda: services.engagement_deliver(
            actor=helper, engagement=engagement, outcome="Fait."
        ),
        "close": lambda: services.engagement_close(
            association=association, actor=admin_user, engagement=engagement, handover_notes="…"
        ),
        "withdraw": lambda: services.engagement_withdraw(actor=helper, engagement=engagement),
        "message": lambda: services.engagement_message_post(
            actor=helper, engagement=engagement, body="Bonjour"
        ),
    }
    with pytest.raises(ValidationError) as error:
        calls[step]()
    assert error.value.messages and _reload(engagement).status == status


def test_declining_needs_a_reason_the_helper_reads(
    request_, helper, association, admin_user, django_capture_on_commit_callbacks
):
    engagement = _offer(request_, helper)
    with pytest.raises(ValidationError):
        services.engagement_decline(
            association=association, actor=admin_user, engagement=engagement, reason=" "
        )
    with django_capture_on_commit_callbacks(execute=True):
        services.engagement_decline(
            association=association,
            actor=admin_user,
            engagement=engagement,
            reason="Un autre bénévole s’en charge déjà.",
        )
    engagement = _reload(engagement)
    assert engagement.status == "declined" and engagement.first_response_at
    assert "Un autre bénévole" in mail.outbox[-1].body


def test_only_the_associations_managers_and_the_helper_act(request_, helper, association):
    engagement = _offer(request_, helper)
    board = member_with_account(association, [Role.BOARD])
    with pytest.raises(PermissionDenied):
        services.engagement_accept(association=association, actor=board, engagement=engagement)
    with pytest.raises(Http404):  # someone else speaking for the helper
        services.engagement_withdraw(actor=UserFactory(), engagement=engagement)


def test_closing_requires_a_handover_document_or_notes(request_, helper, association, admin_user):
    engagement = _offer(request_, helper)
    with scopes_disabled():
        Engagement.objects.filter(pk=engagement.pk).update(status="delivered")
    engagement = _reload(engagement)
    with pytest.raises(ValidationError, match="passation|handover"):
        services.engagement_close(association=association, actor=admin_user, engagement=engagement)
    with pytest.raises(ValidationError) as error:
        services.engagement_close(
            association=association,
            actor=admin_user,
            engagement=engagement,
            handover_document=SimpleUploadedFile("virus.exe", b"MZ"),
        )
    assert "handover_document" in error.value.message_dict
    big = SimpleUploadedFile("guide.pdf", b"%PDF" + b"0" * (10 * 1024 * 1024))
    with pytest.raises(ValidationError, match="10"):
        services.engagement_close(
            association=association, actor=admin_user, engagement=engagement, handover_document=big
        )
    assert _reload(engagement).status == "delivered"
    closed = services.engagement_close(
        association=association,
        actor=admin_user,
        engagement=engagement,
        handover_document=SimpleUploadedFile("../../guide.pdf", b"%PDF-1.4 guide"),
    )
    assert closed.status == "closed"
    assert closed.handover_document.name.endswith("guide.pdf")
    assert ".." not in closed.handover_document.name


def test_closing_updates_the_plan_action_and_proposes_a_practice_sheet(
    association, helper, admin_user, client
):
    with scopes_disabled():
        action = Action.objects.create(association=association, title="Un site à jour")
    request_with_action = help_request(association, plan_action_id=action.pk)
    engagement = _offer(request_with_action, helper, hours_offered=12)
    with scopes_disabled():
        Engagement.objects.filter(pk=engagement.pk).update(
            status="delivered", outcome="Le site est en ligne."
        )
    services.engagement_close(
        association=association,
        actor=admin_user,
        engagement=_reload(engagement),
        handover_notes="Guide dans le dossier partagé.",
    )
    with scopes_disabled():
        action.refresh_from_db()
    assert action.status == "done"
    assert "Refaire notre site" in action.notes and "Guide dans le dossier" in action.notes
    assert "strategy.action_status_changed" in _actions(association)

    client.force_login(admin_user)
    detail = client.get(
        reverse("engagements:detail", args=[association.slug, engagement.pk])
    ).content.decode()
    sheet_url = reverse("practices_backoffice:create", args=[association.slug])
    assert f"{sheet_url}?engagement={engagement.pk}" in detail
    from maillon.associations.models import Module
    from maillon.associations.services import modules_update

    modules_update(
        association=association,
        actor=admin_user,
        modules=[*(association.enabled_modules or []), Module.NETWORK],
    )
    form = client.get(f"{sheet_url}?engagement={engagement.pk}").content.decode()
    assert "Le site date de 2012." in form and "Le site est en ligne." in form


def test_closing_without_marking_done_leaves_the_action_in_progress(
    association, helper, admin_user
):
    with scopes_disabled():
        action = Action.objects.create(association=association, title="Un site à jour")
    engagement = _offer(help_request(association, plan_action_id=action.pk), helper)
    with scopes_disabled():
        Engagement.objects.filter(pk=engagement.pk).update(status="delivered")
    services.engagement_close(
        association=association,
        actor=admin_user,
        engagement=_reload(engagement),
        handover_notes="…",
        mark_action_done=False,
    )
    with scopes_disabled():
        action.refresh_from_db()
    assert action.status == "in_progress"


# --- the thread ---------------------------------------------------------------------------------


def test_the_thread_and_the_first_answer(
    request_, helper, association, admin_user, django_capture_on_commit_callbacks
):
    engagement = _offer(request_, helper)
    services.engagement_message_post(actor=helper, engagement=engagement, body="Une question ?")
    assert _reload(engagement).first_response_at is None  # the helper's message is no answer
    with django_capture_on_commit_callbacks(execute=True):
        services.engagement_message_post(
            association=association, actor=admin_user, engagement=engagement, body="Bienvenue !"
        )
    first = _reload(engagement).first_response_at
    assert first is not None
    assert mail.outbox[-1].to == [helper.email] and "Bienvenue" in mail.outbox[-1].body
    services.engagement_message_post(
        association=association, actor=admin_user, engagement=engagement, body="Encore"
    )
    assert _reload(engagement).first_response_at == first
    thread = selectors.engagement_messages(engagement=engagement)
    assert [(m.from_association, m.body) for m in thread] == [
        (False, "Une question ?"),
        (True, "Bienvenue !"),
        (True, "Encore"),
    ]
    with pytest.raises(ValidationError):
        services.engagement_message_post(actor=helper, engagement=engagement, body=" ")


# --- metrics ------------------------------------------------------------------------------------


def test_response_rate_and_median_response_time(association, admin_user):
    now = timezone.now()
    request_ = help_request(association)
    waits = [2, 4, 10, None]  # hours before the first answer; None: no answer
    for n, hours in enumerate(waits):
        engagement = _offer(request_, volunteer())
        offered = now - datetime.timedelta(days=1, hours=n)
        with scopes_disabled():
            Engagement.objects.filter(pk=engagement.pk).update(
                offered_at=offered,
                first_response_at=offered + datetime.timedelta(hours=hours)
                if hours is not None
                else None,
            )
    stats = selectors.response_stats(association=association)
    assert (stats.offers, stats.answered, stats.rate) == (4, 3, 75.0)
    assert stats.median_hours == 4.0
    today = timezone.localdate()
    value = measure(
        "network.help_response_hours",
        association=association,
        start=today - datetime.timedelta(days=7),
        end=today,
    )
    assert value == 4
    assert measure("network.help_requests", association=association, start=today, end=today) == 1
    empty = selectors.response_stats(
        association=association, start=today + datetime.timedelta(days=1)
    )
    assert empty.rate is None and empty.median_hours is None


def test_the_help_request_list_shows_the_response_figures(association, admin_user, client):
    engagement = _offer(help_request(association), volunteer())
    services.engagement_accept(association=association, actor=admin_user, engagement=engagement)
    client.force_login(admin_user)
    html = client.get(reverse("help_requests:list", args=[association.slug])).content.decode()
    assert "100" in html and "help-response" in html


# --- pages and isolation -----------------------------------------------------------------------


def test_a_volunteer_offers_from_the_public_page_and_follows_it(request_, helper, client):
    url = reverse("help:detail", args=[request_.pk])
    assert client.get(url).status_code == 200
    assert client.post(url, {"message": "Je peux aider"}).status_code == 302  # sign in first
    client.force_login(helper)
    response = client.post(url, {"message": "Je peux aider", "hours_offered": "10"})
    with scopes_disabled():
        engagement = Engagement.objects.get(offered_by=helper)
    assert response.url == reverse("my_help:engagement", args=[engagement.pk])
    assert "Refaire notre site" in client.get(reverse("my_help:list")).content.decode()
    again = client.post(url, {"message": "Encore moi"})
    assert again.status_code == 200
    assert "déjà" in again.content.decode() or "already" in again.content.decode()
    client.post(reverse("my_help:step", args=[engagement.pk, "message"]), {"body": "Bonjour"})
    assert (
        "Bonjour"
        in client.get(reverse("my_help:engagement", args=[engagement.pk])).content.decode()
    )
    client.post(reverse("my_help:step", args=[engagement.pk, "withdraw"]))
    assert _reload(engagement).status == "withdrawn"
    # A step out of order is a message, not an error page.
    response = client.post(reverse("my_help:step", args=[engagement.pk, "start"]), follow=True)
    assert response.status_code == 200
    assert client.post(reverse("my_help:step", args=[engagement.pk, "explode"])).status_code == 404


def test_a_request_not_asked_publicly_has_no_public_page(association, client):
    networks_only = help_request(association, audiences=["networks"])
    assert client.get(reverse("help:detail", args=[networks_only.pk])).status_code == 404


def test_the_association_runs_the_steps_from_its_pages(
    request_, helper, association, admin_user, client
):
    engagement = _offer(request_, helper)
    client.force_login(admin_user)
    detail = reverse("engagements:detail", args=[association.slug, engagement.pk])
    html = client.get(reverse("help_requests:detail", args=[association.slug, request_.pk]))
    assert detail in html.content.decode()

    def step(name, data=None):
        url = reverse("engagements:step", args=[association.slug, engagement.pk, name])
        return client.post(url, data or {}, follow=True)

    step("accept")
    step("start")
    step("deliver", {"outcome": "Le site est en ligne."})
    refused = step("close", {"mark_action_done": "on"})
    assert _reload(engagement).status == "delivered"
    assert "passation" in refused.content.decode() or "handover" in refused.content.decode()
    step("close", {"handover_document": SimpleUploadedFile("guide.pdf", b"%PDF-1.4")})
    assert _reload(engagement).status == "closed"
    download = client.get(reverse("engagements:document", args=[association.slug, engagement.pk]))
    assert download.status_code == 200
    client.force_login(helper)
    assert client.get(reverse("my_help:document", args=[engagement.pk])).status_code == 200
    client.force_login(admin_user)
    assert client.get(reverse("engagements:list", args=[association.slug])).status_code == 200


def test_a_company_offers_and_follows_from_its_space(request_, association, client):
    firm, coordinator, employee = company()
    client.force_login(coordinator)
    offer_url = reverse("company_help:offer", args=[firm.slug, request_.pk])
    assert client.get(offer_url).status_code == 200
    response = client.post(offer_url, {"employees": [employee.pk], "message": "Camille peut aider"})
    with scopes_disabled():
        engagement = Engagement.objects.get(company=firm)
    assert response.url == reverse("company_help:engagement", args=[firm.slug, engagement.pk])
    html = client.get(reverse("company_help:list", args=[firm.slug])).content.decode()
    assert "Refaire notre site" in html


def test_a_network_offers_from_its_back_office(request_, association, client):
    network = NetworkFactory()
    MembershipFactory(network=network, association=association)
    staff = network_staff(network, NetworkRoleKind.STAFF)
    client.force_login(staff)
    html = client.get(reverse("network:help", args=[network.slug])).content.decode()
    assert "Refaire notre site" in html
    response = client.post(
        reverse("network:help_offer", args=[network.slug, request_.pk]),
        {"message": "Notre chargée de mission numérique peut venir"},
    )
    with scopes_disabled():
        engagement = Engagement.objects.get(network=network)
    assert response.url == reverse("network:help_engagement", args=[network.slug, engagement.pk])
    client.post(
        reverse("network:help_step", args=[network.slug, engagement.pk, "message"]),
        {"body": "Quand êtes-vous disponibles ?"},
    )
    with scopes_disabled():
        assert EngagementMessage.objects.filter(engagement=engagement).count() == 1


@pytest.fixture
def world(association, other_association, admin_user, other_admin):
    """One engagement of each kind on a request of ``association``."""
    request_ = help_request(association)
    network = NetworkFactory(slug="reseau-temoin-aide")
    MembershipFactory(network=network, association=association)
    staff = network_staff(network, NetworkRoleKind.STAFF)
    firm, coordinator, employee = company()
    helper = volunteer()
    return {
        "volunteer": (helper, _offer(request_, helper)),
        "company": (
            coordinator,
            _offer(request_, coordinator, kind="company", company=firm, employees=[employee]),
        ),
        "network": (staff, _offer(request_, staff, kind="network", network=network)),
        "firm": firm,
        "network_obj": network,
    }


def _helper_urls(kind, engagement, world):
    if kind == "company":
        slug = world["firm"].slug
        return [
            reverse("company_help:engagement", args=[slug, engagement.pk]),
            reverse("company_help:step", args=[slug, engagement.pk, "message"]),
        ]
    if kind == "network":
        slug = world["network_obj"].slug
        return [
            reverse("network:help_engagement", args=[slug, engagement.pk]),
            reverse("network:help_step", args=[slug, engagement.pk, "message"]),
        ]
    return [
        reverse("my_help:engagement", args=[engagement.pk]),
        reverse("my_help:step", args=[engagement.pk, "message"]),
    ]


def test_isolation_owner_helper_third_association_other_company_other_network(
    world, association, other_association, admin_user, other_admin, client
):
    """The owner association and each helper reach the engagement; a third
    association, a company outside it and another network's staff get 404, and
    nothing changes."""
    other_firm, other_coordinator, _e = company(siren=VALID_SIRENS[2], slug="autre-entreprise")
    other_network = NetworkFactory(slug="autre-reseau")
    other_staff = network_staff(other_network, NetworkRoleKind.HEAD)
    MembershipFactory(network=other_network, association=association)  # even a network of it
    for kind in ("volunteer", "company", "network"):
        user, engagement = world[kind]
        owner_urls = [
            reverse("engagements:detail", args=[association.slug, engagement.pk]),
            reverse("engagements:step", args=[association.slug, engagement.pk, "message"]),
        ]
        helper_urls = _helper_urls(kind, engagement, world)
        # The owner association and the helper reach it.
        client.force_login(admin_user)
        assert client.get(owner_urls[0]).status_code == 200
        client.force_login(user)
        assert client.get(helper_urls[0]).status_code == 200
        # A third association: with its own slug and the engagement's id.
        client.force_login(other_admin)
        for url in (
            reverse("engagements:detail", args=[other_association.slug, engagement.pk]),
            reverse("engagements:step", args=[other_association.slug, engagement.pk, "accept"]),
            reverse("engagements:document", args=[other_association.slug, engagement.pk]),
        ):
            response = client.get(url) if "accept" not in url else client.post(url)
            assert response.status_code == 404, url
        assert client.get(owner_urls[0]).status_code == 404  # not a member of the owner
        for url in helper_urls:
            assert client.get(url).status_code in (404, 405), url
        # A company outside the engagement, in its own space.
        client.force_login(other_coordinator)
        assert (
            client.get(
                reverse("company_help:engagement", args=[other_firm.slug, engagement.pk])
            ).status_code
            == 404
        )
        assert (
            client.post(
                reverse("company_help:step", args=[other_firm.slug, engagement.pk, "withdraw"])
            ).status_code
            == 404
        )
        # Another network's staff, in their own back-office.
        client.force_login(other_staff)
        assert (
            client.get(
                reverse("network:help_engagement", args=[other_network.slug, engagement.pk])
            ).status_code
            == 404
        )
        assert (
            client.post(
                reverse("network:help_step", args=[other_network.slug, engagement.pk, "withdraw"])
            ).status_code
            == 404
        )
        # Nor through someone else's volunteer space.
        assert client.get(reverse("my_help:engagement", args=[engagement.pk])).status_code == 404
        assert _reload(engagement).status == "offered"
    with scopes_disabled():
        assert not EngagementMessage.objects.exists()


def test_a_company_outside_cannot_offer_on_a_request_not_public(association, client):
    firm, coordinator, employee = company()
    private = help_request(association, audiences=["networks"])
    client.force_login(coordinator)
    assert (
        client.get(reverse("company_help:offer", args=[firm.slug, private.pk])).status_code == 404
    )


def test_another_network_does_not_see_the_requests_of_associations_outside_it(
    request_, association, client
):
    network = NetworkFactory()
    staff = network_staff(network, NetworkRoleKind.HEAD)
    client.force_login(staff)
    assert (
        "Refaire notre site"
        not in client.get(reverse("network:help", args=[network.slug])).content.decode()
    )
    assert (
        client.get(reverse("network:help_offer", args=[network.slug, request_.pk])).status_code
        == 404
    )


# --- queries -------------------------------------------------------------------------------------


def _count_queries(client, url):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_lists_cost_the_same_at_n_and_2n_offers(association, admin_user, client):
    network = NetworkFactory()
    MembershipFactory(network=network, association=association)
    staff = network_staff(network, NetworkRoleKind.HEAD)
    firm, coordinator, employee = company()
    helper = volunteer()

    def add(n):
        for i in range(n):
            request_ = help_request(association, title=f"Demande {i}")
            _offer(request_, helper)
            _offer(request_, coordinator, kind="company", company=firm, employees=[employee])
            _offer(request_, staff, kind="network", network=network)

    pages = [
        (admin_user, reverse("engagements:list", args=[association.slug])),
        (helper, reverse("my_help:list")),
        (coordinator, reverse("company_help:list", args=[firm.slug])),
        (staff, reverse("network:help", args=[network.slug])),
    ]
    add(3)
    counts = []
    for user, url in pages:
        client.force_login(user)
        counts.append(_count_queries(client, url))
    add(3)
    for (user, url), before in zip(pages, counts, strict=True):
        client.force_login(user)
        assert _count_queries(client, url) == before, url
