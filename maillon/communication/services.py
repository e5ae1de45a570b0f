"""Writes of the communication module: news posts, newsletters, public subscriptions
and unsubscriptions. Every change is atomic and writes one audit entry; emails and
the sending task start after commit."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_scopes import scope

from maillon.associations.models import Association
from maillon.core.audit import audit_log
from maillon.core.services import apply_changes
from maillon.core.tenancy import ensure_same_association
from maillon.members.models import Person
from maillon.members.permissions import Perm, check_permission

from .models import (
    Delivery,
    Newsletter,
    NewsletterStatus,
    OptOut,
    Post,
    PostStatus,
    Subscriber,
)
from .rendering import markdown_to_safe_html
from .selectors import segment_recipients
from .tasks import send_newsletter

if TYPE_CHECKING:
    from maillon.accounts.models import User

NEWS_PAGE_SOURCE = "news_page"
# A second request for the same address within this delay sends no second email.
CONFIRMATION_RESEND_DELAY = datetime.timedelta(minutes=5)


def _normalise_email(email: str) -> str:
    return (email or "").strip().lower()


# --- posts ----------------------------------------------------------------------------------


@transaction.atomic
def post_create(
    *, association: Association, actor: User, title: str, body: str, audience: str
) -> Post:
    check_permission(association=association, actor=actor, permission=Perm.MANAGE_NEWS)
    post = Post(
        association=association,
        title=title.strip(),
        body=body,
        body_html=markdown_to_safe_html(body),
        audience=audience,
        author=actor,
    )
    post.full_clean(exclude=["association", "author"])
    post.save()
    audit_log(association=association, actor=actor, action="news.post_created", obj=post)
    return post


@transaction.atomic
def post_update(
    *, association: Association, actor: User, post: Post, title: str, body: str, audience: str
) -> Post:
    check_permission(association=association, actor=actor, permission=Perm.MANAGE_NEWS)
    ensure_same_association(association, post)
    post = Post.objects.select_for_update().get(pk=post.pk)
    changes = apply_changes(post, {"title": title.strip(), "body": body, "audience": audience})
    post.body_html = markdown_to_safe_html(post.body)
    post.full_clean(exclude=["association", "author"])
    post.save()
    if changes:
        # The text itself is not copied into the log: only which fields changed.
        audit_log(
            association=association,
            actor=actor,
            action="news.post_updated",
            obj=post,
            data={
                "changed": sorted(changes),
                **({"audience": changes["audience"]} if "audience" in changes else {}),
            },
        )
    return post


@transaction.atomic
def post_publish(*, association: Association, actor: User, post: Post) -> Post:
    check_permission(association=association, actor=actor, permission=Perm.MANAGE_NEWS)
    ensure_same_association(association, post)
    post = Post.objects.select_for_update().get(pk=post.pk)
    if post.status == PostStatus.PUBLISHED:
        raise ValidationError(_("This post is already published."))
    post.status = PostStatus.PUBLISHED
    # Published again after a withdrawal: it keeps its first date.
    post.published_at = post.published_at or timezone.now()
    post.save(update_fields=["status", "published_at", "updated_at"])
    audit_log(
        association=association,
        actor=actor,
        action="news.post_published",
        obj=post,
        data={"audience": post.audience},
    )
    return post


@transaction.atomic
def post_unpublish(*, association: Association, actor: User, post: Post) -> Post:
    check_permission(association=association, actor=actor, permission=Perm.MANAGE_NEWS)
    ensure_same_association(association, post)
    post = Post.objects.select_for_update().get(pk=post.pk)
    if post.status != PostStatus.PUBLISHED:
        raise ValidationError(_("This post is not published."))
    post.status = PostStatus.DRAFT
    post.save(update_fields=["status", "updated_at"])
    audit_log(association=association, actor=actor, action="news.post_unpublished", obj=post)
    return post


# --- newsletters ------------------------------------------------------------------------------


@transaction.atomic
def newsletter_create(
    *, association: Association, actor: User, subject: str, body: str, segment: str
) -> Newsletter:
    check_permission(association=association, actor=actor, permission=Perm.MANAGE_NEWS)
    newsletter = Newsletter(
        association=association,
        subject=subject.strip(),
        body=body,
        body_html=markdown_to_safe_html(body),
        segment=segment,
        author=actor,
    )
    newsletter.full_clean(exclude=["association", "author", "sent_by"])
    newsletter.save()
    audit_log(association=association, actor=actor, action="newsletter.created", obj=newsletter)
    return newsletter


def _locked_draft(newsletter: Newsletter) -> Newsletter:
    newsletter = Newsletter.objects.select_for_update().get(pk=newsletter.pk)
    if newsletter.status != NewsletterStatus.DRAFT:
        raise ValidationError(_("This newsletter has already been sent."))
    return newsletter


@transaction.atomic
def newsletter_update(
    *,
    association: Association,
    actor: User,
    newsletter: Newsletter,
    subject: str,
    body: str,
    segment: str,
) -> Newsletter:
    check_permission(association=association, actor=actor, permission=Perm.MANAGE_NEWS)
    ensure_same_association(association, newsletter)
    newsletter = _locked_draft(newsletter)
    changes = apply_changes(
        newsletter, {"subject": subject.strip(), "body": body, "segment": segment}
    )
    newsletter.body_html = markdown_to_safe_html(newsletter.body)
    newsletter.full_clean(exclude=["association", "author", "sent_by"])
    newsletter.save()
    if changes:
        audit_log(
            association=association,
            actor=actor,
            action="newsletter.updated",
            obj=newsletter,
            data={"changed": sorted(changes)},
        )
    return newsletter


@transaction.atomic
def newsletter_send(*, association: Association, actor: User, newsletter: Newsletter) -> Newsletter:
    """Freeze the recipients of the newsletter's segment (one delivery per address)
    and start the sending task after commit. Sending twice is refused."""
    check_permission(association=association, actor=actor, permission=Perm.SEND_NEWSLETTERS)
    ensure_same_association(association, newsletter)
    newsletter = _locked_draft(newsletter)
    recipients = segment_recipients(association=association, segment=newsletter.segment)
    if not recipients:
        raise ValidationError(_("Nobody would receive this newsletter: the segment is empty."))
    Delivery.objects.bulk_create(
        [
            Delivery(
                association=association,
                newsletter=newsletter,
                email=r.email,
                person_id=r.person_id,
                subscriber_id=r.subscriber_id,
                language=r.language,
            )
            for r in recipients
        ],
        batch_size=500,
    )
    newsletter.status = NewsletterStatus.SENDING
    newsletter.sent_by = actor
    newsletter.send_requested_at = timezone.now()
    newsletter.total_count = len(recipients)
    newsletter.sent_count = newsletter.failed_count = 0
    newsletter.save(
        update_fields=[
            "status",
            "sent_by",
            "send_requested_at",
            "total_count",
            "sent_count",
            "failed_count",
            "updated_at",
        ]
    )
    audit_log(
        association=association,
        actor=actor,
        action="newsletter.send_requested",
        obj=newsletter,
        data={"segment": newsletter.segment, "recipients": len(recipients)},
    )
    newsletter_id = newsletter.pk
    transaction.on_commit(
        lambda: send_newsletter.enqueue(association_id=association.pk, newsletter_id=newsletter_id)
    )
    return newsletter


def newsletter_resume(*, association: Association, actor: User, newsletter: Newsletter) -> None:
    """Start the sending task again for a newsletter still being sent (a worker was
    lost): deliveries already sent or claimed are never sent again."""
    check_permission(association=association, actor=actor, permission=Perm.SEND_NEWSLETTERS)
    ensure_same_association(association, newsletter)
    if newsletter.status != NewsletterStatus.SENDING:
        raise ValidationError(_("This newsletter is not being sent."))
    audit_log(
        association=association, actor=actor, action="newsletter.send_resumed", obj=newsletter
    )
    newsletter_id = newsletter.pk
    transaction.on_commit(
        lambda: send_newsletter.enqueue(association_id=association.pk, newsletter_id=newsletter_id)
    )


# --- public subscription (double opt-in) --------------------------------------------------------


def subscription_request(
    *, association: Association, email: str, consent: bool, language: str = ""
) -> Subscriber | None:
    """Someone outside the register asks for the newsletter on the public news page.
    Nothing counts until they confirm from the email (double opt-in). The answer on
    the page is the same whatever the address, so it reveals nobody's subscription."""
    if not consent:
        raise ValidationError({"consent": _("Tick the box to agree to receive the newsletter.")})
    email = _normalise_email(email)
    now = timezone.now()
    with scope(association=association), transaction.atomic():
        subscriber = (
            Subscriber.objects.select_for_update()
            .filter(association=association, email=email)
            .first()
        )
        if subscriber is None:
            try:
                with transaction.atomic():
                    subscriber = Subscriber.objects.create(
                        association=association, email=email, language=language
                    )
            except IntegrityError:  # the same address, at the same moment
                return None
        elif subscriber.is_active or (
            subscriber.confirmation_sent_at
            and now - subscriber.confirmation_sent_at < CONFIRMATION_RESEND_DELAY
        ):
            return subscriber
        subscriber.confirmation_sent_at = now
        subscriber.language = language or subscriber.language
        subscriber.save(update_fields=["confirmation_sent_at", "language"])
        audit_log(
            association=association,
            actor=None,
            action="newsletter.subscription_requested",
            obj=subscriber,
            data={"source": NEWS_PAGE_SOURCE},
        )
        subscriber_id = subscriber.pk
        transaction.on_commit(lambda: _send_confirmation(association, subscriber_id))
    return subscriber


def _send_confirmation(association: Association, subscriber_id: int) -> None:
    """The double opt-in email, after the subscription's commit."""
    with scope(association=association):
        subscriber = Subscriber.objects.filter(association=association, pk=subscriber_id).first()
    if subscriber is None:
        return
    url = settings.SITE_URL + reverse(
        "news:subscription_confirm", kwargs={"token": subscriber.confirmation_token}
    )
    with translation.override(subscriber.language or settings.LANGUAGE_CODE):
        subject = _("Confirm your subscription to the newsletter of %(association)s") % {
            "association": association.name
        }
        context = {"association": association, "url": url}
        message = EmailMultiAlternatives(
            subject=subject,
            body=render_to_string("communication/email/confirm_subscription.txt", context),
            to=[subscriber.email],
        )
    message.send()


@transaction.atomic
def subscription_confirm(*, subscriber: Subscriber) -> Subscriber:
    """The subscriber confirmed from the email: their consent is recorded with its
    date and source. An earlier unsubscription of that address no longer applies."""
    association = subscriber.association
    with scope(association=association):
        subscriber = Subscriber.objects.select_for_update().get(pk=subscriber.pk)
        if subscriber.is_active:
            return subscriber
        subscriber.consent_at = timezone.now()
        subscriber.consent_source = NEWS_PAGE_SOURCE
        subscriber.unsubscribed_at = None
        subscriber.save(update_fields=["consent_at", "consent_source", "unsubscribed_at"])
        OptOut.objects.filter(association=association, email=subscriber.email).delete()
        audit_log(
            association=association,
            actor=None,
            action="newsletter.subscribed",
            obj=subscriber,
            data={"source": NEWS_PAGE_SOURCE},
        )
    return subscriber


# --- unsubscription ---------------------------------------------------------------------------


@transaction.atomic
def newsletter_unsubscribe(*, delivery: Delivery, source: str) -> OptOut:
    """The recipient of ``delivery`` wants no more newsletters from its association:
    an opt-out for the address (every segment leaves it out), the consent of the
    people of the register with that address withdrawn, the public subscription
    ended. Doing it again changes nothing."""
    association = delivery.association
    email = _normalise_email(delivery.email)
    with scope(association=association):
        opt_out, created = OptOut.objects.get_or_create(
            association=association, email=email, defaults={"source": source}
        )
        people = Person.objects.filter(
            association=association, email__iexact=email, consent_newsletter=True
        )
        withdrawn = list(people.values_list("pk", flat=True))
        if withdrawn:
            Person.objects.filter(pk__in=withdrawn).update(
                consent_newsletter=False, updated_at=timezone.now()
            )
        Subscriber.objects.filter(
            association=association, email=email, unsubscribed_at__isnull=True
        ).update(unsubscribed_at=timezone.now())
        if created or withdrawn:
            audit_log(
                association=association,
                actor=None,
                action="newsletter.unsubscribed",
                obj=opt_out,
                data={
                    "source": source,
                    "newsletter": delivery.newsletter_id,
                    "people": withdrawn,
                },
            )
    return opt_out
