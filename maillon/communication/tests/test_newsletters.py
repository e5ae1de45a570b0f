"""Newsletters: segments, public subscription with double opt-in, sending in batches
with progress, unsubscribing without an account (link and RFC 8058 one-click)."""

import datetime
import re

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail.backends.locmem import EmailBackend
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django_scopes import scope, scopes_disabled

from maillon.communication import services
from maillon.communication.models import (
    Delivery,
    DeliveryStatus,
    Newsletter,
    NewsletterStatus,
    OptOut,
    Subscriber,
)
from maillon.communication.selectors import segment_recipients
from maillon.communication.tasks import send_newsletter
from maillon.core.models import AuditEntry
from maillon.members.models import Role
from maillon.members.tests.factories import PersonFactory, member_with_account
from maillon.metrics import registry

from .factories import NewsletterFactory, OptOutFactory, PostFactory, SubscriberFactory

pytestmark = pytest.mark.django_db


def url(name, association, **kwargs):
    return reverse(f"communication:{name}", kwargs={"association_slug": association.slug, **kwargs})


def emails(association, segment) -> set[str]:
    with scope(association=association):
        return {r.email for r in segment_recipients(association=association, segment=segment)}


# --- segments ------------------------------------------------------------------------------


@pytest.fixture
def register(association, other_association):
    """People of every kind, and one of another association."""
    today = timezone.localdate()
    people = {
        "member": PersonFactory(association=association, email="member@example.org"),
        "consenting": PersonFactory(
            association=association, email="Consent@Example.org", consent_newsletter=True
        ),
        "offline": PersonFactory(association=association, email="", consent_newsletter=True),
        "volunteer": PersonFactory(
            association=association, email="vol@example.org", roles=[Role.VOLUNTEER]
        ),
        "board": PersonFactory(
            association=association, email="board@example.org", roles=[Role.BOARD]
        ),
        "treasurer": PersonFactory(
            association=association, email="treasurer@example.org", roles=[Role.TREASURER]
        ),
        "former": PersonFactory(
            association=association,
            email="former@example.org",
            roles=[Role.VOLUNTEER],
            left_on=today,
        ),
        "unsubscribed": PersonFactory(
            association=association,
            email="gone@example.org",
            roles=[Role.MEMBER, Role.VOLUNTEER, Role.BOARD],
            consent_newsletter=True,
        ),
        "foreign": PersonFactory(
            association=other_association, email="foreign@example.org", consent_newsletter=True
        ),
    }
    OptOutFactory(association=association, email="gone@example.org")
    SubscriberFactory(association=association, email="public@example.org")
    SubscriberFactory(association=association, email="consent@example.org")  # also a person
    SubscriberFactory(association=association, email="pending@example.org", consent_at=None)
    SubscriberFactory(
        association=association, email="left@example.org", unsubscribed_at=timezone.now()
    )
    SubscriberFactory(association=other_association, email="foreign-sub@example.org")
    return people


def test_members_segment_is_the_current_register_with_an_email(register, association):
    assert emails(association, "members") == {
        "member@example.org",
        "consent@example.org",
        "vol@example.org",
        "board@example.org",
        "treasurer@example.org",
    }


def test_volunteers_segment(register, association):
    assert emails(association, "volunteers") == {"vol@example.org"}


def test_board_segment_is_board_and_bureau_roles(register, association):
    assert emails(association, "board") == {"board@example.org", "treasurer@example.org"}


def test_subscribers_segment_is_consent_only_and_each_address_once(register, association):
    with scope(association=association):
        recipients = segment_recipients(association=association, segment="subscribers")
    assert sorted(r.email for r in recipients) == ["consent@example.org", "public@example.org"]
    # The person comes first when a subscriber has the same address.
    assert next(r for r in recipients if r.email == "consent@example.org").person_id


def test_an_unsubscribed_address_is_in_no_segment(register, association):
    for segment in ("members", "volunteers", "board", "subscribers"):
        assert "gone@example.org" not in emails(association, segment)


# --- sending --------------------------------------------------------------------------------


@pytest.fixture
def small_batches(settings):
    settings.NEWSLETTER_BATCH_SIZE = 2
    settings.SITE_URL = "https://maillon.example"


def send(association, admin_user, newsletter, capture):
    with scope(association=association), capture(execute=True):
        services.newsletter_send(association=association, actor=admin_user, newsletter=newsletter)
    newsletter.refresh_from_db()
    return newsletter


def test_sending_sends_one_email_per_recipient_in_batches(
    register, association, admin_user, small_batches, django_capture_on_commit_callbacks
):
    newsletter = NewsletterFactory(
        association=association, subject="News", segment="members", body="# Hi\n\n**Big** news"
    )
    mail.outbox.clear()
    newsletter = send(association, admin_user, newsletter, django_capture_on_commit_callbacks)

    recipients = emails(association, "members")
    assert {m.to[0] for m in mail.outbox} == recipients
    assert len(mail.outbox) == len(recipients) == 6  # the admin is a member too
    assert newsletter.status == NewsletterStatus.SENT and newsletter.sent_at
    assert (newsletter.total_count, newsletter.sent_count, newsletter.failed_count) == (6, 6, 0)
    assert newsletter.progress_percent == 100
    with scopes_disabled():
        assert set(Delivery.objects.values_list("status", flat=True)) == {DeliveryStatus.SENT}
        actions = list(
            AuditEntry.objects.filter(association=association, action__startswith="newsletter.s")
            .order_by("id")
            .values_list("action", "actor")
        )
    assert actions == [
        ("newsletter.send_requested", admin_user.pk),
        ("newsletter.sent", admin_user.pk),
    ]


def test_each_email_has_text_html_and_a_personal_one_click_unsubscribe(
    register, association, admin_user, small_batches, django_capture_on_commit_callbacks
):
    newsletter = NewsletterFactory(association=association, segment="board", body="**Big** news")
    mail.outbox.clear()
    send(association, admin_user, newsletter, django_capture_on_commit_callbacks)

    message = next(m for m in mail.outbox if m.to == ["board@example.org"])
    with scopes_disabled():
        token = Delivery.objects.get(email="board@example.org").token
    link = f"https://maillon.example/news/email/unsubscribe/{token}/"
    assert message.extra_headers["List-Unsubscribe"] == f"<{link}>"
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert "**Big** news" in message.body and link in message.body
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html"
    assert "<strong>Big</strong> news" in html and f'href="{link}"' in html
    # Every recipient has their own link.
    links = {m.extra_headers["List-Unsubscribe"] for m in mail.outbox}
    assert len(links) == len(mail.outbox)


def test_a_retried_task_never_sends_twice(
    register, association, admin_user, small_batches, django_capture_on_commit_callbacks
):
    newsletter = NewsletterFactory(association=association, segment="members")
    newsletter = send(association, admin_user, newsletter, django_capture_on_commit_callbacks)
    sent = len(mail.outbox)

    # The same task again (a retry after a lost acknowledgement): nothing more.
    send_newsletter.call(association_id=association.pk, newsletter_id=newsletter.pk)
    assert len(mail.outbox) == sent

    # A worker died mid-way: one delivery waiting, one claimed by the dead run.
    with scopes_disabled():
        deliveries = list(Delivery.objects.filter(newsletter=newsletter).order_by("pk"))
        Delivery.objects.filter(pk=deliveries[0].pk).update(status=DeliveryStatus.PENDING)
        Delivery.objects.filter(pk=deliveries[1].pk).update(
            status=DeliveryStatus.SENDING,
            claim="dead-run",
            claimed_at=timezone.now() - datetime.timedelta(hours=1),
        )
        Newsletter.objects.filter(pk=newsletter.pk).update(status=NewsletterStatus.SENDING)
    mail.outbox.clear()
    send_newsletter.call(association_id=association.pk, newsletter_id=newsletter.pk)
    assert [m.to[0] for m in mail.outbox] == [deliveries[0].email]  # not the claimed one
    newsletter.refresh_from_db()
    assert newsletter.status == NewsletterStatus.SENT
    assert newsletter.failed_count == 1  # the interrupted one, reported and not resent


def test_a_newsletter_is_sent_once(
    register, association, admin_user, django_capture_on_commit_callbacks
):
    newsletter = NewsletterFactory(association=association, segment="board")
    send(association, admin_user, newsletter, django_capture_on_commit_callbacks)
    with scope(association=association), pytest.raises(ValidationError):
        services.newsletter_send(association=association, actor=admin_user, newsletter=newsletter)


def test_an_empty_segment_is_refused_with_a_message(admin_client, association):
    newsletter = NewsletterFactory(association=association, segment="volunteers")
    response = admin_client.post(
        url("newsletter_send", association, newsletter_id=newsletter.pk), follow=True
    )
    assert b"the segment is empty" in response.content
    newsletter.refresh_from_db()
    assert newsletter.status == NewsletterStatus.DRAFT


def test_only_senders_may_send(register, association):
    board = member_with_account(association, [Role.BOARD])
    newsletter = NewsletterFactory(association=association)
    with scope(association=association), pytest.raises(PermissionDenied):
        services.newsletter_send(association=association, actor=board, newsletter=newsletter)


class BouncingBackend(EmailBackend):
    def send_messages(self, messages):
        if any("bounce" in address for m in messages for address in m.to):
            raise OSError("550 mailbox unavailable")
        return super().send_messages(messages)


def test_a_failing_address_does_not_stop_the_others(
    association, admin_user, settings, small_batches, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = "maillon.communication.tests.test_newsletters.BouncingBackend"
    for address in ("a@example.org", "bounce@example.org", "b@example.org"):
        PersonFactory(association=association, email=address)
    newsletter = NewsletterFactory(association=association, segment="members")
    mail.outbox.clear()
    newsletter = send(association, admin_user, newsletter, django_capture_on_commit_callbacks)
    assert newsletter.status == NewsletterStatus.SENT
    assert (newsletter.sent_count, newsletter.failed_count) == (3, 1)
    with scopes_disabled():
        failed = Delivery.objects.get(status=DeliveryStatus.FAILED)
    assert failed.email == "bounce@example.org" and "550" in failed.error


# --- progress page --------------------------------------------------------------------------


def test_the_progress_bar_polls_every_two_seconds_while_sending(admin_client, association):
    newsletter = NewsletterFactory(
        association=association,
        status=NewsletterStatus.SENDING,
        total_count=4,
        sent_count=1,
        failed_count=1,
    )
    page = admin_client.get(url("newsletter_detail", association, newsletter_id=newsletter.pk))
    content = page.content.decode()
    assert '<meta http-equiv="refresh"' in content  # without JavaScript
    assert 'hx-trigger="every 2s"' in content
    assert re.search(r'<progress[^>]*max="4" value="2"', content)
    assert "1 of 4 emails sent (50 % done)" in content

    partial = admin_client.get(
        url("newsletter_progress", association, newsletter_id=newsletter.pk),
        headers={"HX-Request": "true"},
    )
    assert partial.status_code == 200
    assert partial.content.decode().lstrip().startswith('<div id="newsletter-progress"')
    # Without htmx the progress address leads to the page.
    plain = admin_client.get(url("newsletter_progress", association, newsletter_id=newsletter.pk))
    assert plain.status_code == 302

    with scopes_disabled():
        Newsletter.objects.filter(pk=newsletter.pk).update(
            status=NewsletterStatus.SENT, sent_at=timezone.now(), sent_count=3
        )
    done = admin_client.get(
        url("newsletter_progress", association, newsletter_id=newsletter.pk),
        headers={"HX-Request": "true"},
    )
    assert "hx-trigger" not in done.content.decode()  # polling stops


def test_composing_with_preview_then_sending_from_the_page(
    admin_client, register, association, django_capture_on_commit_callbacks
):
    data = {"subject": "Juin", "body": "## Agenda\n\n<img src=x onerror=alert(1)>"}
    response = admin_client.post(
        url("newsletter_create", association),
        {**data, "segment": "board", "action": "preview"},
    )
    assert b"<h2>Agenda</h2>" in response.content and b"<img src=x" not in response.content
    assert b"Board and bureau (3)" in response.content  # the admin is in it  # segment sizes shown
    response = admin_client.post(
        url("newsletter_create", association), {**data, "segment": "board", "action": "save"}
    )
    with scopes_disabled():
        newsletter = Newsletter.objects.get()
    assert response.status_code == 302
    detail = admin_client.get(url("newsletter_detail", association, newsletter_id=newsletter.pk))
    assert b"This newsletter would go to 3 addresses." in detail.content
    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post(url("newsletter_send", association, newsletter_id=newsletter.pk))
    newsletter.refresh_from_db()
    assert newsletter.status == NewsletterStatus.SENT and newsletter.sent_count == 3
    # A sent newsletter can no longer change.
    admin_client.post(
        url("newsletter_edit", association, newsletter_id=newsletter.pk),
        {**data, "subject": "Changed", "segment": "members", "action": "save"},
    )
    newsletter.refresh_from_db()
    assert newsletter.subject == "Juin"


# --- unsubscribing ----------------------------------------------------------------------------


@pytest.fixture
def delivered(register, association, admin_user, django_capture_on_commit_callbacks):
    newsletter = NewsletterFactory(association=association, segment="subscribers")
    send(association, admin_user, newsletter, django_capture_on_commit_callbacks)
    with scopes_disabled():
        return {d.email: d for d in Delivery.objects.filter(newsletter=newsletter)}


def test_the_unsubscribe_link_works_without_login_and_get_changes_nothing(
    delivered, association, register
):
    delivery = delivered["consent@example.org"]
    client = Client(enforce_csrf_checks=True)
    link = reverse("news:unsubscribe", kwargs={"token": delivery.token})

    page = client.get(link)
    assert page.status_code == 200
    assert b'<form method="post">' in page.content
    with scopes_disabled():
        # A GET (e.g. a mail scanner following links) does nothing.
        assert not OptOut.objects.filter(email="consent@example.org").exists()

    response = client.post(link)
    assert response.status_code == 200
    assert b"will no longer receive" in response.content
    register["consenting"].refresh_from_db()
    assert register["consenting"].consent_newsletter is False
    with scopes_disabled():
        assert OptOut.objects.get(email="consent@example.org").source == "link"
        # The public subscription with the same address ends too.
        assert Subscriber.objects.get(email="consent@example.org").unsubscribed_at
        entry = AuditEntry.objects.get(action="newsletter.unsubscribed")
    assert entry.association_id == association.pk and entry.data["source"] == "link"
    for segment in ("members", "subscribers"):
        assert "consent@example.org" not in emails(association, segment)

    # Again: nothing changes, no second audit entry.
    client.post(link)
    with scopes_disabled():
        assert AuditEntry.objects.filter(action="newsletter.unsubscribed").count() == 1


def test_rfc_8058_one_click_post(delivered, association):
    delivery = delivered["public@example.org"]
    client = Client(enforce_csrf_checks=True)
    response = client.post(
        reverse("news:unsubscribe", kwargs={"token": delivery.token}),
        {"List-Unsubscribe": "One-Click"},
    )
    assert response.status_code == 200
    with scopes_disabled():
        assert OptOut.objects.get(email="public@example.org").source == "one_click"
        assert Subscriber.objects.get(email="public@example.org").unsubscribed_at
    assert "public@example.org" not in emails(association, "subscribers")


def test_an_unknown_unsubscribe_token_is_not_found(client):
    assert client.get("/news/email/unsubscribe/forged/").status_code == 404
    assert client.post("/news/email/unsubscribe/forged/").status_code == 404


# --- public subscription ----------------------------------------------------------------------


@pytest.fixture
def subscribe(client, django_capture_on_commit_callbacks):
    def post(association, **data):
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(reverse("news:subscribe", kwargs={"slug": association.slug}), data)

    return post


def test_subscription_needs_the_consent_box(subscribe, association):
    response = subscribe(association, email="new@example.org")
    assert response.status_code == 200
    assert b"Tick the box" in response.content
    with scopes_disabled():
        assert not Subscriber.objects.exists()


def test_double_opt_in(subscribe, association):
    response = subscribe(association, email="New@Example.org", consent="on")
    assert response.status_code == 302
    with scopes_disabled():
        subscriber = Subscriber.objects.get()
    assert subscriber.email == "new@example.org" and not subscriber.is_active
    assert "new@example.org" not in emails(association, "subscribers")  # not confirmed yet
    (message,) = mail.outbox
    assert message.to == ["new@example.org"]
    link = re.search(r"https?://\S+/news/email/confirm/\S+/", message.body).group(0)
    path = link.split("://", 1)[1].split("/", 1)[1]

    page = Client().get("/" + path)
    assert page.status_code == 200 and b"I confirm" in page.content
    subscriber.refresh_from_db()
    assert not subscriber.is_active  # following the link alone confirms nothing

    Client().post("/" + path)
    subscriber.refresh_from_db()
    assert subscriber.is_active
    assert subscriber.consent_source == "news_page" and subscriber.consent_at
    assert "new@example.org" in emails(association, "subscribers")
    with scopes_disabled():
        assert AuditEntry.objects.filter(action="newsletter.subscribed").count() == 1


def test_asking_twice_sends_one_email_and_reveals_nothing(subscribe, association):
    SubscriberFactory(association=association, email="already@example.org")
    first = subscribe(association, email="already@example.org", consent="on")
    assert first.status_code == 302 and not mail.outbox  # already subscribed: nothing sent
    subscribe(association, email="twice@example.org", consent="on")
    subscribe(association, email="twice@example.org", consent="on")
    assert len(mail.outbox) == 1


def test_resubscribing_after_an_unsubscription_lifts_the_opt_out(subscribe, association):
    OptOutFactory(association=association, email="back@example.org")
    subscribe(association, email="back@example.org", consent="on")
    with scopes_disabled():
        subscriber = Subscriber.objects.get()
    services.subscription_confirm(subscriber=subscriber)
    assert "back@example.org" in emails(association, "subscribers")


def test_robots_filling_the_hidden_field_are_ignored(subscribe, association):
    response = subscribe(association, email="bot@example.org", consent="on", website="http://spam")
    assert response.status_code == 302
    with scopes_disabled():
        assert not Subscriber.objects.exists()
    assert not mail.outbox


def test_the_news_page_carries_the_subscription_form(client, association):
    response = client.get(reverse("news:list", kwargs={"slug": association.slug}))
    assert b'name="consent"' in response.content and b'name="email"' in response.content


# --- isolation and query counts ------------------------------------------------------------


def test_another_associations_admin_gets_404_everywhere(
    client, association, other_association, other_admin
):
    newsletter = NewsletterFactory(association=association)

    post = PostFactory(association=association)
    client.force_login(other_admin)
    post_ = {"post_id": post.pk}
    letter = {"newsletter_id": newsletter.pk}
    pages = [
        ("posts", {}, "get"),
        ("post_create", {}, "post"),
        ("post_detail", post_, "get"),
        ("post_edit", post_, "post"),
        ("post_publish", post_, "post"),
        ("post_unpublish", post_, "post"),
        ("newsletters", {}, "get"),
        ("newsletter_create", {}, "post"),
        ("newsletter_detail", letter, "get"),
        ("newsletter_edit", letter, "post"),
        ("newsletter_send", letter, "post"),
        ("newsletter_progress", letter, "get"),
        ("subscribers", {}, "get"),
    ]
    for name, kwargs, method in pages:
        send = getattr(client, method)
        assert send(url(name, association, **kwargs)).status_code == 404, name
        if kwargs:  # their own slug with this association's ids: not found either
            assert send(url(name, other_association, **kwargs)).status_code == 404, name
    newsletter.refresh_from_db()
    assert newsletter.status == NewsletterStatus.DRAFT


def _count(client, path) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    assert response.status_code == 200
    return len(queries)


def test_newsletter_and_subscriber_lists_cost_the_same_with_n_and_2n_rows(
    admin_client, association, admin_user
):
    def add(n):
        NewsletterFactory.create_batch(n, association=association, author=admin_user)
        NewsletterFactory.create_batch(
            n, association=association, status="sent", sent_by=admin_user, sent_at=timezone.now()
        )
        SubscriberFactory.create_batch(n, association=association)

    add(4)
    first = [_count(admin_client, url(n, association)) for n in ("newsletters", "subscribers")]
    add(4)
    assert [_count(admin_client, url(n, association)) for n in ("newsletters", "subscribers")] == (
        first
    )


# --- metrics and demo -------------------------------------------------------------------------


def test_metrics(register, association, admin_user, django_capture_on_commit_callbacks):

    PostFactory(association=association)
    PostFactory(association=association, audience="members")
    PostFactory(association=association, status="draft", published_at=None)
    PostFactory(association=association, published_at=timezone.now() - datetime.timedelta(days=400))
    send(
        association,
        admin_user,
        NewsletterFactory(association=association, segment="board"),
        django_capture_on_commit_callbacks,
    )
    today = timezone.localdate()
    period = {
        "association": association,
        "start": today - datetime.timedelta(days=30),
        "end": today,
    }
    assert registry.measure("communication.posts_published", **period) == 2
    assert registry.measure("communication.newsletters_sent", **period) == 1
    assert registry.measure("communication.newsletter_recipients", **period) == 3
    # consent@ (person and subscriber, once) + public@; not gone@, pending@, left@.
    assert registry.measure("communication.subscribers", **period) == 2
    long_ago = today - datetime.timedelta(days=800)
    assert (
        registry.measure(
            "communication.subscribers", association=association, start=long_ago, end=long_ago
        )
        == 0
    )
